"""GOV004: the string states that can reach a metrics call, and whether fixing them is safe.

A state argument is resolved statically (spec section 3): a string constant, both arms of
a conditional, a walrus's value, a name through the assignments to it that can reach the
call (:mod:`flow`), or, for a name the scope does not bind, in the enclosing scope. The
work is a search over (expression, statement) items and program points, each visited once.

Replacing the literal is a *safe* fix only when it provably reaches nothing but metrics
states. Where a value goes is syntactic, recorded by the model when it binds it
(:mod:`bindings`): every target of ``a = b = v``, a walrus's target and the walrus's own
value, an attribute, an item or a tuple. A literal's destinations are those of the
literal and of each expression around it on its way (``x if c else y``, ``(n := x)``);
each destination name must be a local of a function that is read only as a metrics
state (no other load, no augmented assignment), bound by plain assignments only (no
``for``/``with``/``except``/``match`` target, import or definition of the same name) and
declared neither ``global`` nor ``nonlocal``. Otherwise the fix is unsafe, and says why:
``DONE = "SUCCESS"`` also compared with ``job.status == DONE`` is a job status too.
"""

from __future__ import annotations

from collections import defaultdict
import ast
from typing import Callable, Mapping, Optional, Union

from .nodes import dotted, str_constant
from .records import Item, Scope

# A point: "the start of this statement", for one name.
Point = tuple[str, ast.stmt]
Report = Callable[[ast.expr, str, Optional[str]], None]
Taints = dict[ast.expr, str]  # a free name handed to the enclosing scope -> why it is not safe
# Where a value goes: a name, ``!why`` for a place that is no name, or the walrus binding it.
Dest = Union[str, ast.NamedExpr]


def resolve(scope: Scope, items: list[Item], report: Report,
            imported: Mapping[str, tuple[str, str]] = {},
            taints: Optional[Taints] = None) -> list[Item]:
    """Report the invalid string states among ``items`` that ``scope`` resolves; return the
    names it does not bind (they resolve in the enclosing scope, flow-insensitively; why a
    literal reaching one of them would not be only a state is left in ``taints``).
    ``imported``: the module's names that are string constants of another module of the
    project (name -> (value, that module)); such a state is reported where it is used
    here (the only place a linter of this file can show), and is never fixed here."""
    deferred: list[Item] = []
    if not items:
        return deferred
    taints = {} if taints is None else taints
    search = _Search(scope, taints, imported)
    for expr, ctx in items:
        search.run(expr, ctx, deferred)
    search.report(report, deferred, taints)
    return deferred


