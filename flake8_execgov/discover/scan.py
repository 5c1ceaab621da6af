"""What one module says about the host's plugin machinery, read in one walk of its tree.

``execgov init`` never imports the host: every fact here is a node of a module's syntax
tree, kept with its place (``path:line``) so that the proposal can show its evidence. The
walk is an explicit stack (no recursion), each node visited once, with the enclosing
class, function and ``try`` carried along: what a runner is depends on where a call is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional, Union

from ..model.nodes import dotted, last_id, str_constant

Func = Union[ast.FunctionDef, ast.AsyncFunctionDef]
BROAD = frozenset(("Exception", "BaseException"))
_ENUM_BASES = frozenset(("Enum", "StrEnum", "IntEnum"))
_LOADERS = frozenset(("entry_points", "iter_entry_points", "load_setuptools_entrypoints",
                      "ExtensionManager", "DriverManager", "NamedExtensionManager",
                      "HookManager", "EnabledExtensionManager"))
_IMPORTERS = frozenset(("import_module", "__import__", "load_module", "exec_module",
                        "spec_from_file_location"))
_ROUTE_VERBS = frozenset(("get", "post", "put", "patch", "delete", "api_route", "websocket"))


@dataclass
class ClassFact:
    name: str
    where: str
    bases: list[str]
    methods: dict[str, bool] = field(default_factory=dict)  # public method -> declared only
    abstract: bool = False
    delegates: list[str] = field(default_factory=list)  # m() calls self.<x>.m(): a wrapper
    where_hook: str = ""  # the hook that lets plugins supply instances (``get_writer``)
    enum_members: list[str] = field(default_factory=list)


@dataclass
class Call:
    """A call inside a function: what is called, where, in which try part."""

    name: str  # the called name as written, dotted (``self.manager.hook.x``)
    where: str
    part: str  # "body", "handler", "finally", "else" of the innermost try, or ""
    broad: bool  # the innermost try catches Exception/BaseException, or has a finally
    line: int = 0
    in_loop: bool = False


@dataclass
class FuncFact:
    name: str
    owner: Optional[str]  # the class of a method
    where: str
    calls: list[Call] = field(default_factory=list)
    member_loads: list[tuple[str, str]] = field(default_factory=list)  # (Enum, MEMBER)


@dataclass
class ModuleFacts:
    path: str
    test: bool
    classes: list[ClassFact] = field(default_factory=list)
    functions: list[FuncFact] = field(default_factory=list)
    decorated: list[tuple[str, str, str]] = field(default_factory=list)  # (decorator, def, at)
    spec_markers: set[str] = field(default_factory=set)  # names bound to HookspecMarker(...)
    signals: list[tuple[str, str]] = field(default_factory=list)  # (name, where)
    loaders: list[tuple[str, str]] = field(default_factory=list)  # (what, where)
    checks: list[tuple[str, str]] = field(default_factory=list)  # isinstance/issubclass class
    annotated: list[tuple[str, str]] = field(default_factory=list)  # (name, annotation)
    getattr_names: list[tuple[str, str]] = field(default_factory=list)  # getattr(x, "lit")
    registries: list[tuple[str, str]] = field(default_factory=list)  # decorator fills name
    routes: list[tuple[str, list[str], str]] = field(default_factory=list)  # (path, deps, at)


def _broad(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_id(kind) in BROAD for kind in kinds)


def _declared_only(func: Func) -> bool:
    """Does the body only declare (docstring, ``pass``, ``...``, ``raise``, a constant
    ``return``)? Such a method is a hook the base class leaves to its plugins."""
    for stmt in func.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, (ast.Pass, ast.Raise)):
            continue
        if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(
                stmt.value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set))):
            continue
        return False
    return True


def _property(func: Func) -> bool:
    """A property is read, not called, and a static method is a utility: never a hook."""
    return any(last_id(d) in ("property", "cached_property", "setter", "getter", "deleter",
                              "staticmethod") for d in func.decorator_list)


def _abstract(func: Func) -> bool:
    return any(last_id(d) in ("abstractmethod", "abstractproperty") for d in func.decorator_list)


Frame = tuple[Optional[ClassFact], Optional[FuncFact], str, bool, bool]  # + try part, broad, loop


def scan(tree: ast.Module, path: str, test: bool) -> ModuleFacts:
    """The facts of one module (see the module docstring)."""
    facts = ModuleFacts(path, test)
    stack: list[tuple[ast.AST, Frame]] = [(tree, (None, None, "", False, False))]
    while stack:
        node, frame = stack.pop()
        cls, func, part, broad, loop = frame
        at = f"{path}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ClassDef):
            cls = _class(facts, node, at)
            func = None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _function(facts, node, cls, func, at)
            owner = cls.name if cls is not None and func is None else None
            func = FuncFact(node.name, owner, at)
            facts.functions.append(func)
            part, broad, loop = "", False, False
        elif isinstance(node, ast.Call):
            _call(facts, node, func, at, part, broad, loop)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            _assign(facts, node, at)
        elif isinstance(node, ast.Attribute) and func is not None and isinstance(
                node.value, ast.Name) and node.attr.isupper():
            func.member_loads.append((node.value.id, node.attr))
        if isinstance(node, ast.arg) and node.annotation is not None:
            facts.annotated.append((node.arg, ast.unparse(node.annotation)))
        next_frame: Frame = (cls, func, part, broad, loop)
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            wide = bool(node.finalbody) or any(  # type: ignore[attr-defined]
                _broad(h) for h in node.handlers)  # type: ignore[attr-defined]
            for name, stmts in (("body", node.body), ("handler", node.handlers),  # type: ignore[attr-defined]
                                ("else", node.orelse), ("finally", node.finalbody)):  # type: ignore[attr-defined]
                kept_broad = wide if name in ("body", "else") else broad
                for child in reversed(stmts):
                    stack.append((child, (cls, func, name, kept_broad, loop)))
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.comprehension)):
            next_frame = (cls, func, part, broad, True)
        for child in reversed(list(ast.iter_child_nodes(node))):
            stack.append((child, next_frame))
    return facts


def _class(facts: ModuleFacts, node: ast.ClassDef, at: str) -> ClassFact:
    bases = [name for name in (dotted(b.value if isinstance(b, ast.Subscript) else b)
                               for b in node.bases) if name]
    fact = ClassFact(node.name, at, bases)
    enum = any(base.rsplit(".", 1)[-1] in _ENUM_BASES for base in bases)
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not stmt.name.startswith("_") and not _property(stmt):
                fact.methods[stmt.name] = _declared_only(stmt) or _abstract(stmt)
                if _delegates(stmt):
                    fact.delegates.append(stmt.name)
            fact.abstract = fact.abstract or _abstract(stmt)
        elif enum and isinstance(stmt, ast.Assign):
            fact.enum_members += [t.id for t in stmt.targets
                                  if isinstance(t, ast.Name) and not t.id.startswith("_")]
    if not enum:
        fact.enum_members = []
    facts.classes.append(fact)
    return fact


def _delegates(func: Func) -> bool:
    """Does ``m()`` call ``self.<attr>.m(...)``: the same hook on an object it holds?"""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == func.name and isinstance(node.func.value, ast.Attribute) \
                and isinstance(node.func.value.value, ast.Name) and node.func.value.value.id == "self":
            return True
    return False


def _function(facts: ModuleFacts, node: Func, cls: Optional[ClassFact],
              outer: Optional[FuncFact], at: str) -> None:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = dotted(target) or ""
        if name:
            facts.decorated.append((name, node.name, at))
        verb = name.rsplit(".", 1)[-1]
        if verb in _ROUTE_VERBS and isinstance(decorator, ast.Call) and "." in name:
            path = str_constant(decorator.args[0]) if decorator.args else None
            deps = [d for d in (_depends(k.value) for k in decorator.keywords
                                if k.arg == "dependencies") for d in d]
            for arg in node.args.args + node.args.kwonlyargs:
                deps += _depends(arg.annotation) if arg.annotation is not None else []
            defaults = node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
            for default in defaults:
                deps += _depends(default)
            if path is not None:
                facts.routes.append((path, deps, at))
    _registering(facts, node, at)


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


def _registering(facts: ModuleFacts, node: Func, at: str) -> None:
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
    for inner in ast.walk(node):
        if isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Name) \
                and inner.value.id == param:
            for target in inner.targets:
                if isinstance(target, ast.Subscript):
                    name = last_id(target.value)
                    if name:
                        facts.registries.append((name, at))
        elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
                and inner.func.attr in ("append", "add") and any(
                    isinstance(a, ast.Name) and a.id == param for a in inner.args):
            name = last_id(inner.func.value)
            if name:
                facts.registries.append((name, at))


def _call(facts: ModuleFacts, node: ast.Call, func: Optional[FuncFact], at: str,
          part: str, broad: bool, loop: bool) -> None:
    name = dotted(node.func) or (last_id(node.func) or "")
    short = name.rsplit(".", 1)[-1]
    if short in ("isinstance", "issubclass") and len(node.args) == 2:
        kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        facts.checks += [(k, at) for k in map(last_id, kinds) if k]
    elif short in _LOADERS:
        group = next((str_constant(a) for a in [*node.args, *(k.value for k in node.keywords)]
                      if str_constant(a)), None)
        facts.loaders.append((f"{short}({group!r})" if group else f"{short}()", at))
    elif short in _IMPORTERS or name in ("pkgutil.iter_modules", "pkgutil.walk_packages"):
        facts.loaders.append((f"{name}()", at))
    elif short == "getattr" and len(node.args) >= 2:
        literal = str_constant(node.args[1])
        if literal and literal.isidentifier():
            facts.getattr_names.append((literal, at))
    if func is not None and name:
        func.calls.append(Call(name, at, part, broad, node.lineno, loop))


def _assign(facts: ModuleFacts, node: Union[ast.Assign, ast.AnnAssign], at: str) -> None:
    value = node.value
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if isinstance(node, ast.AnnAssign):
        target = node.target
        if isinstance(target, (ast.Name, ast.Attribute)):
            facts.annotated.append((last_id(target) or "", ast.unparse(node.annotation)))
    if not isinstance(value, ast.Call):
        return
    called = last_id(value.func) or ""
    names = [last_id(t) for t in targets if isinstance(t, (ast.Name, ast.Attribute))]
    if called == "HookspecMarker":
        facts.spec_markers.update(n for n in names if n)
    elif called in ("signal", "Signal", "NamedSignal") and (
            not value.args or str_constant(value.args[0]) is not None):
        facts.signals += [(n, at) for n in names if n]
