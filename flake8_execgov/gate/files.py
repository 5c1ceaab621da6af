"""The gate's work on one file: read it, parse it only when the prefilter lets it
through, never tokenize it (but the few lines whose ``# noqa`` a finding needs).

flake8's ``FileChecker`` and ``FileProcessor``, specialised: what flake8 computes for its
token-based checks (none run in the gate) is skipped, and everything else -- reading,
encoding, ``# flake8: noqa``, the AST checks, ``E902``/``E999`` -- is flake8's own code.
"""

from __future__ import annotations

import ast
import tokenize
from typing import Any, Optional, Sequence

from flake8 import checker, processor

from ..model.nodes import first_line, inner_statements, last_line


class GateProcessor(processor.FileProcessor):  # type: ignore[misc]  # flake8 is untyped
    """flake8's file processor, finding the ``# noqa`` line of a finding without
    tokenizing the whole file: flake8 maps each line to the physical lines of its token
    run (a multi-line string, a backslash continuation), and a token run never crosses
    the bounds of a statement, nor those of a compound statement's header (the lines
    around its inner statements). Only the smallest such region is tokenized."""

    tree: Optional[ast.Module] = None

    def build_ast(self) -> Any:
        self.tree = super().build_ast()
        return self.tree

    def should_ignore_file(self) -> bool:
        """flake8's ``# flake8: noqa`` check, which runs two regexes over every line: a
        file that does not even contain the word cannot match either (same answer)."""
        if not any("flake8" in line.lower() for line in self.lines if "8" in line):
            return False
        return bool(super().should_ignore_file())

    def noqa_line_for(self, line_number: int) -> Optional[str]:
        span = self._region(line_number)
        if span is None:
            return super().noqa_line_for(line_number)  # type: ignore[no-any-return]
        if span[0] == span[1]:  # a one-line region's token run is that line
            return self.lines[line_number - 1]  # type: ignore[no-any-return]
        if not hasattr(self, "_spans"):
            self._spans: dict[tuple[int, int], Optional[dict[int, str]]] = {}
        if span not in self._spans:
            self._spans[span] = self._span_mapping(*span)
        mapping = self._spans[span]
        return super().noqa_line_for(line_number) if mapping is None \
            else mapping.get(line_number)

    def _region(self, line_number: int) -> Optional[tuple[int, int]]:
        """The lines of the innermost statement holding ``line_number`` (decorators
        included) or, when the line is outside its inner statements, of the stretch of
        header lines (``def``, ``else:``, ``except ...:``) between them. None outside
        every statement."""
        body: Sequence[ast.stmt] = self.tree.body if isinstance(self.tree, ast.Module) else []
        span = None
        while body:
            holder = next((stmt for stmt in body
                           if first_line(stmt) <= line_number <= last_line(stmt)), None)
            if holder is None:
                if span is None:
                    return None
                before = [last_line(stmt) for stmt in body if last_line(stmt) < line_number]
                after = [first_line(stmt) for stmt in body if first_line(stmt) > line_number]
                return max(before, default=span[0] - 1) + 1, min(after, default=span[1] + 1) - 1
            span = (first_line(holder), last_line(holder))
            body = inner_statements(holder)
        return span

    def _span_mapping(self, first: int, last: int) -> Optional[dict[int, str]]:
        """flake8's ``_noqa_line_mapping``, for the lines ``first``..``last`` only."""
        lines = iter(self.lines[first - 1:last])
        offset = first - 1
        mapping: dict[int, str] = {}
        low, high = len(self.lines) + 2, -1
        try:
            for kind, _, (start, _), (stop, _), _ in tokenize.generate_tokens(
                    lambda: next(lines, "")):
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                low, high = min(low, start + offset), max(high, stop + offset)
                if kind in (tokenize.NL, tokenize.NEWLINE):
                    mapping.update(self._noqa_line_range(low, high))
                    low, high = len(self.lines) + 2, -1
        except (tokenize.TokenError, SyntaxError):
            return None
        return mapping


class GateFileChecker(checker.FileChecker):  # type: ignore[misc]
    """Reads each file; parses only what the prefilter lets through; never tokenizes
    (but the statements whose findings need their ``# noqa`` line)."""

    def _make_processor(self) -> Optional[processor.FileProcessor]:
        try:
            return GateProcessor(self.filename, self.options)
        except OSError as exc:
            self.report("E902", 0, 0, f"{type(exc).__name__}: {exc}")
            return None

    def run_checks(self) -> Any:
        from ..plugin import ExecGovChecker
        from ..engine import worth_parsing

        if self.processor is None or not self.should_process:
            return self.display_name, self.results, self.statistics
        settings = ExecGovChecker.settings
        if not worth_parsing("".join(self.processor.lines), settings.config, settings.project):
            return self.display_name, self.results, self.statistics
        try:
            self.run_ast_checks()
        except SyntaxError as exc:
            row, column = self._extract_syntax_information(exc)
            self.report("E999", row, column, f"{type(exc).__name__}: {exc.args[0]}")
        return self.display_name, self.results, self.statistics
