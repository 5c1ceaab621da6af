"""What a dynamic attribute name is known to start with, from the code guarding it.

``for name in dir(plugin): if not name.startswith("on_"): continue; getattr(plugin,
name)``: past the guard ``name`` starts with ``on_``, so the ``getattr`` can only reach
attributes named so; likewise inside ``if name.startswith("on_"):``, and in a loop over a
comprehension that keeps only such names (``for name in (n for n in dir(p) if
n.startswith("on_")):``). Guards are read from the statements that hold the access and the
earlier statements of each block (no flow beyond that: a name reassigned in between is not
followed, so such a guard is trusted).
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import replace
from typing import Sequence

from .records import Access
from .nodes import str_constant

_LEAVES = (ast.Continue, ast.Return, ast.Raise, ast.Break)
_WILD = re.compile(r"[*?\[]")


def known_prefixes(access: Access) -> tuple[str, ...]:
    """The prefixes the name given to ``getattr`` is known to start with (any of them)."""
    node = access.node
    if not isinstance(node, ast.Call) or len(node.args) < 2 \
            or not isinstance(node.args[1], ast.Name) or access.scope is None \
            or access.stmt is None:
        return ()
    name = node.args[1].id
    flow = access.scope.flow()
    for holder, field_name, block, index in flow.ancestry(access.stmt):
        for earlier in reversed(block[:index]):
            prefixes = _rejects_others(earlier, name)
            if prefixes:
                return prefixes
        if isinstance(holder, ast.If) and field_name == "body":
            prefixes = _startswith(holder.test, name)
            if prefixes:
                return prefixes
        if isinstance(holder, (ast.For, ast.AsyncFor)) and field_name == "body" \
                and isinstance(holder.target, ast.Name) and holder.target.id == name:
            prefixes = _filtered(holder.iter)
            if prefixes:
                return prefixes
    return ()


def _filtered(iterable: ast.expr) -> tuple[str, ...]:
    """``(n for n in names if n.startswith(P))`` (or a list or set comprehension): the
    names it yields start with P."""
    if not isinstance(iterable, (ast.GeneratorExp, ast.ListComp, ast.SetComp)) \
            or len(iterable.generators) != 1:
        return ()
    loop = iterable.generators[0]
    if not (isinstance(loop.target, ast.Name) and isinstance(iterable.elt, ast.Name)
            and iterable.elt.id == loop.target.id):
        return ()
    for condition in loop.ifs:
        prefixes = _startswith(condition, loop.target.id)
        if prefixes:
            return prefixes
    return ()


def _rejects_others(stmt: ast.stmt, name: str) -> tuple[str, ...]:
    """``if not name.startswith(P): continue`` (or return, raise, break)."""
    if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.UnaryOp) \
            and isinstance(stmt.test.op, ast.Not) and len(stmt.body) == 1 \
            and isinstance(stmt.body[0], _LEAVES) and not stmt.orelse:
        return _startswith(stmt.test.operand, name)
    return ()


def _startswith(test: ast.expr, name: str) -> tuple[str, ...]:
    """``name.startswith("p")`` or ``name.startswith(("p", "q"))``: the prefixes."""
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith" and isinstance(test.func.value, ast.Name)
            and test.func.value.id == name and len(test.args) == 1 and not test.keywords):
        return ()
    arg = test.args[0]
    items = arg.elts if isinstance(arg, ast.Tuple) else [arg]
    prefixes = [str_constant(item) for item in items]
    return tuple(p for p in prefixes if p is not None) \
        if all(p is not None for p in prefixes) else ()


def dynamic_executions(accesses: Sequence[Access], patterns: Sequence[str]) -> list[Access]:
    """A dynamic attribute of a plugin that is called (``getattr(ext.obj, method)(*args)``)
    executes the plugin when its name can reach a run method: an execution, besides the
    dynamic access itself (GOV007)."""
    return [replace(access, kind="run") for access in accesses
            if access.kind == "dynamic" and access.call is not None
            and reachable(patterns, known_prefixes(access))]


def reachable(patterns: Sequence[str], prefixes: Sequence[str]) -> list[str]:
    """The run-method patterns a name starting with one of ``prefixes`` can match (all of
    them when nothing is known)."""
    if not prefixes:
        return list(patterns)
    return [p for p in patterns if any(_may_start_with(p, prefix) for prefix in prefixes)]


def _may_start_with(pattern: str, prefix: str) -> bool:
    """Can a name matching the glob ``pattern`` start with ``prefix``? (Conservative.)"""
    wild = _WILD.search(pattern)
    if wild is None:
        return pattern.startswith(prefix)
    literal = pattern[:wild.start()]
    return literal.startswith(prefix) or prefix.startswith(literal) \
        or fnmatch.fnmatchcase(prefix, pattern)
