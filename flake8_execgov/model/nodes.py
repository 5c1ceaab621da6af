"""Small questions about one ``ast`` node: where it is, what it is called, what it holds.

The bottom of the model: every other layer asks these, none walks a tree here (a name
chain is as long as it is written). Where a node is and which statements a statement
holds are the source layer's (:mod:`..source.statements`).
"""

from __future__ import annotations

import ast
from types import MappingProxyType
from typing import Any, Iterator, Mapping, Tuple, Type

# ``try`` and, from Python 3.11, ``try/except*`` (same fields; typed as Try so that mypy
# narrows on 3.9 too).
TRY_TYPES: Tuple[Type[ast.Try], ...] = tuple(
    t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)
_TEXT_LIMIT = 60


def all_args(args: ast.arguments) -> Iterator[ast.arg]:
    yield from args.posonlyargs
    yield from args.args
    if args.vararg is not None:
        yield args.vararg
    yield from args.kwonlyargs
    if args.kwarg is not None:
        yield args.kwarg


def last_id(node: ast.AST) -> str | None:
    """The last identifier of a name or attribute (``a.b.c`` -> ``c``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` as text for a chain of names and attributes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def source_text(node: ast.AST) -> str:
    """Short source-like text of a node for messages; never raises. A chain of names
    (``self.registry``, the common case) is what ``ast.unparse`` would write, without
    its visitor: the walk asks for the text of every attribute assigned to."""
    text = dotted(node)
    if text is None:
        try:
            text = ast.unparse(node)
        except (RecursionError, ValueError, AttributeError):  # pragma: no cover - defensive
            return "<expression>"
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3] + "..."


def str_constant(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def member_like(name: str) -> bool:
    """An all-upper-case identifier that is not a dunder (``SUCCESS``, not ``__MEMBERS__``)."""
    return name.isupper() and not (name.startswith("__") and name.endswith("__"))


def parse_annotation(text: str) -> ast.expr | None:
    """Parse a string annotation (``"Optional[BasePlugin]"``); None when it is not one."""
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# Fields holding only an expression context or an operator: leaves without children that
# no handler or hook asks for (their parent's handler reads them): a third of all nodes.
_LEAF_FIELDS = frozenset(("ctx", "op", "ops"))


def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(name for name in reversed(getattr(node_type, "_fields", ()))
                 if name not in _LEAF_FIELDS)


# Every node type of this Python's ast, its fields in walking order (fixed at import).
_FIELDS: Mapping[type, tuple[str, ...]] = MappingProxyType({
    kind: _child_fields(kind) for kind in vars(ast).values()
    if isinstance(kind, type) and issubclass(kind, ast.AST)})


def push_children(stack: list[Any], node: ast.AST) -> None:
    """``ast.iter_child_nodes`` in reverse onto the stack (first child popped first),
    without its two generators per node, and without the leaves of ``_LEAF_FIELDS``: the
    hottest line of every walk (the model's, a module's summary)."""
    node_type = type(node)
    fields = _FIELDS.get(node_type)
    if fields is None:  # a node type made elsewhere (a subclass): not kept
        fields = _child_fields(node_type)
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for child in reversed(value):
                if isinstance(child, ast.AST):
                    stack.append(child)
        elif isinstance(value, ast.AST):
            stack.append(value)


_ENTRY_POINTS = frozenset(("entry_points", "iter_entry_points"))


def entry_points(node: ast.AST) -> bool:
    """``entry_points(group=...)``, ``entry_points().select(...)``, ``iter_entry_points(g)``
    (importlib.metadata, its backport, pkg_resources): a plugin host's entry points."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "select", "get"):
        node = node.func.value
    return isinstance(node, ast.Call) and last_id(node.func) in _ENTRY_POINTS
