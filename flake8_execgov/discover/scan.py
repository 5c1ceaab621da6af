"""What one module says about the host's plugin machinery, read in one walk of its tree.

``execgov init`` never imports the host: every fact here is a node of a module's syntax
tree, kept with its place (``path:line``) so that the proposal can show its evidence. The
walk is an explicit stack (no recursion), each node visited once, with the enclosing
class, function and ``try`` carried along: what a runner is depends on where a call is.
"""

from __future__ import annotations

import ast
from typing import Optional, Union

from ..model.nodes import dotted, last_id, str_constant
from .records import Call, ClassFact, FuncFact, ModuleFacts
from .shapes import broad_handler, class_fact, function_fact, words

_LOADERS = frozenset(("entry_points", "iter_entry_points", "load_setuptools_entrypoints",
                      "ExtensionManager", "DriverManager", "NamedExtensionManager",
                      "HookManager", "EnabledExtensionManager"))
_IMPORTERS = frozenset(("import_module", "__import__", "load_module", "exec_module",
                        "spec_from_file_location"))


Frame = tuple[Optional[ClassFact], Optional[FuncFact], str, bool, bool]  # + try part, broad, loop
# Nodes with nothing to learn and nothing below worth a visit: half of a tree's nodes.
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop, ast.Constant,
           ast.Name, ast.alias)
_TRIES = tuple({ast.Try, getattr(ast, "TryStar", ast.Try)})
_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.comprehension)
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _at(path: str, node: ast.AST) -> str:
    return f"{path}:{getattr(node, 'lineno', 0)}"


_CONTAINER_HEADS = frozenset((
    "list", "List", "dict", "Dict", "set", "Set", "tuple", "Tuple", "Iterable", "Iterator",
    "Sequence", "Mapping", "Collection", "MutableMapping", "MutableSequence", "frozenset",
    "FrozenSet", "defaultdict", "DefaultDict", "OrderedDict", "deque"))
_MAPPINGS = frozenset(("dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict",
                       "OrderedDict"))  # only their values are their items
_UNIONS = frozenset(("Optional", "Union", "Final", "ClassVar"))


def _holds_callables(annotation: ast.AST) -> bool:
    """A container whose items (or values) are callables: ``dict[str, list[Callable]]``,
    ``Mapping[str, Callable[[Any], Any]]``; not a mapping keyed by callables
    (``dict[Callable, str]``), not a callable that returns a container
    (``Callable[[str], tuple[float, str]]``) nor a union of a container and a callable
    (``list[str] | Callable[[str], bool]``): the words of an annotation say neither."""
    stack: list[tuple[ast.AST, bool]] = [(annotation, False)]  # (node, inside a container)
    while stack:
        node, inside = stack.pop()
        if isinstance(node, ast.BinOp):  # X | Y
            stack += [(node.left, inside), (node.right, inside)]
        elif isinstance(node, ast.Subscript):
            head = last_id(node.value) or ""
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "Callable":
                if inside:
                    return True
            elif head in _CONTAINER_HEADS:
                stack += [(item, True) for item in (items[-1:] if head in _MAPPINGS else items)]
            elif head in _UNIONS:
                stack += [(item, inside) for item in items]
        elif inside and last_id(node) == "Callable":
            return True
    return False


def _prefilled(value: Optional[ast.expr]) -> bool:
    """A display with entries (``{"int": int, "bool": boolean}``): a table the code that
    writes it fills with its own callables, not a registry plugins fill later."""
    if isinstance(value, ast.Dict):
        return bool(value.keys)
    return isinstance(value, (ast.List, ast.Tuple, ast.Set)) and bool(value.elts)


def scan(tree: ast.Module, path: str, test: bool) -> ModuleFacts:
    """The facts of one module (see the module docstring), in source order."""
    facts = ModuleFacts(path, test)
    stack: list[tuple[ast.AST, Frame]] = [(tree, (None, None, "", False, False))]
    push = stack.append
    while stack:
        node, frame = stack.pop()
        cls, func, part, broad, loop = frame
        kind = type(node)
        if kind is ast.Call:
            _call(facts, node, func, path, part, broad, loop)  # type: ignore[arg-type]
        elif kind is ast.Attribute:
            value, attr = node.value, node.attr  # type: ignore[attr-defined]
            if func is not None and type(value) is ast.Name and attr.isupper():
                func.member_loads.append((value.id, attr))
        elif kind is ast.arg:
            if node.annotation is not None:  # type: ignore[attr-defined]
                facts.annotated.append((node.arg, words(node.annotation)))  # type: ignore[attr-defined]
            continue
        elif kind is ast.Assign or kind is ast.AnnAssign:
            _assign(facts, node, _at(path, node))  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            cls = class_fact(facts, node, _at(path, node))  # type: ignore[arg-type]
            func = None
        elif kind in _FUNCS:
            at = _at(path, node)
            function_fact(facts, node, cls, func, at)  # type: ignore[arg-type]
            owner = cls.name if cls is not None and func is None else None
            func = FuncFact(node.name, owner, at,  # type: ignore[attr-defined]
                            params=_params(node, owner))  # type: ignore[arg-type]
            if node.returns is not None:  # type: ignore[attr-defined]
                func.returns = words(node.returns)  # type: ignore[attr-defined]
            facts.functions.append(func)
            part, broad, loop = "", False, False
        elif kind in _TRIES:
            handlers, final = node.handlers, node.finalbody  # type: ignore[attr-defined]
            wide = bool(final) or any(broad_handler(h) for h in handlers)
            parts = (("body", node.body), ("handler", handlers),  # type: ignore[attr-defined]
                     ("else", node.orelse), ("finally", final))  # type: ignore[attr-defined]
            for name, stmts in reversed(parts):
                kept = (cls, func, name, wide if name in ("body", "else") else broad, loop)
                for child in reversed(stmts):
                    push((child, kept))
            continue
        elif kind in _LOOPS:
            loop = True
            if func is not None and kind is not ast.While:
                _loop_over_entries(func, node)  # type: ignore[arg-type]
        inner: Frame = (cls, func, part, broad, loop)
        for field_name in reversed(node._fields):  # popped in source order
            value = getattr(node, field_name, None)
            if type(value) is list:
                for item in reversed(value):
                    if isinstance(item, ast.AST) and not isinstance(item, _LEAVES):
                        push((item, inner))
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                push((value, inner))
    return facts


