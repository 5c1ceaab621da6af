"""The gate's work on one file: read it, parse it only when the prefilter lets it
through, never tokenize it (but the few lines whose ``# noqa`` a finding needs).

flake8's ``FileChecker`` and ``FileProcessor``, specialised: what flake8 computes for its
token-based checks (none run in the gate) is skipped, and everything else -- reading,
encoding, ``# flake8: noqa``, the AST checks, ``E902``/``E999`` -- is flake8's own code.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from pathlib import Path
from typing import Any, Iterator, Optional

from flake8 import checker, processor, utils

from ..source.files import Decoded, open_regular
from ..source.noqa_regions import NoqaRegions
from .report import ANALYSED


class GateProcessor(processor.FileProcessor):  # type: ignore[misc]  # flake8 is untyped
    """flake8's file processor, finding the ``# noqa`` line of a finding without
    tokenizing the whole file: flake8 maps each line to the physical lines of its token
    run (a multi-line string, a backslash continuation); only a region of lines whose
    bounds are token-run bounds is tokenized (:mod:`noqa`), which gives flake8's answer
    by construction."""

    tree: Optional[ast.Module] = None
    data: Optional[bytes] = None  # the file's bytes as read (None: stdin)
    # kept findings' noqa regions by line (:mod:`results`), when the file was not parsed
    kept_regions: dict[int, tuple[int, int]] = {}

    def build_ast(self) -> Any:
        self.tree = super().build_ast()
        return self.tree

    def should_ignore_file(self) -> bool:
        """flake8's ``# flake8: noqa`` check, which runs two regexes over every line: a
        file that does not even contain the word cannot match either (same answer)."""
        if not any("flake8" in line.lower() for line in self.lines if "8" in line):
            return False
        return bool(super().should_ignore_file())

    def _smallest_region(self, line_number: int) -> Optional[tuple[int, int]]:
        """The lines to tokenize for ``line_number`` (None: the whole file)."""
        if self.tree is None and line_number in self.kept_regions:  # findings read, not walked
            return self.kept_regions[line_number] if self.kept_regions[line_number][0] else None
        regions: Optional[NoqaRegions] = getattr(self, "_regions", None)
        if (regions is None or regions.tree is not self.tree) \
                and isinstance(self.tree, ast.Module):
            regions = self._regions = NoqaRegions(self.tree, self.lines)
        return regions.region(line_number) \
            if regions is not None and 0 < line_number <= len(self.lines) else None

    def _region(self, line_number: int) -> Optional[tuple[int, int]]:
        """The lines whose tokens hold ``line_number``'s token run, the whole file at
        worst (None: no line there)."""
        if not 0 < line_number <= len(self.lines):
            return None
        return self._smallest_region(line_number) or (1, len(self.lines))

    def noqa_line_for(self, line_number: int) -> Optional[str]:
        span = self._smallest_region(line_number)
        if span is None:
            return super().noqa_line_for(line_number)  # type: ignore[no-any-return]
        first, last = span
        if first == last:  # a one-line region's token run is that line
            return self.lines[line_number - 1]  # type: ignore[no-any-return]
        if not hasattr(self, "_spans"):
            self._spans: dict[tuple[int, int], Optional[dict[int, str]]] = {}
        if span not in self._spans:
            self._spans[span] = self._span_mapping(*span)
        mapping = self._spans[span]
        return super().noqa_line_for(line_number) if mapping is None \
            else mapping.get(line_number)

    def read_lines_from_filename(self) -> list[str]:
        """flake8's reading (``tokenize.open``, latin-1 when that fails), of a regular file
        only: a FIFO would block the gate, ``/dev/zero`` would never end (E902). A project
        file's bytes come from the project when it has read them (:meth:`Project.read`)."""
        from ..plugin import ExecGovChecker

        # the project's bytes only for a path the system resolves as ``abspath`` does: a
        # ``..`` after a linked folder leaves the link's target, not the folder holding it
        # (a name without ".." anywhere has no such part: no Path made per file for it)
        project = ExecGovChecker.settings.the_run.project
        data = project.read(os.path.abspath(self.filename)) if project is not None and (
            ".." not in self.filename or ".." not in Path(self.filename).parts) else None
        if data is None:
            with open_regular(self.filename) as handle:
                data = handle.read()
        self.data = data
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            if encoding == "utf-8" and data.isascii():  # nearly every file: the same lines,
                # newlines translated alike, without an incremental decoder
                return io.StringIO(data.decode("ascii"), newline=None).readlines()
            return io.TextIOWrapper(io.BytesIO(data), encoding).readlines()
        except (SyntaxError, UnicodeError):
            return io.TextIOWrapper(io.BytesIO(data), "latin-1").readlines()

    def _span_mapping(self, first: int, last: int) -> Optional[dict[int, str]]:
        """flake8's ``_noqa_line_mapping``, for the lines ``first``..``last`` only."""
        mapping: dict[int, str] = {}
        try:
            for low, high, _ in self.token_runs(first, last):
                mapping.update(self._noqa_line_range(low, high))
        except (tokenize.TokenError, SyntaxError):
            return None
        return mapping

    def token_runs(self, first: int, last: int) -> Iterator[tuple[int, int, dict[int, int]]]:
        """The token runs of the lines ``first``..``last``, as flake8 groups lines for
        ``# noqa`` (a run ends at each NL/NEWLINE token): (first line, last line, where each
        line's comment starts). Raises what ``tokenize`` raises on broken text."""
        lines = iter(self.lines[first - 1:last])
        offset = first - 1
        low, high, comments = len(self.lines) + 2, -1, {}
        for kind, _, (start, col), (stop, _), _ in tokenize.generate_tokens(
                lambda: next(lines, "")):
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            low, high = min(low, start + offset), max(high, stop + offset)
            if kind == tokenize.COMMENT:
                comments[start + offset] = col
            if kind in (tokenize.NL, tokenize.NEWLINE):
                yield low, high, comments
                low, high, comments = len(self.lines) + 2, -1, {}


