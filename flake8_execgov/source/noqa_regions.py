"""Which lines to tokenize for a finding's ``# noqa`` line, found from the syntax tree.

flake8 tokenizes the whole file and maps each line to the physical lines of its *token
run* (the tokens between two NL/NEWLINE tokens): a run spans several lines only through a
multi-line token (a triple-quoted string, an f-string) or a backslash continuation. The
gate tokenizes only a *region* around the finding, and gets flake8's answer exactly when
the region starts and ends where runs start and end, with the tokenizer in its fresh
state (outside brackets and strings). A region is built so, from the tree:

- a statement and its neighbours in the same block that share a line with it
  (``plugin.run(); x = \"\"\"...``) or are joined to it by a backslash continuation
  (``plugin.run(); y = 1 + \\``), as one run of statements;
- that run is a region when its first statement is the first token of its line (only
  indentation or a decorator's ``@`` before it), the line before does not end in a
  backslash, and neither does its last line; otherwise the statement holding the block
  is taken whole, and judged the same way among its own neighbours, up to the module;
- a line inside a compound statement but outside its inner statements (``else:``, a
  multi-line ``def`` header) belongs to the stretch of header lines between them, judged
  the same way.

A backslash at the end of a comment is taken for a continuation too: that only makes a
region larger, never wrong. Each block's statement starts are computed once (bisect per
lookup), and each statement's run once, when a lookup first needs it (most blocks are
looked at for one finding): the work is linear in the findings of a block, not quadratic.
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .statements import first_line, inner_statements, last_line


@dataclass
class _Block:
    """The statements directly inside a statement (or the module), with their lines and,
    for those a lookup reached, the first and last index of the run of statements each
    is joined with."""

    stmts: list[ast.stmt]
    starts: list[int] = field(default_factory=list)
    lasts: list[int] = field(default_factory=list)
    runs: dict[int, tuple[int, int]] = field(default_factory=dict)


class NoqaRegions:
    """The region of lines to tokenize for each line of one parsed file."""

    def __init__(self, tree: ast.Module, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines
        self._blocks: dict[Optional[ast.stmt], _Block] = {}  # None: the module

    def region(self, line: int) -> Optional[tuple[int, int]]:
        """(first, last) line of a region holding ``line`` whose bounds are token-run
        bounds; None when there is none smaller than the file (flake8 tokenizes it all)."""
        levels: list[tuple[_Block, int]] = []
        block = self._block(None)
        holder: Optional[ast.stmt] = None
        while block.stmts:
            index = bisect.bisect_right(block.starts, line) - 1
            if index < 0 or block.lasts[index] < line:
                if holder is not None:
                    stretch = self._stretch(holder, block, index + 1)
                    if stretch is not None:
                        return stretch
                break
            levels.append((block, index))
            holder = block.stmts[index]
            block = self._block(holder)
        for block, index in reversed(levels):
            first, last = self._run(block, index)
            start, stop = block.starts[first], block.lasts[last]
            if self._opens(block.stmts[first]) and not self._continued(start - 1) \
                    and not self._continued(stop):
                return start, stop
        return None

    def _stretch(self, holder: ast.stmt, block: _Block, after: int) -> Optional[tuple[int, int]]:
        """The header lines of ``holder`` between its inner statements ``after - 1`` and
        ``after``, when their bounds are run bounds."""
        start = block.lasts[after - 1] + 1 if after > 0 else first_line(holder)
        stop = block.starts[after] - 1 if after < len(block.stmts) else last_line(holder)
        if after == 0 and not self._opens(holder):
            return None
        if after < len(block.stmts) and not self._opens(block.stmts[after]):
            return None
        if self._continued(start - 1) or self._continued(stop):
            return None
        return start, stop

    def _block(self, holder: Optional[ast.stmt]) -> _Block:
        block = self._blocks.get(holder)
        if block is None:
            # in source order (a try's blocks are body, else, finally, then its handlers)
            stmts = sorted(inner_statements(holder), key=lambda stmt: (first_line(stmt),
                                                                       stmt.col_offset)) \
                if holder is not None else list(self.tree.body)
            block = self._blocks[holder] = _Block(stmts)
            block.starts = [first_line(stmt) for stmt in stmts]
            block.lasts = [last_line(stmt) for stmt in stmts]
        return block

    def _run(self, block: _Block, index: int) -> tuple[int, int]:
        """The first and last index of the run holding statement ``index``: statements
        joined by a shared line or a backslash continuation (each run found once)."""
        run = block.runs.get(index)
        if run is None:
            first = last = index
            while first > 0 and self._joined(block, first):
                first -= 1
            while last + 1 < len(block.stmts) and self._joined(block, last + 1):
                last += 1
            run = (first, last)
            for member in range(first, last + 1):
                block.runs[member] = run
        return run

    def _joined(self, block: _Block, index: int) -> bool:
        """Is statement ``index`` in the run of the statement before it?"""
        return block.lasts[index - 1] >= block.starts[index] \
            or self._continued(block.lasts[index - 1]) \
            or self._continued(block.starts[index] - 1)

    def _opens(self, stmt: ast.stmt) -> bool:
        """Is ``stmt`` the first token of its first line (after indentation, or ``@``)?"""
        decorators: list[ast.expr] = getattr(stmt, "decorator_list", [])
        node: ast.AST = decorators[0] if decorators else stmt
        line = first_line(stmt)
        if not 0 < line <= len(self.lines):
            return False
        before = self.lines[line - 1].encode("utf-8", "surrogatepass")[:getattr(node, "col_offset", 0)]
        return before.strip() in (b"", b"@")

    def _continued(self, line: int) -> bool:
        """Does ``line`` end in a backslash (a continuation, or a comment's last char)?"""
        return 0 < line <= len(self.lines) and \
            self.lines[line - 1].rstrip("\r\n").endswith("\\")
