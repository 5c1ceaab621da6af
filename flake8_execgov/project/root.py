"""Where the project is, and its one :class:`Project` per process.

The root is found as flake8 finds its configuration: the folder of ``--config``, else of
the ``setup.cfg``/``tox.ini``/``.flake8`` flake8 discovers from the current directory
(none under ``--isolated``), else the current directory; ``execgov-project-root`` sets it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..config.options import Config
from .cache import SummaryCache
from .index import Project

CACHE_DIR = ".execgov_cache"
_PROJECTS: dict[tuple[str, str, str], Project] = {}


def project_root(config: Config, options: Any = None) -> Path:
    if config.project_root:
        return Path(config.project_root).resolve()
    given = getattr(options, "config", None)
    if given:
        return Path(given).resolve().parent
    if not getattr(options, "isolated", False):
        try:
            from flake8.options.config import _find_config_file
            found = _find_config_file(".")
        except (ImportError, OSError):  # pragma: no cover - not flake8 7
            found = None
        if found:
            return Path(found).resolve().parent
    return Path(os.getcwd()).resolve()


def open_project(config: Config, root: Path, use_cache: bool = True) -> Project:
    """The project at ``root`` under ``config`` (one per process: memoised)."""
    cached = use_cache and config.cache
    directory = Path(config.cache_dir).resolve() if config.cache_dir else root / CACHE_DIR
    key = (str(root), config.fingerprint, str(directory) if cached else "")
    project = _PROJECTS.get(key)
    if project is None:
        project = _PROJECTS[key] = Project(root, config,
                                           SummaryCache(directory) if cached else None)
    return project
