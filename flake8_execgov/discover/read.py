"""Reading a host for ``execgov init`` and ``execgov map``: its modules, parsed once each.

The files are the project model's own (:func:`project.files.python_files`: hidden folders,
virtual environments and build output left out). A module that does not parse is skipped
with one line naming it; a long read reports its progress on stderr after two seconds, so
that a monorepo does not look hung.
"""

from __future__ import annotations

import ast
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, TextIO

from ..project.files import python_files
from ..source.files import Decoded, SourceError, read_source
from ..source.lines import source_lines
from .scan import ModuleFacts, scan

PROGRESS_AFTER = 2.0  # seconds: the first progress line, then one a second
_TEST_PARTS = frozenset(("tests", "test", "testing", "examples", "example", "docs"))


class NotAProject(Exception):
    """The path is no folder of Python modules: one line for the user."""


@dataclass
class Module:
    path: str  # relative to the root, with ``/``
    tree: ast.Module
    lines: list[str]
    test: bool


@dataclass
class Host:
    root: Path
    modules: list[Module] = field(default_factory=list)
    facts: list[ModuleFacts] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def is_test(path: str) -> bool:
    """A test or example module: it drives plugins on purpose (``per-file-ignores``)."""
    parts = path.split("/")
    name = parts[-1]
    return bool(_TEST_PARTS.intersection(parts[:-1])) or name.startswith("test_") \
        or name.endswith("_test.py") or name == "conftest.py"


def read_host(root: str, progress: Optional[TextIO] = None) -> Host:
    """Every module of the project at ``root``, parsed, with its facts."""
    folder = Path(root)
    if not folder.is_dir():
        raise NotAProject(f"{root}: not a directory (give the folder of a project)")
    files = python_files(folder.resolve(), None)
    if not files:
        raise NotAProject(f"{root}: no Python modules here, not a project")
    host = Host(folder.resolve())
    started = last = time.monotonic()
    for index, path in enumerate(files):
        now = time.monotonic()
        if progress is not None and now - started >= PROGRESS_AFTER and now - last >= 1.0:
            progress.write(f"execgov: {index} of {len(files)} modules read\n")
            progress.flush()
            last = now
        rel = Path(os.path.relpath(path, host.root)).as_posix()
        module = _parse(path, rel, host.skipped)
        if module is not None:
            host.modules.append(module)
            host.facts.append(scan(module.tree, rel, module.test))
    return host


def _parse(path: Path, rel: str, skipped: list[str]) -> Optional[Module]:
    try:
        text = Decoded.from_bytes(read_source(str(path))).text
        with warnings.catch_warnings():  # invalid escapes and the like: not ours to say
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=rel)
    except SyntaxError as exc:
        skipped.append(f"{rel}:{exc.lineno or 0}: skipped, not valid Python ({exc.msg})")
        return None
    except (OSError, ValueError, SourceError, RecursionError, MemoryError) as exc:
        skipped.append(f"{rel}: skipped, unreadable ({type(exc).__name__})")
        return None
    return Module(rel, tree, source_lines(text), is_test(rel))
