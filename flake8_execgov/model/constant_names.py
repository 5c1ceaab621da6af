"""What a ``getattr`` name can be when the code fixes it: constants, and constant ends.

``getattr(obj, cls.MARKER, [])`` with ``MARKER = "patterns"`` in the class body, or
``getattr(plugin, f"{kind}_fields", {})``: the name is computed, but no value of it can be
a run method or a hook, so the ``getattr`` can execute nothing (no GOV007, no GOV001). A
name resolves when every assignment the walk has seen to it is a string constant: a local
(or, for a name the function never binds, a module-level name), or an attribute of
``self``/``cls`` assigned in the enclosing class's body. An f-string keeps what its
constant head and tail say. What does not resolve stays dynamic.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Optional, Sequence

from .nodes import str_constant
from .records import Scope

_WILD = re.compile(r"[*?\[]")


def constant_names(node: ast.expr, scope: Scope) -> Optional[list[str]]:
    """Every value the name ``node`` can have, or None when one is not a constant."""
    if isinstance(node, ast.Name):
        holder: Optional[Scope] = scope
        while holder is not None and not holder.is_local(node.id) and holder.parent is not None:
            holder = holder.parent
            while holder.kind == "class" and holder.parent is not None:
                holder = holder.parent  # a method's free name skips its class body
        values = holder.assigns.get(node.id, []) if holder is not None else []
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in ("self", "cls"):
        holder = scope
        while holder is not None and holder.kind != "class":
            holder = holder.parent
        values = holder.assigns.get(node.attr, []) if holder is not None else []
    else:
        return None
    texts = [str_constant(value) for value in values]
    if not texts or any(text is None for text in texts):
        return None
    return [text for text in texts if text is not None]


def fixed_ends(node: ast.expr) -> Optional[tuple[str, str]]:
    """(head, tail) of an f-string name with a constant part at either end, else None."""
    if not isinstance(node, ast.JoinedStr) or not node.values:
        return None
    parts = node.values
    head = str_constant(parts[0]) or ""
    tail = str_constant(parts[-1]) or "" if len(parts) > 1 else ""
    return (head, tail) if head or tail else None


def can_reach(head: str, tail: str, patterns: Sequence[str],
              is_run: Callable[[str], bool]) -> bool:
    """Can a name starting with ``head`` and ending with ``tail`` be a run method or hook?
    A literal pattern is checked exactly; a glob only by its literal head (a superset)."""
    for pattern in patterns:
        if pattern.startswith("!"):
            continue
        wild = _WILD.search(pattern)
        if wild is None:
            if len(pattern) > len(head) + len(tail) - 1 and pattern.startswith(head) \
                    and pattern.endswith(tail) and is_run(pattern):
                return True
            continue
        literal = pattern[:wild.start()]
        if literal.startswith(head) or head.startswith(literal):
            return True
    return False
