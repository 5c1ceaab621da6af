"""Scopes and bindings: what each module, class, function and lambda body binds.

The semantic model opens a :class:`Scope` for each body it walks and closes it when the
body ends; what could only be judged with the whole body in view (a local bound to a
plugin further down, the assignments a state name can come from) waits on it until then.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence, Tuple, Type

from .flow import Flow
from .model import Access
from .resolution import Item

# ``try`` and, from Python 3.11, ``try/except*`` (same fields; typed as Try for mypy on 3.9).
TRY_TYPES: Tuple[Type[ast.Try], ...] = tuple(
    t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)


@dataclass(eq=False)
class Scope:
    """A module, function, lambda or class body: what it binds and what waits on it."""

    kind: str
    parent: Optional["Scope"]
    body: Sequence[ast.stmt] = ()
    stores: set[str] = field(default_factory=set)
    not_local: set[str] = field(default_factory=set)
    assigns: dict[str, list[ast.expr]] = field(default_factory=lambda: defaultdict(list))
    assign_stmts: dict[int, ast.stmt] = field(default_factory=dict)  # id(value) -> statement
    loads: dict[str, list[ast.Name]] = field(default_factory=lambda: defaultdict(list))
    plugin_direct: set[str] = field(default_factory=set)
    plugin_edges: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pending_access: list[tuple[str, Access]] = field(default_factory=list)
    dispatch_direct: set[str] = field(default_factory=set)  # locals holding plugin callables
    pending_dispatch: list[tuple[str, Access]] = field(default_factory=list)
    pending_states: list[Item] = field(default_factory=list)
    _flow: Optional[Flow] = None

    def flow(self) -> Flow:
        """Reaching definitions over this scope's statements, built on first use."""
        if self._flow is None:
            self._flow = Flow(self.body, {
                name: [(v, self.assign_stmts[id(v)]) for v in values]
                for name, values in self.assigns.items()})
        return self._flow

    def is_local(self, name: str) -> bool:
        return name in self.stores and name not in self.not_local

    def plugin_locals(self) -> set[str]:
        """Names bound to plugins, following ``q = p`` chains (flow-insensitive)."""
        found = set(self.plugin_direct)
        todo = list(found)
        while todo:
            for target in self.plugin_edges.get(todo.pop(), ()):
                if target not in found:
                    found.add(target)
                    todo.append(target)
        return found


def module_aliases(tree: ast.AST) -> dict[str, str]:
    """``alias -> imported name`` for the module's top-level imports (incl. if/try blocks).

    Only statement lists are looked at, never expressions: this is not a second walk.
    """
    aliases: dict[str, str] = {}
    stack = list(getattr(tree, "body", ()))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            add_aliases(aliases, stmt)
        elif isinstance(stmt, (ast.If, ast.With, ast.AsyncWith) + TRY_TYPES):
            for attr in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(stmt, attr, ()):
                    stack.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
    return aliases


def add_aliases(aliases: dict[str, str], stmt: ast.Import | ast.ImportFrom) -> None:
    for alias in stmt.names:
        if alias.asname:
            aliases[alias.asname] = alias.name.rsplit(".", 1)[-1]


def all_args(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg is not None:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg is not None:
        yield args.kwarg
