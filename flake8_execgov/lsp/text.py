"""Positions and edits in an editor's terms: lines, code units, the smallest change.

The Language Server Protocol counts lines as Python does (``\\n``, ``\\r\\n``, ``\\r``: the
project's :func:`source_lines`, not ``str.splitlines``) and columns in code units of the
negotiated encoding, UTF-16 unless the client offers another; ``ast`` counts columns in
UTF-8 bytes. Everything here is plain data, no protocol library: the server converts.
"""

from __future__ import annotations

import ast
import bisect
from typing import NamedTuple, Optional, Sequence

from ..source.statements import end, pos
from ..source.lines import char_col, source_lines

ENCODINGS = ("utf-8", "utf-16", "utf-32")


class Point(NamedTuple):
    """A 0-based line and a column in characters (code points)."""

    line: int
    char: int


class Edit(NamedTuple):
    """Replace ``start``..``end`` (points in the old text) with ``text``."""

    start: Point
    end: Point
    text: str


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if text.isascii() or encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Document:
    """A buffer's text and its lines, for converting positions both ways."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.lines: Sequence[str] = source_lines(text)
        self.encoding = encoding if encoding in ENCODINGS else "utf-16"
        self._starts: Optional[list[int]] = None

    def content(self, line: int) -> str:
        """Line ``line`` (0-based) without its line ending ("" past the end)."""
        if not 0 <= line < len(self.lines):
            return ""
        return self.lines[line].rstrip("\r\n")

    def to_client(self, point: Point) -> tuple[int, int]:
        """(line, column in code units); a point past the end is the end of the text."""
        if point.line >= len(self.lines):
            last = len(self.lines) - 1
            if last < 0 or self.lines[last].endswith(("\n", "\r")):
                return (max(last + 1, 0), 0)
            return (last, units(self.lines[last], self.encoding))
        text = self.content(point.line)
        return (point.line, units(text[:point.char], self.encoding))

    def from_client(self, line: int, column: int) -> Point:
        """The point at a client position (clamped to the line, as the protocol says)."""
        text = self.content(line)
        if self.encoding == "utf-32" or text.isascii():
            return Point(line, min(max(column, 0), len(text)))
        count = 0
        for index, char in enumerate(text):
            if count >= column:
                return Point(line, index)
            count += units(char, self.encoding)
        return Point(line, len(text))

    def offset(self, point: Point) -> int:
        """The index into the text of a point."""
        if self._starts is None:
            starts = [0]
            for text in self.lines:
                starts.append(starts[-1] + len(text))
            self._starts = starts
        if point.line >= len(self.lines):
            return len(self.text)
        return self._starts[point.line] + min(point.char, len(self.content(point.line)))

    def point_at(self, offset: int) -> Point:
        """The point of an index into the text (a line ending belongs to its line; the
        end of a text ending in a line ending is the start of the line after it)."""
        self.offset(Point(0, 0))
        assert self._starts is not None
        line = bisect.bisect_right(self._starts, offset) - 1
        if line >= len(self.lines):
            return Point(len(self.lines), 0)
        return Point(line, offset - self._starts[line])

    def node_range(self, node: Optional[ast.AST], line: int, col: int) -> tuple[Point, Point]:
        """Where a finding's ``node`` is, as points; ``line``/``col`` (1-based, UTF-8
        bytes) where it was reported. A definition (a route) is its ``def`` and name,
        not its whole body; a node ``ast`` gave no end is the rest of its word."""
        start = Point(line - 1, char_col(self.lines, line, col))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            text = self.content(start.line)
            at = text.find(node.name, start.char)
            stop = at + len(node.name) if at >= 0 else len(text)
            return start, Point(start.line, stop)
        if node is not None and pos(node) == (line, col) and end(node) != pos(node):
            end_line, end_col = end(node)
            return start, Point(end_line - 1, char_col(self.lines, end_line, end_col))
        text = self.content(start.line)
        stop = start.char
        while stop < len(text) and (text[stop].isalnum() or text[stop] in "_."):
            stop += 1
        return start, Point(start.line, max(stop, min(start.char + 1, len(text))))


def minimal_edit(old: str, new: str) -> Optional[tuple[int, int, str]]:
    """The smallest single replacement turning ``old`` into ``new``: (start, end) in
    ``old`` and the new text; None when they are equal. Never splits a ``\\r\\n``."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    if 0 < head < len(old) and old[head - 1] == "\r" and old[head] == "\n":
        head -= 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if 0 < tail < len(old) - head and old[-tail] == "\n" and old[-tail - 1] == "\r":
        tail -= 1
    return head, len(old) - tail, new[head:len(new) - tail]


def text_edit(document: Document, new: str) -> Optional[Edit]:
    """The smallest :class:`Edit` of ``document`` that gives ``new``."""
    change = minimal_edit(document.text, new)
    if change is None:
        return None
    start, stop, text = change
    return Edit(document.point_at(start), document.point_at(stop), text)


def apply_edit(document: Document, edit: Edit) -> str:
    """The text after ``edit`` (what a client does with it; for the tests and checks)."""
    start, stop = document.offset(edit.start), document.offset(edit.end)
    return document.text[:start] + edit.text + document.text[stop:]
