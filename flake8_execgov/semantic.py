"""The semantic model: one walk over flake8's ``ast`` tree, shared by every rule.

The walk is iterative (an explicit stack: no depth limit of its own, no
``RecursionError``) and visits each node once. It keeps scopes and bindings
(:mod:`scopes`), the runner and ``try`` context (:mod:`runners`), routes, and the state
arguments of metrics calls, and it knows no rule: rules (:mod:`rules`) register hooks
that it calls at the nodes they ask for, with the model as their context, and read what
it collected once the module is complete.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple, Union

from .model import Finding, Route, pos
from .options import Config
from .resolution import Item, resolve
from .bindings import BindingContext
from .routes import RouteContext
from .runners import RunnerContext
from .scopes import TRY_TYPES, Scope, all_args, module_aliases
from .vocabulary import Vocabulary, dotted, last_id

# Introspection of a run method is a capability check, not an execution (like callable()).
CAPABILITY_CHECKS = frozenset(("callable", "iscoroutinefunction", "isasyncgenfunction",
                               "isgeneratorfunction", "signature"))

# Calls that grant routes their auth (by router name, module-wide) wherever they are.
_ROUTER_WORDS = ("APIRouter", "FastAPI", "include_router")

# (callable, argument) pushed on the walk stack between nodes: context changes.
Action = Tuple[Callable[[Any], None], Any]
StackItem = Union[ast.AST, Action]
Hook = Callable[["SemanticModel", Any], None]
StateHook = Callable[["SemanticModel", ast.expr, str, Optional[str]], None]
Handler = Callable[["SemanticModel", Any, list[StackItem]], bool]


class SemanticModel(BindingContext, RouteContext, RunnerContext):
    """The facts of one module, collected in one walk; ``hooks`` are the rules' own."""

    def __init__(self, tree: ast.AST, config: Config, hooks: Mapping[type, Sequence[Hook]],
                 state_hooks: Sequence[StateHook], lines: Optional[Sequence[str]] = None) -> None:
        self.tree = tree
        self.lines = lines if config.prefilter is not None else None
        self.config = config
        self.aliases = module_aliases(tree)
        self.vocab = Vocabulary(config, self.aliases)
        self.findings: list[Finding] = []
        self.routes: list[Route] = []
        # (router as written, keywords) of APIRouter/FastAPI(...) and include_router(...)
        # calls: routers whose ``dependencies=`` may authorize their routes
        self.router_grants: list[tuple[str, list[ast.keyword]]] = []
        self.module_scope = Scope("module", None, getattr(tree, "body", ()))
        self.scope = self.module_scope
        self.stmt: Optional[ast.stmt] = None  # the innermost statement being walked
        self.route_depth = 0
        self.calls: dict[int, ast.Call] = {}  # id of a call target -> the call
        self._init_runner_context()
        self._table = _dispatch(hooks)  # cached: built once per rule set
        self._state_hooks = state_hooks

    # -- the walk ------------------------------------------------------------------------

    def run(self) -> "SemanticModel":
        stack: list[StackItem] = [self.tree]
        table = self._table
        iter_children = ast.iter_child_nodes
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):
                item[0](item[1])
                continue
            if isinstance(item, ast.stmt):
                stack.append((self._set_stmt, self.stmt))
                self.stmt = item
            entry = table.get(type(item))
            more = True
            if entry is not None:
                handler, hooks = entry
                more = handler(self, item, stack) if handler is not None else True
                for hook in hooks:
                    hook(self, item)
            if more:
                children: list[StackItem] = list(iter_children(item))
                children.reverse()
                stack.extend(children)
        self._close_scope(self.module_scope)
        return self

    def _set_stmt(self, stmt: Optional[ast.stmt]) -> None:
        self.stmt = stmt

    def report(self, node: ast.AST, code: str, text: str, old: Optional[str] = None,
               unsafe: Optional[str] = None) -> None:
        """Record a finding; ``old`` is the invalid state a state-replacement may fix,
        ``unsafe`` why that fix is not safe. Duplicates (one literal reaching several
        calls) are dropped by :func:`rules.analyze`."""
        new = self.config.state_replacements.get(old) if old is not None else None
        line, col = pos(node)
        self.findings.append(Finding(line, col, code, text, node,
                                     (old, new) if old is not None and new else None,
                                     unsafe if old is not None and new else None))

    # -- scopes ----------------------------------------------------------------------------

    def _open_scope(self, kind: str, body: Sequence[ast.stmt] = ()) -> Scope:
        self.scope = Scope(kind, self.scope, body)
        return self.scope

    def _close_scope(self, scope: Scope) -> None:
        """Resolve what waited on this scope's bindings; hand free names to the parent."""
        outer = scope.parent
        while outer is not None and outer.kind == "class" and scope.kind != "class":
            outer = outer.parent
        plugins = scope.plugin_locals() if scope.pending_access else set()
        for name, access in scope.pending_access:
            if scope.is_local(name):
                if name in plugins:
                    self.accesses.append(access)
            elif outer is not None:
                outer.pending_access.append((name, access))
        deferred = resolve(scope, scope.pending_states, self._state_reached)
        if outer is not None:
            outer.pending_states.extend(deferred)
            for name, uses in scope.loads.items():
                if not scope.is_local(name):
                    outer.loads[name].extend(uses)
        if scope.parent is not None:
            self.scope = scope.parent

    def _state_reached(self, expr: ast.expr, text: str, unsafe: Optional[str]) -> None:
        for hook in self._state_hooks:
            hook(self, expr, text, unsafe)

    # -- handlers: each returns True when the node's children still need the generic walk --

    def _assign(self, node: ast.Assign | ast.AnnAssign, stack: list[StackItem]) -> bool:
        self._assign_bindings(node)
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            self._router_built(target, node.value)
        return True

    def _attribute(self, node: ast.Attribute, stack: list[StackItem]) -> bool:
        if isinstance(node.ctx, ast.Load):
            if self.config.run_methods(node.attr) and id(node) not in self.exempt:
                self._access(node, node.value, "run")
            self._self_use(node)
        return True

    def _call(self, node: ast.Call, stack: list[StackItem]) -> bool:
        func = node.func
        self.calls[id(func)] = node
        name = last_id(func)
        if name is None:
            return True
        if name in CAPABILITY_CHECKS and len(node.args) == 1 and \
                (name != "callable" or isinstance(func, ast.Name)):
            self.exempt.add(id(node.args[0]))
        elif isinstance(func, ast.Name) and name == "getattr" and 2 <= len(node.args) <= 3 \
                and id(node) not in self.exempt:
            attr = node.args[1]
            if isinstance(attr, ast.Constant):
                if isinstance(attr.value, str) and self.config.run_methods(attr.value):
                    self._access(node, node.args[0], "run")
            elif not isinstance(attr, ast.Starred):
                self._access(node, node.args[0], "dynamic")
        if self.vocab.matches(self.config.metrics_functions, func):
            self._metrics_call(node)
        self._runner_call(node)
        if name == "include_router" and node.args:
            target = dotted(node.args[0])
            if target is not None:
                self.router_grants.append((target, node.keywords))
        return True

    def _metrics_call(self, node: ast.Call) -> None:
        """The finally it sits in records metrics; its state waits for resolution."""
        for frame in self.in_finally:
            frame.any_metrics = True
        cfg = self.config
        state: Optional[ast.expr] = None
        for keyword in node.keywords:
            if keyword.arg == cfg.metrics_state_keyword:
                state = keyword.value
        index = cfg.metrics_state_position
        if state is None and len(node.args) > index \
                and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1]):
            state = node.args[index]
        if state is not None:
            item: Item = (state, self.stmt)
            self.scope.pending_states.append(item)

    # -- functions, lambdas, classes --------------------------------------------------------------

    def _skippable(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
        """A module-level function or class whose text names nothing configured (and no
        import alias of such a name) cannot hold a finding, nor change one elsewhere: its
        bindings are its own, and a module-level name is never a safe fix anyway. The
        file-level prefilter, applied to each top-level definition."""
        if self.lines is None or self.scope is not self.module_scope:
            return False
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        text = "".join(self.lines[first - 1:getattr(node, "end_lineno", None) or len(self.lines)])
        prefilter = self.config.prefilter
        assert prefilter is not None
        return not prefilter.search(text) and not any(
            word in text for word in _ROUTER_WORDS) and not any(
            alias in text for alias, name in self.aliases.items() if prefilter.search(name))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                  stack: list[StackItem]) -> bool:
        self.scope.stores.add(node.name)
        if self._skippable(node):
            return False
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
        scope = self._open_scope("function", node.body)
        for param in all_args(node.args):
            scope.stores.add(param.arg)
            if self.vocab.is_plugin_type(param.annotation):
                scope.plugin_direct.add(param.arg)
        if route is not None:
            self.route_depth += 1
        self._enter_runner(node, in_class_body, scope)

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

    def _class(self, node: ast.ClassDef, stack: list[StackItem]) -> bool:
        self.scope.stores.add(node.name)
        if self._skippable(node):
            return False
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

    def _leave_class(self, node: ast.ClassDef) -> None:
        self._leave_runner_class()
        self._close_scope(self.scope)


