"""The warm gate of two installs, in the same pairs: did a change make the warm path slower?

    python benchmarks/bench_warm.py --python NEW_PY --against OLD_PY [--pairs 15]

Each interpreter has a version of flake8-execgov installed (a venv per version: ``pip
install .`` in a checkout of each commit). On the generated plugin-server corpus (with its
``app`` package) and on the standard library, each version's cache is made by one run
first; then ``--pairs`` pairs of warm ``execgov check -j1`` runs (nothing changed), one
per version, back to back in alternating order. Printed: the median of the per-pair ratios
new/old of CPU seconds (user + system, steadier than wall time on a shared machine) and of
wall seconds, with their ranges, and each version's median warm time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import stdlib_corpus  # noqa: E402
from bench_check import timed  # noqa: E402
from bench_project import add_app_package, cpu_timed  # noqa: E402
from corpus import generate  # noqa: E402


def pairs(files: list[Path], root: Path, new: str, old: str, cache: Path,
          count: int) -> dict[str, list[float]]:
    runs = {}
    for name, python in (("new", new), ("old", old)):
        runs[name] = [python, "-m", "flake8_execgov.cli", "check", "--isolated", "-j", "1",
                      "--exit-zero", f"--execgov-cache-dir={cache / name}", *map(str, files)]
        timed(runs[name], root)  # the cache made
        timed(runs[name], root)  # and read once
    found: dict[str, list[float]] = {"cpu": [], "wall": [], "new": [], "old": []}
    for i in range(count):
        order = ("new", "old") if i % 2 == 0 else ("old", "new")
        for clock_name, clock in (("cpu", cpu_timed), ("wall", timed)):
            seconds = {name: clock(runs[name], root) for name in order}
            found[clock_name].append(seconds["new"] / seconds["old"])
            if clock_name == "wall":
                found["new"].append(seconds["new"])
                found["old"].append(seconds["old"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the new version's interpreter")
    parser.add_argument("--against", required=True, help="the old version's interpreter")
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--only", choices=("generated", "stdlib"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Path(tmp) / "server"
        corpora = {"generated": (sorted(generate(server)) + add_app_package(server), server),
                   "stdlib": (stdlib_corpus(), Path(sysconfig.get_paths()["stdlib"]))}
        print(f"{'corpus':<10}{'files':>7}{'cpu new/old':>24}{'wall new/old':>24}"
              f"{'new s':>8}{'old s':>8}")
        for name, (files, root) in corpora.items():
            if args.only and args.only != name:
                continue
            found = pairs(files, root, args.python, args.against, Path(tmp) / f"cache-{name}",
                          args.pairs)

            def shown(values: list[float]) -> str:
                return (f"{statistics.median(values):.3f} "
                        f"({min(values):.2f}-{max(values):.2f})")
            print(f"{name:<10}{len(files):>7}{shown(found['cpu']):>24}{shown(found['wall']):>24}"
                  f"{statistics.median(found['new']):>8.3f}{statistics.median(found['old']):>8.3f}")


if __name__ == "__main__":
    main()
