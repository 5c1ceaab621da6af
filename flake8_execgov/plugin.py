"""The flake8 entry point: options in, findings out, never an exception."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import Any, ClassVar, Dict, Iterator, Optional, Sequence

from . import __version__
from .model import Finding
from .options import (DEFAULT_CONFIG, OPTIONS, Config, ConfigError, build_config,
                      unknown_key_message, unknown_keys)
from .baseline import Baseline, BaselineError
from .rules import RULES_BY_CODE, analyze
from .text import LineIndex, char_col, source_lines


CODES = frozenset(RULES_BY_CODE)


def findings_for(tree: ast.AST, lines: Sequence[str], config: Config,
                 prefiltered: bool = True) -> list[Finding]:
    """Findings of one module, or none at once when the config's prefilter rules it out."""
    if not prefiltered:
        return analyze(tree, config)
    text = "".join(lines)
    if config.prefilter is not None and not config.prefilter.search(text):
        return []
    # flake8 splits stdin at "\n" only: with a lone "\r" its lines are not Python's lines,
    # and the per-definition prefilter (which reads lines by line number) stands down.
    aligned = "\r" not in text or source_lines(text) == list(lines)
    return analyze(tree, config, LineIndex(lines, text) if aligned else None)


class ExecGovChecker:
    """flake8 plugin enforcing execution governance (codes GOV001-GOV202)."""

    name = "flake8-execgov"
    version = __version__
    config: ClassVar[Config] = DEFAULT_CONFIG
    # The codes flake8 can report with these options (``--select=E,W,F`` reports none):
    # yielding the others only costs flake8 work (a noqa lookup per result) it throws away.
    selected: ClassVar[frozenset[str]] = CODES
    baseline: ClassVar[Optional[Baseline]] = None  # findings accepted when adopting the rules
    apply_baseline: ClassVar[bool] = True  # ``execgov baseline`` itself sees every finding
    program: ClassVar[str] = "flake8"  # who reports configuration errors (``execgov``)

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        _record_config_keys(manager)
        for spec in OPTIONS:
            manager.add_option(
                f"--{spec.key}", default=spec.default, parse_from_config=True,
                normalize_paths=spec.kind == "path",
                help=f"{spec.help} (default: {spec.default or 'none'!s})".replace("%", "%%"))

    @classmethod
    def parse_options(cls, manager: Any, options: argparse.Namespace,
                      args: Sequence[str] = ()) -> None:
        try:
            _check_config_keys(manager)
            cls.config = build_config({spec.key: getattr(options, spec.attr, None)
                                       for spec in OPTIONS})
            cls.selected = _selected_codes(options)
            cls.baseline = _load_baseline(cls.config) if cls.apply_baseline else None
        except ConfigError as exc:
            prefix = "flake8: error" if cls.program == "flake8" else cls.program
            sys.stderr.write(f"{prefix}: {exc}\n")
            raise SystemExit(2) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not self.selected:
            return
        try:
            found = findings_for(self.tree, self.lines, self.config)
        except RecursionError:  # the walk is iterative; this guards what it calls
            self._skipped("nested too deeply to analyse")
            return
        except Exception as exc:  # noqa: BLE001 - one file must not stop the whole lint run
            self._skipped(f"internal error {exc!r}; please report it")
            return
        if self.baseline is not None:
            found = self.baseline.new_findings(self.tree, found, self.filename)
        for item in found:
            if item.code in self.selected:
                yield item.line, char_col(self.lines, item.line, item.col), item.message, type(self)

    def _skipped(self, why: str) -> None:
        """One line on stderr: the file was not checked (never a traceback)."""
        sys.stderr.write(f"{self.filename or 'stdin'}: flake8-execgov skipped this file: {why}\n")


def _load_baseline(config: Config) -> Optional[Baseline]:
    """The configured baseline; a missing or broken one is an error naming the option."""
    path = config.raw["baseline"]
    if not path:
        return None
    try:
        return Baseline.load(Path(str(path)).resolve())
    except BaselineError as exc:
        raise ConfigError(f"execgov-baseline: {exc}") from None


def _selected_codes(options: argparse.Namespace) -> frozenset[str]:
    """The codes flake8's own selection (``select``, ``extend-select``, ``ignore`` ...)
    reports somewhere; per-file-ignores and ``# noqa`` can only remove more."""
    from flake8.style_guide import Decision, DecisionEngine

    try:
        engine = DecisionEngine(options)
    except AttributeError:  # pragma: no cover - options not from flake8's parser
        return CODES
    return frozenset(code for code in CODES if engine.decision_for(code) is Decision.Selected)


class _KeyRecorder(Dict[str, Any]):
    """flake8's table of config options, remembering every key flake8 looks up.

    flake8's ``parse_config`` looks each key of the config it parsed up in this table -
    whichever file it came from (``--config``, ``--append-config``, a pyproject loader;
    none under ``--isolated``) - and silently ignores the keys nobody registered.
    """

    def __init__(self, items: Dict[str, Any]) -> None:
        super().__init__(items)
        self.looked_up: list[str] = []

    def get(self, key: str, default: Any = None) -> Any:
        self.looked_up.append(key)
        return super().get(key, default)


def _record_config_keys(manager: Any) -> None:
    table = getattr(manager, "config_options_dict", None)
    if isinstance(table, dict) and not isinstance(table, _KeyRecorder):
        manager.config_options_dict = _KeyRecorder(table)


def _check_config_keys(manager: Any) -> None:
    """A misspelled ``execgov-`` key would silently fall back to a default: an error."""
    table = getattr(manager, "config_options_dict", None)
    if not isinstance(table, _KeyRecorder):  # pragma: no cover - not flake8's option manager
        return
    bad = unknown_keys(table.looked_up)
    if bad:
        raise ConfigError(unknown_key_message(bad[0], "the flake8 configuration"))
