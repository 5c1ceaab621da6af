"""One definition of a line: Python's (``\\n``, ``\\r\\n`` or ``\\r``), everywhere.

``str.splitlines()`` also breaks at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and
``\\u2029``, which Python's tokenizer (and so ``ast`` line numbers and flake8's ``# noqa``)
does not: after such a character every line would be off by one.
"""

from __future__ import annotations

import bisect
import io
import itertools
from typing import Iterator, Optional, Pattern, Sequence


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python counts them, each with its own line ending."""
    return io.StringIO(text, newline="").readlines()


def line_starts(data: bytes) -> list[int]:
    """Where each line of ``data`` starts (line n at index n - 1), and one past its end:
    :func:`source_lines`' definition on bytes (``bytes.splitlines`` breaks at ``\\n``,
    ``\\r\\n`` and ``\\r`` only, as Python's tokenizer does)."""
    return list(itertools.accumulate(map(len, data.splitlines(True)), initial=0))


def char_col(lines: Sequence[str], line: int, col: int) -> int:
    """``ast`` columns count UTF-8 bytes; flake8 (and editors) show characters."""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        if not text.isascii():
            return len(text.encode("utf-8")[:col].decode("utf-8", "replace"))
    return col


class LineIndex:
    """A module's lines joined once, and where each starts: the prefilters search the whole
    text in one scan per word and map what they find back to line numbers."""

    def __init__(self, lines: Sequence[str], text: Optional[str] = None) -> None:
        self.lines = lines
        self.text = "".join(lines) if text is None else text
        self._starts: Optional[list[int]] = None

    def offsets(self, word: str) -> Iterator[int]:
        """Where ``word`` occurs in the text (``str.find``: a scan at C speed)."""
        at = self.text.find(word)
        while at != -1:
            yield at
            at = self.text.find(word, at + 1)

    def is_word_at(self, offset: int, word: str) -> bool:
        """Does ``word`` stand alone at ``offset``, not as part of a longer name?"""
        before = self.text[offset - 1:offset]
        after = self.text[offset + len(word):offset + len(word) + 1]
        return not _name_char(before) and not _name_char(after)

    def line_of(self, offset: int) -> int:
        """The (1-based) number of the line holding the text's ``offset``."""
        return bisect.bisect_right(self._line_starts(), offset)

    def lines_with(self, word: str) -> Iterator[int]:
        """The numbers of the lines where ``word`` occurs, in order, each once: after a
        find, the next search starts at the next line (a dense word costs a scan per line
        holding it, not a step per occurrence)."""
        starts = self._line_starts()
        at = self.text.find(word) if word else -1
        while at != -1:
            line = bisect.bisect_right(starts, at)
            yield line
            at = self.text.find(word, starts[line]) if line < len(starts) else -1

    def lines_matching(self, pattern: Pattern[str]) -> Iterator[int]:
        """:meth:`lines_with` for a pattern: the lines where one of its matches starts."""
        starts = self._line_starts()
        found = pattern.search(self.text)
        while found is not None:
            line = bisect.bisect_right(starts, found.start())
            yield line
            found = pattern.search(self.text, starts[line]) if line < len(starts) else None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(itertools.accumulate(map(len, self.lines), initial=0))
        return self._starts


def _name_char(char: str) -> bool:
    return char.isalnum() or char == "_"
