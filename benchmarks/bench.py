"""Measure what flake8-execgov costs (no download).

    python benchmarks/bench.py [--runs 7] [--corpus DIR | --generated]

The corpus is this interpreter's standard library by default, where the prefilter rejects
nearly every file; ``--generated`` uses the plugin-server code base that
``benchmarks/corpus.py`` writes (1,100 modules, every one passing the prefilter, the rules
really working).

1. flake8 -j1 with the plugin installed vs without it (wall time and peak memory; paired,
   interleaved runs; median of the per-pair ratios), with ``--select=E,W,F`` (governance
   not selected) and ``--select=E,W,F,GOV`` (the rules on). "Without" runs in the
   same environment with the plugin's entry point filtered out of flake8's plugin finder.
2. The plugin's own time per file vs ``ast.parse`` of the same file (in-process).
3. ``execgov fix --check`` on the clean corpus vs ``ast.parse`` of the whole corpus.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

EXCLUDED_PARTS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}

# A flake8 run that reports its wall time and peak RSS; "without" hides our entry point.
RUNNER = r"""
import resource, sys, time
if sys.argv[1] == "without":  # the same environment, minus this plugin
    from flake8.plugins import finder
    _original = finder._find_importlib_plugins
    finder._find_importlib_plugins = lambda: (
        p for p in _original() if p.package != "flake8-execgov")
from flake8.main import cli
mode, listing, *flake8_args = sys.argv[1:]
start = time.perf_counter()
try:
    cli.main(flake8_args + open(listing).read().split())
except SystemExit:
    pass
elapsed = time.perf_counter() - start
print(f"BENCH {elapsed} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def stdlib_corpus() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py")
                  if not EXCLUDED_PARTS & set(p.relative_to(root).parts[:-1])
                  and not p.name.startswith("test_"))


def flake8_run(mode: str, files_list: Path, select: str) -> tuple[float, int]:
    args = [sys.executable, "-c", RUNNER, mode, str(files_list), "-j1", "--isolated",
            f"--select={select}", "--exit-zero", "--output-file", os.devnull]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"flake8 run failed: {proc.stderr[-2000:]}")
    _, seconds, rss = line[-1].split()
    return float(seconds), int(rss)


def compare_flake8(files: list[Path], runs: int, select: str = "E,W,F") -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(f) for f in files))
    listing = Path(handle.name)
    try:
        flake8_run("with", listing, select)  # warm the file cache
        with_t, without_t, with_m, without_m = [], [], [], []
        for i in range(runs):
            order = ("with", "without") if i % 2 == 0 else ("without", "with")
            for mode in order:
                seconds, rss = flake8_run(mode, listing, select)
                (with_t if mode == "with" else without_t).append(seconds)
                (with_m if mode == "with" else without_m).append(rss)
    finally:
        listing.unlink()
    ratios = [w / o for w, o in zip(with_t, without_t)]
    return {"with_s": statistics.median(with_t), "without_s": statistics.median(without_t),
            "time_ratio": statistics.median(ratios),
            "with_rss_mb": statistics.median(with_m) / 1024,
            "without_rss_mb": statistics.median(without_m) / 1024,
            "rss_ratio": statistics.median(with_m) / statistics.median(without_m)}


def compare_in_process(files: list[Path], runs: int) -> dict[str, float]:
    from flake8_execgov.config.options import DEFAULT_CONFIG
    from flake8_execgov.engine import analyse
    from flake8_execgov.plugin import ExecGovChecker
    from flake8_execgov.source.lines import source_lines

    sources = []
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
            ast.parse(text)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        sources.append((text, source_lines(text)))
    parse_t, plugin_t, walk_t = [], [], []
    for _ in range(runs):
        parse_total = plugin_total = walk_total = 0.0
        for text, lines in sources:
            start = time.perf_counter()
            tree = ast.parse(text)
            middle = time.perf_counter()
            for _finding in ExecGovChecker(tree, lines).run():
                pass
            after = time.perf_counter()
            analyse(tree, lines, DEFAULT_CONFIG, prefiltered=False)  # the walk alone
            walk_total += time.perf_counter() - after
            plugin_total += after - middle
            parse_total += middle - start
        parse_t.append(parse_total)
        plugin_t.append(plugin_total)
        walk_t.append(walk_total)
    return {"files": len(sources), "parse_s": statistics.median(parse_t),
            "plugin_s": statistics.median(plugin_t),
            "ratio": statistics.median(p / a for p, a in zip(plugin_t, parse_t)),
            "walk_ratio": statistics.median(w / a for w, a in zip(walk_t, parse_t))}


