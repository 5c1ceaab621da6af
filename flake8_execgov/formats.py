"""Output formats for CI: GitHub workflow commands, SARIF 2.1.0 and JSON.

They are flake8 report plugins (``--format=execgov-github``, ``execgov-sarif``,
``execgov-json``), so the editor path (flake8) and the gate (``execgov check
--format=github|sarif|json``) print alike.

GitHub: a workflow command is ``::error file=F,line=L,col=C,title=T::MESSAGE``. In its
message ``%``, ``\\r`` and ``\\n`` are percent-encoded; in a property value ``:`` and ``,``
too (they separate the properties). Unescaped, a path holding ``,`` or a message holding
``%0A`` would break the annotation or forge another one.

JSON and SARIF say per finding whether ``execgov fix`` changes it (``"safe"``), only
``execgov fix --unsafe-fixes`` does (``"unsafe"``) or nothing does (null): the fixer's own
plan (:mod:`fix.plan`) for that finding, not the rule's fix safety.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any, Optional, Sequence

from flake8.formatting.base import BaseFormatter
from flake8.violation import Violation

from . import __version__


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(path: str, line: int, col: int, code: str, text: str) -> str:
    """One finding as an ``::error`` workflow command (``col`` is 1-based)."""
    return (f"::error file={escape_property(path)},line={line},col={col},"
            f"title={escape_property(code)}::{escape_data(f'{code} {text}')}")


class GitHubFormatter(BaseFormatter):  # type: ignore[misc]  # flake8 ships no type hints
    """``--format=execgov-github``: one annotation per finding."""

    def format(self, error: Violation) -> str:
        return github_annotation(error.filename, error.line_number, error.column_number,
                                 error.code, error.text)


# The options attribute where ``execgov check`` leaves the plans its file checkers made
# (see :class:`FixKinds`): {file: {(line, column, code): kind}}.
PLANNED = "execgov_planned_fixes"


class FixKinds:
    """Per reported finding, what ``execgov fix`` does with it: its file read again and
    analysed as the checker did (configuration and baseline included) and planned by
    :mod:`fix.plan`; only files with a finding of a rule that has a fix are read. The
    gate plans each such file where it checked it, on the tree it had (no second read
    and parse): those plans are taken as they are (``PLANNED`` on the options)."""

    def __init__(self, options: Any) -> None:
        self.options = options
        self._files: dict[str, dict[tuple[int, int, str], str]] = \
            dict(getattr(options, PLANNED, None) or {})

    def __call__(self, error: Violation) -> Optional[str]:
        from .fix.plan import SAFE, UNSAFE

        if error.code not in SAFE and error.code not in UNSAFE:
            return None
        if error.filename not in self._files:
            self._files[error.filename] = self._plan(error.filename)
        return self._files[error.filename].get(
            (error.line_number, error.column_number, error.code))

    def _plan(self, filename: str) -> dict[tuple[int, int, str], str]:
        try:
            text = self._read(filename)
        except Exception:  # noqa: BLE001 - unreadable now: no promise about fixing it
            return {}
        return fix_kinds(filename, text)

    def _read(self, filename: str) -> str:
        from flake8 import utils

        from .source.files import Decoded, read_source

        names: Sequence[str] = getattr(self.options, "filenames", ()) or ()
        if "-" in names and filename == getattr(self.options, "stdin_display_name", "stdin"):
            return str(utils.stdin_get_value())
        return Decoded.from_bytes(read_source(filename)).text


def fix_kinds(filename: str, text: str,
              tree: Optional[ast.AST] = None) -> dict[tuple[int, int, str], str]:
    """What ``execgov fix`` does with each finding of the module ``text`` (``tree``: its
    parse, when the caller has it): {(line, 1-based column, code): "safe" or "unsafe"}."""
    from .engine import analyse
    from .fix.plan import verdicts
    from .plugin import ExecGovChecker
    from .run import UNPLACED
    from .source.lines import char_col, source_lines

    try:
        tree = ast.parse(text) if tree is None else tree
    except Exception:  # noqa: BLE001 - does not parse now: no promise about fixing it
        return {}
    lines = source_lines(text)
    settings = ExecGovChecker.settings
    found = analyse(tree, lines, settings.config, baseline=settings.baseline,
                    filename=filename,  # in the project, as the checker found them
                    project=None if filename in UNPLACED else settings.project)
    return {(f.line, char_col(lines, f.line, f.col) + 1, f.code): verdict.kind
            for f, verdict in zip(found, verdicts(tree, lines, found, settings.config))
            if verdict.kind is not None}


class _DocumentFormatter(BaseFormatter):  # type: ignore[misc]
    """Collects every finding and writes one JSON document when the run stops."""

    def after_init(self) -> None:
        self.found: list[Violation] = []

    def handle(self, error: Violation) -> None:
        self.found.append(error)

    def format(self, error: Violation) -> Optional[str]:  # pragma: no cover - handle() collects
        return None

    def show_statistics(self, statistics: Any) -> None:
        """Statistics would break the document: JSON consumers count for themselves."""

    def show_benchmarks(self, benchmarks: Any) -> None:
        """Likewise."""

    def stop(self) -> None:
        self._write(json.dumps(self.document(), indent=2, ensure_ascii=False))
        super().stop()

    def document(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


class JsonFormatter(_DocumentFormatter):
    """``--format=execgov-json``: a list of findings, for scripts."""

    def document(self) -> list[dict[str, Any]]:
        kinds = FixKinds(self.options)
        return [{"path": error.filename, "line": error.line_number,
                 "column": error.column_number, "code": error.code, "message": error.text,
                 "fix": kinds(error)} for error in self.found]


class SarifFormatter(_DocumentFormatter):
    """``--format=execgov-sarif``: SARIF 2.1.0, for code scanning dashboards. Paths are
    relative URIs against ``%SRCROOT%``, the directory the linter ran in."""

    def document(self) -> dict[str, Any]:
        from .rules import RULES

        root = Path(os.getcwd())
        kinds = FixKinds(self.options)
        rules = [{"id": rule.code, "name": _pascal(rule.title),
                  "shortDescription": {"text": rule.title},
                  "fullDescription": {"text": rule.what},
                  "helpUri": f"docs/rules.md#{rule.code.lower()}",
                  "help": {"text": rule.why},
                  "defaultConfiguration": {"level": "error"}} for rule in RULES]
        results = [{
            "ruleId": error.code,
            "level": "error",
            "message": {"text": error.text},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _relative_uri(error.filename, root),
                                     "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": max(error.line_number, 1),
                           "startColumn": max(error.column_number, 1)}}}],
            "properties": {"fix": kinds(error)},
        } for error in self.found]
        return {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "flake8-execgov", "version": __version__,
                                    "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "results": results,
            }],
        }


def _pascal(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in title.replace("/", " ").split()
                   if word.isidentifier())


def _relative_uri(path: str, root: Path) -> str:
    """A path as a URI reference relative to ``root`` (``/`` separators, %-escaped)."""
    from urllib.parse import quote

    candidate = Path(path)
    try:
        relative = candidate.resolve().relative_to(root.resolve()) if candidate.is_absolute() \
            else Path(os.path.normpath(path))
    except ValueError:
        return candidate.resolve().as_uri()
    return quote(relative.as_posix())
