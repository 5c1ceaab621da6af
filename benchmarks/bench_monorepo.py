"""``execgov check`` on a generated monorepo (``corpus.py --monorepo``) as it grows: cold,
warm, and warm after an edit of one widely imported module, against a parse-only process
and flake8; time and peak memory, at each size and ``-j``.

    python benchmarks/bench_monorepo.py [--sizes 1000,3000,10000] [--jobs 1,2]
                                        [--packages 50] [--runs 1] [--python PY]
                                        [--work DIR] [--flake8 both|own|none]
                                        [--flake8-jobs 2]

Every command is a whole process run as users run it: from the monorepo's root, whose
``setup.cfg`` is the one configuration, on ``.`` (``execgov check -j N``; flake8 ``-j N
--select=GOV .``), under a wrapper process that reports its wall time and its peak
resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest of the process and
its ``-j`` workers, not their sum). The commands run on the interpreter of a hook-like
environment (``bench_check.hook_environment``: this checkout ``pip install``ed in a fresh
venv) unless ``--python`` names one.

- **parse**: read and ``ast.parse`` every Python file of the tree, at the same ``-j``
  (``bench_check.PARSE_ONLY``);
- **cold**: ``execgov check`` with an empty cache folder (``EXECGOV_CACHE_DIR``);
- **warm**: the same again, nothing changed;
- **edit**: warm, after ``platform_core/states.py`` (imported by every runner) changed
  the value of ``DEFAULT_STATE``: the runners' facts change, so they are analysed again;
  ``-v``'s count line says how many files were (``dependents`` is how many files import
  the module: the most it may be);
- **flake8 +GOV** / **flake8**: ``flake8 --select=GOV`` with an empty cache folder, and
  ``flake8 --select=C90`` (the plugin loaded, none of its codes selected, so it returns at
  once; C90 reports nothing without ``max-complexity``): flake8's own cost.

With ``--runs`` above 1 the rounds alternate their order (paired, interleaved) and the
medians are shown. Ratios are per round (cold / parse of the same round).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import PARSE_ONLY, hook_environment  # noqa: E402
from monorepo import generate_monorepo  # noqa: E402

# Runs a command; prints its wall seconds and the peak RSS (KiB) of it and its children.
WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss": rss, "rc": done.returncode,
                  "stderr": done.stderr.decode(errors="replace")[-2000:]}))
"""
STATES = Path("packages/platform_core/src/platform_core/states.py")
COUNTS = re.compile(r"(\d+) files? checked, (\d+) parsed and analysed")


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, check=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def edit(root: Path, value: str) -> None:
    path = root / STATES
    text = re.sub(r'DEFAULT_STATE = "\w+"', f'DEFAULT_STATE = "{value}"', path.read_text())
    path.write_text(text)


def dependents(root: Path) -> int:
    """Files that import ``platform_core.states`` (by their text)."""
    return sum(1 for path in root.rglob("*.py")
               if "from platform_core.states import" in path.read_text())


