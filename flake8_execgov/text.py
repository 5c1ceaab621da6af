"""One definition of a line: Python's (``\\n``, ``\\r\\n`` or ``\\r``), everywhere.

``str.splitlines()`` also breaks at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and
``\\u2029``, which Python's tokenizer (and so ``ast`` line numbers and flake8's ``# noqa``)
does not: after such a character every line would be off by one.
"""

from __future__ import annotations

import io
from typing import Sequence


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python counts them, each with its own line ending."""
    return io.StringIO(text, newline="").readlines()


def char_col(lines: Sequence[str], line: int, col: int) -> int:
    """``ast`` columns count UTF-8 bytes; flake8 (and editors) show characters."""
    if 0 < line <= len(lines):
        text = lines[line - 1]
        if not text.isascii():
            return len(text.encode("utf-8")[:col].decode("utf-8", "replace"))
    return col
