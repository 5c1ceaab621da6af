"""Where a node is in the text, and which statements a statement holds directly.

Facts of Python's parse about the source's lines, with no knowledge of what the code
means: below the model (which asks them everywhere) and enough for the ``# noqa`` regions
(:mod:`.noqa_regions`). None walks a tree: a statement's blocks are its direct fields.
"""

from __future__ import annotations

import ast
import bisect
from typing import Optional, Sequence, Tuple

Pos = Tuple[int, int]
# Statements that open a scope of their own: their bodies are not their blocks.
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def pos(node: ast.AST) -> Pos:
    return (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))


def end(node: ast.AST) -> Pos:
    """Where ``node`` ends (its start when ``ast`` did not record an end)."""
    line: Optional[int] = getattr(node, "end_lineno", None)
    col: Optional[int] = getattr(node, "end_col_offset", None)
    return (line, col) if line is not None and col is not None else pos(node)


def first_line(stmt: ast.stmt) -> int:
    """Where a statement starts, its decorators (in source order) included."""
    decorators: Optional[list[ast.expr]] = getattr(stmt, "decorator_list", None)
    return decorators[0].lineno if decorators else stmt.lineno


def last_line(stmt: ast.stmt) -> int:
    return end(stmt)[0]


def on_lines(stmt: ast.stmt, lines: Sequence[int]) -> bool:
    """Is one of ``lines`` (sorted) a line of ``stmt``, its decorators included?"""
    at = bisect.bisect_left(lines, first_line(stmt))
    return at < len(lines) and lines[at] <= last_line(stmt)


def blocks(stmt: ast.stmt) -> list[tuple[str, Sequence[ast.stmt]]]:
    """The statement lists directly inside ``stmt`` (not those of nested scopes)."""
    if isinstance(stmt, SCOPES):
        return []
    found: list[tuple[str, Sequence[ast.stmt]]] = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            found.append((name, block))
    for handler in getattr(stmt, "handlers", ()):
        found.append(("handlers", handler.body))
    for case in getattr(stmt, "cases", ()):
        found.append(("cases", case.body))
    return found


def inner_statements(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements directly inside ``stmt``, the bodies of definitions included: one
    step of the descent from a module to the statement holding a position."""
    if isinstance(stmt, SCOPES):
        return list(stmt.body)
    return [inner for _, block in blocks(stmt) for inner in block]