_HANDLERS: dict[type, Handler] = {
    ast.Attribute: SemanticModel._attribute,
    ast.Call: SemanticModel._call,
    ast.Name: SemanticModel._name,
    ast.Assign: SemanticModel._assign,
    ast.AnnAssign: SemanticModel._assign,
    ast.NamedExpr: SemanticModel._named_expr,
    ast.For: SemanticModel._for,
    ast.AsyncFor: SemanticModel._for,
    ast.comprehension: SemanticModel._for,
    ast.FunctionDef: SemanticModel._function,
    ast.AsyncFunctionDef: SemanticModel._function,
    ast.Lambda: SemanticModel._lambda,
    ast.ClassDef: SemanticModel._class,
    ast.Import: SemanticModel._import,
    ast.ImportFrom: SemanticModel._import,
    ast.Global: SemanticModel._global,
    ast.Nonlocal: SemanticModel._global,
    ast.ExceptHandler: SemanticModel._except_handler,
    **{try_type: SemanticModel._try for try_type in TRY_TYPES},
}
if hasattr(ast, "TypeAlias"):
    _HANDLERS[ast.TypeAlias] = SemanticModel._type_alias


Table = dict[type, Tuple[Optional[Handler], Tuple[Hook, ...]]]
_TABLES: dict[int, Tuple[Mapping[type, Sequence[Hook]], Table]] = {}


def _dispatch(hooks: Mapping[type, Sequence[Hook]]) -> Table:
    """Per node type: the model's own handler, then the rules' hooks (built once)."""
    cached = _TABLES.get(id(hooks))
    if cached is not None and cached[0] is hooks:
        return cached[1]
    table: Table = {}
    for node_type in set(_HANDLERS) | set(hooks):
        table[node_type] = (_HANDLERS.get(node_type), tuple(hooks.get(node_type, ())))
    _TABLES[id(hooks)] = (hooks, table)
    return table
