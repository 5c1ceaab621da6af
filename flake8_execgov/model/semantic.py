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
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple

from .constructed import built_not_plugin
from .handoffs import HandoffContext
from .constant_names import can_reach, constant_names, fixed_ends
from .name_guards import dynamic_executions
from .nodes import TRY_TYPES, dotted, last_id, push_children
from .records import Access, Finding, Item, Route, Scope, StackItem
from ..config.options import Config
from ..config.prefilter import Prefilter
from .bindings import BindingContext
from .definitions import DefinitionContext
from .mentions import MentionContext
from ..source.lines import LineIndex
from .imported import NO_FACTS, ProjectFacts
from .vocabulary import Vocabulary, module_aliases


Hook = Callable[["SemanticModel", Any], None]
StateHook = Callable[["SemanticModel", ast.expr, str, Optional[str]], None]
# A handler says whether the node's children still need the generic walk (None: neither
# its children nor the rules' hooks: a definition that cannot matter).
Handler = Callable[["SemanticModel", Any, list[StackItem]], Optional[bool]]


class SemanticModel(BindingContext, DefinitionContext, MentionContext, HandoffContext):
    """The facts of one module, collected in one walk; ``hooks`` are the rules' own."""

    def __init__(self, tree: ast.AST, config: Config, rules: "Dispatch",
                 source: Optional[LineIndex] = None,
                 prefilter: Optional[Prefilter] = None,
                 facts: ProjectFacts = NO_FACTS) -> None:
        self.tree = tree
        # module-level definitions naming nothing the rules need are skipped (both given)
        self.prefilter = prefilter if source is not None else None
        self.source = source if prefilter is not None else None
        self._hot: Optional[tuple[int, list[int]]] = None
        self.config = config
        self.aliases = module_aliases(tree)
        self.facts = facts  # what the module's imports are in the rest of the project
        self.vocab = Vocabulary(config, self.aliases, tree, facts)
        self.findings: list[Finding] = []
        self.routes: list[Route] = []
        # (router as written, keywords) of APIRouter/FastAPI(...) and include_router(...)
        # calls: routers whose ``dependencies=`` may authorize their routes
        self.router_grants: list[tuple[str, list[ast.keyword]]] = []
        self.module_scope = Scope("module", None, getattr(tree, "body", ()))
        self.scope = self.module_scope
        self.stmt: Optional[ast.stmt] = None  # the innermost statement being walked
        self.route_depth = 0
        self.calls: dict[ast.AST, ast.Call] = {}  # a call target -> the call
        # module-level functions: helpers of runners when every use of them is covered
        self.helper_names = frozenset(
            s.name for s in getattr(tree, "body", ())
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)))
        self.skipped: list[ast.stmt] = []  # module-level definitions not walked
        self.taints: dict[ast.expr, str] = {}  # see state_sources.resolve
        self.param_calls: dict[str, set[str]] = {}  # model.handoffs
        self.handoffs: list[tuple[str, str, Access]] = []
        self.producers: set[str] = set()
        self.deferred: list[tuple[str, Access]] = []
        self.deferred_handoffs: list[tuple[str, tuple[str, str, Access]]] = []
        self._init_runner_context()
        self._table = rules.table
        self._state_hooks = rules.state_hooks

    # -- the walk ------------------------------------------------------------------------

    def run(self) -> "SemanticModel":
        stack: list[StackItem] = [self.tree]
        table = self._table
        pop, set_stmt = stack.pop, self._set_stmt
        while stack:
            item = pop()
            kind = type(item)
            if kind is tuple:
                item[0](item[1])  # type: ignore[index]
                continue
            if kind in _STATEMENTS:
                stack.append((set_stmt, self.stmt))
                self.stmt = item  # type: ignore[assignment]
            entry = table.get(kind)
            more: Optional[bool] = True
            if entry is not None:
                handler, hooks = entry
                more = handler(self, item, stack) if handler is not None else True
                if more is None:  # a definition the prefilter rules out: not walked at all
                    continue
                for hook in hooks:
                    hook(self, item)
            if more:
                push_children(stack, item)  # type: ignore[arg-type]
        self._close_scope(self.module_scope)
        self._settled_handoffs()
        classes = frozenset(s.name for s in getattr(self.tree, "body", ())
                            if isinstance(s, ast.ClassDef))
        self.accesses = [a for a in self.accesses
                         if not built_not_plugin(a, self.vocab, classes, self.facts)]
        self.accesses += dynamic_executions(self.accesses, self.vocab.run_patterns)
        self.effects.resolve(self.class_records, self.module_helpers, self.vocab,
                             self.helper_names)
        return self

    def _state_reached(self, expr: ast.expr, text: str, unsafe: Optional[str]) -> None:
        for hook in self._state_hooks:
            hook(self, expr, text, unsafe)

    def _set_stmt(self, stmt: Optional[ast.stmt]) -> None:
        self.stmt = stmt

    def report(self, finding: Finding) -> None:
        """Record a finding made during the walk (``Rule.at``). Duplicates (one literal
        reaching several calls) are dropped by :func:`rules.analyze`."""
        self.findings.append(finding)

    # -- handlers: each returns True when the node's children still need the generic walk --

    def _name(self, node: ast.Name, stack: list[StackItem]) -> bool:
        if isinstance(node.ctx, ast.Load):
            self.scope.loads[node.id].append(node)
            self._name_use(node)
        else:
            self.scope.stores.add(node.id)
            if isinstance(node.ctx, ast.Store) and node not in self.scope.followed_stores:
                self.scope.binds[node.id].append(node.lineno)  # for/with/... targets
        return False

    def _for(self, node: ast.For | ast.AsyncFor | ast.comprehension,
             stack: list[StackItem]) -> bool:
        self._bind_loop(node)
        self._iterated(node.iter, node.iter)
        return True

    def _assign(self, node: ast.Assign | ast.AnnAssign, stack: list[StackItem]) -> bool:
        self._assign_bindings(node)
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            self._router_built(target, node.value)
        return True

    def _attribute(self, node: ast.Attribute, stack: list[StackItem]) -> bool:
        self._attribute_read(node)
        if isinstance(node.ctx, ast.Load):
            if self.vocab.is_run_method(node.attr) and node not in self.mentions:
                self._access(node, node.value, "run")
            self._self_use(node)
            if self.facts.reaching:
                name = dotted(node)
                if name is not None and name in self.facts.reaching:
                    self._imported_use(node, name)
        return True

    def _call(self, node: ast.Call, stack: list[StackItem]) -> bool:
        func = node.func
        self.calls[func] = node
        self._dispatched(node)
        self._handed_to_runner(node)
        self._calls_parameter(func)
        if node.args or node.keywords:
            self._hand_over(node, self._handoff_access)
        name = last_id(func)
        if name is None:
            return True
        self._inspected(node)
        if isinstance(func, ast.Name) and name == "getattr" and 2 <= len(node.args) <= 3 \
                and node not in self.mentions:
            attr = node.args[1]
            kind = self._getattr_kind(attr)
            if kind is not None:
                self._access(node, node.args[0], kind)
        if self.vocab.is_metrics_function(func):
            self._metrics_call(node)
        self._runner_call(node)
        if name == "next" and isinstance(func, ast.Name) and node.args:
            self._iterated(node.args[0], node)
        if name == "include_router" and node.args:
            target = dotted(node.args[0])
            if target is not None:
                self.router_grants.append((target, node.keywords))
        return True

    def _handoff_access(self, arg: ast.expr, callee: str) -> Access:
        return Access(arg, "run", None, self.runner, self.trys, self.stmt, self.scope,
                      handed_to=callee)

    def _getattr_kind(self, attr: ast.expr) -> Optional[str]:
        """What ``getattr(plugin, attr)`` is: a run access (``"run"``), a dynamic access
        (``"dynamic"``), or nothing: a name fixed to constants that are no run method or
        hook (:mod:`.constant_names`)."""
        if isinstance(attr, ast.Starred):
            return None
        names = [attr.value] if isinstance(attr, ast.Constant) else \
            constant_names(attr, self.scope)
        if names is not None:
            is_run = self.vocab.is_run_method
            return "run" if any(isinstance(n, str) and is_run(n) for n in names) else None
        ends = fixed_ends(attr)
        if ends is not None and not can_reach(*ends, self.vocab.run_patterns,
                                              self.vocab.is_run_method):
            return None
        return "dynamic"

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


