"""Small questions about one ``ast`` node: where it is, what it is called, what it holds.

The bottom of the model: every other layer asks these, none walks a tree here (a
statement's blocks are its direct fields; a name chain is as long as it is written).
"""

from __future__ import annotations

import ast
from types import MappingProxyType
from typing import Any, Iterator, Mapping, Optional, Sequence, Tuple, Type

Pos = Tuple[int, int]

# ``try`` and, from Python 3.11, ``try/except*`` (same fields; typed as Try so that mypy
# narrows on 3.9 too).
TRY_TYPES: Tuple[Type[ast.Try], ...] = tuple(
    t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)
# Statements that open a scope of their own: their bodies are not their blocks.
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TEXT_LIMIT = 60


def pos(node: ast.AST) -> Pos:
    return (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))


def end(node: ast.AST) -> Pos:
    """Where ``node`` ends (its start when ``ast`` did not record an end)."""
    line: Optional[int] = getattr(node, "end_lineno", None)
    col: Optional[int] = getattr(node, "end_col_offset", None)
    return (line, col) if line is not None and col is not None else pos(node)


def first_line(stmt: ast.stmt) -> int:
    """Where a statement starts, its decorators (in source order) included."""
    decorators: Optional[list[ast.expr]] = getattr(stmt, "decorator_list", None)
    return decorators[0].lineno if decorators else stmt.lineno


def last_line(stmt: ast.stmt) -> int:
    return end(stmt)[0]


def blocks(stmt: ast.stmt) -> list[tuple[str, Sequence[ast.stmt]]]:
    """The statement lists directly inside ``stmt`` (not those of nested scopes)."""
    if isinstance(stmt, SCOPES):
        return []
    found: list[tuple[str, Sequence[ast.stmt]]] = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(stmt, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            found.append((name, block))
    for handler in getattr(stmt, "handlers", ()):
        found.append(("handlers", handler.body))
    for case in getattr(stmt, "cases", ()):
        found.append(("cases", case.body))
    return found


def inner_statements(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements directly inside ``stmt``, the bodies of definitions included: one
    step of the descent from a module to the statement holding a position."""
    if isinstance(stmt, SCOPES):
        return list(stmt.body)
    return [inner for _, block in blocks(stmt) for inner in block]


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
