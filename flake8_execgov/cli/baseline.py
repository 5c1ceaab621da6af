"""``execgov baseline``: record today's findings, list the stale ones, or drop them.

The findings are what the configuration reports (flake8's file discovery, selection and
``per-file-ignores``; ``# noqa`` lines are recorded too, so that removing a comment does
not turn an old finding into a new one), computed like the plugin computes them: in the
project flake8 places the files in (the same root and cache), so that what is recorded is
what ``execgov check`` reports, across modules too.

A run covers the paths it is given (default ``.``, the current folder) and nothing else:
recording replaces the entries under those paths and keeps every other entry, so
``execgov baseline app/service.py`` (or ``cd app && execgov baseline``) never shrinks the
rest of the project's baseline. ``--check`` and ``--update`` judge the entries under those
paths, including those of files that no longer exist or are no longer linted (stale: they
would silence a file that comes back under the same name). The entries of a file that
cannot be read or parsed are left as they are (the run says so and exits 1).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..baseline import Baseline
from ..baseline.document import write_baseline, written_path
from ..baseline.fingerprint import (Fingerprint, context_of, covers, fingerprints,
                                    relative_path, stale)
from ..engine import analyse
from ..source.files import Decoded, SourceError, read_source
from ..source.lines import source_lines
from ..settings import Settings, UsageError


class _Found:
    """What a run finds under its paths: fingerprints with counts and contexts, which
    files it examined, which it could not."""

    def __init__(self) -> None:
        self.counts: Counter[Fingerprint] = Counter()
        self.contexts: dict[Fingerprint, list[str]] = {}
        self.examined: set[str] = set()
        self.failed: set[str] = set()


def run_baseline(args: argparse.Namespace, out: TextIO) -> int:
    settings = Settings(args, apply_baseline=False)
    path = Path(args.file) if args.file else written_path(settings.config.baseline)
    root = path.resolve().parent
    for given in args.paths:
        if not os.path.exists(given):
            raise UsageError(f"no such file or directory: {given}")
    scopes = [relative_path(given, root) for given in args.paths]
    found = _scan(settings, args.paths, root)

    def ours(key: Fingerprint) -> bool:
        """Under the run's paths, and not in a file it could not read (those stay)."""
        return key.path not in found.failed and any(covers(scope, key.path) for scope in scopes)

    failed = 1 if found.failed else 0
    if not args.check and not args.update:
        previous = Baseline.load(path) if path.exists() else None
        kept = Counter({key: count for key, count in previous.counts.items()
                        if not ours(key)}) if previous is not None else Counter()
        contexts = dict(found.contexts)
        contexts.update({key: previous.contexts.get(key, []) for key in kept} if previous
                        else {})
        recorded = Baseline(path, found.counts + kept, contexts)
        write_baseline(path, recorded.dumps())
        summary = f"{path}: {len(recorded.counts)} entries, {sum(recorded.counts.values())} " \
                  "findings"
        if kept:
            summary += (f" ({len(found.counts)} from {', '.join(scopes)}, "
                        f"{len(kept)} kept from other paths)")
        out.write(summary + "\n")
        return failed
    recorded = Baseline.load(path)
    mine = Counter({key: count for key, count in recorded.counts.items() if ours(key)})
    why = {key.path: ("no such file" if not (root / key.path).exists()
                      else "the file is not checked (excluded, or not a Python file)")
           for key in mine if key.path not in found.examined}
    lines = stale(mine, found.counts, why)
    if args.check:
        out.writelines(f"stale: {line}\n" for line in lines)
        return 1 if lines or failed else 0
    for key in mine:  # --update: shrink to what is found (and where); never add
        now = found.counts.get(key, 0)
        if now <= recorded.counts[key]:
            recorded.counts[key] = now
            recorded.contexts[key] = found.contexts.get(key, [])
    text = recorded.dumps()
    if read_source(str(path)) != text.encode("utf-8"):
        write_baseline(path, text)
    out.writelines(f"removed: {line}\n" for line in lines)
    return failed


def _scan(settings: Settings, paths: list[str], root: Path) -> _Found:
    found = _Found()
    for filename in settings.files(paths):
        rel = relative_path(filename, root)
        try:
            text = Decoded.from_bytes(read_source(filename)).text
            tree = ast.parse(text)
        except (SourceError, OSError, SyntaxError, ValueError, RecursionError,
                MemoryError) as exc:
            sys.stderr.write(f"{filename}: skipped: {exc}\n")
            found.failed.add(rel)
            continue
        found.examined.add(rel)
        selected = settings.selected(filename)
        lines = source_lines(text)
        kept = [f for f in analyse(tree, lines, settings.config, filename=filename,
                                   project=settings.project_for(filename)) if selected(f)]
        for finding, key in zip(kept, fingerprints(tree, kept, rel)):
            found.counts[key] += 1
            found.contexts.setdefault(key, []).append(context_of(lines, finding.line))
    return found
