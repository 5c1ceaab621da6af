"""Which configuration files flake8 read, and which of them set an option.

flake8 merges its files (the one it found or ``--config``, then each ``--append-config``)
and the command line into one namespace and forgets where a value came from. A user with
a wrong value needs the file and the option, so an error names them: found again here,
the way flake8 finds them, only when something is wrong (and for ``check-config``).
"""

from __future__ import annotations

import argparse
import configparser
import os
import sys
from typing import Iterable, NoReturn, Optional, Sequence


def config_files(argv: Optional[Sequence[str]] = None) -> list[str]:
    """The files flake8 reads for the command line ``argv`` (default: this process's), in
    the order it reads them (later wins). flake8 keeps ``--config``, ``--append-config``
    and ``--isolated`` out of its options, so they are read from ``argv`` with flake8's
    own first-stage parser (``execgov``'s commands spell them alike)."""
    first_stage = stage_one(sys.argv[1:] if argv is None else argv)
    if first_stage.isolated:
        return []
    from flake8.options import config

    if _reads_pyproject():  # [tool.flake8] replaces the others, as Flake8-pyproject does
        return ["pyproject.toml"]
    first = first_stage.config or config._find_config_file(os.path.abspath("."))
    return [shown(path) for path in (first, *(first_stage.append_config or ())) if path]


def stage_one(argv: Sequence[str]) -> argparse.Namespace:
    """``--config``, ``--append-config`` and ``--isolated`` of ``argv``, as flake8 reads
    them first (anything else is left alone)."""
    from flake8.main import options

    parser = options.stage1_arg_parser()

    def refuse(message: str) -> NoReturn:  # quietly: this is a second reading
        raise ValueError(message)

    parser.error = refuse
    try:
        parsed: argparse.Namespace = parser.parse_known_args(list(argv))[0]
        return parsed
    except ValueError:  # not flake8's command line after all: flake8's discovery alone
        return argparse.Namespace(config=None, append_config=[], isolated=False)


def _reads_pyproject() -> bool:
    """Is ``[tool.flake8]`` of ``./pyproject.toml`` what the commands read (with or without
    the loader: :mod:`.pyproject`)? A broken file was reported when it was read."""
    from .options import ConfigError
    from .pyproject import reads_pyproject

    try:
        return reads_pyproject(isolated=False)
    except ConfigError:
        return False


def shown(path: str) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return path if relative.startswith("..") else relative


def source_of(keys: Iterable[str], files: Sequence[str], from_config: bool) -> str:
    """Where one of ``keys`` (``execgov-...``) was set: the last file whose ``[flake8]``
    section sets it, else the files read (a loader flake8 does not know, such as a TOML
    one), or ``the command line``."""
    wanted = {spelling for key in keys for spelling in (key, key.replace("-", "_"))}
    if from_config:
        for path in reversed(files):
            if _sets(path, wanted):
                return path
        if files:
            return ", ".join(files)
    return "the command line"


def _sets(path: str, keys: set[str]) -> bool:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):  # flake8 read it; a loader did not
        return False
    return parser.has_section("flake8") and any(parser.has_option("flake8", key)
                                                for key in keys)


def described(argv: Sequence[str]) -> str:
    """What ``check-config`` says it read."""
    if stage_one(argv).isolated:
        return "none (--isolated)"
    files = config_files(argv)
    return ", ".join(files) if files else "none found (the defaults apply)"


def first_set(keys: Iterable[str], looked_up: Optional[Iterable[str]]) -> bool:
    """Did flake8 take one of ``keys`` from a configuration file?"""
    seen = {key.replace("_", "-") for key in looked_up or ()}
    return any(key in seen for key in keys)
