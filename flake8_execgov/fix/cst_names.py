"""What a libcst statement reads, binds or how it leaves: the unsafe fix's safety checks."""

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
