"""Registries that plugins fill: module-level containers a registering function writes.

``@register_formatter("csv")`` puts a plugin's function into ``formatters[key] = fn``; the
host later calls ``formatters[key](record)`` outside any runner. The decorator's name is
configured (``execgov-registry-decorators``); the container is found where the decorator
(or a registering function, or a decorator factory's inner function) writes a module-level
name: an item assigned (``formatters[key] = fn``, ``apps[name] = {"factory": make}``) or
added (``hooks.append(fn)``, ``.add``, ``.setdefault``, ``.update``, ``.insert``,
``.extend``). Such a container is a registry, as if named in ``execgov-dispatch-names``:
calling an entry of it (also an entry's entry) executes a plugin. Statement lists only (the
function's body and the blocks and functions nested in it): not a second walk.
"""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from ..config.names import NameMatcher

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_ADDERS = frozenset(("append", "add", "setdefault", "update", "insert", "extend"))


def written_registries(body: Iterable[ast.stmt], decorators: NameMatcher) -> frozenset[str]:
    """The module-level names the module's registering functions write into."""
    statements = list(body)
    if not decorators:
        return frozenset()
    module_names = {target.id for stmt in statements if isinstance(stmt, (ast.Assign,
                                                                          ast.AnnAssign))
                    for target in (stmt.targets if isinstance(stmt, ast.Assign)
                                   else [stmt.target]) if isinstance(target, ast.Name)}
    found: set[str] = set()
    for stmt in statements:
        if isinstance(stmt, _FUNCTIONS) and decorators(stmt.name):
            found.update(name for name in map(_written, _statements(stmt.body))
                         if name is not None and name in module_names)
    return frozenset(found)


def _statements(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    stack = list(body)
    while stack:
        stmt = stack.pop()
        yield stmt
        for attr in ("body", "orelse", "finalbody"):
            stack.extend(getattr(stmt, attr, ()) if not isinstance(stmt, ast.ClassDef) else ())
        for handler in getattr(stmt, "handlers", ()):
            stack.extend(handler.body)


def _written(stmt: ast.stmt) -> Optional[str]:
    """The container a statement writes an item into: ``C[k] = v``, ``C.append(v)``."""
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Subscript):
                return _container(target.value)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr in _ADDERS:
            return _container(func.value)
    return None


def _container(node: ast.expr) -> Optional[str]:
    while isinstance(node, ast.Subscript):  # ``C[kind][key] = fn``
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