class GateFileChecker(checker.FileChecker):  # type: ignore[misc]
    """Reads each file; parses only what the prefilter lets through; never tokenizes
    (but the statements whose findings need their ``# noqa`` line)."""

    def _make_processor(self) -> Optional[processor.FileProcessor]:
        """flake8's, also for stdin that does not decode (flake8 ends the run there)."""
        try:
            return GateProcessor(self.filename, self.options)
        except (OSError, UnicodeError) as exc:
            # with a physical line of its own: flake8 would otherwise look for its
            # "# noqa" through linecache, reading what could not be read (a FIFO: forever)
            self.results.append(("E902", 0, 0, f"{type(exc).__name__}: {exc}", ""))
            return None

    def run_checks(self) -> Any:
        from ..plugin import ExecGovChecker

        if self.processor is None and self.filename == "-":  # stdin that did not decode
            self.display_name: str = self.options.stdin_display_name or "stdin"
        if self.processor is None or not self.should_process:
            return self.display_name, self.results, self.statistics
        found = ExecGovChecker.kept(self.processor.lines, self.processor.filename)
        if found is not None:  # kept on disk, still true: no parse, no walk
            self.processor.kept_regions = {kept.line: kept.region for kept in found}
            for kept in found:
                self.report(None, kept.line, kept.col, kept.message)
            self._plan_fixes({(kept.line, kept.col + 1, kept.code): kept.fix
                              for kept in found if kept.fix})
            return self.display_name, self.results, self.statistics
        self.statistics[ANALYSED] = 1  # parsed and walked: the gate's -v line counts them
        try:
            self.run_ast_checks()
        except SyntaxError as exc:
            row, column = self._extract_syntax_information(exc)
            self.report("E999", row, column, f"{type(exc).__name__}: {exc.args[0]}")
        except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
            # CPython's parser gives up on deep nesting with RecursionError/MemoryError,
            # not SyntaxError: still this file's one line, never the end of the run
            why = str(exc) or "too deeply nested for Python's parser"
            self.report("E999", 1, 0, f"{type(exc).__name__}: {why}")
        else:
            self._plan_fixes()
        return self.display_name, self.results, self.statistics

    def _plan_fixes(self, kept: Optional[dict[tuple[int, int, str], str]] = None) -> None:
        """What ``execgov fix`` does with this file's fixable findings, for the summary
        line (or the JSON and SARIF ``fix``), planned here on the tree already parsed
        rather than by reading and parsing the file again once the run is over. Returned
        with flake8's per-file statistics (a dict that goes back from ``-j`` workers too):
        ``formats.FixKinds`` takes it from there, with the answer it would have found.
        ``kept``: the plans kept with the module's findings (a warm run walks nothing)."""
        from ..formats import PLANNED, fix_kinds
        from ..fix.plan import SAFE, UNSAFE
        from ..plugin import ExecGovChecker
        from .report import wants_fix_kinds

        processor = self.processor
        if not any(result[0] in SAFE or result[0] in UNSAFE for result in self.results) \
                or not wants_fix_kinds(self.options) \
                or (self.filename != "-" and processor.data is None):
            return
        if kept is not None:
            self.statistics[PLANNED] = kept
            return
        try:  # the text FixKinds reads (stdin as flake8 read it), from the bytes read
            text = utils.stdin_get_value() if self.filename == "-" \
                else Decoded.from_bytes(processor.data).text
        except Exception:  # noqa: BLE001 - as FixKinds: no promise about fixing it
            self.statistics[PLANNED] = {}
            return
        # flake8's lines are the text unless it holds "\r" or a second BOM: then parse it
        same = text == "".join(processor.lines)
        walked = ExecGovChecker.settings.the_run.planned(processor.lines) if same else None
        self.statistics[PLANNED] = walked if walked is not None else \
            fix_kinds(self.display_name, text, processor.tree if same else None)
