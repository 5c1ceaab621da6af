"""The definitions part of the semantic model: functions, lambdas and classes open scopes,
runner frames and routes; a module-level definition the prefilter rules out is not walked.
"""

from __future__ import annotations

import ast
import bisect
from typing import Callable, Optional, Sequence

from .imported import ProjectFacts
from ..source.statements import first_line, on_lines
from .nodes import all_args
from .records import Access, Route, Scope, StackItem
from ..config.options import Config
from ..config.prefilter import Prefilter
from .state_sources import resolve
from .routes import RouteContext
from .runners import RunnerContext
from ..source.lines import LineIndex
from .vocabulary import Vocabulary


class DefinitionContext(RouteContext, RunnerContext):
    """Mixed into the semantic model: the handlers of ``def``, ``lambda`` and ``class``,
    and the scopes they open and close."""

    config: Config
    vocab: Vocabulary
    scope: Scope
    module_scope: Scope
    aliases: dict[str, str]
    source: Optional[LineIndex]
    prefilter: Optional[Prefilter]
    route_depth: int
    helper_names: frozenset[str]
    handoffs: list[tuple[str, str, Access]]
    deferred: list[tuple[str, Access]]
    deferred_handoffs: list[tuple[str, tuple[str, str, Access]]]
    _returns_plugin_code: Callable[[Scope, set[str]], None]
    _hot: Optional[tuple[int, list[int]]]
    skipped: list[ast.stmt]
    taints: dict[ast.expr, str]  # free state names: why a literal reaching them is not safe
    facts: ProjectFacts
    # the rules' hooks for each invalid literal that reaches a metrics state
    _state_reached: Callable[[ast.expr, str, Optional[str]], None]

    # -- scopes ----------------------------------------------------------------------------

    def _open_scope(self, kind: str, body: Sequence[ast.stmt] = ()) -> Scope:
        self.scope = Scope(kind, self.scope, body)
        return self.scope

    def _close_scope(self, scope: Scope) -> None:
        """Resolve what waited on this scope's bindings; hand free names to the parent."""
        outer = scope.parent
        while outer is not None and outer.kind == "class" and scope.kind != "class":
            outer = outer.parent
        plugins = scope.plugin_locals() \
            if scope.pending_access or scope.produced_edges or scope.return_edges else set()
        for name in plugins & scope.produced_edges.keys():  # what those plugins returned
            scope.dispatch_direct.update(scope.produced_edges[name])
        self._settle(scope, scope.pending_access, plugins,
                     outer.pending_access if outer is not None else None)
        self._returns_plugin_code(scope, plugins)
        for name, access in scope.pending_dispatch:  # a call of plugin code held by a local
            if name in scope.produced_by_call and scope.is_local(name) \
                    and name not in scope.dispatch_direct:
                self.deferred.append((scope.produced_by_call[name], access))
        self._settle(scope, scope.pending_dispatch, scope.dispatch_direct,
                     outer.pending_dispatch if outer is not None else None)
        for name, handoff in scope.pending_handoffs:  # plugin code handed to a function
            if scope.is_local(name):
                if name in scope.dispatch_direct:
                    self.handoffs.append(handoff)
                elif name in scope.produced_by_call:
                    self.deferred_handoffs.append((scope.produced_by_call[name], handoff))
            elif outer is not None:
                outer.pending_handoffs.append((name, handoff))
        for name, access in scope.pending_imported:  # the module binds it by importing it
            if outer is None:  # (unless the module defines the name itself: its own def)
                if name not in self.helper_names:
                    self.accesses.append(access)
            elif name in scope.imported_here:  # ``from app.core import main`` in a function
                self.accesses.append(access)
            elif not scope.is_local(name):
                outer.pending_imported.append((name, access))
        deferred = resolve(scope, scope.pending_states, self._state_reached,
                           self.facts.state_constants if outer is None else {}, self.taints)
        if outer is not None:
            outer.pending_states.extend(deferred)
            for name, uses in scope.loads.items():
                if not scope.is_local(name):
                    outer.loads[name].extend(uses)
        if scope.parent is not None:
            self.scope = scope.parent

    def _settle(self, scope: Scope, pending: list[tuple[str, Access]], bound: set[str],
                outer: Optional[list[tuple[str, Access]]]) -> None:
        """Accesses through a local name count when the scope bound it so (flow-
        insensitively); a free name is the enclosing scope's question."""
        for name, access in pending:
            if scope.is_local(name):
                if name in bound:
                    self.accesses.append(access)
            elif outer is not None:
                outer.append((name, access))

    def used_unwalked(self, names: set[str]) -> set[str]:
        """Which of ``names`` occur in module-level definitions the prefilter skipped (their
        uses were not recorded): a scan of the file per name."""
        source = self.source
        if not names or not self.skipped or source is None:
            return set()
        spans = sorted((first_line(s), getattr(s, "end_lineno", 0) or 0) for s in self.skipped)
        starts = [first for first, _ in spans]

        def unwalked(line: int) -> bool:
            index = bisect.bisect_right(starts, line) - 1
            return index >= 0 and line <= spans[index][1]

        return {name for name in names for at in source.offsets(name)
                if source.is_word_at(at, name) and unwalked(source.line_of(at))}

    def _skippable(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
        """A module-level function or class whose text names nothing configured (and no
        import alias of such a name) cannot hold a finding, nor change one elsewhere: its
        bindings are its own, and a module-level name is never a safe fix anyway. The
        file-level prefilter, applied to each top-level definition."""
        if self.source is None or self.scope is not self.module_scope:
            return False
        return not on_lines(node, self._hot_lines())

    def _hot_lines(self) -> list[int]:
        """Lines naming something the rules need, or an alias of such a name: found once
        per file (again only when an import adds an alias)."""
        if self._hot is None or self._hot[0] != len(self.aliases):
            prefilter = self.prefilter
            assert prefilter is not None and self.source is not None
            words = [alias for alias, name in self.aliases.items() if prefilter.search(name)]
            words += self.vocab.plugin_classes  # their instances are plugins
            words += self.vocab.registries  # their entries are plugin code
            words += self.vocab.imported_words
            hot = self._with_callers(prefilter.lines_naming(self.source, words))
            self._hot = (len(self.aliases), hot)
        return self._hot[1]

    def _with_callers(self, lines: list[int]) -> list[int]:
        """The hot lines, and the lines naming a module-level function that holds one, to
        a fixed point: a function calling a helper that executes is part of the helper's
        coverage (``relay()`` between a runner and ``execute()``), though it names
        nothing the rules know. Each function's name is searched once."""
        source = self.source
        assert source is not None
        spans = sorted((first_line(s), getattr(s, "end_lineno", 0) or 0, s.name)
                       for s in self.module_scope.body
                       if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
        starts = [span[0] for span in spans]
        hot, named, todo = set(lines), set[str](), list(lines)
        while todo:
            line = todo.pop()
            index = bisect.bisect_right(starts, line) - 1
            if index < 0 or line > spans[index][1] or spans[index][2] in named:
                continue
            name = spans[index][2]
            named.add(name)
            for at in source.offsets(name):
                where = source.line_of(at)
                if where not in hot and source.is_word_at(at, name):
                    hot.add(where)
                    todo.append(where)
        return sorted(hot)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                  stack: list[StackItem]) -> Optional[bool]:
        self.scope.stores.add(node.name)
        self.scope.binds[node.name].append(node.lineno)
        if self._skippable(node):
            self.skipped.append(node)
            return None
        args = node.args
        outside: list[ast.AST] = list(node.decorator_list)
        outside += [d for d in args.defaults + args.kw_defaults if d is not None]
        outside += [a.annotation for a in all_args(args) if a.annotation is not None]
        if node.returns is not None:
            outside.append(node.returns)
        route = self._route(node)
        stack.append((self._leave_function, (node, route)))
        stack.extend(reversed(node.body))
        stack.append((self._enter_function, (node, route)))
        stack.extend(reversed(outside))
        return False

    def _enter_function(self, arg: tuple[ast.FunctionDef | ast.AsyncFunctionDef,
                                         Optional[Route]]) -> None:
        node, route = arg
        in_class_body = self.scope.kind == "class"
        module_level = self.scope is self.module_scope
        scope = self._open_scope("function", node.body)
        scope.name = node.name
        scope.param_order = [a.arg for a in node.args.posonlyargs + node.args.args]
        for param in all_args(node.args):
            scope.stores.add(param.arg)
            scope.params.add(param.arg)
            if self.vocab.is_plugin_type(param.annotation):
                scope.plugin_direct.add(param.arg)
        if route is not None:
            self.route_depth += 1
        self._enter_runner(node, in_class_body, scope, module_level)

    def _leave_function(self, arg: tuple[ast.AST, Optional[Route]]) -> None:
        if arg[1] is not None:
            self.route_depth -= 1
        self._leave_runner()
        self._close_scope(self.scope)

    def _lambda(self, node: ast.Lambda, stack: list[StackItem]) -> bool:
        defaults = [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
        stack.append((self._leave_lambda, node))
        stack.append(node.body)
        stack.append((self._enter_lambda, node))
        stack.extend(reversed(defaults))
        return False

    def _enter_lambda(self, node: ast.Lambda) -> None:
        scope = self._open_scope("lambda")
        for arg in all_args(node.args):
            scope.stores.add(arg.arg)

    def _leave_lambda(self, node: ast.Lambda) -> None:
        self._close_scope(self.scope)

    def _class(self, node: ast.ClassDef, stack: list[StackItem]) -> Optional[bool]:
        self.scope.stores.add(node.name)
        self.scope.binds[node.name].append(node.lineno)
        if self._skippable(node):
            self.skipped.append(node)
            return None
        outside: list[ast.AST] = [*node.decorator_list, *node.bases]
        outside += [kw.value for kw in node.keywords]
        stack.append((self._leave_class, node))
        stack.extend(reversed(node.body))
        stack.append((self._enter_class, node))
        stack.extend(reversed(outside))
        return False

    def _enter_class(self, node: ast.ClassDef) -> None:
        self._open_scope("class", node.body)
        self._enter_runner_class(node)
        self.class_path.append(node.name)

    def _leave_class(self, node: ast.ClassDef) -> None:
        self.class_path.pop()
        self._leave_runner_class()
        self._close_scope(self.scope)
