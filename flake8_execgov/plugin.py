"""The flake8 entry point: options in, findings out, never an exception.

flake8 hands a plugin its options once, through the ``parse_options`` class method, before
any file is checked; that is the one place this class's settings are set. The other front
ends (``execgov fix``, ``baseline``, ``check-config``) read flake8's options themselves and
build the same :class:`PluginSettings` with :func:`settings_from_options`.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Dict, Iterator, Optional, Sequence

from . import __version__
from .baseline import Baseline, BaselineError
from .config.options import (ALL_OPTIONS, DEFAULT_CONFIG, Config, ConfigError, build_config,
                             unknown_key_message, unknown_keys)
from .config.sources import config_files, first_set, source_of, stage_one
from .project.index import Project
from .project.facts import no_project_note
from .project.root import open_project, project_root
from .rules import RULES_BY_CODE, prefilter_for
from .model.records import Finding
from .run import UNPLACED, Kept, Run

CODES = frozenset(RULES_BY_CODE)


@dataclass(frozen=True)
class PluginSettings:
    """What the checker needs besides a file: the validated configuration, the codes
    flake8's selection can report (``--select=E,W,F`` reports none: yielding the others
    only costs flake8 a noqa lookup per result it throws away), the baseline, the project,
    and the run they make (:class:`run.Run`)."""

    config: Config = DEFAULT_CONFIG
    selected: frozenset[str] = CODES
    baseline: Optional[Baseline] = None
    project: Optional[Project] = None  # where imports are followed (None: per file)
    run: Optional[Run] = None  # made from the above when not given

    def __post_init__(self) -> None:
        if self.run is None:
            object.__setattr__(self, "run", Run(self.config, self.baseline, self.project))

    @property
    def the_run(self) -> Run:
        assert self.run is not None  # made by __post_init__
        return self.run


class ExecGovChecker:
    """flake8 plugin enforcing execution governance (codes GOV001-GOV202)."""

    name = "flake8-execgov"
    version = __version__
    settings: ClassVar[PluginSettings] = PluginSettings()  # set by parse_options only
    _noted: ClassVar[bool] = False  # "no project for stdin" is said once per process

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        _record_config_keys(manager)
        for spec in ALL_OPTIONS:
            manager.add_option(
                f"--{spec.key}", default=spec.default, parse_from_config=True,
                normalize_paths=spec.kind in ("path", "dirs"),
                comma_separated_list=spec.kind == "dirs",
                help=f"{spec.help} (default: {spec.default or 'none'!s})".replace("%", "%%"))

    @classmethod
    def parse_options(cls, manager: Any, options: argparse.Namespace,
                      args: Sequence[str] = ()) -> None:
        try:
            cls.settings = settings_from_options(manager, options, flake8_run=True)
        except ConfigError as exc:
            # named as the running program names itself (``flake8``, ``execgov check``)
            prog = getattr(getattr(manager, "parser", None), "prog", None) or "flake8"
            sys.stderr.write(f"{prog}: error: {exc}\n")
            raise SystemExit(2) from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        settings = self.settings
        if not settings.selected:
            return
        if settings.project is not None and self.filename in UNPLACED:
            if not ExecGovChecker._noted:
                ExecGovChecker._noted = True
                sys.stderr.write(no_project_note(self.filename) + "\n")
        try:
            found = settings.the_run.findings(self.tree, self.lines, self.filename)
        except RecursionError:  # the walk is iterative; this guards what it calls
            self._skipped("nested too deeply to analyse")
            return
        except Exception as exc:  # noqa: BLE001 - one file must not stop the whole lint run
            self._skipped(f"internal error {exc!r}; please report it")
            return
        for kept in found:
            if kept.code in settings.selected:
                yield kept.line, kept.col, kept.message, type(self)

    @classmethod
    def kept(cls, lines: Sequence[str], filename: str) -> Optional[list[Kept]]:
        """What :meth:`run` would yield for this module, when its findings are kept on disk
        and still hold or the prefilter rules it out (None: run it), each with the lines to
        tokenize for its ``# noqa`` and what ``execgov fix`` does with it. The gate asks
        first, and parses only on None."""
        settings = cls.settings
        try:  # (nothing selected: still parsed where the prefilter lets it, for E999)
            found = settings.the_run.kept(lines, filename)
        except Exception:  # noqa: BLE001 - the walk will say what is wrong, once
            return None
        return None if found is None else [kept for kept in found
                                           if kept.code in settings.selected]

    def _skipped(self, why: str) -> None:
        """One line on stderr: the file was not checked (never a traceback)."""
        sys.stderr.write(f"{self.filename or 'stdin'}: flake8-execgov skipped this file: {why}\n")


def config_from_options(manager: Any, options: argparse.Namespace) -> Config:
    """The configuration flake8 parsed; unknown ``execgov-*`` keys are errors."""
    _check_config_keys(manager)
    return build_config({spec.key: getattr(options, spec.attr, None) for spec in ALL_OPTIONS})


def settings_from_options(manager: Any, options: argparse.Namespace,
                          with_baseline: bool = True,
                          argv: Optional[Sequence[str]] = None,
                          flake8_run: bool = False) -> PluginSettings:
    """Everything the checker needs, from flake8's options (``with_baseline=False``: the
    findings a baseline would hide are wanted, as by ``execgov baseline``), and the run
    they make: its owner closes it (``flake8_run``: flake8's, closed when its process
    ends). An error names the file that sets the option (or the command line) and the
    option; ``argv`` is flake8's command line (default: this process's)."""
    try:
        config = config_from_options(manager, options)
        prefilter = prefilter_for(config)
        baseline = load_baseline(config) if with_baseline else None
        project = open_project(config, project_root(config, _first_stage(options, argv)),
                               exclude=[*(getattr(options, "exclude", None) or ()),
                                        *(getattr(options, "extend_exclude", None) or ())],
                               prefilter=prefilter)
        run = Run(config, baseline, project, prefilter, partial(_fix_kinds, config))
        if flake8_run:
            run.closes_at_exit()
        return PluginSettings(config, _selected_codes(options), baseline, project, run)
    except ConfigError as exc:
        table = getattr(manager, "config_options_dict", None)
        looked_up = table.looked_up if isinstance(table, _KeyRecorder) else None
        where = source_of(exc.keys, config_files(argv), first_set(exc.keys, looked_up))
        raise ConfigError(f"{where}: {exc}", *exc.keys) from None


def _fix_kinds(config: Config, tree: ast.AST, lines: Sequence[str],
               found: list[Finding]) -> list[str]:
    """What ``execgov fix`` does with each finding (the run keeps it with them)."""
    from .fix.plan import verdicts

    return [verdict.kind or "" for verdict in verdicts(tree, lines, found, config)]


def _first_stage(options: argparse.Namespace,
                 argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """``--config`` and ``--isolated`` as flake8 read them: flake8 keeps them out of its
    options (they are ``None``/``False`` there), so they are read again from its command
    line (``argv``, default this process's), as :func:`config.sources.config_files` does."""
    try:
        stage = stage_one(sys.argv[1:] if argv is None else argv)
    except ValueError:
        stage = argparse.Namespace(config=None, isolated=False)
    return argparse.Namespace(config=getattr(options, "config", None) or stage.config,
                              isolated=getattr(options, "isolated", False) or stage.isolated)


def load_baseline(config: Config) -> Optional[Baseline]:
    """The configured baseline; a missing or broken one is an error naming the option."""
    if config.baseline is None:
        return None
    try:
        return Baseline.load(Path(config.baseline).resolve())
    except BaselineError as exc:
        raise ConfigError(f"execgov-baseline: {exc}", "execgov-baseline") from None


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
        raise ConfigError(unknown_key_message(bad[0]), bad[0])
