"""Where a module's text writes the names a summary looks for: the lines of a module-level
function that its walk must visit (:func:`.summary.summarize`).

A summary asks of each module-level function which imported names and module-level
functions it reads and which of its parameters it calls. Walking every node of every
function for that cost more than the parse the summary was made from, and almost every
statement names none of those: a statement can only hold such a read where the text of its
lines writes one of the names as a whole word (a parameter's call: the name, then only
spaces, line breaks, comments or closing brackets before a ``(``). Searching the text is C;
the walk then skips every statement whose lines write none, and finds the same reads.

Lines are the parser's (:func:`..source.lines.line_starts`). A name is matched as the
tree spells it only when the text is ASCII (the parser normalises other identifiers):
any other text is walked whole (:func:`lines_of` is None).
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from typing import Iterable, Optional

from ..source.lines import line_starts
from ..source.statements import first_line, last_line
from .files import SPACED, word_starts

# what may stand between a called name and its ``(``: spaces, line breaks, a backslash
# continuation, the closing brackets of ``(fn)(x)``; a comment counts as a call (a superset)
_BEFORE_CALL = frozenset(b" \t\x0c\r\n\\)")


class Written:
    """One module's text and the lines where it writes the names every function of it is
    asked about (its imports and module-level functions)."""

    def __init__(self, data: bytes, known: Iterable[str]) -> None:
        self.data = data
        # the offset each line starts at (line n at index n - 1), and one past the end
        self._starts = line_starts(data)
        self._known = {name.encode() for name in known}

    def _line(self, at: int) -> int:
        return bisect_right(self._starts, at)

    def span(self, node: ast.stmt) -> tuple[int, int]:
        """The byte range of a statement's lines, its decorators' included."""
        first, last = first_line(node), last_line(node)
        starts = self._starts
        return starts[min(first, len(starts)) - 1], starts[min(last, len(starts) - 1)]

    def hot(self, function: ast.FunctionDef | ast.AsyncFunctionDef,
            params: Iterable[str]) -> list[int]:
        """The lines of ``function`` (sorted) that write a known name, or call one of
        ``params``: only statements on them can read or call one."""
        low, high = self.span(function)
        data, known, starts = self.data, self._known, self._starts
        words = data[low:high].translate(SPACED)  # ASCII text: its names' bytes kept
        # each line's words against the known names: linear in the function's text
        lines = {line for line in range(first_line(function), self._line(high - 1) + 1)
                 if not known.isdisjoint(words[starts[line - 1] - low:starts[line] - low].split())}
        # a parameter's calls by search: a function's parameters are few, its text short
        for name in params:
            for at in word_starts(data, name.encode(), low, high):
                if _before_call(data, at + len(name)):
                    lines.add(self._line(at))
        return sorted(lines)

    def naming(self, function: ast.stmt, word: bytes) -> list[int]:
        """The lines of the statement (sorted) that hold ``word`` as a whole word (a
        keyword, ``return``: no statement without it on a line of it returns)."""
        low, high = self.span(function)
        return sorted({self._line(at) for at in word_starts(self.data, word, low, high)})


def lines_of(data: Optional[bytes], known: Iterable[str]) -> Optional[Written]:
    """The module's text for its functions' walks, when its lines are the parser's (see
    the module docstring); None: walk every statement."""
    if data is None or not data.isascii():
        return None
    return Written(data, known)


def _before_call(data: bytes, end: int) -> bool:
    """Can the name ending at ``end`` be called: only spaces, line breaks, backslashes and
    closing brackets, then ``(`` (or a comment, which may stand before it)?"""
    size = len(data)
    while end < size and data[end] in _BEFORE_CALL:
        end += 1
    return end < size and data[end] in b"(#"