class _Search:
    """The backward search from state arguments to the literals that can reach them."""

    def __init__(self, scope: Scope, taints: Taints,
                 imported: Mapping[str, tuple[str, str]]) -> None:
        self.scope = scope
        self.imported = imported
        self.elsewhere: list[tuple[ast.expr, str, str]] = []  # states of other modules
        self.followed: set[ast.expr] = set()  # Name loads and walruses on a way to a state
        self.names: list[ast.Name] = []  # the Name loads that carry a state
        self.literals: dict[ast.expr, str] = {}
        self.parent: dict[ast.expr, ast.expr] = {}  # an arm or walrus value -> around it
        self.via: dict[ast.expr, list[str]] = {}  # a value reached through a name, unrecorded
        self.seen: set[tuple[ast.expr, Optional[ast.stmt]]] = set()
        self.points: set[Point] = set()
        for key, why in taints.items():
            self.via[key] = ["!" + why]

    def run(self, expr: ast.expr, ctx: Optional[ast.stmt], deferred: list[Item]) -> None:
        scope = self.scope
        stack: list[tuple[Union[ast.expr, Point], Optional[ast.stmt]]] = [(expr, ctx)]
        while stack:
            item, where = stack.pop()
            if isinstance(item, tuple):  # a point: one step further back
                name, stmt = item
                values, nxt = scope.flow().before(name, stmt)
                stack += [self._assigned(value, name) for value in values]
                if nxt is not None and (name, nxt) not in self.points:
                    self.points.add((name, nxt))
                    stack.append(((name, nxt), None))
                continue
            key = (item, where)
            if key in self.seen:
                continue
            self.seen.add(key)
            if isinstance(item, ast.IfExp):
                self.parent[item.body] = self.parent[item.orelse] = item
                stack += [(item.body, where), (item.orelse, where)]
            elif isinstance(item, ast.NamedExpr):
                self.followed.add(item)
                self.parent[item.value] = item
                stack.append((item.value, where))
            elif isinstance(item, ast.Name):
                self.followed.add(item)
                self.names.append(item)
                if item.id not in scope.assigns:
                    if scope.kind == "module" and item.id in self.imported:
                        value, module = self.imported[item.id]
                        self.elsewhere.append((item, value, f"{item.id} is defined in "
                                               f"{module}, where other modules can read it"))
                    elif not scope.is_local(item.id):
                        deferred.append((item, None))
                elif where is not None and scope.flow().knows(where):
                    stack.append(((item.id, where), None))
                else:  # evaluated later than written (a closure): any assignment
                    stack += [self._assigned(value, item.id)
                              for value in scope.assigns[item.id]]
            elif isinstance(item, ast.Attribute):  # ``states.DONE``: a module's constant
                self._attribute(item, deferred)
            else:
                text = str_constant(item)
                if text is not None:
                    self.literals[item] = text

    def _attribute(self, item: ast.Attribute, deferred: list[Item]) -> None:
        """An attribute of an imported module of the project (``states.DONE``) is that
        module's constant; its head is a module-level name, so a function hands it on."""
        name = dotted(item)
        if name is None or "." not in name:
            return
        if self.scope.kind == "module":
            if name in self.imported:
                value, module = self.imported[name]
                self.elsewhere.append((item, value, f"{name} is defined in {module}, "
                                       "where other modules can read it"))
        elif not self.scope.is_local(name.split(".", 1)[0]):
            deferred.append((item, None))

    def _assigned(self, value: ast.expr, name: str) -> tuple[ast.expr, Optional[ast.stmt]]:
        if value not in self.scope.receivers and value not in self.scope.walrus_of:
            self.via.setdefault(value, [name])  # bound without a record (type alias)
        return value, self.scope.assign_stmts.get(value)

    def destinations(self, node: ast.expr) -> list[Dest]:
        """Where the value of ``node`` goes: the names (and ``!why`` or the walrus for other
        places) bound from it or from the expressions around it on its way to a state."""
        scope = self.scope
        found: list[Dest] = []
        current: Optional[ast.expr] = node
        while current is not None:
            found += scope.receivers.get(current, ()) or self.via.get(current, ())
            walrus = scope.walrus_of.get(current)
            if walrus is not None:
                found.append(walrus)
            current = self.parent.get(current)
        return found

    def report(self, report: Report, deferred: list[Item], taints: Taints) -> None:
        """Each invalid literal once; its fix is unsafe when a destination, directly or
        through ``b = a`` chains, is used for something else than a state."""
        feeds: dict[str, dict[Dest, None]] = defaultdict(dict)  # name -> names fed from it
        for load in self.names:
            feeds[load.id].update(dict.fromkeys(self.destinations(load)))
        via = {node: self.destinations(node) for node in self.literals}
        names: dict[Dest, None] = dict.fromkeys([
            *feeds, *(n for t in feeds.values() for n in t), *(n for t in via.values() for n in t)])
        reasons: dict[Dest, str] = {}
        upstream: dict[Dest, list[str]] = defaultdict(list)
        for source, targets in feeds.items():
            for target in targets:
                upstream[target].append(source)
        todo = []
        for name in names:
            why = self._other_use(name)
            if why is not None:
                reasons[name] = why
                todo.append(name)
        while todo:  # a name feeding a name used elsewhere is used elsewhere too
            name = todo.pop()
            for source in upstream.get(name, ()):
                if source not in reasons:
                    reasons[source] = reasons[name]
                    todo.append(source)
        for node, text in self.literals.items():
            report(node, text, next((reasons[n] for n in via[node] if n in reasons), None))
        for name_node, value, why in self.elsewhere:
            report(name_node, value, why)
        for item, _ in deferred:  # a free name: what it feeds here, for the enclosing scope
            if not isinstance(item, ast.Name):
                continue  # ``states.DONE``: a constant of another module, fixed nowhere
            why = next((reasons[n] for n in feeds.get(item.id, ()) if n in reasons), None)
            if why is not None:
                taints[item] = why

    def _other_use(self, name: Dest) -> Optional[str]:
        """Why a value held by ``name`` is not only a state: another use, another way the
        name is bound, or where it lives. ``!why`` and a walrus are no names."""
        scope = self.scope
        if isinstance(name, ast.NamedExpr):  # the walrus binding the value
            walrus = name
            if walrus in self.followed:
                return None
            return (f"the walrus ({walrus.target.id} := ...) on line {walrus.lineno} "
                    "also passes the value on")
        if name.startswith("!"):
            return name[1:]
        if scope.kind in ("module", "class"):
            return f"{name} is a {scope.kind}-level name that other code can read"
        if name in scope.declared:
            return f"{name} is declared {scope.declared[name]}: other code can read it"
        lines = sorted({use.lineno for use in scope.loads.get(name, ())
                        if use not in self.followed})
        if lines:
            shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
            return f"{name} is also used on line {shown}"
        bound = scope.binds.get(name)
        if bound:
            return f"{name} is also bound on line {min(bound)} (not by a plain assignment)"
        return None
