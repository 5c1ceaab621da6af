"""What a libcst statement reads, binds or how it leaves: the unsafe fix's safety checks.

A name counts as bound by every way Python binds one: assignment targets (plain, annotated,
augmented, chained), ``for`` and ``with ... as`` targets, walrus targets (also inside
comprehensions, whose own targets stay theirs), ``except ... as``, ``match`` captures
(``case {"state": st}``, ``case [*rest]``, ``case {**rest}``, ``case str() as s``),
imports, ``def``/``class``, ``type`` aliases, ``global``/``nonlocal`` declarations; and
``del`` unbinds one.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst


class _Names(cst.CSTVisitor):
    """Names a statement reads, or binds (``bind``), outside nested functions and classes."""

    def __init__(self, bind: bool) -> None:
        super().__init__()
        self.bind = bind
        self.names: set[str] = set()

    def _target(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Name):
            self.names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value)

    def visit_Name(self, node: cst.Name) -> None:
        if not self.bind:
            self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``result.elapsed`` reads ``result``, not ``elapsed``
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # a keyword's name is no variable
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if self.bind:
            self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.bind:
            self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if self.bind:
            self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        if self.bind:
            self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if self.bind:
            self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if self.bind:
            self._target(node.name)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if self.bind and node.name is not None:
            self._target(node.name)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if self.bind and node.name is not None:
            self._target(node.name)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if self.bind and node.rest is not None:
            self._target(node.rest)

    def visit_Del(self, node: cst.Del) -> None:
        if self.bind:
            self.names |= _deleted(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        if self.bind:
            self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        if self.bind:
            self.names.update(item.name.value for item in node.names)

    def visit_TypeAlias(self, node: cst.CSTNode) -> None:
        name = getattr(node, "name", None)
        if self.bind and isinstance(name, cst.Name):
            self.names.add(name.value)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if self.bind and node.asname is None:
            first: cst.BaseExpression = node.name
            while isinstance(first, cst.Attribute):
                first = first.value
            self._target(first)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self.bind:
            self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self.bind:
            self.names.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def loaded_names(stmt: cst.CSTNode) -> set[str]:
    reader = _Names(bind=False)
    stmt.visit(reader)
    return reader.names


def bound_names(stmts: Sequence[cst.CSTNode]) -> set[str]:
    binder = _Names(bind=True)
    for stmt in stmts:
        stmt.visit(binder)
    return binder.names


def unbound_after(handlers: Sequence[cst.ExceptHandler]) -> set[str]:
    """Names a handler leaves unbound before a ``finally`` runs: its ``except ... as``
    name is deleted when it ends, and what its body deletes."""
    found: set[str] = set()
    for handler in handlers:
        if handler.name is not None and isinstance(handler.name.name, cst.Name):
            found.add(handler.name.name.value)
        deleted = _Deleted()
        handler.body.visit(deleted)
        found |= deleted.names
    return found


class _Deleted(cst.CSTVisitor):
    """Names a ``del`` unbinds (outside nested functions and classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_Del(self, node: cst.Del) -> None:
        self.names |= _deleted(node.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


class _Exits(cst.CSTVisitor):
    """Does a statement hold a ``return``/``raise``/``break``/``continue``?"""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_Raise(self, node: cst.Raise) -> None:
        self.found = True

    def visit_Break(self, node: cst.Break) -> None:
        self.found = True

    def visit_Continue(self, node: cst.Continue) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def leaves(stmt: cst.CSTNode) -> bool:
    exits = _Exits()
    stmt.visit(exits)
    return exits.found


def _deleted(target: cst.BaseExpression) -> set[str]:
    found: set[str] = set()
    todo = [target]
    while todo:
        item = todo.pop()
        if isinstance(item, cst.Name):
            found.add(item.value)
        elif isinstance(item, (cst.Tuple, cst.List)):
            todo += [element.value for element in item.elements]
    return found
