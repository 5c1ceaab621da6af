"""The project's Python files, found once per process by walking its root."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

_SKIPPED_DIRS = frozenset(("__pycache__", "node_modules", "site-packages", "build", "dist",
                           "venv", "env"))
# A root that is no project (flake8 run from a home folder): its walk stops here, and the
# project-wide answers (routers included elsewhere, derived classes) are what it saw.
MAX_FILES = 20_000


def python_files(root: Path, cache: Optional[Path]) -> list[Path]:
    """The ``.py`` files below ``root``, in a stable order, leaving out hidden folders,
    virtual environments, build output and the cache folder ``cache``; symlinked folders
    are not followed."""
    cache = cache.resolve() if cache is not None else None
    found: list[Path] = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS
                         and not (cache and d == cache.name and Path(top, d).resolve() == cache))
        found += [Path(top, n) for n in sorted(names) if n.endswith(".py")]
        if len(found) > MAX_FILES:
            break
    return found[:MAX_FILES]