def compare_fixer(files: list[Path], runs: int, root: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        for path in files:
            target = corpus / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
        before = {p: p.read_bytes() for p in corpus.rglob("*.py")}
        fix_t, parse_t = [], []
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "flake8_execgov.cli", "fix", "--check",
                                   "--isolated", str(corpus)], capture_output=True, text=True)
            fix_t.append(time.perf_counter() - start)
            start = time.perf_counter()
            for path in before:
                try:
                    ast.parse(path.read_bytes())
                except (SyntaxError, ValueError):
                    pass
            parse_t.append(time.perf_counter() - start)
        changed = sum(1 for p, data in before.items() if p.read_bytes() != data)
    return {"fix_check_s": statistics.median(fix_t), "parse_s": statistics.median(parse_t),
            "ratio": statistics.median(f / p for f, p in zip(fix_t, parse_t)),
            "would_fix": proc.stdout.count("would fix"), "bytes_changed_files": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="a folder of .py files (default: stdlib)")
    parser.add_argument("--generated", action="store_true",
                        help="the generated plugin-server corpus (benchmarks/corpus.py)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.generated:
            sys.path.insert(0, str(Path(__file__).parent))
            from corpus import generate

            root = Path(tmp) / "server"
            files = sorted(generate(root))
        else:
            root = args.corpus or Path(sysconfig.get_paths()["stdlib"])
            files = sorted(args.corpus.rglob("*.py")) if args.corpus else stdlib_corpus()
        results = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "corpus_files": len(files),
            "flake8": compare_flake8(files, args.runs),
            "flake8_gov": compare_flake8(files, args.runs, "E,W,F,GOV"),
            "plugin_vs_parse": compare_in_process(files, args.runs),
            "fix_check_vs_parse": compare_fixer(files, max(3, args.runs // 2), root),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    f, g = results["flake8"], results["flake8_gov"]
    p, x = results["plugin_vs_parse"], results["fix_check_vs_parse"]
    print(f"machine: {results['machine']}; corpus: {len(files)} files; runs: {args.runs}")
    print(f"{'measure':<44}{'value':>12}{'target':>10}")
    rows = [
        ("flake8 -j1 E,W,F with / without (time)", f"{f['time_ratio']:.3f}", "<= 1.02"),
        ("  medians with / without (s)", f"{f['with_s']:.2f}/{f['without_s']:.2f}", ""),
        ("flake8 -j1 E,W,F,GOV with / E,W,F without", f"{g['time_ratio']:.3f}", "info"),
        ("  medians with / without (s)", f"{g['with_s']:.2f}/{g['without_s']:.2f}", ""),
        ("flake8 peak memory with / without", f"{f['rss_ratio']:.3f}", "<= 1.10"),
        ("plugin time / ast.parse time (in-process)", f"{p['ratio']:.3f}", "<= 0.60"),
        ("  walk forced on every file / ast.parse", f"{p['walk_ratio']:.3f}", "info"),
        ("execgov fix --check / ast.parse (corpus)", f"{x['ratio']:.2f}", "<= 2.50"),
        ("  files execgov would change", f"{x['would_fix']}", "0"),
    ]
    for name, value, target in rows:
        print(f"{name:<44}{value:>12}{target:>10}")


if __name__ == "__main__":
    main()
