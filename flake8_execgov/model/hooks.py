"""What a module's classes declare: plugin classes, a plugin type's hooks, and the
properties that hand out a plugin.

A host runs plugin code under many names: a plugin type declares a dozen methods
(``cli_commands()``, ``filters()``, ``close()``) and an adopter lists the two they know as
run methods. The type's own definition says which names are plugin code, so where it is in
the project its declared methods are *hooks*: calling one on a plugin executes the plugin
(``execgov-hook-methods = declared``, the default; ``listed`` keeps the run methods only).

Declared means written in the body of the class whose name matches ``plugin-types``: a
``def`` (also a classmethod: ``converter_class.supports(mime)`` runs the plugin's
override). Dunders are the language's protocol, not hooks; a property's read is an
attribute read, never a call of plugin code the host chose; a static method is a utility
the type offers its plugins (``normalize_file_name_component()``), holding no plugin
state: none of them is a hook (list one in ``run-methods`` where it is).

Only statement lists are read (the module's top level and a class body), never
expressions below a statement: this is not a second walk.
"""

from __future__ import annotations

import ast
from typing import Callable, Iterable

from .nodes import last_id

Name = ast.Name

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_PROPERTIES = frozenset(("property", "cached_property"))


def is_property(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@property``, ``@functools.cached_property``, or a property's setter/deleter."""
    for decorator in node.decorator_list:
        name = last_id(decorator)
        if name in _PROPERTIES or name in ("setter", "deleter", "getter"):
            return True
    return False


def declared_methods(cls: ast.ClassDef) -> list[str]:
    """The hooks a plugin type's body declares (see the module docstring)."""
    return [stmt.name for stmt in cls.body
            if isinstance(stmt, _FUNCTIONS) and not is_property(stmt)
            and not any(last_id(d) == "staticmethod" for d in stmt.decorator_list)
            and not (stmt.name.startswith("__") and stmt.name.endswith("__"))]


def module_hooks(body: Iterable[ast.stmt], is_type: Callable[[str], bool]) -> frozenset[str]:
    """The hooks of the plugin types a module defines at its top level."""
    return frozenset(name for stmt in body if isinstance(stmt, ast.ClassDef)
                     and is_type(stmt.name) for name in declared_methods(stmt))


def plugin_properties(body: Iterable[ast.stmt],
                      is_plugin: Callable[[ast.expr], bool]) -> frozenset[str]:
    """Properties of the module's top-level classes whose body returns a plugin
    (``@cached_property def geo(self): return get_plugin("geo")``): reading one
    (``self.geo``) yields that plugin. A ``return`` directly in the property's body counts,
    and one inside an ``if``/``try``/``with`` block of it (a cache check around it)."""
    found: set[str] = set()
    for stmt in body:
        if not isinstance(stmt, ast.ClassDef):
            continue
        for method in stmt.body:
            if isinstance(method, _FUNCTIONS) and is_property(method) \
                    and any(is_plugin(value) for value in _returned(method.body)):
                found.add(method.name)
    return frozenset(found)


_BLOCKS = (ast.If, ast.With, ast.AsyncWith, ast.Try)


def _returned(body: list[ast.stmt]) -> list[ast.expr]:
    """The values returned by a body's statements and its blocks' statements."""
    values: list[ast.expr] = []
    stack = list(body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            values.append(stmt.value)
        elif isinstance(stmt, _BLOCKS):
            for attr in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, attr, ()))
            for handler in getattr(stmt, "handlers", ()):
                stack.extend(handler.body)
    return values


def plugin_classes(tree: ast.AST, is_base: Callable[[ast.expr], bool]) -> frozenset[str]:
    """The module's top-level classes that derive from a base ``is_base`` accepts (a
    configured plugin type), directly or through other classes of the module (in any
    order). Statement lists only, like :func:`module_aliases`: not a second walk."""
    derived: dict[str, list[str]] = {}  # base name -> classes deriving from it
    found: list[str] = []
    for stmt in getattr(tree, "body", ()):
        if isinstance(stmt, ast.ClassDef):
            for base in stmt.bases:
                if is_base(base):
                    found.append(stmt.name)
                elif isinstance(base, Name):
                    derived.setdefault(base.id, []).append(stmt.name)
    seen = set(found)
    while found:
        for name in derived.get(found.pop(), ()):
            if name not in seen:
                seen.add(name)
                found.append(name)
    return frozenset(seen)
