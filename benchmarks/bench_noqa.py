"""Many findings in one block: the gate's ``# noqa`` lookup against flake8's.

    python benchmarks/bench_noqa.py [--findings 8000 20000] [--runs 3] [--checkout DIR]

One function holding N ``plugin.run(k)`` statements (N GOV001 findings in one block),
linted by ``execgov check`` and by ``flake8 --select=GOV`` (whole processes, ``-j1``,
best of ``--runs``). ``--checkout`` measures another checkout of the package (put first on
``PYTHONPATH``), e.g. a worktree of an older commit, with this interpreter.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def source(findings: int) -> str:
    return "def f(plugin):\n" + "".join(f"    plugin.run({k})\n" for k in range(findings))


def best(command: list[str], cwd: str, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, nargs="+", default=[8000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkout", help="a checkout of flake8-execgov to measure")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.checkout:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.checkout,
                                                          env.get("PYTHONPATH")]))
    print("| findings in one function | `execgov check` | `flake8 --select=GOV` | check / flake8 |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for findings in args.findings:
            Path(folder, "many.py").write_text(source(findings))
            gate = best([sys.executable, "-m", "flake8_execgov.cli", "check", "-j1", "many.py"],
                        folder, env, args.runs)
            flake8 = best([sys.executable, "-m", "flake8", "--select=GOV", "-j1", "many.py"],
                          folder, env, args.runs)
            print(f"| {findings:,} | {gate:.2f} s | {flake8:.2f} s | {gate / flake8:.2f} |")


if __name__ == "__main__":
    main()
