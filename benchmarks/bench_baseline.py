"""What applying a baseline costs a lint run (no download).

    python benchmarks/bench_baseline.py [--runs 7]

``execgov check -j1`` on the generated plugin-server corpus (``benchmarks/corpus.py``) and on
the standard library, without a baseline and with one configured: on the corpus the
baseline holds every finding (so the run reports none, after fingerprinting each), on the
standard library it exists but no file has a finding. Paired, interleaved whole-process
runs; the median per-pair ratio.
"""

from __future__ import annotations

import argparse
import shutil
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


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    check = [sys.executable, "-m", "flake8_execgov.cli", "check", "-j1", "--exit-zero"]
    with tempfile.TemporaryDirectory() as tmp:
        server = Path(tmp) / "server"
        generate(server)
        stdlib = Path(tmp) / "stdlib"
        root = Path(sysconfig.get_paths()["stdlib"])
        for path in stdlib_corpus():
            target = stdlib / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        print(f"{'corpus':<26}{'without (s)':>12}{'with (s)':>10}{'with/without':>14}")
        for name, folder in (("generated plugin server", server), ("standard library", stdlib)):
            subprocess.run([sys.executable, "-m", "flake8_execgov.cli", "baseline", "--isolated"],
                           cwd=folder, check=False, stdout=subprocess.DEVNULL)
            plain = [*check, "--isolated", "."]
            based = [*check, "--isolated", "--execgov-baseline=./.execgov-baseline.json", "."]
            timed(plain, folder)
            times: dict[str, list[float]] = {"plain": [], "based": []}
            for i in range(args.runs):
                for key in (("plain", "based") if i % 2 == 0 else ("based", "plain")):
                    times[key].append(timed(plain if key == "plain" else based, folder))
            ratio = statistics.median(b / p for b, p in zip(times["based"], times["plain"]))
            print(f"{name:<26}{statistics.median(times['plain']):>12.2f}"
                  f"{statistics.median(times['based']):>10.2f}{ratio:>14.3f}")


if __name__ == "__main__":
    main()
