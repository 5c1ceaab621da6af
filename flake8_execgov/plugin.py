"""The flake8 entry point: options in, findings out, never an exception."""

from __future__ import annotations

import argparse
import ast
import configparser
import re
import sys
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator, Optional, Sequence

from . import __version__
from .model import Finding
from .options import (DEFAULT_CONFIG, OPTIONS, Config, ConfigError, build_config,
                      unknown_key_message, unknown_keys)
from .rules import analyze

# A line with a route decorator (GOV201/202): ``@<router>.get(`` and friends. Unanchored,
# so it matches a superset of decorator lines (more walks, never a miss).
_ROUTE_DECORATOR = re.compile(
    r"@[^\n]*\.[ \t]*(?:get|post|put|patch|delete|head|options|api_route|websocket)[ \t]*\(")


class Prefilter:
    """Text any file with a possible finding must contain.

    Every finding needs one of the configured names in the source text (a plugin name,
    collection, getter or type; the metrics function; a lifecycle enum; a tool-name key;
    an import alias names its original) or a route decorator, so files with none of them
    skip the walk entirely: flake8 runs every plugin on every file, whatever ``--select``
    says, and most files have nothing to do with plugins.
    """

    def __init__(self, literals: Iterable[str]) -> None:
        kept: list[str] = []
        for literal in sorted(set(literals), key=lambda text: (len(text), text)):
            if not any(shorter in literal for shorter in kept):
                kept.append(literal)  # "plugin" already covers "_plugins", "get_plugin"
        self.literals = tuple(kept)

    def search(self, text: str) -> bool:
        return any(literal in text for literal in self.literals) or \
            ("@" in text and _ROUTE_DECORATOR.search(text) is not None)


def prefilter(config: Config) -> Optional[Prefilter]:
    """The prefilter for ``config``; None when a pattern (like ``*``) has no literal part."""
    literals: list[str] = list(config.tool_name_args)
    for matcher in (config.plugin_names, config.plugin_collections, config.plugin_getters,
                    config.plugin_types, config.metrics_functions, config.lifecycle_enums):
        if any(not literal for literal in matcher.literals):
            return None
        literals += matcher.literals
    return Prefilter(literals)


def findings_for(tree: ast.AST, lines: Sequence[str], config: Config,
                 pattern: Optional[Prefilter]) -> list[Finding]:
    """Findings of one module, or none at once when the prefilter rules it out."""
    if pattern is not None and not pattern.search("".join(lines)):
        return []
    return analyze(tree, config)


def char_col(lines: Sequence[str], line: int, col: int) -> int:
    """``ast`` columns count UTF-8 bytes; flake8 shows characters."""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        if not text.isascii():
            return len(text.encode("utf-8")[:col].decode("utf-8", "replace"))
    return col


class ExecGovChecker:
    """flake8 plugin enforcing execution governance (codes GOV001-GOV202)."""

    name = "flake8-execgov"
    version = __version__
    config: ClassVar[Config] = DEFAULT_CONFIG
    pattern: ClassVar[Optional[Prefilter]] = prefilter(DEFAULT_CONFIG)

    def __init__(self, tree: ast.AST, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for spec in OPTIONS:
            manager.add_option(
                f"--{spec.key}", default=spec.default, parse_from_config=True,
                help=f"{spec.help} (default: {spec.default or 'none'!s})".replace("%", "%%"))

    @classmethod
    def parse_options(cls, manager: Any, options: argparse.Namespace,
                      args: Sequence[str] = ()) -> None:
        try:
            _check_config_keys(options)
            cls.config = build_config({spec.key: getattr(options, spec.attr, None)
                                       for spec in OPTIONS})
        except ConfigError as exc:
            sys.stderr.write(f"flake8: error: {exc}\n")
            raise SystemExit(2) from None
        cls.pattern = prefilter(cls.config)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        for found in findings_for(self.tree, self.lines, self.config, self.pattern):
            yield found.line, char_col(self.lines, found.line, found.col), found.message, type(self)


def _check_config_keys(options: argparse.Namespace) -> None:
    """flake8 silently ignores unregistered keys: a misspelled ``execgov-`` key is an error.

    The keys are read again from the files flake8 used (a few small files once per run,
    never a source file), and from ``[tool.flake8]`` when a pyproject loader such as
    Flake8-pyproject has replaced flake8's config parsing.
    """
    from flake8.options import config as flake8_config

    if getattr(options, "isolated", False):
        return
    try:
        cfg, _ = flake8_config.load_config(
            getattr(options, "config", None), list(getattr(options, "append_config", []) or []),
            isolated=False)
    except Exception:  # flake8 itself reports unreadable config files
        return
    sources = [("[flake8]", unknown_keys(cfg))]
    if flake8_config.parse_config.__module__ != flake8_config.__name__:
        toml = Path(getattr(options, "toml_config", None) or "pyproject.toml")
        sources.append((f"[tool.flake8] of {toml.name}", _pyproject_keys(toml)))
    for where, bad in sources:
        if bad:
            raise ConfigError(unknown_key_message(bad[0], where))


def _pyproject_keys(path: Path) -> list[str]:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # Python < 3.11: the loader brings tomli
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            return []
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("tool", {}).get("flake8", {})
    except (OSError, ValueError):
        return []
    cfg = configparser.RawConfigParser()
    cfg.add_section("flake8")
    for key in section:
        cfg.set("flake8", key, "")
    return unknown_keys(cfg)
