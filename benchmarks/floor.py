"""What a cold gate cannot go below: the parse, the cheapest walk, and the gate's own frame.

    python benchmarks/floor.py [--only generated|stdlib] [--pairs 5] [--python PY]

Issue 34's bars are ratios to a parse-only process (read and ``ast.parse`` every linted
file). This measures, as whole processes on the same file lists and in the same
interleaved rounds (CPU seconds, the median of per-round ratios to the parse, and their
range), what lies between that parse and a cold ``execgov check``:

- ``walk``: the parse, then ``ast.walk`` over every node (the cheapest traversal Python
  has, doing nothing at each node);
- ``visitor``: the parse, then an empty ``ast.NodeVisitor`` (what a one-pass flake8 plugin
  costs at the least);
- ``frame``: ``execgov check --select=E999``: start-up, flake8's option handling and file
  discovery, each file read, screened by the prefilter and parsed when it passes, no rule's
  analysis (a file that does not parse fails the gate whatever the selection, so it parses;
  which files the gate parses is decided as with the governance codes selected, so where
  the prefilter rejects most files, as in the standard library, the frame includes the
  project-wide question that decides it, :meth:`.reach.Reach.names`);
- ``gate``: ``execgov check`` with the governance codes, an empty cache folder (cold).

``gate - frame`` is what the analysis costs; ``walk`` says what one visit of every node
would add to the parse, which the model's walk avoids by skipping the definitions the
prefilter rules out. Both gates use ``--python``'s installed package (a regular install: an
editable one recompiles the package at each start where bytecode is not written).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import stdlib_corpus  # noqa: E402
from bench_project import add_app_package, cpu_timed  # noqa: E402
from corpus import generate  # noqa: E402

TRAVERSE = r"""
import ast, sys
class Nothing(ast.NodeVisitor):
    pass
mode = sys.argv[2]
for path in open(sys.argv[1]).read().split():
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        continue
    if mode == "walk":
        for node in ast.walk(tree):
            pass
    elif mode == "visitor":
        Nothing().visit(tree)
"""


def rounds(files: list[Path], root: Path, python: str, cache: Path,
           pairs: int) -> dict[str, list[float]]:
    """Per-round ratios to the parse of each command, the order reversed every round."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    gate = [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", "1",
            "--exit-zero", f"--execgov-cache-dir={cache}", f"--execgov-project-root={root}"]
    commands = {
        "parse": [python, "-c", TRAVERSE, handle.name, "parse"],
        "walk": [python, "-c", TRAVERSE, handle.name, "walk"],
        "visitor": [python, "-c", TRAVERSE, handle.name, "visitor"],
        "frame": [*gate, "--select=E999", *map(str, files)],
        "gate": [*gate, *map(str, files)],
    }
    ratios: dict[str, list[float]] = {name: [] for name in commands if name != "parse"}
    for i in range(pairs + 1):  # the first round warms the file cache and is not counted
        took: dict[str, float] = {}
        for name in (list(commands) if i % 2 else list(commands)[::-1]):
            shutil.rmtree(cache, ignore_errors=True)
            took[name] = cpu_timed(commands[name], root)
        if i:
            for name in ratios:
                ratios[name].append(took[name] / took["parse"])
    shutil.rmtree(cache, ignore_errors=True)
    Path(handle.name).unlink()
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("generated", "stdlib"))
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Path(tmp) / "server"
        corpora = {"generated": lambda: (sorted(generate(server)) + add_app_package(server),
                                         server),
                   "stdlib": lambda: (stdlib_corpus(),
                                      Path(sysconfig.get_paths()["stdlib"]))}
        for name, make in corpora.items():
            if args.only and args.only != name:
                continue
            files, root = make()
            found = rounds(files, root, args.python, Path(tmp) / "cache", args.pairs)
            print(f"{name} ({len(files)} files), / parse, median (range) of {args.pairs}: "
                  + "  ".join(f"{key} {statistics.median(r):.2f} ({min(r):.2f}-{max(r):.2f})"
                              for key, r in found.items()))


if __name__ == "__main__":
    main()
