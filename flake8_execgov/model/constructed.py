"""Values typed by construction: a name is not a plugin when the code says what it built.

``self.output = BufferedOutput(...)`` in ``__init__``, the host's own wrapper around the
output plugin, then ``self.output.setup()``: ``output`` matches a plugin name, but every
assignment to it builds a class of the project that is no plugin type. What was built
decides, not the name: such a local name or ``self`` attribute is no plugin, and an access
through it is dropped once the module is complete (assignments may follow their uses).

A construction counts when its class is one of the project's (a class of this module, or
one the module imports from the project) and neither a plugin type nor a class deriving
from one. A local name that is a parameter, or is bound otherwise too (a loop target, a
``with``), or a ``self`` attribute assigned anything else anywhere in its class, keeps its
name's meaning. Third-party classes are unknown: an SDK's class may be a plugin.
"""

from __future__ import annotations

import ast
from typing import Optional

from .imported import ProjectFacts
from .nodes import dotted
from .records import Access, Scope
from .vocabulary import Vocabulary


def built_not_plugin(access: Access, vocab: Vocabulary, classes: frozenset[str],
                     facts: ProjectFacts) -> bool:
    """Is the plugin this access goes through only ever built from a non-plugin class?"""
    target = _target(access)
    scope = access.scope
    if target is None or scope is None:
        return False
    values: list[ast.expr] = []
    if isinstance(target, ast.Name):
        holder: Optional[Scope] = scope
        while holder is not None and not holder.is_local(target.id):
            holder = holder.parent
        if holder is None or target.id in holder.params or holder.binds.get(target.id):
            return False
        values = holder.assigns.get(target.id, [])
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
            and target.value.id == "self":
        holder = scope
        while holder is not None and holder.kind != "class":
            holder = holder.parent
        if holder is None:
            return False
        values = holder.self_assigns.get(target.attr, [])
    return bool(values) and all(_constructs(value, vocab, classes, facts) for value in values)


def _target(access: Access) -> Optional[ast.expr]:
    """The expression the access treats as a plugin (none for another module's helper)."""
    node = access.node
    if access.via is not None:
        return None
    if isinstance(node, ast.Call) and node.args:  # getattr(target, name)
        return node.args[0]
    if isinstance(node, ast.Attribute):
        return node.value
    return None


def _constructs(value: ast.expr, vocab: Vocabulary, classes: frozenset[str],
                facts: ProjectFacts) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = dotted(func)
    project = (isinstance(func, ast.Name) and func.id in classes) or \
        (name is not None and name in facts.classes)
    return project and not vocab.is_plugin_class(func)


def self_attribute(target: ast.expr) -> Optional[str]:
    """``self.<attr>`` as an assignment target: the attribute's name."""
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
            and target.value.id == "self":
        return target.attr
    return None
