"""How the gate talks: its name, its help, its report formats and its summary line.

- ``--help`` shows what matters to the governance rules: pycodestyle's layout options
  (line lengths, indentation), which no gate check reads, are accepted (a shared config
  sets them) but not listed; ``--format`` lists the formats the gate has.
- ``--format`` (or ``format =`` in the config) takes ``github``, ``sarif`` and ``json``
  for this package's report plugins, flake8's own names, or a template with ``%(...)``
  keys. flake8 prints anything else literally once per finding (``--format=gihub``
  prints "gihub"), which would silently lose a CI's annotations: here it is a usage
  error with a suggestion, exit 2.
- After the default report, one summary line in Ruff's spirit on **stderr** (stdout stays
  exactly what ``flake8 --select=GOV`` prints, for the parsers that read it; machine
  formats and ``-q`` print none): ``Found 3 findings; 2 fixable with 'execgov fix' (1
  more with 'execgov fix --unsafe-fixes').``, counted by the fixer's own plan.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from typing import Any, Optional

import flake8
from flake8 import utils
from flake8.main import application
from flake8.options import manager
from flake8.violation import Violation

from .. import __version__
from ..formats import PLANNED, FixKinds

PROG = "execgov check"
FORMATS = {"github": "execgov-github", "sarif": "execgov-sarif", "json": "execgov-json"}
NAMES = ("default", "pylint", "quiet-filename", "quiet-nothing", "github", "sarif", "json")
FORMAT_HELP = ("The report: default, pylint, quiet-filename, quiet-nothing, github (GitHub "
               "annotations), sarif (SARIF 2.1.0), json, or a template of %%-style keys "
               "(code, col, path, row, text), e.g. '%%(path)s:%%(row)d: %%(code)s'. "
               "(Default: default)")
# the per-file statistic (flake8's dict, which comes back from ``-j`` workers too) saying
# the file was parsed and analysed, not answered by the prefilter or kept findings
ANALYSED = "execgov-analysed"
# pycodestyle's layout options: registered by flake8 itself, read by no gate check.
HIDDEN = frozenset(("--max-line-length", "--max-doc-length", "--indent-size",
                    "--hang-closing"))


class GateOptionManager(manager.OptionManager):  # type: ignore[misc]
    """flake8's option manager, named as the gate is run: usage, ``--help`` and every
    option or configuration error say ``execgov check``; the help lists what matters.
    ``--version`` starts as ``execgov --version`` does (``execgov 0.3.0``), then names the
    flake8 the gate runs on: flake8's own line would lead with flake8's version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parser.prog = PROG
        for action in self.parser._actions:
            if "--version" in action.option_strings:
                action.version = (f"execgov {__version__} (flake8 {flake8.__version__}, "
                                  f"{utils.get_python_version()})")
        self.register_changed_since()

    def register_changed_since(self) -> None:
        """The gate's own option (:mod:`.changed`), on the command line only."""
        self.add_option("--changed-since", metavar="REF", default=None,
                        help="check only the files changed since the git revision REF (the "
                             "working tree against it, untracked files too) and the files "
                             "whose findings depend on them")

    def add_option(self, *args: Any, **kwargs: Any) -> None:
        if HIDDEN.intersection(args):
            kwargs["help"] = argparse.SUPPRESS
        elif "--format" in args:
            kwargs["help"] = FORMAT_HELP
        super().add_option(*args, **kwargs)