def measure(root: Path, jobs: int, runs: int, python: str, cache: Path,
            with_flake8: str) -> dict[str, dict[str, float]]:
    files = sorted(str(p) for p in root.rglob("*.py"))
    # a file modified in the last two seconds makes the project's state unknown (the
    # gate's racy-git rule): the cold run would keep entries a warm run must check one by
    # one. The previous size or -j left the edited module restored just now: wait it out.
    newest = max(Path(f).stat().st_mtime for f in files)
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    listing = cache.parent / f"{cache.name}-files.txt"
    listing.write_text("\n".join(files))
    env = {**os.environ, "EXECGOV_CACHE_DIR": str(cache)}
    gate = [python, "-m", "flake8_execgov.cli", "check", "-j", str(jobs), "--exit-zero"]
    commands = {
        "parse": [python, "-c", PARSE_ONLY, str(listing), str(jobs)],
        "cold": gate, "warm": gate, "edit": [*gate, "-v"],
        "flake8+GOV": [python, "-m", "flake8", "-j", str(jobs), "--exit-zero",
                       "--select=GOV", "."],
        "flake8": [python, "-m", "flake8", "-j", str(jobs), "--exit-zero", "--select=C90",
                   "."],
    }
    flake8 = {"both": ["flake8+GOV", "flake8"], "own": ["flake8"], "none": []}[with_flake8]
    names = ["parse", "cold", "warm", "edit", *flake8]
    found: dict[str, list[dict[str, object]]] = {name: [] for name in names}
    for i in range(runs):
        order = ["parse", "cold", "warm", "edit"] if i % 2 == 0 \
            else ["cold", "warm", "edit", "parse"]  # the cache is warm before "warm"
        order += flake8[::1 if i % 2 == 0 else -1]
        for name in order:
            if name in ("cold", "flake8+GOV"):
                shutil.rmtree(cache, ignore_errors=True)
            if name == "edit":
                edit(root, "LOADED" if i % 2 == 0 else "INITIALIZED")
            found[name].append(run(commands[name], root, env))
    edit(root, "INITIALIZED")  # the tree as generated
    shutil.rmtree(cache, ignore_errors=True)
    listing.unlink()
    table: dict[str, dict[str, float]] = {}
    for name, results in found.items():
        walls = [float(r["wall"]) for r in results]  # type: ignore[arg-type]
        peaks = [float(r["rss"]) / 1024 for r in results]  # type: ignore[arg-type]
        table[name] = {"wall": statistics.median(walls), "rss": statistics.median(peaks)}
        if any(r["rc"] not in (0,) for r in results):
            table[name]["failed"] = 1.0
    for name in ("cold", "warm", "edit"):
        table[name]["ratio"] = statistics.median(
            float(c["wall"]) / float(p["wall"])  # type: ignore[arg-type]
            for c, p in zip(found[name], found["parse"]))
    table["edit"]["per_cold"] = statistics.median(
        float(e["wall"]) / float(c["wall"])  # type: ignore[arg-type]
        for e, c in zip(found["edit"], found["cold"]))
    counts = [COUNTS.search(str(r["stderr"])) for r in found["edit"]]
    table["edit"]["analysed"] = max(int(m.group(2)) for m in counts if m) if any(counts) \
        else float("nan")
    table["edit"]["checked"] = max(int(m.group(1)) for m in counts if m) if any(counts) \
        else float("nan")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--packages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--python", help="measure this interpreter's installed execgov")
    parser.add_argument("--work", type=Path, help="where the trees go (default: a temp dir)")
    parser.add_argument("--flake8", choices=("both", "own", "none"), default="both",
                        help="flake8 with the plugin and without it (both), only flake8's "
                             "own (the memory bar; flake8 takes ten times the gate's time)")
    parser.add_argument("--flake8-jobs", help="the -j values flake8 is measured at (default: "
                        "the largest of --jobs; flake8 takes ten times the gate's time)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mono-bench-", dir=args.work))
    python = os.path.abspath(args.python) if args.python \
        else hook_environment(work / "hook-env")
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = [int(j) for j in args.jobs.split(",")]
    flake8_jobs = [int(j) for j in (args.flake8_jobs or str(max(jobs))).split(",")]
    results: dict[tuple[int, int], dict[str, dict[str, float]]] = {}
    print(f"{'modules':>8}{'files':>7}{'-j':>4}  {'what':<11}{'wall s':>8}{'/parse':>8}"
          f"{'peak MiB':>10}  notes", flush=True)
    for size in sizes:
        root = work / f"mono-{size}"
        files = generate_monorepo(root, size, args.packages)
        importers = dependents(root)
        for j in jobs:
            table = results[(size, j)] = measure(root, j, args.runs, python,
                                                 work / f"cache-{size}-{j}",
                                                 args.flake8 if j in flake8_jobs else "none")
            for name, row in table.items():
                note = ""
                if name == "edit":
                    note = (f"{row['analysed']:.0f} of {row['checked']:.0f} files analysed again "
                            f"({importers} import the module); {row['per_cold']:.2f}x cold")
                if row.get("failed"):
                    note += " (a run FAILED)"
                ratio = f"{row['ratio']:8.2f}" if "ratio" in row else " " * 8
                print(f"{size:>8}{len(files):>7}{j:>4}  {name:<11}{row['wall']:8.2f}{ratio}"
                      f"{row['rss']:10.0f}  {note}", flush=True)
        shutil.rmtree(root)
    print("\ngrowth from the smallest to the largest size (time, peak memory):")
    low, high = min(sizes), max(sizes)
    for j in jobs:
        for name in results[(low, j)]:
            a, b = results[(low, j)][name], results[(high, j)].get(name)
            if b is None:
                continue
            print(f"  -j{j} {name:<11} time x{b['wall'] / a['wall']:.2f}  "
                  f"memory x{b['rss'] / a['rss']:.2f}")
    print("\nthe issue's bars, at the largest size:")
    top = results[(high, max(jobs))]
    bars = [(f"cold -j{max(jobs)} / parse -j{max(jobs)} <= 1.5", top["cold"]["ratio"], 1.5),
            ("edit / cold <= 0.3", top["edit"]["per_cold"], 0.3)]
    if "flake8" in top:
        bars.append(("gate cold peak memory / flake8's own <= 2",
                     top["cold"]["rss"] / top["flake8"]["rss"], 2.0))
    for j in jobs:
        for name in ("cold", "warm"):
            a, b = results[(low, j)][name], results[(high, j)][name]
            bars.append((f"-j{j} {name} time growth <= 11", b["wall"] / a["wall"], 11.0))
            bars.append((f"-j{j} {name} memory growth <= 11", b["rss"] / a["rss"], 11.0))
    for what, value, limit in bars:
        print(f"  {what:<45}{value:8.2f}  {'ok' if value <= limit else 'FAILS'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
