"""The project's Python files, found once per process by walking its root."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .modules import MARKERS

_SKIPPED_DIRS = frozenset(("__pycache__", "node_modules", "site-packages", "build", "dist",
                           "venv", "env"))
# A root that is no project (flake8 run from a home folder): its walk stops here, and the
# project-wide answers (routers included elsewhere, derived classes) are what it saw.
MAX_FILES = 20_000


def python_files(root: Path, cache: Optional[Path]) -> tuple[list[Path], list[Path]]:
    """The ``.py`` files below ``root``, in a stable order, leaving out hidden folders,
    virtual environments, build output and the cache folder ``cache``; symlinked folders
    are not followed (nor resolved: a planted loop is just a link). And the source roots
    seen on the way (:mod:`.modules`): folders named ``src`` or holding a distribution's
    marker file."""
    skipped = os.path.abspath(cache) if cache is not None else None
    found: list[Path] = []
    roots: list[Path] = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS
                         and os.path.join(top, d) != skipped)
        if os.path.basename(top) == "src" or any(m in names for m in MARKERS):
            roots.append(Path(top))
        found += [Path(top, n) for n in sorted(names) if n.endswith(".py")]
        if len(found) > MAX_FILES:
            break
    return found[:MAX_FILES], roots
