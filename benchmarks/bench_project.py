"""The project model's cost: ``execgov check`` with a cold and a warm summary cache against
a parse-only process, flake8 with the plugin selected against flake8 without it, and the
cache's size on disk.

    python benchmarks/bench_project.py [--runs 3] [--flake8-runs 1] [--only generated|stdlib]
                                        [--jobs 1] [--python PY] [--baselined] [--cpu]
    python benchmarks/bench_project.py --cold-pairs 15 [--only generated] [--against PY]

Whole processes, as :mod:`bench_check` times them (same parse-only process, same file
lists; ``--isolated`` and ``--execgov-project-root``, so the project is the corpus: without
a configuration the root would be the nearest folder with ``.git`` or a ``pyproject.toml``,
the whole pyenv checkout around a pyenv interpreter's standard library). Cold: the cache folder is
removed before each run; warm: it is left as the previous run wrote it. flake8 is compared
with ``--select=E,W,F,C90,GOV`` against ``--select=E,W,F,C90`` (the plugin loaded but not
selected: it returns at once), both warm. With ``--baselined`` every GOV finding of the
corpus is first written to a baseline that both flake8 runs use (a project that adopted the
rules: nothing is reported), which leaves out what flake8 itself spends on a reported
finding (it tokenizes the file once more to find its ``# noqa``): the plugin's own cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).parent))
from bench import stdlib_corpus  # noqa: E402
from bench_check import PARSE_ONLY, hook_environment, timed  # noqa: E402
from corpus import generate  # noqa: E402


APP = {
    "__init__.py": "",
    "lifecycle.py": "import enum\n\n\nclass LifecycleState(enum.Enum):\n    LOADED = 'LOADED'\n"
                    "    RUNNING = 'RUNNING'\n\n\nDONE = 'RUNNING'\n",
    "registry.py": "def update_execution_metrics(name, state, seconds=0, failed=False):\n"
                   "    return name, state\n",
    "validation.py": "def validate_input_payload(p):\n    return p\n\n\n"
                     "def validate_plugin_output(o):\n    return o\n\n\n"
                     "def build_error_envelope(e):\n    return {'error': str(e)}\n",
    "auth.py": "from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
               "def require_auth():\n    return 'user'\n\n\n"
               "CurrentUser = Annotated[str, Depends(require_auth)]\n",
}


def add_app_package(server: Path) -> list[Path]:
    """The ``app`` package the generated modules import (``app.lifecycle``, ``app.auth``
    ...): with it, their imports resolve inside the project, as in a real server."""
    (server / "app").mkdir(exist_ok=True)
    for name, text in APP.items():
        (server / "app" / name).write_text(text, encoding="utf-8")
    return sorted((server / "app").glob("*.py"))


def every_summary(files: list[Path]) -> float:
    """Bytes per 1,000 modules if every module were summarised (the cache's upper bound:
    only modules that others import from, or that declare classes or include routers
    that matter, are summarised)."""
    import ast
    import json

    from flake8_execgov.project.summary import summarize

    total = 0
    for path in files:
        try:
            summary = summarize(ast.parse(path.read_bytes()))
        except (SyntaxError, ValueError):
            continue
        total += len(json.dumps({"key": "0" * 32, "summary": summary}, separators=(",", ":")))
    return total * 1000 / max(1, len(files))


def cache_size(cache: Path) -> tuple[int, int, int]:
    """(entries, bytes of their contents, bytes of disk blocks)."""
    entries = [p for p in cache.glob("*.json")]
    data = sum(p.stat().st_size for p in entries)
    blocks = sum(p.stat().st_blocks * 512 for p in entries)
    return len(entries), data, blocks


def cpu_timed(args: list[str], cwd: Path) -> float:
    """CPU seconds (user + system) of the process and the workers it waited for: steadier
    than wall time on a shared machine, and what a CI runner bills."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure(files: list[Path], root: Path, jobs: str, runs: int, flake8_runs: int,
            python: str, cache: Path, baselined: bool = False,
            timed: Callable[[list[str], Path], float] = timed) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    listing = handle.name
    paths = [str(f) for f in files]
    gate = [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", jobs, "--exit-zero",
            f"--execgov-cache-dir={cache}", f"--execgov-project-root={root}", *paths]
    flake8 = [python, "-m", "flake8", "--isolated", "-j", jobs, "--exit-zero",
              f"--execgov-cache-dir={cache}", f"--execgov-project-root={root}"]
    if baselined:
        baseline = cache.parent / f"{cache.name}-baseline.json"
        subprocess.run([python, "-m", "flake8_execgov.cli", "baseline", "--isolated",
                        "--no-cache", "--file", str(baseline), *paths], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        flake8.append(f"--execgov-baseline={baseline}")
    commands = {"parse": [python, "-c", PARSE_ONLY, listing, jobs if jobs != "auto"
                          else str(os.cpu_count() or 1)],
                "cold": gate, "warm": gate}
    times: dict[str, list[float]] = {name: [] for name in [*commands, "with", "without"]}
    timed(commands["parse"], root)
    timed(gate, root)
    for i in range(runs):
        for name in (["parse", "cold", "warm"] if i % 2 == 0 else ["warm", "cold", "parse"]):
            if name == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            times[name].append(timed(commands[name], root))
            if name == "cold" and i % 2:
                timed(gate, root)  # leave the cache warm for "parse" after it
    entries, data, blocks = cache_size(cache)
    for i in range(flake8_runs):
        for name in (["with", "without"] if i % 2 == 0 else ["without", "with"]):
            select = "E,W,F,C90,GOV" if name == "with" else "E,W,F,C90"
            times[name].append(timed([*flake8, f"--select={select}", *paths], root))
    os.unlink(listing)
    parse = times["parse"]

    def median(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    return {
        "parse": statistics.median(parse),
        "cold": statistics.median(c / p for c, p in zip(times["cold"], parse)),
        "warm": statistics.median(w / p for w, p in zip(times["warm"], parse)),
        "with": median(times["with"]),
        "flake8": median([w / o for w, o in zip(times["with"], times["without"])]),
        "entries": entries, "data_per_1000": data * 1000 / max(1, len(files)),
        "blocks_per_1000": blocks * 1000 / max(1, len(files)),
    }


def cold_pairs(files: list[Path], root: Path, pythons: list[str], cache: Path,
               count: int) -> str:
    """``count`` tight rounds of a parse-only process and a cold gate of each install in
    ``pythons``, back to back in alternating order: on a machine whose speed drifts from
    one minute to the next, the median of per-round ratios is the steadiest estimate (with
    its range, wall and CPU). With two installs, also the second's time over the first's,
    per round (``--against``: a change measured against the code before it)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    parse = [pythons[0], "-c", PARSE_ONLY, handle.name, "1"]

    def gate(python: str) -> list[str]:
        return [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", "1",
                "--exit-zero", f"--execgov-cache-dir={cache}",
                f"--execgov-project-root={root}", *map(str, files)]

    def cold(python: str, clock: Callable[[list[str], Path], float]) -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return clock(gate(python), root)

    ratios: dict[str, list[float]] = {}
    for i in range(count):
        for name, clock in (("wall", timed), ("cpu", cpu_timed)):
            order = pythons if i % 2 == 0 else pythons[::-1]
            took = clock(parse, root) if i % 2 else None  # the parse first, then last
            gates = {python: cold(python, clock) for python in order}
            if took is None:
                took = clock(parse, root)
            for n, python in enumerate(pythons):
                ratios.setdefault(f"{name} {n}", []).append(gates[python] / took)
            if len(pythons) == 2:
                ratios.setdefault(f"{name} 1/0", []).append(gates[pythons[1]] / gates[pythons[0]])
    shutil.rmtree(cache, ignore_errors=True)
    os.unlink(handle.name)
    return "  ".join(f"{name} {statistics.median(r):.3f} ({min(r):.3f}-{max(r):.3f})"
                     for name, r in ratios.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flake8-runs", type=int, default=1)
    parser.add_argument("--only", choices=("generated", "stdlib"))
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--python", help="measure this interpreter's installed execgov")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU seconds of each process instead of wall seconds")
    parser.add_argument("--cold-pairs", type=int, default=0,
                        help="only cold/parse, as this many tight pairs")
    parser.add_argument("--against", metavar="PY",
                        help="with --cold-pairs: also this interpreter's install, in the "
                             "same rounds (0: --python's, 1: this one)")
    parser.add_argument("--baselined", action="store_true",
                        help="flake8 with every GOV finding of the corpus in a baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        python = args.python or hook_environment(Path(tmp) / "hook-env")
        server = Path(tmp) / "server"
        generated = sorted(generate(server)) + add_app_package(server)
        corpora = {"generated": (generated, server),
                   "stdlib": (stdlib_corpus(), Path(sysconfig.get_paths()["stdlib"]))}
        print(f"{'corpus':<10}{'-j':>5}{'files':>7}{'parse s':>9}{'cold/parse':>12}"
              f"{'warm/parse':>12}{'flake8 +GOV':>13}{'entries':>9}{'KB/1000':>9}{'blocks KB':>11}"
              f"{'all KB/1000':>13}")
        for name, (files, root) in corpora.items():
            if args.only and args.only != name:
                continue
            if args.cold_pairs:
                print(f"{name:<10} cold/parse, {args.cold_pairs} pairs: "
                      + cold_pairs(files, root, [python, *filter(None, [args.against])],
                                   Path(tmp) / f"pairs-{name}", args.cold_pairs))
                continue
            r = measure(files, root, args.jobs, args.runs, args.flake8_runs, python,
                        Path(tmp) / f"cache-{name}", args.baselined,
                        cpu_timed if args.cpu else timed)
            print(f"{name:<10}{args.jobs:>5}{len(files):>7}{r['parse']:>9.2f}{r['cold']:>12.2f}"
                  f"{r['warm']:>12.2f}{r['flake8']:>13.3f}{r['entries']:>9.0f}"
                  f"{r['data_per_1000'] / 1024:>9.0f}{r['blocks_per_1000'] / 1024:>11.0f}"
                  f"{every_summary(files) / 1024:>13.0f}")


if __name__ == "__main__":
    main()
