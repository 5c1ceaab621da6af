"""Plain records the analyzer fills during its one walk and resolves at the end."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from collections import defaultdict
from typing import Any, Callable, Optional, Sequence, Tuple, Union

from .flow import Flow
from ..source.statements import Pos, end, pos
from .nodes import source_text

# (callable, argument) pushed on the walk stack between nodes: context changes.
Action = Tuple[Callable[[Any], None], Any]
StackItem = Union[ast.AST, Action]
# A state expression with the statement it is evaluated at (None: unknown, as in a closure).
Item = Tuple[ast.expr, Optional[ast.stmt]]


@dataclass(frozen=True)
class Finding:
    """One finding. ``node`` lets the fixer act on exactly what was found; ``state`` is the
    invalid state it names where a state replacement may fix it, ``unsafe`` why replacing
    it is not safe (None: it is)."""

    line: int
    col: int
    code: str
    message: str
    node: Optional[ast.AST] = field(default=None, compare=False, repr=False)
    state: Optional[str] = field(default=None, compare=False)
    unsafe: Optional[str] = field(default=None, compare=False)


@dataclass(eq=False)
class TryFrame:
    """A ``try`` inside a runner, with what its finally and handlers do."""

    has_finally: bool
    unconditional_metrics: bool
    any_metrics: bool = False
    envelope_handler: bool = False
    handles: bool = False  # it has ``except`` clauses (not just a finally)


# A position inside a try: the frame and which part ("body" or "else").
TryStack = Tuple[Tuple[TryFrame, str], ...]


@dataclass(eq=False)
class RunnerFrame:
    """A runner method or runner function: the unit of the runner contract."""

    name: str
    owner: Optional["RunnerClass"]
    self_name: Optional[str]
    # a module-level function: part of the runner only when every use of it is covered
    helper_candidate: bool = False
    generator: bool = False  # its body runs when the caller iterates the result
    # where a local is iterated (``for x in gen``, ``next(gen)``): name -> [(at, trys)]
    iterations: dict[str, list[tuple[Pos, TryStack]]] = field(default_factory=dict)
    inputs: list[Pos] = field(default_factory=list)
    # (start, end, where) of each output-validator call
    outputs: list[tuple[Pos, Pos, TryStack]] = field(default_factory=list)
    builds_envelope: bool = False  # it calls an error-envelope builder somewhere
    body: Sequence[ast.stmt] = ()  # its statements (what it does on every path)


@dataclass(eq=False)
class Site:
    """A ``self.<method>`` use inside a runner class (a call or a callback reference)."""

    method: str
    at: Pos
    until: Pos  # end of the call (or reference)
    trys: TryStack
    frame: RunnerFrame
    holder: Optional[str] = None  # ``gen = self.helper(...)``: the local holding the result
    # handed to a runner instance's method (``manager.map(fmt, data)``): it runs governed
    governed: bool = False


@dataclass(eq=False)
class RunnerClass:
    """A runner class: its ``self.<method>`` uses decide which helpers are covered."""

    sites: list[Site] = field(default_factory=list)
    frames: list[RunnerFrame] = field(default_factory=list)


@dataclass(eq=False)
class Access:
    """A run access (``kind='run'``) or dynamic getattr (``kind='dynamic'``) on a plugin."""

    node: ast.AST
    kind: str
    call: Optional[ast.Call]  # the call executing it, when it is called
    runner: Optional[RunnerFrame]
    trys: TryStack
    stmt: Optional[ast.stmt] = None  # the statement it is in
    scope: Optional["Scope"] = None  # the scope it is in (its statements' control flow)
    # a use of another module's function that executes a plugin: the run it reaches
    via: Optional[str] = None
    # plugin code handed to a function that calls it (model.handoffs): that function
    handed_to: Optional[str] = None

    @property
    def text(self) -> str:
        """The access as messages name it: as written, ``()`` when called; a function of
        another module with the run it reaches, so the message says where the path goes."""
        text = source_text(self.node)
        if self.handed_to:
            return f"{text} handed to {self.handed_to}()"
        if self.call is not None and isinstance(self.node, (ast.Attribute, ast.Name,
                                                            ast.Subscript)):
            text += "()"
        return f"{text} (which runs {self.via})" if self.via else text

    @property
    def start(self) -> Pos:
        return pos(self.node)

    @property
    def end(self) -> Pos:
        """End of the executing call (its arguments run before the plugin does)."""
        return end(self.call if self.call is not None else self.node)


@dataclass(eq=False)
class Route:
    """A route function; whether it is authorized is judged once the module is complete."""

    node: Union[ast.FunctionDef, ast.AsyncFunctionDef]
    method: str  # get, post, ... as in the decorator
    decorator: ast.Call
    receiver: Optional[str]  # the router as written: ``router``, ``self.router``
    path: Optional[str]


@dataclass(eq=False)
class Scope:
    """A module, function, lambda or class body: what it binds and what waits on it."""

    kind: str
    parent: Optional["Scope"]
    body: Sequence[ast.stmt] = ()
    stores: set[str] = field(default_factory=set)
    not_local: set[str] = field(default_factory=set)
    assigns: dict[str, list[ast.expr]] = field(default_factory=lambda: defaultdict(list))
    assign_stmts: dict[ast.expr, ast.stmt] = field(default_factory=dict)  # value -> statement
    # reads of each name (loads, and augmented assignments, which read before they bind)
    loads: dict[str, list[ast.Name]] = field(default_factory=lambda: defaultdict(list))
    # Where a bound value goes (value -> the names it binds, and ``!why`` for a
    # receiver that is no local name: an attribute, an item, a tuple unpacked elsewhere),
    # the walrus that binds a value, and the name targets those bindings follow.
    receivers: dict[ast.expr, list[str]] = field(default_factory=lambda: defaultdict(list))
    walrus_of: dict[ast.expr, ast.NamedExpr] = field(default_factory=dict)
    followed_stores: set[ast.expr] = field(default_factory=set)
    # lines where a name is bound otherwise (for/with/except/match/import/def targets)
    binds: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    declared: dict[str, str] = field(default_factory=dict)  # name -> global / nonlocal
    plugin_direct: set[str] = field(default_factory=set)
    plugin_edges: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pending_access: list[tuple[str, Access]] = field(default_factory=list)
    dispatch_direct: set[str] = field(default_factory=set)  # locals holding plugin callables
    runner_locals: set[str] = field(default_factory=set)  # ``manager = ToolRunner(...)``
    # values a plugin execution returned (``steps = plugin.steps()``, ``for s in ...``): by
    # the plugin local they came from (resolved when the scope closes), and every candidate
    produced_edges: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    produced_names: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)  # a function's parameters
    name: str = ""  # a function's name
    param_order: list[str] = field(default_factory=list)  # its positional parameters
    # hand-overs of a local to a function (model.handoffs), decided when the scope closes
    pending_handoffs: list[tuple[str, tuple[str, str, "Access"]]] = field(default_factory=list)
    imported_here: set[str] = field(default_factory=set)  # names a function imports
    # a local holding what a module-level function of this module returned (its name),
    # and what a module-level function returns: plugin locals, and locals (model.handoffs)
    produced_by_call: dict[str, str] = field(default_factory=dict)
    return_edges: list[str] = field(default_factory=list)
    return_names: list[str] = field(default_factory=list)
    # a class body: ``self.<attr> = value`` in its methods (model.constructed)
    self_assigns: dict[str, list[ast.expr]] = field(default_factory=lambda: defaultdict(list))
    pending_dispatch: list[tuple[str, Access]] = field(default_factory=list)
    # uses of another module's function that executes a plugin: they count unless the
    # name is local where they are (a parameter or local of the same name)
    pending_imported: list[tuple[str, Access]] = field(default_factory=list)
    pending_states: list[Item] = field(default_factory=list)
    _flow: Optional[Flow] = None

    def flow(self) -> Flow:
        """Reaching definitions over this scope's statements, built on first use."""
        if self._flow is None:
            self._flow = Flow(self.body, {
                name: [(v, self.assign_stmts[v]) for v in values]
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


# Would flake8 report this finding (selection, per-file-ignores, noqa)? Asked by the fixer.
Reported = Callable[[Finding], bool]
