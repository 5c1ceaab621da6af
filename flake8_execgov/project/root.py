"""Where the project is, and its one :class:`Project` per process.

The root is found as flake8 finds its configuration: the folder of ``--config``, else of
the ``setup.cfg``/``tox.ini``/``.flake8`` flake8 discovers from the current directory
(none under ``--isolated``), else the current directory; ``execgov-project-root`` sets it.
"""

from __future__ import annotations

import fnmatch
import os
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Sequence

from ..config.options import Config
from .cache import SummaryCache, fingerprint
from .index import Project

CACHE_DIR = ".execgov_cache"
_PROJECTS: dict[tuple[str, str, str, tuple[str, ...]], Project] = {}


def _text(config: Config, name: str) -> str:
    value = config.raw.get(name, "")
    return " ".join(value) if isinstance(value, tuple) else str(value)


def cache_enabled(config: Config) -> bool:
    """``execgov-cache`` (validated by :mod:`config.options`: true or false)."""
    return config.raw.get("cache", True) is not False


def project_root(config: Config, options: Any = None) -> Path:
    given_root = _text(config, "project-root")
    if given_root:
        return Path(os.path.abspath(given_root))
    given = getattr(options, "config", None)
    if given:
        return Path(os.path.abspath(given)).parent
    if not getattr(options, "isolated", False):
        try:
            from flake8.options.config import _find_config_file
            found = _find_config_file(".")
        except (ImportError, OSError):  # pragma: no cover - not flake8 7
            found = None
        if found:
            return Path(os.path.abspath(found)).parent
    return Path(os.getcwd())


def open_project(config: Config, root: Path, use_cache: bool = True,
                 exclude: Sequence[str] = ()) -> Project:
    """The project at ``root`` under ``config`` (one per process: memoised). ``exclude``:
    flake8's ``exclude`` and ``extend-exclude`` patterns (files nobody lints)."""
    cached = use_cache and cache_enabled(config)
    given = _text(config, "cache-dir")
    directory = Path(os.path.abspath(given)) if given else root / CACHE_DIR
    key = (str(root), fingerprint(config), str(directory) if cached else "", tuple(exclude))
    for opened in _PROJECTS.values():  # a new run in a long-lived process (tests, editors)
        if opened.cache is not None:
            opened.cache.flush()
    project = _PROJECTS.get(key)
    if project is None:
        project = _PROJECTS[key] = Project(root, config,
                                           SummaryCache(directory) if cached else None)
        if exclude:
            project.unlinted = lru_cache(maxsize=None)(
                partial(_excluded, tuple(exclude), Path(os.path.abspath(root))))
    return project


def _excluded(patterns: tuple[str, ...], root: Path, path: Path) -> bool:
    """Would flake8 leave this file out? As its file discovery decides: the file or a
    folder above it (below the root) matches a pattern by name or by absolute path."""
    place = path
    while place != root and root in place.parents:
        if any(fnmatch.fnmatch(place.name, p) or fnmatch.fnmatch(str(place), p)
               for p in patterns):
            return True
        place = place.parent
    return False


def refresh_projects() -> None:
    """Every project this process opened forgets what it read (see :meth:`Project.refresh`)."""
    for project in _PROJECTS.values():
        project.refresh()