_AST = ast.AST
_STATEMENTS = frozenset(kind for kind in vars(ast).values()
                        if isinstance(kind, type) and issubclass(kind, ast.stmt))
_LEAF_TYPES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)


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
    ast.Return: SemanticModel._return,
    ast.Yield: SemanticModel._yields,
    ast.YieldFrom: SemanticModel._yields,
    ast.Compare: SemanticModel._compare,
    ast.FormattedValue: SemanticModel._formatted,
    ast.BinOp: SemanticModel._bin_op,
    **{try_type: SemanticModel._try for try_type in TRY_TYPES},
}
_HANDLERS[ast.AugAssign] = SemanticModel._aug_assign
if hasattr(ast, "TypeAlias"):
    _HANDLERS[ast.TypeAlias] = SemanticModel._type_alias
for _capture_type in ("MatchAs", "MatchStar", "MatchMapping"):  # Python 3.10+
    if hasattr(ast, _capture_type):
        _HANDLERS[getattr(ast, _capture_type)] = SemanticModel._capture


Table = dict[type, Tuple[Optional[Handler], Tuple[Hook, ...]]]


class Dispatch:
    """The rules' hooks, as the walk calls them: per node type, the model's own handler,
    then the hooks. Made once by whoever owns the hooks (:mod:`rules`, at import), not per
    module: building it costs a few dozen entries, which on a thousand small modules was
    more than a per-cent of a cold run."""

    def __init__(self, hooks: Mapping[type, Sequence[Hook]],
                 state_hooks: Sequence[StateHook] = ()) -> None:
        unwalked = sorted(t.__name__ for t in hooks if issubclass(t, _LEAF_TYPES))
        if unwalked:  # the walk never visits them: a hook there would silently never run
            raise ValueError(f"no hook can ask for {', '.join(unwalked)}: ask for the parent")
        # a dict, not a read-only view: the walk looks a node type up in it for every node
        self.table: Table = {
            node_type: (_HANDLERS.get(node_type), tuple(hooks.get(node_type, ())))
            for node_type in set(_HANDLERS) | set(hooks)}
        self.state_hooks = tuple(state_hooks)


NO_RULES = Dispatch({})  # the model's own facts, no rule's hooks (:mod:`project.facts`)
