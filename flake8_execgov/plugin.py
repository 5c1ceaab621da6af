"""The flake8 entry point: options in, findings out, never an exception."""

from __future__ import annotations

import argparse
import ast
import re
import sys
from typing import Any, ClassVar, Iterator, Sequence

from . import __version__
from .model import Finding
from .options import (DEFAULT_CONFIG, OPTIONS, Config, ConfigError, build_config,
                      unknown_key_message, unknown_keys)
from .rules import analyze

# Route decorators (GOV201/202) need ``@<router>.get(`` & co. on the decorator's line.
_ROUTE_DECORATOR = re.compile(
    r"^[ \t]*@[^\n]*\.[ \t]*(?:get|post|put|patch|delete|head|options|api_route|websocket)"
    r"[ \t]*\(", re.MULTILINE)


def prefilter(config: Config) -> "re.Pattern[str] | None":
    """A regex any file with a possible finding must match, or None when none can be built.

    Every finding needs one of the configured names in the source text (a plugin name,
    collection, getter or type; the metrics function; a lifecycle enum; a tool-name key)
    or a route decorator, so files with none of them skip the walk entirely: flake8
    runs every plugin on every file, and most files have nothing to do with plugins.
    """
    literals: list[str] = []
    for matcher in (config.plugin_names, config.plugin_collections, config.plugin_getters,
                    config.plugin_types, config.metrics_functions, config.lifecycle_enums):
        if any(not lit for lit in matcher.literals):
            return None  # a pattern like "*" can match any identifier
        literals += matcher.literals
    literals += sorted(config.tool_name_args)
    alternatives = [re.escape(lit) for lit in sorted(set(literals), key=len, reverse=True)]
    alternatives.append(_ROUTE_DECORATOR.pattern)
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.MULTILINE)


def findings_for(tree: ast.AST, lines: Sequence[str], config: Config,
                 pattern: "re.Pattern[str] | None") -> list[Finding]:
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
    pattern: ClassVar["re.Pattern[str] | None"] = prefilter(DEFAULT_CONFIG)

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
    """flake8 silently ignores unregistered keys: a misspelled ``execgov-`` key is an error."""
    from flake8.options import config as flake8_config

    if getattr(options, "isolated", False):
        return
    try:
        cfg, _ = flake8_config.load_config(
            getattr(options, "config", None), list(getattr(options, "append_config", []) or []),
            isolated=False)
    except Exception:  # flake8 itself reports unreadable config files
        return
    bad = unknown_keys(cfg)
    if bad:
        raise ConfigError(unknown_key_message(bad[0], "[flake8]"))
