"""Questions about one definition of a host's module: is this method a declared hook, a
property, a wrapper's pass-through; is this decorator a route or a registry; which
``Depends(...)`` does it name. :mod:`.scan` asks them while it walks."""

from __future__ import annotations

import ast
import functools
from functools import partial
from typing import Callable, Optional, Union

from ..model.nodes import dotted, last_id, str_constant
from .filled import hook_filled
from .records import ClassFact, FuncFact, ModuleFacts

Func = Union[ast.FunctionDef, ast.AsyncFunctionDef]
BROAD = frozenset(("Exception", "BaseException"))
_ENUM_BASES = frozenset(("Enum", "StrEnum", "IntEnum"))
_ROUTE_VERBS = frozenset(("get", "post", "put", "patch", "delete", "api_route", "websocket"))


def broad_handler(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_id(kind) in BROAD for kind in kinds)


def words(annotation: ast.AST) -> str:
    """The identifiers of an annotation, space-separated (cheaper than unparsing it)."""
    return " ".join(n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute)
                    else str(n.value) for n in ast.walk(annotation)
                    if isinstance(n, (ast.Name, ast.Attribute))
                    or (isinstance(n, ast.Constant) and isinstance(n.value, str)))


def _declared_only(func: Func) -> bool:
    """Does the body only declare (docstring, ``pass``, ``...``, ``raise``, a constant
    ``return``, or one of its parameters handed back unchanged: a pass-through default)?
    Such a method is a hook the base class leaves to its plugins."""
    params = {a.arg for a in func.args.args + func.args.kwonlyargs + func.args.posonlyargs}
    for stmt in func.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, (ast.Pass, ast.Raise)):
            continue
        if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(
                stmt.value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set))):
            continue
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Name) \
                and stmt.value.id in params and stmt.value.id != "self":
            continue
        return False
    return True


def _property(func: Func) -> bool:
    """A property is read, not called, and a static method is a utility: never a hook."""
    return any(last_id(d) in ("property", "cached_property", "setter", "getter", "deleter",
                              "staticmethod") for d in func.decorator_list)


def _abstract(func: Func) -> bool:
    return any(last_id(d) in ("abstractmethod", "abstractproperty") for d in func.decorator_list)


def class_fact(facts: ModuleFacts, node: ast.ClassDef, at: str) -> ClassFact:
    bases = [name for name in (dotted(b.value if isinstance(b, ast.Subscript) else b)
                               for b in node.bases) if name]
    fact = ClassFact(node.name, at, bases)
    enum = any(base.rsplit(".", 1)[-1] in _ENUM_BASES for base in bases)
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name.startswith("_") and not stmt.name.startswith("__") \
                    and not _property(stmt):
                fact.private.add(stmt.name)  # a hook by convention when a family overrides it
            elif not stmt.name.startswith("_") and not _property(stmt):
                fact.methods[stmt.name] = _declared_only(stmt) or _abstract(stmt)
                if stmt.returns is not None:
                    fact.returns[stmt.name] = words(stmt.returns)
                held = _delegates(stmt)
                if held is not None:
                    fact.delegates.append((stmt.name, held))
            fact.abstract = fact.abstract or _abstract(stmt)
        elif enum and isinstance(stmt, ast.Assign):
            fact.enum_members += [t.id for t in stmt.targets
                                  if isinstance(t, ast.Name) and not t.id.startswith("_")]
    if not enum:
        fact.enum_members = []
    facts.classes.append(fact)
    return fact


def _delegates(func: Func) -> Optional[str]:
    """The ``attr`` when ``m()`` calls ``self.<attr>.m(...)``: the same hook on an object it
    holds. (A wrapper's method is short: longer bodies are not looked into.)"""
    if len(func.body) > 4:
        return None
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == func.name and isinstance(node.func.value, ast.Attribute) \
                and isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == "self":
            return node.func.value.attr
    return None


def function_fact(facts: ModuleFacts, node: Func, cls: Optional[ClassFact],
                  outer: Optional[FuncFact], at: str) -> None:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted(target) or ""
        if name:
            facts.decorated.append((name, node.name, at))
        verb = name.rsplit(".", 1)[-1]
        if verb in _ROUTE_VERBS and isinstance(decorator, ast.Call) and "." in name:
            path = str_constant(decorator.args[0]) if decorator.args else None
            deps: list[str] = []
            for keyword in decorator.keywords:
                if keyword.arg == "dependencies":
                    deps += _depends(keyword.value)
            for arg in node.args.args + node.args.kwonlyargs:
                deps += _depends(arg.annotation) if arg.annotation is not None else []
            defaults = node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
            for default in defaults:
                deps += _depends(default)
            if path is not None:
                facts.routes.append((path, deps, at))
    filings = functools.cache(partial(_filings, node))  # walked for the first who asks
    _registering(facts, node, at, filings)
    _filing(facts, node, at, filings)
    path = at.rsplit(":", 1)[0]
    facts.hook_filled += [(name, f"{path}:{line}") for name, line in hook_filled(node)]


def _depends(node: ast.AST) -> list[str]:
    """The callables named in ``Depends(x)`` / ``Security(x)`` inside ``node``."""
    found = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call) and last_id(inner.func) in ("Depends", "Security") \
                and inner.args:
            name = last_id(inner.args[0])
            if name:
                found.append(name)
    return found


def _filings(node: Func) -> list[tuple[str, str, str]]:
    """Where the function files a name it holds in a container, from one walk of it:
    (container, name, how): ``container[...] = name`` (how: ``[]``) and
    ``container.append(name)`` (how: the method, ``append``, ``add`` or ``insert``)."""
    found: list[tuple[str, str, str]] = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Name):
            found += [(last_id(t.value) or "", inner.value.id, "[]")
                      for t in inner.targets if isinstance(t, ast.Subscript)]
        elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                and inner.func.attr in ("append", "add", "insert"):
            found += [(last_id(inner.func.value) or "", a.id, inner.func.attr)
                      for a in inner.args if isinstance(a, ast.Name)]
    return found


def _registering(facts: ModuleFacts, node: Func, at: str,
                 filings: Callable[[], list[tuple[str, str, str]]]) -> None:
    """A decorator that files the function it receives in a registry and returns it:
    ``REGISTRY[name] = fn`` or ``REGISTRY.append(fn)``; the registry's entries are
    plugin callables (a dispatch name)."""
    params = {a.arg for a in node.args.args}
    if len(params) != 1 or not node.body or not isinstance(node.body[-1], ast.Return):
        return
    param = next(iter(params))
    returned = node.body[-1].value
    if not (isinstance(returned, ast.Name) and returned.id == param):
        return
    facts.registries += [(container, at) for container, name, how in filings()
                         if name == param and container and how in ("[]", "append", "add")]


def _filing(facts: ModuleFacts, node: Func, at: str,
            filings: Callable[[], list[tuple[str, str, str]]]) -> None:
    """Parameters, with their annotation, that the function files in a container
    (``self.order.append(plugin)``, ``self.names[name] = plugin``): a registration
    function, through which objects made elsewhere (a plugin's) enter the host."""
    params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    annotated = {a.arg: a.annotation for a in params
                 if a.annotation is not None and a.arg not in ("self", "cls")}
    if not annotated:
        return
    filed = {name for _, name, _ in filings()} & set(annotated)
    facts.filed += [(words(annotated[name]), at) for name in sorted(filed)]
