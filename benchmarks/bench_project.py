"""The project model's cost: ``execgov check`` with a cold and a warm summary cache against
a parse-only process, flake8 with the plugin selected against flake8 without it, and the
cache's size on disk.

    python benchmarks/bench_project.py [--runs 3] [--flake8-runs 1] [--only generated|stdlib]
                                        [--jobs 1] [--python PY]

Whole processes, as :mod:`bench_check` times them (same parse-only process, same file
lists; ``--isolated``, so the project root is the corpus root). Cold: the cache folder is
removed before each run; warm: it is left as the previous run wrote it. flake8 is compared
with ``--select=E,W,F,C90,GOV`` against ``--select=E,W,F,C90`` (the plugin loaded but not
selected: it returns at once), both warm.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import stdlib_corpus  # noqa: E402
from bench_check import PARSE_ONLY, hook_environment, timed  # noqa: E402
from corpus import generate  # noqa: E402


def cache_size(cache: Path) -> tuple[int, int, int]:
    """(entries, bytes of their contents, bytes of disk blocks)."""
    entries = [p for p in cache.glob("*.json")]
    data = sum(p.stat().st_size for p in entries)
    blocks = sum(p.stat().st_blocks * 512 for p in entries)
    return len(entries), data, blocks


def measure(files: list[Path], root: Path, jobs: str, runs: int, flake8_runs: int,
            python: str, cache: Path) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    listing = handle.name
    paths = [str(f) for f in files]
    gate = [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", jobs, "--exit-zero",
            f"--execgov-cache-dir={cache}", *paths]
    flake8 = [python, "-m", "flake8", "--isolated", "-j", jobs, "--exit-zero",
              f"--execgov-cache-dir={cache}"]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flake8-runs", type=int, default=1)
    parser.add_argument("--only", choices=("generated", "stdlib"))
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--python", help="measure this interpreter's installed execgov")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        python = args.python or hook_environment(Path(tmp) / "hook-env")
        server = Path(tmp) / "server"
        corpora = {"generated": (sorted(generate(server)), server),
                   "stdlib": (stdlib_corpus(), Path(sysconfig.get_paths()["stdlib"]))}
        print(f"{'corpus':<10}{'-j':>5}{'files':>7}{'parse s':>9}{'cold/parse':>12}"
              f"{'warm/parse':>12}{'flake8 +GOV':>13}{'entries':>9}{'KB/1000':>9}{'blocks KB':>11}")
        for name, (files, root) in corpora.items():
            if args.only and args.only != name:
                continue
            r = measure(files, root, args.jobs, args.runs, args.flake8_runs, python,
                        Path(tmp) / f"cache-{name}")
            print(f"{name:<10}{args.jobs:>5}{len(files):>7}{r['parse']:>9.2f}{r['cold']:>12.2f}"
                  f"{r['warm']:>12.2f}{r['flake8']:>13.3f}{r['entries']:>9.0f}"
                  f"{r['data_per_1000'] / 1024:>9.0f}{r['blocks_per_1000'] / 1024:>11.0f}")


if __name__ == "__main__":
    main()
