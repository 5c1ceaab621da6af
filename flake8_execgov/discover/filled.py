"""Containers a host fills with what its plugins returned: registries of plugin code.

A pluggy host often asks every plugin for something (``pm.hook.register_output_renderer()``)
and files each answer in a container of its own (``self.renderers[ext] = (render, ...)``),
which it calls much later, far from any hook call. The container is a registry of plugin
callables (``execgov-dispatch-names``) because of how it is filled, whatever it is called,
so :func:`hook_filled` follows, inside one function, what a hook call returned: the loop
variables over it, the lists it is added to, the loop variables over those, until a
subscript store files one of them in a container that outlives the function (an
attribute, a module's name).
"""

from __future__ import annotations

import ast
from typing import Union

from ..model.nodes import dotted, last_id

Func = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_ADDERS = frozenset(("append", "extend", "add", "insert"))


def _hook_call(node: ast.AST) -> bool:
    """``pm.hook.name(...)``: pluggy's relay calls every plugin's implementation."""
    return isinstance(node, ast.Call) and ".hook." in f".{dotted(node.func) or ''}"


def _mentions(node: ast.AST, tainted: set[str]) -> bool:
    return any(_hook_call(n) or (isinstance(n, ast.Name) and n.id in tainted)
               for n in ast.walk(node))


def _names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def hook_filled(node: Func) -> list[tuple[str, int]]:
    """The containers ``node`` files what a hook call returned in (name, line)."""
    flows: list[tuple[list[str], ast.AST]] = []  # names bound from a value
    stores: list[tuple[ast.expr, ast.AST, int]] = []  # container[...] = value
    for inner in ast.walk(node):
        if isinstance(inner, (ast.For, ast.AsyncFor)):
            flows.append((_names(inner.target), inner.iter))
        elif isinstance(inner, ast.comprehension):
            flows.append((_names(inner.target), inner.iter))
        elif isinstance(inner, ast.AugAssign) and isinstance(inner.target, ast.Name):
            flows.append(([inner.target.id], inner.value))
        elif isinstance(inner, ast.Assign):
            for target in inner.targets:
                if isinstance(target, ast.Subscript):
                    if isinstance(target.value, (ast.Attribute, ast.Name)):
                        stores.append((target.value, inner.value, inner.lineno))
                else:
                    flows.append((_names(target), inner.value))
        elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                and inner.func.attr in _ADDERS and isinstance(inner.func.value, ast.Name):
            flows += [([inner.func.value.id], arg) for arg in inner.args]
    if not any(_hook_call(n) for _, value in flows for n in ast.walk(value)) and \
            not any(_hook_call(n) for _, value, _ in stores for n in ast.walk(value)):
        return []
    tainted: set[str] = set()
    changed = True
    while changed:  # each pass adds a name or stops: at most len(flows) passes
        changed = False
        for names, value in flows:
            if not set(names) <= tainted and _mentions(value, tainted):
                tainted.update(names)
                changed = True
    local = {name for names, _ in flows for name in names}
    return [(last_id(held) or "", line) for held, value, line in stores
            if _mentions(value, tainted) and _kept(held, local)]


def _kept(held: ast.expr, local: set[str]) -> bool:
    """A container that outlives the function: an attribute (``self.renderers``) or a
    name the function does not bind (a module's); a local dict filled with results is
    what the function builds, not a registry."""
    return isinstance(held, ast.Attribute) or (isinstance(held, ast.Name)
                                               and held.id not in local)
