"""GOV004: the string states that can reach a metrics call, and whether fixing them is safe.

A state argument is resolved statically (spec section 3): a string constant, both arms of
a conditional, a name through the assignments to it that can reach the call
(:mod:`flow`), or, for a name the scope does not bind, in the enclosing scope. The work is
a search over (expression, statement) items and program points, each visited once.

Replacing the literal is a *safe* fix only when nothing but metrics states receives it:
``DONE = "SUCCESS"`` also compared with ``job.status == DONE`` is a job status too, and a
module- or class-level name can be read from elsewhere. Such a fix is unsafe, and says why.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Callable, Mapping, Optional, Union

from .nodes import str_constant
from .records import Item, Scope

# A point: "the start of this statement", for one name.
Point = tuple[str, ast.stmt]
Report = Callable[[ast.expr, str, Optional[str]], None]


def resolve(scope: Scope, items: list[Item], report: Report,
            imported: Mapping[str, tuple[str, str]] = {}) -> list[Item]:
    """Report the invalid string states among ``items`` that ``scope`` resolves; return the
    names it does not bind (they resolve in the enclosing scope, flow-insensitively).
    ``imported``: the module's names that are string constants of another module of the
    project (name -> (value, that module)); such a state is reported where it is used
    here (the only place a linter of this file can show), and is never fixed here."""
    deferred: list[Item] = []
    if not items:
        return deferred
    followed: set[int] = set()  # the Name loads that carry a state
    feeds: dict[str, list[str]] = defaultdict(list)  # name -> names assigned from it
    via: dict[int, list[str]] = defaultdict(list)  # literal -> names it is assigned to
    literals: dict[int, tuple[ast.expr, str]] = {}
    stack: list[Union[tuple[ast.expr, Optional[ast.stmt], Optional[str]],
                      tuple[Point, None, Optional[str]]]] = \
        [(expr, ctx, None) for expr, ctx in items]
    seen: set[tuple[int, int]] = set()
    points: set[tuple[str, int]] = set()
    while stack:
        item, ctx, into = stack.pop()
        if isinstance(item, tuple):  # a point: one step further back
            name, stmt = item
            values, nxt = scope.flow().before(name, stmt)
            stack += [(v, scope.assign_stmts.get(id(v)), name) for v in values]
            if nxt is not None and (name, id(nxt)) not in points:
                points.add((name, id(nxt)))
                stack.append(((name, nxt), None, None))
            continue
        key = (id(item), id(ctx))
        if key in seen:
            if into is not None:
                _link(item, into, feeds, via)
            continue
        seen.add(key)
        if isinstance(item, ast.IfExp):
            stack += [(item.body, ctx, into), (item.orelse, ctx, into)]
        elif isinstance(item, ast.NamedExpr):
            stack.append((item.value, ctx, into))
        elif isinstance(item, ast.Name):
            followed.add(id(item))
            if into is not None:
                feeds[item.id].append(into)
            if item.id not in scope.assigns:
                if scope.kind == "module" and item.id in imported:
                    value, module = imported[item.id]
                    report(item, value, f"{item.id} is defined in {module}, "
                           "where other modules can read it")
                elif not scope.is_local(item.id):
                    deferred.append((item, None))
            elif ctx is not None and scope.flow().knows(ctx):
                stack.append(((item.id, ctx), None, None))
            else:  # evaluated later than written (a closure): any assignment
                stack += [(v, scope.assign_stmts.get(id(v)), item.id)
                          for v in scope.assigns[item.id]]
        else:
            text = str_constant(item)
            if into is not None:
                _link(item, into, feeds, via)
            if text is not None:
                literals[id(item)] = (item, text)
    _report(scope, literals, via, feeds, followed, report)
    return deferred


def _link(item: ast.expr, into: str, feeds: dict[str, list[str]],
          via: dict[int, list[str]]) -> None:
    if isinstance(item, ast.Name):
        feeds[item.id].append(into)
    else:
        via[id(item)].append(into)


def _report(scope: Scope, literals: dict[int, tuple[ast.expr, str]],
            via: dict[int, list[str]], feeds: dict[str, list[str]], followed: set[int],
            report: Report) -> None:
    """Each invalid literal once; its fix is unsafe when a name it flows into, directly or
    through ``b = a`` chains, is also used for something else than a state."""
    names = set(feeds) | {n for targets in feeds.values() for n in targets} | \
        {n for targets in via.values() for n in targets}
    reasons: dict[str, str] = {}
    upstream: dict[str, list[str]] = defaultdict(list)
    for source, targets in feeds.items():
        for target in targets:
            upstream[target].append(source)
    todo = []
    for name in names:
        why = _other_use(scope, name, followed)
        if why is not None:
            reasons[name] = why
            todo.append(name)
    while todo:  # a name feeding a name used elsewhere is used elsewhere too
        name = todo.pop()
        for source in upstream.get(name, ()):
            if source not in reasons:
                reasons[source] = reasons[name]
                todo.append(source)
    for key, (node, text) in literals.items():
        why = next((reasons[n] for n in via.get(key, ()) if n in reasons), None)
        report(node, text, why)


def _other_use(scope: Scope, name: str, followed: set[int]) -> Optional[str]:
    """Why a literal held by ``name`` is not only a state: another use, or where it lives."""
    if scope.kind in ("module", "class"):
        return f"{name} is a {scope.kind}-level name that other code can read"
    lines = sorted({use.lineno for use in scope.loads.get(name, ()) if id(use) not in followed})
    if not lines:
        return None
    shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
    return f"{name} is also used on line {shown}"
