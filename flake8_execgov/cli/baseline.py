"""``execgov baseline``: record today's findings, list the stale ones, or drop them.

The findings are what the configuration reports (flake8's file discovery, selection and
``per-file-ignores``; ``# noqa`` lines are recorded too, so that removing a comment does
not turn an old finding into a new one), computed like the plugin computes them.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..baseline import (Baseline, Fingerprint, fingerprints, relative_path, stale,
                        write_baseline, written_path)
from ..source.files import Decoded, SourceError, read_source
from ..engine import analyse
from .settings import Settings
from ..source.lines import source_lines


def run_baseline(args: argparse.Namespace, out: TextIO) -> int:
    settings = Settings(args, apply_baseline=False)
    path = Path(args.file) if args.file else written_path(settings.config.baseline)
    root = path.resolve().parent
    found: Counter[Fingerprint] = Counter()
    examined: set[str] = set()
    failed = 0
    for filename in settings.files(args.paths):
        rel = relative_path(filename, root)
        try:
            text = Decoded.from_bytes(read_source(filename)).text
            tree = ast.parse(text)
        except (SourceError, OSError, SyntaxError, ValueError, RecursionError,
                MemoryError) as exc:
            sys.stderr.write(f"{filename}: skipped: {exc}\n")
            failed += 1
            continue
        examined.add(rel)
        selected = settings.selected(filename)
        kept = [f for f in analyse(tree, source_lines(text), settings.config) if selected(f)]
        found.update(fingerprints(tree, kept, rel))
    if not args.check and not args.update:
        write_baseline(path, Baseline(path, found).dumps())
        out.write(f"{path}: {len(found)} entries, {sum(found.values())} findings\n")
        return 1 if failed else 0
    recorded = Baseline.load(path)
    mine = Counter({k: n for k, n in recorded.counts.items() if k.path in examined})
    lines = stale(mine, found)
    if args.check:
        out.writelines(f"stale: {line}\n" for line in lines)
        return 1 if lines or failed else 0
    for key in mine:  # --update: shrink to what is found; never add
        recorded.counts[key] = min(recorded.counts[key], found.get(key, 0))
    write_baseline(path, recorded.dumps())
    out.writelines(f"removed: {line}\n" for line in lines)
    return 1 if failed else 0
