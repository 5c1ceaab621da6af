"""The bindings part of the semantic model: what each scope binds, and to what.

Assignments feed plugin bindings (``p = plugins[k]``, ``q = p``) and state resolution
(which values a name can hold at a metrics call). Whether a literal reaches anything else
than a metrics state is answered from what is recorded here too: every place a bound
value goes (each target of ``a = b = v``, a walrus target and the walrus's own value, an
attribute or item, a tuple unpacked), every read of a name (loads and augmented
assignments) and every other way a name is bound (``for``/``with``/``except``/``match``
targets, imports, definitions, ``global``/``nonlocal``).
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

from .constructed import self_attribute
from .handoffs import returned_by
from .imported import ProjectFacts
from .nodes import source_text
from .records import Scope, StackItem
from .vocabulary import Vocabulary, add_aliases


class BindingContext:
    """Mixed into the semantic model: handlers that record bindings in the current scope."""

    vocab: Vocabulary
    facts: ProjectFacts
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
                scope.assign_stmts[value] = self.stmt
            kind = self.vocab.plugin_expr(value)
            if kind is True:
                scope.plugin_direct.add(target.id)
            elif isinstance(kind, str):
                scope.plugin_edges[kind].append(target.id)
            if self.vocab.dispatch_expr(value) is True:
                scope.dispatch_direct.add(target.id)
            self._produced(target.id, value)
            if isinstance(value, ast.Call) and \
                    self.vocab.is_runner_class(value.func):
                scope.runner_locals.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._bind(sub_target, sub_value)

    def _receive(self, targets: Sequence[ast.expr], value: ast.expr) -> None:
        """Record where ``value`` goes when bound to ``targets``: the local names, or why
        not only there (``!...``: an attribute, an item, a tuple unpacked elsewhere)."""
        scope = self.scope
        pairs = [(target, value) for target in targets]
        while pairs:
            target, val = pairs.pop()
            elements = val.elts if isinstance(val, (ast.Tuple, ast.List)) else []
            if isinstance(target, ast.Name):
                scope.receivers[val].append(target.id)
                scope.followed_stores.add(target)
                if not elements:  # the reason below is only for a tuple's items
                    continue
                where = f"the value is also part of {target.id} (line {target.lineno})"
            elif isinstance(target, (ast.Tuple, ast.List)) and len(targets) == 1 \
                    and len(target.elts) == len(elements) \
                    and not any(isinstance(e, ast.Starred) for e in target.elts):
                pairs.extend(zip(target.elts, elements))
                continue
            else:
                where = (f"the value is also assigned to {source_text(target)} "
                         f"(line {target.lineno})")
                scope.receivers[val].append("!" + where)
            for element in elements:  # a tuple kept whole: its items go there too
                scope.receivers[element].append("!" + where)

    def _aug_assign(self, node: ast.AugAssign, stack: list[StackItem]) -> bool:
        """``x += y`` reads ``x`` before it binds it: a use of what ``x`` holds."""
        if isinstance(node.target, ast.Name):
            self.scope.loads[node.target.id].append(node.target)
            self.scope.followed_stores.add(node.target)
        return True

    def _bound_otherwise(self, name: str, line: int) -> None:
        self.scope.stores.add(name)
        self.scope.binds[name].append(line)

    def _capture(self, node: ast.AST, stack: list[StackItem]) -> bool:
        """A ``match`` capture (``case {"state": st}``, ``case [*rest]``, ``**rest``)."""
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if isinstance(name, str):
            self._bound_otherwise(name, getattr(node, "lineno", 0))
        return True

    def _global(self, node: ast.Global | ast.Nonlocal, stack: list[StackItem]) -> bool:
        self.scope.not_local.update(node.names)
        kind = "global" if isinstance(node, ast.Global) else "nonlocal"
        for name in node.names:
            self.scope.declared[name] = kind
        return False

    def _import(self, node: ast.Import | ast.ImportFrom, stack: list[StackItem]) -> bool:
        add_aliases(self.aliases, node)
        for alias in node.names:
            name = alias.asname or alias.name.split(".", 1)[0]
            if name != "*":
                self._bound_otherwise(name, node.lineno)
                if self.scope.kind != "module":  # project facts follow it (live_imports)
                    self.scope.imported_here.add(name)
        return False

    def _assign_bindings(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and self.vocab.is_plugin_type(node.annotation):
            self.scope.plugin_direct.add(node.target.id)
            self.scope.stores.add(node.target.id)
        for target in targets:
            self._bind(target, node.value)
            attr = self_attribute(target)
            if attr is not None and node.value is not None:
                holder: Optional[Scope] = self.scope
                while holder is not None and holder.kind != "class":
                    holder = holder.parent
                if holder is not None:  # model.constructed: what the class builds there
                    holder.self_assigns[attr].append(node.value)
        if node.value is not None:
            self._receive(targets, node.value)
        elif isinstance(node.target, ast.Name):  # a bare annotation binds nothing
            self.scope.followed_stores.add(node.target)

    def _type_alias(self, node: ast.AST, stack: list[StackItem]) -> bool:
        name, value = getattr(node, "name", None), getattr(node, "value", None)
        if isinstance(name, ast.Name) and value is not None:
            self.scope.assigns[name.id].append(value)
            self.scope.assign_stmts[value] = node  # type: ignore[assignment]
        return True

    def _named_expr(self, node: ast.NamedExpr, stack: list[StackItem]) -> bool:
        self._bind(node.target, node.value)
        self._receive([node.target], node.value)
        self.scope.walrus_of[node.value] = node  # its own value goes on, too
        return True

    def _bind_loop(self, node: ast.For | ast.AsyncFor | ast.comprehension) -> None:
        self.scope.plugin_direct.update(self.vocab.iterated_plugins(node.target, node.iter))
        if isinstance(node.target, ast.Name):
            if self.vocab.dispatches(node.iter):
                self.scope.dispatch_direct.add(node.target.id)
            self._produced(node.target.id, node.iter)  # the items of what a plugin returned

    def _produced(self, name: str, value: ast.expr) -> None:
        """``name`` holds what a plugin execution returned (or an item of it): plugin code,
        so calling it, or an attribute of it, executes the plugin (as a dispatch entry)."""
        made = self.vocab.produced(value)
        if made is False:  # what a host function returned that a plugin returned?
            callee = returned_by(value)
            if callee is None:
                return
            if callee not in self.facts.producers:
                if "." not in callee:  # this module's function: decided at the module's end
                    self.scope.produced_names.add(name)
                    self.scope.produced_by_call[name] = callee
                return
            made = True
        self.scope.produced_names.add(name)
        if isinstance(made, str):
            self.scope.produced_edges[made].append(name)
        else:
            self.scope.dispatch_direct.add(name)

    def _except_handler(self, node: ast.ExceptHandler, stack: list[StackItem]) -> bool:
        if node.name:
            self._bound_otherwise(node.name, node.lineno)
        return True
