"""``# noqa`` in the editor: the lines flake8 reads it from, adding a code, naming one.

flake8 reads a finding's ``# noqa`` from the token run around its line (a multi-line
string, a backslash continuation: every physical line of the run), and only the first
``# noqa`` in that text counts. So "disable GOVxxx for this line" extends that first
comment when there is one, and otherwise appends a new comment to the run's last line,
the one a comment can follow.
"""

from __future__ import annotations

import re
import tokenize
from typing import NamedTuple, Optional, Sequence

from flake8.defaults import NOQA_INLINE_REGEXP

from ..gate.files import GateProcessor
from ..rules import RULES_BY_CODE
from .text import Document, Edit, Point

_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


class Run(NamedTuple):
    """The 1-based lines ``first``..``last`` of a token run, and where each line's comment
    starts (line -> column in characters)."""

    first: int
    last: int
    comments: dict[int, int]


class NoqaProcessor(GateProcessor):
    """flake8's processor (through the gate's, which tokenizes only the statement around
    a line), asked for the token run itself rather than its text."""

    def run_of(self, line: int) -> Run:
        span = self._region(line)
        if span is None or span[0] == span[1]:
            return Run(line, line, self._comments_of(line))
        try:
            for low, high, comments in self.token_runs(*span):
                if low <= line <= high:
                    return Run(low, high, comments)
        except (tokenize.TokenError, SyntaxError):
            pass
        return Run(line, line, self._comments_of(line))

    def _comments_of(self, line: int) -> dict[int, int]:
        """The comment of one line that is a run of its own."""
        source = iter(self.lines[line - 1:line])
        try:
            return {line: col for kind, _, (_, col), _, _ in tokenize.generate_tokens(
                lambda: next(source, "")) if kind == tokenize.COMMENT}
        except (tokenize.TokenError, SyntaxError):
            return {}


def noqa_edit(document: Document, run: Run, code: str) -> Optional[Edit]:
    """The edit that makes flake8 skip ``code`` on ``run``; None when it cannot be done
    by a comment (a blanket ``# noqa`` already there, or the first ``# noqa`` flake8 sees
    is text inside a string, which no comment can come before)."""
    lines = document.lines[run.first - 1:run.last]
    match = NOQA_INLINE_REGEXP.search("".join(lines))
    if match is None:
        index = run.last - 1
        content = document.content(index)
        kept = content.rstrip()
        return Edit(Point(index, len(kept)), Point(index, len(content)), f"  # noqa: {code}")
    codes = match.group("codes")
    where = _point_in(lines, run.first - 1, match.start())
    comment = run.comments.get(where.line + 1)
    if codes is None or comment is None or comment > where.char:
        return None
    if code in {c.upper() for c in _CODE.findall(codes)}:
        return None
    listed = re.split(r"[\r\n]", codes)[0].rstrip(", \t")
    at = _point_in(lines, run.first - 1, match.start("codes") + len(listed))
    return Edit(at, at, f", {code}")


def _point_in(lines: Sequence[str], first: int, offset: int) -> Point:
    """The point ``offset`` characters into the joined ``lines`` (starting at ``first``)."""
    index = 0
    while index < len(lines) - 1 and offset >= len(lines[index]):
        offset -= len(lines[index])
        index += 1
    return Point(first + index, offset)


def code_at(document: Document, point: Point) -> Optional[tuple[str, Point, Point]]:
    """The rule code at ``point`` inside a ``# noqa: ...`` list, with its range."""
    text = document.content(point.line)
    for match in NOQA_INLINE_REGEXP.finditer(text):
        codes = match.group("codes")
        if codes is None:
            continue
        base = match.start("codes")
        for found in _CODE.finditer(codes):
            start, stop = base + found.start(), base + found.end()
            code = found.group().upper()
            if start <= point.char <= stop and code in RULES_BY_CODE:
                return code, Point(point.line, start), Point(point.line, stop)
    return None
