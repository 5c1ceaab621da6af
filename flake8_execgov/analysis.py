"""One walk over flake8's ``ast`` tree, collecting what every rule needs.

The walk is iterative (an explicit stack: no depth limit of its own, no
``RecursionError``) and visits each node once. Facts that can only be judged once a
scope, a class or the module is complete -- a local name bound to a plugin further down,
a helper method covered by its callers, a router authorized by a later
``include_router`` -- are recorded on the way and resolved when that unit closes.
The rules themselves live in :mod:`flake8_execgov.rules`.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Type, Union

from .messages import message
from .model import Access, Finding, Route, RunnerClass, RunnerFrame, Site, TryFrame, TryStack, end, pos
from .flow import Flow
from .options import Config
from .states import Item, resolve
from .vocabulary import Vocabulary, dotted, last_id, member_like, source_text, str_constant

# ``try`` and, from Python 3.11, ``try/except*`` (same fields; typed as Try for mypy on 3.9).
TRY_TYPES: Tuple[Type[ast.Try], ...] = tuple(
    t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)
# Introspection of a run method is a capability check, not an execution (like callable()).
CAPABILITY_CHECKS = frozenset(("callable", "iscoroutinefunction", "isasyncgenfunction",
                               "isgeneratorfunction", "signature"))
ROUTE_METHODS = frozenset(
    ("get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"))

# (callable, argument) pushed on the walk stack between nodes: context changes.
Action = Tuple[Callable[[Any], None], Any]
StackItem = Union[ast.AST, Action]


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


class Analyzer:
    """Collects the facts of one module; :func:`rules.analyze` turns them into findings."""

    def __init__(self, tree: ast.AST, config: Config) -> None:
        self.tree = tree
        self.config = config
        self.aliases = module_aliases(tree)
        self.vocab = Vocabulary(config, self.aliases)
        self.findings: list[Finding] = []
        self.accesses: list[Access] = []
        self.routes: list[Route] = []
        # (router as written, keywords) of APIRouter/FastAPI(...) and include_router(...)
        # calls: routers whose ``dependencies=`` may authorize their routes
        self.router_grants: list[tuple[str, list[ast.keyword]]] = []
        self.module_scope = Scope("module", None, getattr(tree, "body", ()))
        self.stmt: Optional[ast.stmt] = None  # the innermost statement being walked
        self.scope = self.module_scope
        # runner context: the current runner frame and class, and where we are in its trys
        self.runner: Optional[RunnerFrame] = None
        self.runner_class: Optional[RunnerClass] = None
        self._runner_scope: Optional[Scope] = None  # the scope of the current runner frame
        self._runner_class_scope: Optional[Scope] = None
        self.trys: TryStack = ()
        self.in_finally: list[TryFrame] = []
        # the try of each handler we are in; None for a handler too narrow to count (GOV103)
        self.in_handler: list[Optional[TryFrame]] = []
        self.route_depth = 0
        self.exempt: set[int] = set()  # ids of direct arguments of capability checks
        self.calls: dict[int, ast.Call] = {}  # id of a call target -> the call
        self._visit: dict[type, Callable[[Any, list[StackItem]], bool]] = {
            ast.Attribute: self._attribute,
            ast.Call: self._call,
            ast.Subscript: self._subscript,
            ast.Name: self._name,
            ast.Assign: self._assign,
            ast.AnnAssign: self._ann_assign,
            ast.NamedExpr: self._named_expr,
            ast.For: self._for,
            ast.AsyncFor: self._for,
            ast.comprehension: self._for,
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.Lambda: self._lambda,
            ast.ClassDef: self._class,
            ast.Import: self._import,
            ast.ImportFrom: self._import,
            ast.Global: self._global,
            ast.Nonlocal: self._global,
            ast.BoolOp: self._bool_op,
            ast.Dict: self._dict,
            ast.ExceptHandler: self._except_handler,
        }
        for try_type in TRY_TYPES:
            self._visit[try_type] = self._try
        if hasattr(ast, "TypeAlias"):
            self._visit[ast.TypeAlias] = self._type_alias

    # -- the walk ------------------------------------------------------------------------

    def run(self) -> "Analyzer":
        stack: list[StackItem] = [self.tree]
        visit = self._visit
        iter_children = ast.iter_child_nodes
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):
                item[0](item[1])
                continue
            if isinstance(item, ast.stmt):
                stack.append((self._set_stmt, self.stmt))
                self.stmt = item
            handler = visit.get(type(item))
            if handler is None or handler(item, stack):
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
        calls) are dropped by ``rules.analyze``."""
        new = self.config.state_replacements.get(old) if old is not None else None
        line, col = pos(node)
        self.findings.append(Finding(line, col, code, text, node,
                                     (old, new) if old is not None and new else None,
                                     unsafe if old is not None and new else None))

    # -- scopes ----------------------------------------------------------------------------

    def _open_scope(self, kind: str, body: Sequence[ast.stmt] = ()) -> Scope:
        parent = self.scope
        self.scope = Scope(kind, parent, body)
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
        deferred = resolve(scope, scope.pending_states, self._check_state)
        if outer is not None:
            outer.pending_states.extend(deferred)
            for name, uses in scope.loads.items():
                if not scope.is_local(name):
                    outer.loads[name].extend(uses)
        if scope.parent is not None:
            self.scope = scope.parent

    def _bind(self, target: ast.AST, value: Optional[ast.expr]) -> None:
        """Record ``target = value`` for plugin bindings (§2.4) and state resolution."""
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
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) == len(value.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._bind(sub_target, sub_value)

    # -- visitors: each returns True when the node's children still need the generic walk --

    def _name(self, node: ast.Name, stack: list[StackItem]) -> bool:
        if isinstance(node.ctx, ast.Load):
            self.scope.loads[node.id].append(node)
        else:
            self.scope.stores.add(node.id)
        return False

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

    def _assign(self, node: ast.Assign, stack: list[StackItem]) -> bool:
        for target in node.targets:
            self._bind(target, node.value)
            self._tool_name_target(target, node.value)
            self._router_built(target, node.value)
        return True

    def _ann_assign(self, node: ast.AnnAssign, stack: list[StackItem]) -> bool:
        target = node.target
        if isinstance(target, ast.Name) and self.vocab.is_plugin_type(node.annotation):
            self.scope.plugin_direct.add(target.id)
            self.scope.stores.add(target.id)
        self._bind(target, node.value)
        self._tool_name_target(target, node.value)
        self._router_built(target, node.value)
        return True

    def _type_alias(self, node: ast.AST, stack: list[StackItem]) -> bool:
        name, value = getattr(node, "name", None), getattr(node, "value", None)
        if isinstance(name, ast.Name) and value is not None:
            self.scope.assigns[name.id].append(value)
            self.scope.assign_stmts[id(value)] = node  # type: ignore[assignment]
        return True

    def _named_expr(self, node: ast.NamedExpr, stack: list[StackItem]) -> bool:
        self._bind(node.target, node.value)
        return True

    def _for(self, node: ast.For | ast.AsyncFor | ast.comprehension,
             stack: list[StackItem]) -> bool:
        self.scope.plugin_direct.update(self.vocab.iterated_plugins(node.target, node.iter))
        return True

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                  stack: list[StackItem]) -> bool:
        self.scope.stores.add(node.name)
        args = node.args
        outside: list[ast.AST] = list(node.decorator_list)
        outside += [d for d in args.defaults + args.kw_defaults if d is not None]
        outside += [a.annotation for a in _all_args(args) if a.annotation is not None]
        if node.returns is not None:
            outside.append(node.returns)
        route = self._route(node)
        stack.append((self._leave_function, (node, route)))
        stack.extend(reversed(node.body))
        stack.append((self._enter_function, (node, route)))
        stack.extend(reversed(outside))
        self._tool_name_defaults(args)
        return False

    def _enter_function(self, arg: tuple[ast.FunctionDef | ast.AsyncFunctionDef,
                                         Optional[Route]]) -> None:
        node, route = arg
        in_class_body = self.scope.kind == "class"
        scope = self._open_scope("function", node.body)
        self._bind_parameters(scope, node.args)
        if route is not None:
            self.route_depth += 1
        if self.runner is not None:
            return
        owner = self.runner_class if in_class_body else None
        if owner is not None or self.config.runner_functions(node.name):
            params = node.args.posonlyargs + node.args.args
            static = any(self.vocab.is_named(d, "staticmethod") for d in node.decorator_list)
            self_name = params[0].arg if owner and params and not static else None
            frame = RunnerFrame(node.name, owner, self_name)
            if owner is not None:
                owner.frames.append(frame)
            self.runner, self._runner_scope = frame, scope
            self.trys, self.in_finally, self.in_handler = (), [], []

    def _leave_function(self, arg: tuple[ast.AST, Optional[Route]]) -> None:
        node, route = arg
        if route is not None:
            self.route_depth -= 1
        if self.runner is not None and self._runner_scope is self.scope:
            self.runner, self._runner_scope = None, None
            self.trys = ()
        self._close_scope(self.scope)

    def _bind_parameters(self, scope: Scope, args: ast.arguments) -> None:
        for arg in _all_args(args):
            scope.stores.add(arg.arg)
            if self.vocab.is_plugin_type(arg.annotation):
                scope.plugin_direct.add(arg.arg)

    def _lambda(self, node: ast.Lambda, stack: list[StackItem]) -> bool:
        defaults = [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
        stack.append((self._leave_lambda, node))
        stack.append(node.body)
        stack.append((self._enter_lambda, node))
        stack.extend(reversed(defaults))
        self._tool_name_defaults(node.args)
        return False

    def _enter_lambda(self, node: ast.Lambda) -> None:
        scope = self._open_scope("lambda")
        for arg in _all_args(node.args):
            scope.stores.add(arg.arg)

    def _leave_lambda(self, node: ast.Lambda) -> None:
        self._close_scope(self.scope)

    def _class(self, node: ast.ClassDef, stack: list[StackItem]) -> bool:
        self.scope.stores.add(node.name)
        if self.config.lifecycle_enums(node.name):
            self._enum_definitions(node)
        outside: list[ast.AST] = [*node.decorator_list, *node.bases]
        outside += [kw.value for kw in node.keywords]
        stack.append((self._leave_class, node))
        stack.extend(reversed(node.body))
        stack.append((self._enter_class, node))
        stack.extend(reversed(outside))
        return False

    def _enter_class(self, node: ast.ClassDef) -> None:
        self._open_scope("class", node.body)
        if self.runner is None and self.runner_class is None \
                and self.config.runner_classes(node.name):
            self.runner_class = RunnerClass()
            self._runner_class_scope = self.scope

    def _leave_class(self, node: ast.ClassDef) -> None:
        if self.runner_class is not None and self._runner_class_scope is self.scope:
            self.runner_class = None
        self._close_scope(self.scope)

    def _try(self, node: ast.Try, stack: list[StackItem]) -> bool:
        if self.runner is None:
            return True
        frame = TryFrame(bool(node.finalbody), self._finally_records(node.finalbody))
        frame.any_metrics = frame.unconditional_metrics
        outer = self.trys
        stack.append((self._set_finally, None))
        stack.extend(reversed(node.finalbody))
        stack.append((self._set_finally, frame))
        stack.append((self._set_trys, outer))
        stack.extend(reversed(node.orelse))
        stack.append((self._set_trys, outer + ((frame, "else"),)))
        for handler in reversed(node.handlers):
            stack.append((self._leave_handler, None))
            stack.append(handler)
            stack.append((self._enter_handler, (frame, handler)))
        stack.append((self._set_trys, outer))
        stack.extend(reversed(node.body))
        stack.append((self._set_trys, outer + ((frame, "body"),)))
        return False

    def _set_trys(self, trys: TryStack) -> None:
        self.trys = trys

    def _set_finally(self, frame: Optional[TryFrame]) -> None:
        if frame is None:
            self.in_finally.pop()
        else:
            self.in_finally.append(frame)

    def _enter_handler(self, arg: tuple[TryFrame, ast.ExceptHandler]) -> None:
        frame, handler = arg
        self.in_handler.append(frame if self._is_broad(handler.type) else None)

    def _leave_handler(self, _: None) -> None:
        self.in_handler.pop()

    def _except_handler(self, node: ast.ExceptHandler, stack: list[StackItem]) -> bool:
        if node.name:
            self.scope.stores.add(node.name)
        return True

    def _is_broad(self, caught: Optional[ast.expr]) -> bool:
        if caught is None:
            return True
        members = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        return any(self.vocab.is_named(m, "Exception", "BaseException") for m in members)

    def _finally_records(self, body: list[ast.stmt]) -> bool:
        """Does this finally call the metrics function unconditionally (GOV003)?

        A statement whose value is the call, directly in the finally or nested only in
        ``with`` blocks or a nested ``try`` body/finally (a guard around the call is fine).
        """
        metrics = self.config.metrics_functions
        stack = list(body)
        while stack:
            stmt = stack.pop()
            if isinstance(stmt, (ast.With, ast.AsyncWith)):
                stack.extend(stmt.body)
            elif isinstance(stmt, TRY_TYPES):
                stack.extend(stmt.body + stmt.finalbody)
            elif isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)):
                value = stmt.value
                if isinstance(value, ast.Await):
                    value = value.value
                if isinstance(value, ast.Call) and self.vocab.matches(metrics, value.func):
                    return True
        return False

    def _attribute(self, node: ast.Attribute, stack: list[StackItem]) -> bool:
        vocab = self.vocab
        if isinstance(node.ctx, ast.Load):
            if self.config.run_methods(node.attr) and id(node) not in self.exempt:
                self._access(node, node.value, "run")
            frame = self.runner
            if frame is not None and frame.owner is not None and frame.self_name is not None \
                    and isinstance(node.value, ast.Name) and node.value.id == frame.self_name:
                call = self.calls.get(id(node))
                frame.owner.sites.append(Site(node.attr, pos(node), end(call or node),
                                              self.trys, frame))
        if member_like(node.attr) and node.attr not in self.config.lifecycle_states \
                and vocab.is_lifecycle_enum(node.value):
            self._invalid_member(node, node.attr)
        return True

    def _subscript(self, node: ast.Subscript, stack: list[StackItem]) -> bool:
        member = self.vocab.enum_member(node)
        if member is not None and member not in self.config.lifecycle_states:
            self._invalid_member(node, member)
        return True

    def _call(self, node: ast.Call, stack: list[StackItem]) -> bool:
        cfg, vocab, func = self.config, self.vocab, node.func
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
                if isinstance(attr.value, str) and cfg.run_methods(attr.value):
                    self._access(node, node.args[0], "run")
            elif not isinstance(attr, ast.Starred):
                self._access(node, node.args[0], "dynamic")
        if vocab.matches(cfg.metrics_functions, func):
            self._metrics_call(node)
        if self.runner is not None:
            if vocab.matches(cfg.input_validators, func):
                self.runner.inputs.append(pos(node))
            if vocab.matches(cfg.output_validators, func):
                self.runner.outputs.append((pos(node), end(node), self.trys))
            if self.in_handler and vocab.matches(cfg.error_envelope_builders, func):
                for frame in self.in_handler:
                    if frame is not None:
                        frame.envelope_handler = True
        member = vocab.enum_member(node)
        if member is not None and member not in cfg.lifecycle_states:
            self._invalid_member(node, member)
        self._tool_name_call(node, name)
        if self.route_depth:
            self._error_status(node, name)
        if name == "include_router" and node.args:
            target = dotted(node.args[0])
            if target is not None:
                self.router_grants.append((target, node.keywords))
        return True

    def _bool_op(self, node: ast.BoolOp, stack: list[StackItem]) -> bool:
        if isinstance(node.op, ast.Or):
            seen_tool_name = False
            for value in node.values:
                if seen_tool_name:
                    self._forbidden_default(value)
                seen_tool_name = seen_tool_name or self._is_tool_name_expr(value)
        return True

    def _dict(self, node: ast.Dict, stack: list[StackItem]) -> bool:
        for key, value in zip(node.keys, node.values):
            if key is not None and str_constant(key) in self.config.tool_name_args:
                self._forbidden_default(value)
        return True

    # -- plugin run access (GOV001/002/003/007/101-103) ------------------------------------

    def _access(self, node: ast.AST, target: ast.AST, kind: str) -> None:
        plugin = self.vocab.plugin_expr(target)
        if plugin is False:
            return
        access = Access(node, kind, self.calls.get(id(node)), self.runner, self.trys)
        if plugin is True:
            self.accesses.append(access)
        else:
            assert isinstance(plugin, str)
            self.scope.pending_access.append((plugin, access))

    # -- states (GOV004/GOV005) --------------------------------------------------------------

    def _metrics_call(self, node: ast.Call) -> None:
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
            self.scope.pending_states.append((state, self.stmt))

    def _check_state(self, expr: ast.expr, text: str, unsafe: Optional[str]) -> None:
        """GOV004 for a string state. An invalid lifecycle-enum member reaching the call is
        already GOV005 at the very same node: one mistake, one finding."""
        if text in self.config.lifecycle_states:
            return
        self.report(expr, "GOV004", message(
            "GOV004", state=text, metrics=self.config.metrics_functions.first,
            states=self.config.states_text), text, unsafe)

    def _invalid_member(self, node: ast.AST, member: str) -> None:
        """GOV005; only a load can be fixed (a store or ``del`` names the member itself)."""
        load = isinstance(getattr(node, "ctx", ast.Load()), ast.Load)
        self.report(node, "GOV005", message(
            "GOV005", member=_member_text(node, member), states=self.config.states_text),
            member if load else None)

    def _enum_definitions(self, node: ast.ClassDef) -> None:
        for stmt in node.body:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else \
                [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name) and member_like(target.id) \
                        and target.id not in self.config.lifecycle_states:
                    self.report(target, "GOV005", message(
                        "GOV005", member=f"{node.name}.{target.id}",
                        states=self.config.states_text))

    # -- tool names (GOV006) -------------------------------------------------------------------

    def _forbidden_default(self, value: Optional[ast.AST]) -> None:
        """Report a forbidden literal that a tool-name destination can receive: the value
        itself, an ``or`` fallback (``os.getenv("TOOL") or "default"``) or a conditional
        arm (``x if x else "default"``)."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BoolOp) and isinstance(item.op, ast.Or):
                stack.extend(item.values[1:])
            elif isinstance(item, ast.IfExp):
                stack.extend((item.body, item.orelse))
            else:
                text = str_constant(item)
                if item is not None and text is not None \
                        and text.lower() in self.config.forbidden_tool_defaults:
                    self.report(item, "GOV006", message("GOV006", value=text))

    def _is_tool_name_expr(self, node: ast.AST) -> bool:
        names = self.config.tool_name_args
        if isinstance(node, (ast.Name, ast.Attribute)):
            return last_id(node) in names
        if isinstance(node, ast.Subscript):
            return str_constant(node.slice) in names
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "get" and len(node.args) == 1:
            return str_constant(node.args[0]) in names
        return False

    def _tool_name_target(self, target: ast.AST, value: Optional[ast.AST]) -> None:
        if isinstance(target, (ast.Name, ast.Attribute)) and last_id(target) in self.config.tool_name_args:
            self._forbidden_default(value)

    def _tool_name_defaults(self, args: ast.arguments) -> None:
        positional = args.posonlyargs + args.args
        pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
        for arg, default in pairs:
            if arg.arg in self.config.tool_name_args:
                self._forbidden_default(default)

    def _tool_name_call(self, node: ast.Call, name: str) -> None:
        names = self.config.tool_name_args
        for keyword in node.keywords:
            if keyword.arg in names:
                self._forbidden_default(keyword.value)
        if name == "get" and isinstance(node.func, ast.Attribute) and len(node.args) == 2 \
                and str_constant(node.args[0]) in names:
            self._forbidden_default(node.args[1])

    # -- web routes (GOV201/GOV202) --------------------------------------------------------------

    def _route(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[Route]:
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute) \
                    or decorator.func.attr not in ROUTE_METHODS:
                continue
            path_node = decorator.args[0] if decorator.args else next(
                (kw.value for kw in decorator.keywords if kw.arg == "path"), None)
            if path_node is None:
                continue
            path = str_constant(path_node)
            receiver = decorator.func.value
            if path is not None and path and not path.startswith("/"):
                continue  # not a route path: ``mock.patch("pkg.mod.attr")`` and friends
            if path is None and last_id(receiver) == "mock":
                continue
            route = Route(node, decorator.func.attr, decorator, dotted(receiver), path)
            self.routes.append(route)
            return route
        return None

    def has_auth_dependency(self, keywords: list[ast.keyword]) -> bool:
        """``dependencies=[...]`` holding an auth dependency; the list may be a module-level
        constant (``AUTH = [Depends(require_auth)]`` ... ``dependencies=AUTH``)."""
        for keyword in keywords:
            if keyword.arg != "dependencies":
                continue
            value = keyword.value
            lists = self.module_scope.assigns.get(value.id, []) \
                if isinstance(value, ast.Name) else [value]
            for listed in lists:
                if isinstance(listed, (ast.List, ast.Tuple)) and \
                        any(self.is_auth_dependency(e) for e in listed.elts):
                    return True
        return False

    def is_auth_dependency(self, node: ast.AST) -> bool:
        """``Depends(A)``, ``Security(A)`` or ``Depends(A(...))`` with ``A`` an auth dependency."""
        if not isinstance(node, ast.Call) or not self.vocab.is_named(node.func, "Depends", "Security"):
            return False
        dep = node.args[0] if node.args else next(
            (kw.value for kw in node.keywords if kw.arg == "dependency"), None)
        if isinstance(dep, ast.Call):
            dep = dep.func
        return dep is not None and self.vocab.matches(self.config.auth_dependencies, dep)

    def _router_built(self, target: ast.AST, value: Optional[ast.AST]) -> None:
        if isinstance(value, ast.Call) and self.vocab.is_named(value.func, "APIRouter", "FastAPI"):
            name = dotted(target)
            if name is not None:
                self.router_grants.append((name, value.keywords))

    def _error_status(self, node: ast.Call, name: str) -> None:
        """GOV202: ``HTTPException``/``*Response`` built with a forbidden status: the
        ``status_code=`` keyword, or the exception's first / a response's second argument."""
        if name == "HTTPException":
            position = 0
        elif name.endswith("Response"):
            position = 1
        else:
            return
        candidates = [kw.value for kw in node.keywords if kw.arg == "status_code"]
        candidates += node.args[position:position + 1]
        for candidate in candidates:
            status = self.vocab.http_status(candidate)
            if status in self.config.forbidden_statuses:
                self.report(node, "GOV202", message("GOV202", status=status))
                return


def _all_args(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg is not None:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg is not None:
        yield args.kwarg


def _member_text(node: ast.AST, member: str) -> str:
    """``LifecycleState.SUCCESS``, ``LifecycleState['ERROR']``: the member as written."""
    if isinstance(node, ast.Attribute):
        owner = dotted(node.value)
        return f"{owner}.{member}" if owner else member
    return source_text(node)
