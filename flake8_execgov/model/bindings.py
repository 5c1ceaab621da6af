"""The bindings part of the semantic model: what each scope binds, and to what.

Assignments feed plugin bindings (``p = plugins[k]``, ``q = p``) and state resolution
(which values a name can hold at a metrics call); loads feed the question whether a
literal reaches anything else than a metrics state.
"""

from __future__ import annotations

import ast
from typing import Optional

from .records import Scope, StackItem
from .vocabulary import Vocabulary, add_aliases


class BindingContext:
    """Mixed into the semantic model: handlers that record bindings in the current scope."""

    vocab: Vocabulary
    scope: Scope
    stmt: Optional[ast.stmt]
    aliases: dict[str, str]

    def _bind(self, target: ast.AST, value: Optional[ast.expr]) -> None:
        """Record ``target = value`` for plugin bindings and state resolution."""
        scope = self.scope
        if isinstance(target, ast.Name):
            if value is None:
                return
            scope.assigns[target.id].append(value)
            if self.stmt is not None:
                scope.assign_stmts[id(value)] = self.stmt
            kind = self.vocab.plugin_expr(value)
            if kind is True:
                scope.plugin_direct.add(target.id)
            elif isinstance(kind, str):
                scope.plugin_edges[kind].append(target.id)
            if self.vocab.dispatch_expr(value) is True:
                scope.dispatch_direct.add(target.id)
            if isinstance(value, ast.Call) and \
                    self.vocab.is_runner_class(value.func):
                scope.runner_locals.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._bind(sub_target, sub_value)

    def _global(self, node: ast.Global | ast.Nonlocal, stack: list[StackItem]) -> bool:
        self.scope.not_local.update(node.names)
        return False

    def _import(self, node: ast.Import | ast.ImportFrom, stack: list[StackItem]) -> bool:
        add_aliases(self.aliases, node)
        for alias in node.names:
            name = alias.asname or alias.name.split(".", 1)[0]
            if name != "*":
                self.scope.stores.add(name)
        return False

    def _assign_bindings(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and self.vocab.is_plugin_type(node.annotation):
            self.scope.plugin_direct.add(node.target.id)
            self.scope.stores.add(node.target.id)
        for target in targets:
            self._bind(target, node.value)

    def _type_alias(self, node: ast.AST, stack: list[StackItem]) -> bool:
        name, value = getattr(node, "name", None), getattr(node, "value", None)
        if isinstance(name, ast.Name) and value is not None:
            self.scope.assigns[name.id].append(value)
            self.scope.assign_stmts[id(value)] = node  # type: ignore[assignment]
        return True

    def _named_expr(self, node: ast.NamedExpr, stack: list[StackItem]) -> bool:
        self._bind(node.target, node.value)
        return True

    def _bind_loop(self, node: ast.For | ast.AsyncFor | ast.comprehension) -> None:
        self.scope.plugin_direct.update(self.vocab.iterated_plugins(node.target, node.iter))
        if isinstance(node.target, ast.Name) and self.vocab.dispatches(node.iter):
            self.scope.dispatch_direct.add(node.target.id)

    def _except_handler(self, node: ast.ExceptHandler, stack: list[StackItem]) -> bool:
        if node.name:
            self.scope.stores.add(node.name)
        return True
