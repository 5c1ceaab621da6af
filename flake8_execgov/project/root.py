"""Where the project is, where its cache is, and the :class:`Project` of a run.

The root is found as flake8 finds its configuration: the folder of ``--config``, else of
the ``setup.cfg``/``tox.ini``/``.flake8`` flake8 discovers from the current directory
(none under ``--isolated``), else the nearest folder at or above the current directory
holding ``.git``, ``.hg``, ``pyproject.toml``, ``setup.py`` or ``setup.cfg`` (as black
finds a project's root), else the current directory; ``execgov-project-root`` sets it.
The root bounds what the project model reads; module names do not depend on it
(:mod:`.modules`).

The cache is ``.execgov_cache`` in the root, ``execgov-cache-dir``, or the environment's
``EXECGOV_CACHE_DIR``; ``EXECGOV_NO_CACHE=1`` or ``execgov-cache = false`` turns it off. It
is used only as a real folder, with this user's key (:mod:`.seal`): otherwise the run is
cold, and says why on one line.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from ..config.options import Config
from ..config.prefilter import Prefilter
from .cache import SummaryCache
from .index import Project
from .modules import MARKERS
from .seal import folder_problem, load_seal

CACHE_DIR = ".execgov_cache"
_ROOT_MARKERS = (".git", ".hg", *MARKERS)


def _text(config: Config, name: str) -> str:
    value = config.raw.get(name, "")
    return " ".join(value) if isinstance(value, tuple) else str(value)


def cache_enabled(config: Config) -> bool:
    """``execgov-cache`` (validated by :mod:`config.options`: true or false), unless the
    environment says ``EXECGOV_NO_CACHE``."""
    if os.environ.get("EXECGOV_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    return config.raw.get("cache", True) is not False


def cache_dir(config: Config, root: Path) -> Path:
    given = os.environ.get("EXECGOV_CACHE_DIR") or _text(config, "cache-dir")
    return Path(os.path.abspath(given)) if given else root / CACHE_DIR


def open_cache(directory: Path) -> tuple[Optional[SummaryCache], str]:
    """The cache in ``directory``, or None and why (a link, a file, a device, no key)."""
    problem = folder_problem(directory)
    seal, why = (None, problem) if problem else load_seal()
    if seal is None:
        return None, f"flake8-execgov: running without the cache: {why}"
    return SummaryCache(directory, seal), ""


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
            found = _find_config_file(os.path.abspath("."))  # as flake8 asks it
        except (ImportError, OSError):  # pragma: no cover - not flake8 7
            found = None
        if found:
            return Path(os.path.abspath(found)).parent
    here = Path(os.getcwd())
    for folder in (here, *here.parents):  # as black finds a project's root
        if any(os.path.lexists(folder / marker) for marker in _ROOT_MARKERS):
            return folder
    return here


def open_project(config: Config, root: Path, use_cache: bool = True,
                 exclude: Sequence[str] = (), prefilter: Optional[Prefilter] = None) -> Project:
    """The project at ``root`` under ``config``, for one run (its owner builds it once and
    passes it on). ``exclude``: flake8's ``exclude`` and ``extend-exclude`` patterns (files
    nobody lints); ``prefilter``: the run's."""
    cache, why = open_cache(cache_dir(config, root)) \
        if use_cache and cache_enabled(config) else (None, "")
    if why:
        sys.stderr.write(why + "\n")
    unlinted: Callable[[Path], bool] = lambda path: False
    if exclude:
        unlinted = lru_cache(maxsize=None)(
            partial(_excluded, tuple(exclude), Path(os.path.abspath(root))))
    return Project(root, config, cache, source_roots(config, root), unlinted, prefilter,
                   tuple(exclude))


def source_roots(config: Config, root: Path) -> tuple[Path, ...]:
    """``execgov-source-roots``: relative ones from the root (the config file's folder)."""
    given = config.raw.get("source-roots")
    folders = given if isinstance(given, tuple) else ()
    return tuple(Path(os.path.abspath(os.path.join(root, str(p)))) for p in folders)


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
