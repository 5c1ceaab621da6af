"""The project's answers about plugin code: the hooks its plugin types declare
(:mod:`model.hooks`), for every module; the registries its registering functions fill
(:mod:`model.registries`); which of its definitions are classes (:mod:`model.constructed`)
and which functions call their parameters (:mod:`model.handoffs`).

A module calls hooks on plugins whose type is defined elsewhere (``interfaces.py``), so
the hooks are the project's answer, not the module's: the modules whose text defines a
class named like a configured plugin type (a literal name: a glob names no definition)
are parsed once per process and project, and the methods those classes declare are the
hooks every module of the project sees (:class:`~flake8_execgov.model.imported.ProjectFacts`
``.hooks``, part of what kept findings are checked against).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator

from ..config.names import is_glob
from ..config.prefilter import without_superstrings
from ..model.hooks import module_hooks
from ..model.registries import written_registries
from .answers import lasting
from .files import ANY
from .index import Project
from .records import Def
from .summary import module_statements


def declared_hooks(project: Project) -> frozenset[str]:
    """Every hook a plugin type defined in the project declares (the project's answer,
    asked again after a refresh)."""
    return lasting(project, "hooks", lambda: _declared(project))


def _declared(project: Project) -> frozenset[str]:
    cfg = project.config
    names = sorted(p for p in cfg.plugin_types.patterns if not is_glob(p))
    hooks: set[str] = set()
    if cfg.hook_methods == "declared" and names:
        pattern = re.compile(rb"^[ \t]*class[ \t]+(?:" + b"|".join(
            re.escape(n.encode()) for n in names) + rb")\b", re.M)
        for _path, tree in _trees_found(project, pattern, names, whole=True):
            hooks |= module_hooks(module_statements(tree), cfg.plugin_types)
    return frozenset(hooks)


def _trees_found(project: Project, pattern: re.Pattern[bytes], names: list[str],
                 whole: bool = False) -> Iterator[tuple[Path, ast.Module]]:
    """The parses of the project's files that ``pattern`` finds, a pattern that matches
    only where one of ``names`` is written (``whole``: as a whole identifier): a text is
    searched with it only when it holds one of them (a substring test in C; the
    line-anchored pattern over every file was most of the question's cost; whole names
    are looked up in the identifier index when it is built). A file that does not parse is
    left out."""
    # ``Plugin`` stands for ``BasePlugin`` too (the prefilter's own reduction)
    needed = [name.encode() for name in without_superstrings(names)]
    for path, data in project.texts(ANY, tuple(n.encode() for n in names) if whole else ()):
        if not any(name in data for name in needed) or not pattern.search(data):
            continue
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        yield path, tree


def project_registries(project: Project) -> frozenset[Def]:
    """The registries plugins fill (:mod:`model.registries`) anywhere in the project, as
    (module, name): the modules whose text defines a configured registering function are
    parsed once per project (until a refresh)."""
    return lasting(project, "registries", lambda: _registries(project))


def _registries(project: Project) -> frozenset[Def]:
    matcher = project.config.registry_decorators
    names = sorted(set(matcher.literals)) if matcher else []
    registries: set[Def] = set()
    if names:
        pattern = re.compile(rb"def[ \t]+\w*(?:" + b"|".join(
            re.escape(n.encode()) for n in names) + rb")", re.M)
        for path, tree in _trees_found(project, pattern, names):
            module = project.module_of(path)
            if module is not None:
                registries.update(Def(module, name) for name in written_registries(
                    list(module_statements(tree)), matcher))
    return frozenset(registries)


def param_calls(project: Project, definition: Def) -> tuple[str, ...]:
    """The parameters a function of the project calls (model.handoffs), as summarised."""
    where, name = definition
    summary = project.summary(where) if name and project.in_project(definition) else None
    calls = summary.get("param_calls", {}) if summary is not None else {}
    found = calls.get(name) if isinstance(calls, dict) else None
    return tuple(item for item in found if isinstance(item, str)) \
        if isinstance(found, list) else ()


def returns_plugin_code(project: Project, definition: Def, hooks: frozenset[str]) -> bool:
    """Does a function of the project return what a plugin execution returned (``return
    plugin.steps()``: a plugin name's run method or hook, as summarised)?"""
    where, name = definition
    summary = project.summary(where) if name and project.in_project(definition) else None
    returns = summary.get("returns", {}) if summary is not None else {}
    found = returns.get(name) if isinstance(returns, dict) else None
    cfg = project.config
    for callee in found if isinstance(found, list) else ():
        receiver, _, method = str(callee).rpartition(".")
        if receiver and cfg.plugin_names(receiver.rpartition(".")[2]) \
                and (cfg.run_methods(method) or method in hooks):
            return True
    return False


def is_class(project: Project, definition: Def) -> bool:
    """A class of the project (model.constructed: what a module builds from it)."""
    where, name = definition
    summary = project.summary(where) if name and project.in_project(definition) else None
    return summary is not None and name in summary["classes"]
