"""How a libcst statement leaves: where the unsafe fix puts a call in an existing finally.

(What a statement reads or binds is decided on the syntax tree, in :mod:`fix.plan`.)
"""

from __future__ import annotations

import libcst as cst


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
