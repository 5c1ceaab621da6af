"""The spec's vocabulary (§2) as small predicates over ``ast`` nodes.

Everything here looks at a node and its immediate structure only: no walking, so the
analyzer stays one pass and every predicate is O(1) (or bounded by a small depth).
"""

from __future__ import annotations

import ast
from typing import Mapping, Optional

from ..config.options import Config
from ..config.names import NameMatcher
from .hooks import module_hooks, plugin_classes, plugin_properties
from .imported import NO_FACTS, ProjectFacts
from .registries import written_registries
from .nodes import (TRY_TYPES, dotted, entry_points as _entry_points, parse_annotation,
                    str_constant)

Name, Attribute, Subscript, Call, Constant = (
    ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)

# the statements module_aliases looks at: imports, and the blocks that may hold them
_IMPORTS, _HOLDERS = (ast.Import, ast.ImportFrom), (ast.If, ast.With, ast.AsyncWith) + TRY_TYPES


class Vocabulary:
    """Name matching that honours the module's import aliases (``import X as Y``)."""

    def __init__(self, config: Config, aliases: Mapping[str, str],
                 tree: Optional[ast.AST] = None, facts: ProjectFacts = NO_FACTS) -> None:
        self.config = config
        self.aliases = aliases
        self.facts = facts
        # classes of this module deriving from a plugin type (also one imported from the
        # project): their instances are plugins
        self.plugin_classes = plugin_classes(
            tree, lambda base: self.matches(config.plugin_types, base)
            or dotted(base) in facts.plugin_classes) if tree is not None else frozenset()
        body = getattr(tree, "body", ()) if tree is not None else ()
        # the hooks of the project's plugin types (model.hooks): run methods too
        self.hooks = module_hooks(body, config.plugin_types) | facts.hooks \
            if config.hook_methods == "declared" else frozenset()
        # containers plugins fill (model.registries): this module's and imported ones
        self.registries = written_registries(body, config.registry_decorators) | facts.registries
        self.plugin_properties: frozenset[str] = frozenset()  # ``self.geo``: a plugin
        self.plugin_properties = plugin_properties(body, lambda v: self.plugin_expr(v) is True)
        # classes of this module deriving from a runner class of another module: runners
        self.runner_subclasses = plugin_classes(
            tree, lambda base: dotted(base) in facts.runner_classes) \
            if tree is not None and facts.runner_classes else frozenset()
        # names worth a line of the per-definition prefilter: what the project gave
        self.imported_words = sorted({name.split(".", 1)[0] for name in (
            *facts.plugin_classes, *facts.runner_classes, *facts.lifecycle_enums,
            *facts.auth_annotations, *facts.auth_lists, *facts.state_constants,
            *facts.reaching, *facts.registries)}
            | self.runner_subclasses)

    def is_run_method(self, name: str) -> bool:
        """A configured run method, or a hook a plugin type of the project declares."""
        return self.config.run_methods(name) or name in self.hooks

    @property
    def run_patterns(self) -> tuple[str, ...]:
        """The run methods' patterns and the hooks: what a dynamic name may reach."""
        return self.config.run_methods.patterns + tuple(sorted(self.hooks))

    def is_runner_class(self, node: ast.AST) -> bool:
        """A configured runner class, a runner class (or subclass) imported from the
        project, or a class of this module deriving from one."""
        return self.matches(self.config.runner_classes, node) or (
            self.facts.runner_classes and dotted(node) in self.facts.runner_classes) or \
            (isinstance(node, Name) and node.id in self.runner_subclasses)

    def matches(self, matcher: NameMatcher, node: ast.AST) -> bool:
        """Does the last identifier of ``node``, or the name it aliases, match?"""
        if isinstance(node, Name):
            return self.name_matches(matcher, node.id, bare=True)
        if isinstance(node, Attribute):
            return matcher(node.attr)
        return False

    def name_matches(self, matcher: NameMatcher, name: str, bare: bool) -> bool:
        """``name`` matches; a bare name (not an attribute) may also be an import alias."""
        return matcher(name) or (bare and matcher(self.aliases.get(name)))

    def is_metrics_function(self, func: ast.AST) -> bool:
        """Is ``func`` (a call's callee) the metrics function? The one definition: the
        walk, the ``finally`` check and the fixer (:meth:`is_metrics_name`) all ask it."""
        return self.matches(self.config.metrics_functions, func)

    def is_metrics_name(self, name: str, bare: bool) -> bool:
        """:meth:`is_metrics_function` for a callee given by its last identifier."""
        return self.name_matches(self.config.metrics_functions, name, bare)

    def is_named(self, node: ast.AST, *names: str) -> bool:
        """Is the last identifier (or its alias target) one of ``names``?"""
        if isinstance(node, Name):
            name = node.id
            return name in names or self.aliases.get(name) in names
        return isinstance(node, Attribute) and node.attr in names

    # -- plugin expressions (§2) ---------------------------------------------------------

    def is_collection(self, node: ast.AST) -> bool:
        """A name or attribute matching ``plugin-collections``, or a collection reached
        through a string key (``conf["plugins"]``)."""
        if isinstance(node, Subscript):
            key = str_constant(node.slice)
            return key is not None and self.config.plugin_collections(key)
        if isinstance(node, Call) and not node.args and not node.keywords:
            node = node.func  # what a manager lists: ``manager.plugins()``
        return self.matches(self.config.plugin_collections, node)

    def plugin_expr(self, node: ast.AST) -> bool | str:
        """True for a plugin expression, a local name that may be bound to one, else False."""
        cfg = self.config
        if isinstance(node, Name):
            return True if self.matches(cfg.plugin_names, node) else node.id
        if isinstance(node, Attribute):
            return cfg.plugin_names(node.attr) or (node.attr in self.plugin_properties
                                                   and self.is_named(node.value, "self"))
        if isinstance(node, Subscript):
            return self.is_collection(node.value)
        if isinstance(node, Call):
            func = node.func
            if self.matches(cfg.plugin_getters, func) or self.is_plugin_class(func):
                return True
            if isinstance(func, Attribute) and func.attr == "load" and not node.args:
                return self.plugin_expr(func.value)  # what an entry point loads is the plugin
            # ``plugins.get(name)`` is the subscript ``plugins[name]`` spelled as a call.
            return (isinstance(func, Attribute) and func.attr == "get"
                    and self.is_collection(func.value))
        return False

    def produced(self, node: ast.AST) -> bool | str:
        """Is ``node`` what a plugin execution returns (``plugin.steps()``, awaited or
        not)? True, False, or the local name whose being a plugin decides it."""
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, Call) and isinstance(node.func, Attribute) \
                and self.is_run_method(node.func.attr):
            return self.plugin_expr(node.func.value)
        return False

    def iterated_plugins(self, target: ast.AST, iterable: ast.AST) -> list[str]:
        """Names a ``for`` binds to plugins: ``for p in C``, ``C.values()``, ``C.items()``,
        and the plugins' entry points (``for ep in entry_points(group=...)``: what
        ``ep.load()`` returns is a plugin)."""
        if (self.is_collection(iterable) or _entry_points(iterable)) and isinstance(target, Name):
            return [target.id]
        if isinstance(iterable, Call) and not iterable.args:
            func = iterable.func
            if isinstance(func, Attribute) and self.is_collection(func.value):
                if func.attr == "values" and isinstance(target, Name):
                    return [target.id]
                if (func.attr == "items" and isinstance(target, (ast.Tuple, ast.List))
                        and len(target.elts) == 2
                        and isinstance(target.elts[1], Name)):
                    return [target.elts[1].id]
        return []

    def is_plugin_type(self, ann: ast.AST | None, depth: int = 0) -> bool:
        """``BasePlugin``, ``Optional[...]``, ``Union[..., None]``, ``X | None``,
        ``Annotated[X, ...]`` and string annotations of those."""
        if ann is None or depth > 8:
            return False
        if isinstance(ann, (Name, Attribute)):
            return self.is_plugin_class(ann)
        text = str_constant(ann)
        if text is not None:
            return self.is_plugin_type(parse_annotation(text), depth + 1)
        if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
            return self._union_of_plugins([ann.left, ann.right], depth)
        if isinstance(ann, Subscript):
            base, inner = ann.value, ann.slice
            elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            if self.is_named(base, "Optional"):
                return self.is_plugin_type(inner, depth + 1)
            if self.is_named(base, "Union"):
                return self._union_of_plugins(elts, depth)
            if self.is_named(base, "Annotated") and elts:
                return self.is_plugin_type(elts[0], depth + 1)
        return False

    def is_plugin_class(self, node: ast.AST) -> bool:
        """A configured plugin type, or a class of this module deriving from one."""
        return self.matches(self.config.plugin_types, node) or \
            (isinstance(node, Name) and node.id in self.plugin_classes) or \
            (bool(self.facts.plugin_classes) and dotted(node) in self.facts.plugin_classes)

    def _union_of_plugins(self, members: list[ast.expr], depth: int) -> bool:
        flat: list[ast.expr] = []
        stack = list(members)
        while stack:
            m = stack.pop()
            if isinstance(m, ast.BinOp) and isinstance(m.op, ast.BitOr):
                stack.extend((m.left, m.right))
            else:
                flat.append(m)
        rest = [m for m in flat
                if not (isinstance(m, Constant) and m.value is None)
                and not self.is_named(m, "None")]
        return bool(rest) and all(self.is_plugin_type(m, depth + 1) for m in rest)

    # -- dispatching runners: registries of plugin callables ------------------------------

    def dispatch_expr(self, node: ast.AST) -> bool | str:
        """A callable whose call executes a plugin (a dispatch name, or a registry plugins
        fill), an entry of one (:meth:`dispatches`); a local that may be bound to one (its
        name); else False."""
        if not self.config.dispatch_names and not self.registries:
            return False
        if isinstance(node, Name) and not self._registry(node):
            return node.id
        return self.dispatches(node)

    def dispatches(self, node: ast.AST) -> bool:
        """``D``, ``D[k]``, ``D[k][j]``, ``D.get(k)``, ``D.values()`` for a registry ``D``:
        it holds, or iterates over, plugin callables."""
        if not self.config.dispatch_names and not self.registries:
            return False
        if isinstance(node, Subscript):
            while isinstance(node, Subscript):
                node = node.value
            return self._registry(node)
        if isinstance(node, Call) and isinstance(node.func, Attribute) \
                and node.func.attr in ("get", "values"):
            return self._registry(node.func.value)
        return self._registry(node)

    def _registry(self, node: ast.AST) -> bool:
        names = self.config.dispatch_names
        return (bool(names) and self.matches(names, node)) or (
            isinstance(node, Name) and node.id in self.registries)


def module_aliases(tree: ast.AST) -> dict[str, str]:
    """``alias -> imported name`` for the module's top-level imports (incl. if/try blocks).

    Only statement lists are looked at, never expressions: this is not a second walk.
    """
    aliases: dict[str, str] = {}
    stack = list(getattr(tree, "body", ()))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, _IMPORTS):
            add_aliases(aliases, stmt)
        elif isinstance(stmt, _HOLDERS):
            for attr in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(stmt, attr, ()):
                    stack.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
    return aliases


def add_aliases(aliases: dict[str, str], stmt: ast.Import | ast.ImportFrom) -> None:
    for alias in stmt.names:
        if alias.asname:
            aliases[alias.asname] = alias.name.rsplit(".", 1)[-1]
