"""``execgov check`` against a parse-only process and ``flake8 --select=GOV``.

    python benchmarks/bench_check.py [--runs 5] [--only generated|stdlib] [--python PY]
                                     [--against PY] [--no-flake8]

On (a) the generated plugin-server corpus (``benchmarks/corpus.py``: 1,100 modules, every
one passing the prefilter) and (b) this interpreter's standard library, at ``-j1`` and
``-j auto``. Whole processes are timed, as a pre-commit hook runs them (startup counts).
The parse-only process reads and ``ast.parse``s every file of the same list, at the same
parallelism. Runs are paired and interleaved; the table shows the median per-pair ratio
and the lowest and highest pair.
All three run on the interpreter of a hook-like environment, as pre-commit builds one: a
fresh venv with this checkout installed (``pip install .``: a byte-compiled wheel, flake8
and libcst, nothing else). A development venv would charge every start for its editable
install's import hook, metadata of every test tool for flake8's plugin discovery, and, under
``PYTHONDONTWRITEBYTECODE``, compiling the package from source (together 0.02-0.05 s).
``--python`` measures an existing environment's interpreter instead; ``--against`` adds
another environment's ``execgov check`` to the same interleaved pairs (say, main's: a
before/after on the same load), its ratio to the same parse-only runs in the last column;
``--no-flake8`` leaves out ``flake8 --select=GOV`` (ten times the gate's run: on a loaded
machine the pairs then come closer in time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import stdlib_corpus  # noqa: E402
from corpus import generate  # noqa: E402

PARSE_ONLY = r"""
import ast, sys
from concurrent.futures import ProcessPoolExecutor
def parse(path):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        pass
files = open(sys.argv[1]).read().split()
jobs = int(sys.argv[2])
if jobs == 1:
    for path in files:
        parse(path)
else:
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse, files, chunksize=16))
"""


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def hook_environment(where: Path) -> str:
    """A venv with this checkout installed as a hook installs it; its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = str(where / ("Scripts" if os.name == "nt" else "bin") / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(Path(__file__).parents[1])],
                   check=True)
    return python


def measure(files: list[Path], root: Path, jobs: str, runs: int, python: str,
            against: str | None = None, with_flake8: bool = True) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    listing = handle.name
    workers = (os.cpu_count() or 1) if jobs == "auto" else int(jobs)
    commands = {
        "parse": [python, "-c", PARSE_ONLY, listing, str(workers)],
        "check": [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", jobs,
                  "--exit-zero", f"--execgov-project-root={root}", *map(str, files)],
        "flake8": [python, "-m", "flake8", "--isolated", "--select=GOV", "-j", jobs,
                   "--exit-zero", f"--execgov-project-root={root}", *map(str, files)],
    }
    if against:
        commands["against"] = [against, *commands["check"][1:]]
    if not with_flake8:
        del commands["flake8"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():
        timed(command, root)  # warm caches
    for i in range(runs):
        order = list(commands) if i % 2 == 0 else list(reversed(commands))
        for name in order:
            times[name].append(timed(commands[name], root))
    os.unlink(listing)
    nan = float("nan")
    return {
        "parse_s": statistics.median(times["parse"]),
        "check_s": statistics.median(times["check"]),
        "flake8_s": statistics.median(times["flake8"]) if with_flake8 else nan,
        "check_vs_parse": statistics.median(c / p for c, p in zip(times["check"], times["parse"])),
        "pair_low": min(c / p for c, p in zip(times["check"], times["parse"])),
        "pair_high": max(c / p for c, p in zip(times["check"], times["parse"])),
        "check_vs_flake8": statistics.median(c / f for c, f in zip(times["check"], times["flake8"]))
        if with_flake8 else nan,
        "against_vs_parse": statistics.median(a / p for a, p in zip(times["against"], times["parse"]))
        if against else nan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("generated", "stdlib"), help="one corpus only")
    parser.add_argument("--python", help="measure this interpreter's installed execgov")
    parser.add_argument("--against", help="and this interpreter's, in the same pairs")
    parser.add_argument("--no-flake8", action="store_true", help="leave flake8 out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        python = args.python or hook_environment(Path(tmp) / "hook-env")
        server = Path(tmp) / "server"
        corpora = {"generated plugin server": (sorted(generate(server)), server),
                   "standard library": (stdlib_corpus(),
                                        Path(sysconfig.get_paths()["stdlib"]))}
        print(f"{'corpus':<26}{'-j':>5}{'files':>7}{'parse':>8}{'check':>8}{'flake8':>8}"
              f"{'check/parse':>13}{'(pairs)':>12}{'check/flake8':>14}{'against/parse':>15}")
        for name, (files, root) in corpora.items():
            if args.only and not name.startswith({"generated": "generated",
                                                  "stdlib": "standard"}[args.only]):
                continue
            for jobs in ("1", "auto"):
                r = measure(files, root, jobs, args.runs, python, args.against,
                            not args.no_flake8)
                print(f"{name:<26}{jobs:>5}{len(files):>7}{r['parse_s']:>8.2f}"
                      f"{r['check_s']:>8.2f}{r['flake8_s']:>8.2f}"
                      f"{r['check_vs_parse']:>13.2f}"
                      f"{r['pair_low']:>6.2f}-{r['pair_high']:<5.2f}{r['check_vs_flake8']:>14.3f}"
                      f"{r['against_vs_parse']:>15.2f}")


if __name__ == "__main__":
    main()
