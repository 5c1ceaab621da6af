"""Which assignments to a name can reach a statement: reaching definitions for GOV004.

``status = "SUCCESS"; ...; status = job.lifecycle_state; record(name, status)``: the
literal never reaches the call, because the second assignment overwrites it on every path.
Walking back from the statement that uses the name, each earlier statement of the same
block either overwrites the name on every path (the search stops there), may assign it
(its assignments count, the search goes on), or does not touch it. Leaving a block climbs
to the statement that holds it; a loop body also sees the loop's own assignments (the
back edge), a handler or ``finally`` those of the ``try`` body. Where paths merge, every
assignment that may reach counts: conservative only where control flow really merges.

Statement nesting is bounded by Python's own indentation limit (100 levels), so the
recursion into nested blocks here is bounded whatever the size of the input.
"""

from __future__ import annotations

import ast
import bisect
from typing import Iterator, Mapping, Optional, Sequence, Tuple

from ..source.statements import SCOPES, blocks, end, pos
from .nodes import TRY_TYPES

# Each statement's place: the statement holding its block (None at the top of the scope),
# the field of that statement, the block and the index in it.
Place = Tuple[Optional[ast.stmt], str, Sequence[ast.stmt], int]
LOOPS = (ast.For, ast.AsyncFor, ast.While)


class Flow:
    """The statements of one scope, and the assignments to each of its names."""

    def __init__(self, body: Sequence[ast.stmt],
                 assignments: Mapping[str, list[tuple[ast.expr, ast.stmt]]]) -> None:
        self._place: dict[ast.stmt, Place] = {}
        # name -> [(value, its statement)] by position; (name, statement) -> values
        self._sorted: dict[str, list[tuple[ast.expr, ast.stmt]]] = {}
        self._starts: dict[str, list[tuple[int, int]]] = {}
        self._by_stmt: dict[tuple[str, ast.stmt], list[ast.expr]] = {}
        for name, pairs in assignments.items():
            ordered = sorted(pairs, key=lambda pair: pos(pair[1]))
            self._sorted[name] = ordered
            self._starts[name] = [pos(stmt) for _, stmt in ordered]
            for value, stmt in pairs:
                self._by_stmt.setdefault((name, stmt), []).append(value)
        todo: list[tuple[Optional[ast.stmt], str, Sequence[ast.stmt]]] = [(None, "body", body)]
        while todo:
            holder, field_name, block = todo.pop()
            for index, stmt in enumerate(block):
                self._place[stmt] = (holder, field_name, block, index)
                todo.extend((stmt, name, inner) for name, inner in blocks(stmt))

    def knows(self, stmt: Optional[ast.stmt]) -> bool:
        return stmt is not None and stmt in self._place

    def ancestry(self, stmt: ast.stmt) -> Iterator[Place]:
        """The place of ``stmt``, then of each statement holding it, up to the scope."""
        node: Optional[ast.stmt] = stmt
        while node is not None and node in self._place:
            place = self._place[node]
            yield place
            node = place[0]

    def before(self, name: str, stmt: ast.stmt) -> tuple[list[ast.expr], Optional[ast.stmt]]:
        """One step back from the start of ``stmt``: the values assigned to ``name`` there
        that may still hold, and the statement whose start to look back from next (None
        when every path overwrote the name, or at the top of the scope)."""
        holder, field_name, block, index = self._place[stmt]
        if index > 0:
            values, killed = self._statement(name, block[index - 1])
            return values, None if killed else block[index - 1]
        if holder is None:
            return [], None
        values = self._own(name, holder)  # a walrus in the holder's header
        if isinstance(holder, LOOPS):
            values += self._within(name, holder.body)  # the back edge, or the else
        elif isinstance(holder, TRY_TYPES):
            if field_name == "orelse":  # the body completed
                found, killed = self._block(name, holder.body)
                if killed:
                    return values + found, None
                values += found
            elif field_name == "handlers":
                values += self._within(name, holder.body)
            elif field_name == "finalbody":
                for part in [holder.body, holder.orelse] + [h.body for h in holder.handlers]:
                    values += self._within(name, part)
        return values, holder

    def _own(self, name: str, stmt: ast.stmt) -> list[ast.expr]:
        return self._by_stmt.get((name, stmt), [])

    def _within(self, name: str, block: Sequence[ast.stmt]) -> list[ast.expr]:
        """Every value assigned to ``name`` anywhere in ``block`` (a range of positions)."""
        if not block or name not in self._starts:
            return []
        low = bisect.bisect_left(self._starts[name], pos(block[0]))
        limit = end(block[-1])
        found = []
        for value, stmt in self._sorted[name][low:]:
            if pos(stmt) > limit:
                break
            found.append(value)
        return found

    def _block(self, name: str, block: Sequence[ast.stmt]) -> tuple[list[ast.expr], bool]:
        """What a run of ``block`` leaves in ``name``: (values, overwritten on every path)."""
        values: list[ast.expr] = []
        for stmt in reversed(block):
            found, killed = self._statement(name, stmt)
            values += found
            if killed:
                return values, True
        return values, False

    def _statement(self, name: str, stmt: ast.stmt) -> tuple[list[ast.expr], bool]:
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            return self._block(name, stmt.body)
        if isinstance(stmt, ast.If):
            body, body_killed = self._block(name, stmt.body)
            other, other_killed = self._block(name, stmt.orelse)
            return self._own(name, stmt) + body + other, body_killed and other_killed
        if isinstance(stmt, TRY_TYPES):
            final, killed = self._block(name, stmt.finalbody)
            if killed:
                return final, True
        if blocks(stmt) or isinstance(stmt, TRY_TYPES):
            return self._within(name, [stmt]), False
        return self._own(name, stmt), _overwrites(stmt, name)


def _overwrites(stmt: ast.stmt, name: str) -> bool:
    """Does this simple statement bind ``name`` whenever it completes?"""
    if isinstance(stmt, ast.Assign):
        return any(_binds(target, name) for target in stmt.targets)
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        return (stmt.value is not None or isinstance(stmt, ast.AugAssign)) \
            and _binds(stmt.target, name)
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return any((a.asname or a.name.split(".", 1)[0]) == name for a in stmt.names)
    if isinstance(stmt, ast.Delete):
        return any(_binds(target, name) for target in stmt.targets)
    if isinstance(stmt, SCOPES):
        return stmt.name == name
    return False


def _binds(target: ast.AST, name: str) -> bool:
    stack = [target]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name) and item.id == name:
            return True
        if isinstance(item, ast.Starred):
            stack.append(item.value)
        elif isinstance(item, (ast.Tuple, ast.List)):
            stack.extend(item.elts)
    return False