def _params(node: Union[ast.FunctionDef, ast.AsyncFunctionDef], owner: Optional[str]) -> list[str]:
    """The positional parameters, without the receiver of a method (``self``, ``cls``)."""
    names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    static = any(last_id(d) == "staticmethod" for d in node.decorator_list)
    return names[1:] if owner is not None and not static else names


def _call(facts: ModuleFacts, node: ast.Call, func: Optional[FuncFact], path: str,
          part: str, broad: bool, loop: bool) -> None:
    name = dotted(node.func) or (last_id(node.func) or "")
    short = name.rsplit(".", 1)[-1]
    at = _at(path, node)
    if short in ("isinstance", "issubclass") and len(node.args) == 2:
        kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
        facts.checks += [(k, at) for k in map(last_id, kinds) if k]
        for kind in kinds:  # checked against a parameter: against what callers pass
            if func is not None and isinstance(kind, ast.Name) and kind.id in func.params:
                facts.check_params += [(func.name, str(func.params.index(kind.id))),
                                       (func.name, kind.id)]
    elif short in _LOADERS:
        group = next((str_constant(a) for a in [*node.args, *(k.value for k in node.keywords)]
                      if str_constant(a)), None)
        facts.loaders.append((f"{short}({group!r})" if group else f"{short}()", at))
    elif short in _IMPORTERS or name in ("pkgutil.iter_modules", "pkgutil.walk_packages"):
        facts.loaders.append((f"{name}()", at))
    elif short == "getattr" and len(node.args) >= 2:
        literal = str_constant(node.args[1])
        flag = len(node.args) >= 3 and isinstance(node.args[2], ast.Constant) \
            and node.args[2].value is not None  # getattr(x, "n", False): a setting, read
        if literal and literal.isidentifier() and not flag:
            facts.getattr_names.append((literal, at))
    if func is not None and name:
        func.calls.append(Call(name, at, part, broad, node.lineno, loop))
    if func is not None:
        held = _own_entry(node.func) if isinstance(node.func, ast.Subscript) else \
            func.loop_entries.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if held:
            func.entry_calls.append((held, at))
    given = [(str(i), a) for i, a in enumerate(node.args)]
    given += [(k.arg, k.value) for k in node.keywords if k.arg]
    for key, arg in given:  # a class handed to a function (a check through a parameter)
        named = last_id(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
        if named and named[:1].isupper() and short:
            facts.class_args.append((short, key, named, at))


def _own_entry(node: ast.expr) -> Optional[str]:
    """``self.events[name]`` (or ``self.events``, ``self.events.values()``): the attribute
    of the instance whose entries the expression reaches, else None."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("values", "get") and not isinstance(node.func.value, ast.Name):
            node = node.func.value
        else:
            break
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == "self":
        return node.attr
    return None


def _loop_over_entries(func: FuncFact, node: Union[ast.For, ast.AsyncFor, ast.comprehension]) -> None:
    """``for method in self.events[name]``: calling ``method`` below calls an entry."""
    held = _own_entry(node.iter)
    if held and isinstance(node.target, ast.Name):
        func.loop_entries[node.target.id] = held


def _assign(facts: ModuleFacts, node: Union[ast.Assign, ast.AnnAssign], at: str) -> None:
    value = node.value
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if isinstance(node, ast.AnnAssign):
        target = node.target
        if isinstance(target, (ast.Name, ast.Attribute)):
            facts.annotated.append((last_id(target) or "", words(node.annotation)))
            if _holds_callables(node.annotation) and not _prefilled(value):
                facts.callable_containers.append((last_id(target) or "",
                                                  words(node.annotation)))
    if not isinstance(value, ast.Call):
        return
    called = last_id(value.func) or ""
    names = [last_id(t) for t in targets if isinstance(t, (ast.Name, ast.Attribute))]
    if called == "HookspecMarker":
        facts.spec_markers.update(n for n in names if n)
    elif called == "HookimplMarker":
        facts.impl_markers.update(n for n in names if n)
    elif called in ("signal", "Signal", "NamedSignal") and (
            not value.args or str_constant(value.args[0]) is not None):
        facts.signals += [(n, at) for n in names if n]
