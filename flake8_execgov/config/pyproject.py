"""``[tool.flake8]`` in ``pyproject.toml``, read without the Flake8-pyproject loader.

flake8 reads ``setup.cfg``, ``tox.ini`` and ``.flake8`` only. Projects that keep their
configuration in ``pyproject.toml`` install Flake8-pyproject, which hooks into flake8's
configuration parsing: when the current directory holds a ``pyproject.toml`` with a
``[tool.flake8]`` table, that table replaces whatever configuration flake8 found or was
given (``--config`` and ``--append-config`` included), and the project's folder is the
configuration's folder. The ``execgov`` commands make the same choice themselves, so
they read the same settings whether or not the loader is installed (the gate never
loads other plugins, the loader included). One departure: under ``--isolated`` nothing is
read, as flake8 promises (the loader would still read the table).

A ``pyproject.toml`` that is not valid TOML is a :class:`ConfigError` naming the file and
the position, never a traceback.
"""

from __future__ import annotations

import configparser
import os
import sys
from typing import Any, Optional, Sequence

from .options import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

PYPROJECT = "pyproject.toml"


def table_in(directory: str) -> Optional[dict[str, Any]]:
    """The ``[tool.flake8]`` table of ``directory``'s ``pyproject.toml``, if it has one.

    The file is parsed whenever it exists, as the loader parses it: a broken
    ``pyproject.toml`` is reported in one line whether or not it configures flake8."""
    path = os.path.join(directory, PYPROJECT)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {_reason(exc)}") from None
    tool = document.get("tool")
    table = tool.get("flake8") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _reason(exc: Exception) -> str:
    """tomllib's message names the position as ``(at line 3, column 9)``: keep it whole,
    first line only."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def as_parser(table: dict[str, Any]) -> configparser.RawConfigParser:
    """The table as flake8's parser holds a ``[flake8]`` section: strings. Numbers and
    booleans are written as text (as the loader does); a TOML array is joined with commas
    (the loader would hand flake8 a list it cannot read)."""
    parser = configparser.RawConfigParser()
    parser.add_section("flake8")
    for key, value in table.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            text = ", ".join(str(item) for item in value)
        else:
            text = str(value)
        parser.set("flake8", str(key), text)
    return parser


def load_config(config: Optional[str], extra: Sequence[str], *,
                isolated: bool = False) -> tuple[configparser.RawConfigParser, str]:
    """flake8's ``load_config``, with ``./pyproject.toml``'s ``[tool.flake8]`` chosen as the
    loader chooses it (see the module)."""
    if not isolated:
        here = os.path.abspath(".")
        table = table_in(here)
        if table is not None:
            return as_parser(table), here
    from flake8.options.config import load_config as flake8_load_config

    if flake8_load_config is load_config:  # the gate has put this one in its place
        flake8_load_config = _FLAKE8[0]
    loaded: tuple[configparser.RawConfigParser, str] = flake8_load_config(
        config, list(extra), isolated=isolated)
    return loaded


def reads_pyproject(isolated: bool) -> bool:
    """Does a command run here read ``[tool.flake8]`` from ``./pyproject.toml``?"""
    return not isolated and table_in(os.path.abspath(".")) is not None


def _flake8_own() -> list[Any]:
    from flake8.options.config import load_config as flake8_load_config

    return [flake8_load_config]


_FLAKE8 = _flake8_own()  # flake8's own, taken before the gate replaces it
