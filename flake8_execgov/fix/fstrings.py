"""Nodes inside f-strings, named without their columns.

CPython 3.9 reports wrong columns (and, in multi-line f-strings, lines) for the nodes
inside an f-string's replacement fields, so a fix located by them could rewrite another
literal on the same line. The f-string's own position is right on every version: a node
inside is named by that position, its kind (string literal, attribute, subscript, call)
and its rank among the nodes of that kind inside the f-string, in source order; libcst
(whose positions are the source's) names its nodes the same way.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence, Tuple, Union

import libcst as cst

from ..source.lines import char_col

Rank = Tuple[str, int, int, str, int]  # ("f", line, column of the f-string, kind, rank)
_KINDS = {ast.Attribute: "attribute", ast.Subscript: "subscript", ast.Call: "call"}
_CST_KINDS = {cst.Attribute: "attribute", cst.Subscript: "subscript", cst.Call: "call"}


def fstring_ranks(tree: ast.AST, lines: Sequence[str]) -> dict[ast.AST, Rank]:
    """Each node inside an f-string -> its rank (one iterative walk)."""
    groups: list[tuple[ast.JoinedStr, list[tuple[str, ast.AST]]]] = []
    parts: set[ast.AST] = set()  # an f-string's literal text (libcst: FormattedStringText)
    stack: list[tuple[ast.AST, Optional[list[tuple[str, ast.AST]]]]] = [(tree, None)]
    while stack:
        node, members = stack.pop()
        if isinstance(node, ast.JoinedStr):
            parts.update(node.values)
            if members is None:
                members = []
                groups.append((node, members))
        elif members is not None:
            kind = _KINDS.get(type(node))
            if kind is None and isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node not in parts:
                kind = "string"
            if kind is not None:
                members.append((kind, node))
        stack.extend((child, members) for child in ast.iter_child_nodes(node))
    ranks: dict[ast.AST, Rank] = {}
    for fstring, members in groups:
        line = fstring.lineno
        column = char_col(lines, line, fstring.col_offset)
        counts: dict[str, int] = {}
        members.sort(key=lambda item: _order(item[1]))
        for kind, node in members:
            ranks[node] = ("f", line, column, kind, counts.get(kind, 0))
            counts[kind] = counts.get(kind, 0) + 1
    return ranks


def _order(node: ast.AST) -> tuple[int, int, int, int]:
    """Source order, an enclosing node first (positions shifted alike keep their order)."""
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0),
            -(getattr(node, "end_lineno", 0) or 0), -(getattr(node, "end_col_offset", 0) or 0))


def has_fstring(node: cst.ConcatenatedString) -> bool:
    """Is one of the parts of an implicit concatenation an f-string (``ast``: a JoinedStr)?"""
    todo: list[cst.BaseExpression] = [node.left, node.right]
    while todo:
        part = todo.pop()
        if isinstance(part, cst.FormattedString):
            return True
        if isinstance(part, cst.ConcatenatedString):
            todo += [part.left, part.right]
    return False


class FStringRanks:
    """Mixed into the libcst transformer: the same ranks, counted in source order."""

    def __init__(self) -> None:
        super().__init__()
        self._outer: Optional[cst.CSTNode] = None
        self._where: tuple[int, int] = (0, 0)
        self._counts: dict[str, int] = {}
        self._concatenated: set[cst.CSTNode] = set()  # the parts of implicit concatenations
        self._ranks: dict[cst.CSTNode, Rank] = {}

    def enter_fstring(self, node: cst.CSTNode, where: tuple[int, int]) -> None:
        if self._outer is None:
            self._outer, self._where, self._counts = node, where, {}

    def leave_fstring(self, node: cst.CSTNode) -> None:
        if self._outer is node:
            self._outer = None

    def rank(self, node: Union[cst.BaseExpression, cst.CSTNode]) -> None:
        if isinstance(node, cst.ConcatenatedString):
            self._concatenated.update((node.left, node.right))
        if self._outer is None or node is self._outer:
            return
        kind = _CST_KINDS.get(type(node))
        if kind is None and node not in self._concatenated:
            if isinstance(node, cst.SimpleString) and "b" not in node.prefix.lower():
                kind = "string"
            elif isinstance(node, cst.ConcatenatedString) and not has_fstring(node) \
                    and isinstance(node.evaluated_value, str):
                kind = "string"
        if kind is not None:
            count = self._counts.get(kind, 0)
            self._counts[kind] = count + 1
            self._ranks[node] = ("f", *self._where, kind, count)

    def is_part(self, node: cst.CSTNode) -> bool:
        """Is ``node`` a part of an implicit concatenation (seen before its parts)?"""
        return node in self._concatenated

    def rank_of(self, node: cst.CSTNode) -> Optional[Rank]:
        return self._ranks.get(node)