def report_format(value: str, reporters: Any) -> str:
    """The report plugin (or template) ``--format`` names; a usage error (exit 2) when
    it names none."""
    name = FORMATS.get(value, value)
    if name in reporters or "%(" in name:
        return name
    close = difflib.get_close_matches(value, NAMES, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    sys.stderr.write(f"{PROG}: error: --format: unknown format {value!r}{hint}; use one "
                     f"of {', '.join(NAMES)} or a template such as '%(path)s:%(row)d: "
                     "%(code)s %(text)s'\n")
    raise SystemExit(2)


def wants_fix_kinds(options: Any) -> bool:
    """Does this run's report say what ``execgov fix`` does with each finding (the
    default format's summary line, JSON, SARIF)? Read in the file checkers, where the
    format may not be mapped yet (a spawned worker parses the command line afresh)."""
    name = FORMATS.get(options.format, options.format)
    return not options.quiet and name in ("default", FORMATS["json"], FORMATS["sarif"])


class GateApplication(application.Application):  # type: ignore[misc]
    """flake8's application; its formats checked, and what it reported remembered for
    the summary line."""

    def run_checks(self) -> None:
        """flake8's, then the file checkers' fix plans handed to the report (a name
        checked twice, e.g. stdin named as a file also given, is left to FixKinds)."""
        since = getattr(self.options, "changed_since", None)
        if since:
            self._only_changed(since)
        super().run_checks()
        planned: dict[str, Any] = {}
        seen: set[str] = set()
        self.analysed = sum(statistics.get(ANALYSED, 0)
                            for _, _, statistics in self.file_checker_manager.results)
        for name, _, statistics in self.file_checker_manager.results:
            if name in seen:
                planned.pop(name, None)
            elif PLANNED in statistics:
                planned[name] = statistics[PLANNED]
            seen.add(name)
        setattr(self.options, PLANNED, planned)

    def _only_changed(self, since: str) -> None:
        """``--changed-since``: flake8 finds the files as always (paths, ``exclude``,
        ``filename``), then keeps those :mod:`.changed` chose; one line on stderr."""
        from ..plugin import ExecGovChecker
        from .changed import selection

        manager = self.file_checker_manager
        chosen, line = selection(since, ExecGovChecker.settings.project,
                                 getattr(self.options, "execgov_baseline", None) or None,
                                 os.getcwd())
        start = manager.start

        def start_changed() -> None:
            start()
            if chosen is not None:
                manager.filenames = tuple(name for name in manager.filenames
                                          if name == "-" or os.path.abspath(name) in chosen)
                manager.jobs = min(len(manager.filenames), manager.jobs)
                count = len(manager.filenames)
                sys.stderr.write(f"{line}checking {count} file{'s' if count != 1 else ''} "
                                 "(with the files that depend on them).\n")
            else:
                sys.stderr.write(line)

        manager.start = start_changed

    def make_formatter(self) -> None:
        self.options.format = report_format(self.options.format, self.plugins.reporters)
        super().make_formatter()
        self.reported: Optional[list[Violation]] = None
        if self.options.format == "default" and not self.options.quiet:
            self.reported = []
            handle = self.formatter.handle

            def remember(error: Violation) -> None:
                self.reported.append(error)  # type: ignore[union-attr]
                handle(error)

            self.formatter.handle = remember

    def counts(self, verbose: bool) -> str:
        """With ``-v``: how many files the run checked and how many of them it parsed and
        analysed (the rest the prefilter or kept findings answered): what a warm run after
        an edit re-analysed ('' without ``-v``; flake8 keeps ``-v`` out of its options)."""
        if not verbose or self.file_checker_manager is None:
            return ""
        checked = len(self.file_checker_manager.results)
        analysed = getattr(self, "analysed", 0)
        return (f"execgov check: {checked} file{'s' if checked != 1 else ''} checked, "
                f"{analysed} parsed and analysed, {checked - analysed} answered without "
                "a parse (prefilter or kept findings).\n")

    def summary(self) -> str:
        """The summary line ('' when it has nothing to say or is not wanted)."""
        reported = getattr(self, "reported", None)
        if not reported:
            return ""
        kinds = FixKinds(self.options)
        found = [kinds(error) for error in reported]
        count, safe, unsafe = len(found), found.count("safe"), found.count("unsafe")
        line = f"Found {count} finding{'s' if count != 1 else ''}"
        if safe:
            line += f"; {safe} fixable with 'execgov fix'"
            if unsafe:
                line += f" ({unsafe} more with 'execgov fix --unsafe-fixes')"
        elif unsafe:
            line += f"; {unsafe} fixable with 'execgov fix --unsafe-fixes'"
        return line + ".\n"
