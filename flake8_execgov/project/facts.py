"""The project's answers for one linted module: :class:`ProjectFacts` about its imports.

Only names the module imports from the project (and the routers its routes hang on) are
looked at; each answer is memoised by the :class:`Project`, so a process pays for a module
of the project once, however many modules import it.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Optional

from ..config.names import NameMatcher
from ..model.imported import NO_FACTS, ProjectFacts
from .index import Def, Import, Kind, Project
from .summary import module_statements, route_receiver

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)

_DEFINED = ("classes", "consts", "annotated", "lists", "routers", "alias")


def facts_for(project: Project, filename: str, tree: ast.AST) -> ProjectFacts:
    """The facts for the module at ``filename`` (as flake8 names it: relative to the
    current directory, or a ``--stdin-display-name``); none outside the project."""
    imports, receivers = _live(project, tree)
    if not imports and not (receivers and project.includes()):
        return NO_FACTS
    module = project.module_of(os.path.abspath(filename))
    if module is None:
        return NO_FACTS
    return facts_of(project, module, imports, receivers)


def _live(project: Project, tree: ast.AST) -> tuple[list[Import], list[str]]:
    """The module as flake8 read it (stdin may differ from the disk): its imports from the
    project (relative, or of a top-level name of it) and its route receivers; one pass
    over the top-level statements (and the blocks of ``if``/``try``/``with``)."""
    top = project.top_names()
    imports: list[Import] = []
    receivers: list[str] = []
    for stmt in module_statements(tree):
        if isinstance(stmt, ast.ImportFrom):
            if stmt.level or (stmt.module or "").split(".", 1)[0] in top:
                imports += [(a.asname or a.name, stmt.module or "", a.name, stmt.level)
                            for a in stmt.names if a.name != "*"]
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                head = alias.name.split(".", 1)[0]
                if head in top:
                    imports.append((alias.asname, alias.name, "", 0) if alias.asname
                                   else (head, head, "", 0))
        elif isinstance(stmt, _FUNCTIONS) and stmt.decorator_list:
            receivers += [r for r in map(route_receiver, stmt.decorator_list) if r is not None]
    return imports, receivers


def facts_of(project: Project, module: str, imports: list[Import],
             receivers: list[str]) -> ProjectFacts:
    names: list[tuple[str, Def]] = []
    for entry in imports:
        names += _bound(project, module, entry)
    plugins: set[str] = set()
    runners: set[str] = set()
    enums: set[str] = set()
    annotations: set[str] = set()
    lists: set[str] = set()
    constants: dict[str, tuple[str, str]] = {}
    for local, definition in names:
        kind = _kind(project, definition)
        if kind is None:
            continue
        plugin, runner, enum, constant, annotated, listed = kind
        for flag, into in ((plugin, plugins), (runner, runners), (annotated, annotations),
                           (listed, lists)):
            if flag:
                into.add(local)
        if enum == 2 or (enum == 1 and local.rpartition(".")[2] != definition[1]):
            enums.add(local)  # a lifecycle enum's subclass, or one renamed
        if constant is not None:
            constants[local] = (constant, definition[0])
    granted = {receiver for receiver in receivers
               if project.granted(project.resolve(module, receiver))}
    return ProjectFacts(frozenset(plugins), frozenset(runners), frozenset(enums),
                        frozenset(annotations), frozenset(lists), frozenset(granted), constants)


def _bound(project: Project, module: str, entry: Import) -> list[tuple[str, Def]]:
    """The names one import binds (a module's own names too: ``deps.CurrentUser``) and
    where they are defined; memoised for absolute imports (the same in every module)."""
    absolute = not entry[3]
    cached = project.bound.get(entry) if absolute else None
    if cached is not None:
        return cached
    local = entry[0]
    found = project.resolve_import(module, entry)
    bound: list[tuple[str, Def]] = []
    if project.in_project(found):
        bound.append((local, found))
        inner = project.summary(found[0]) if found[1] == "" else None
        for table in _DEFINED if inner is not None else ():
            for name in inner[table]:  # type: ignore[index]
                bound.append((f"{local}.{name}", project.resolve(found[0], name)))
    if absolute:
        project.bound[entry] = bound
    return bound


def _kind(project: Project, definition: Def) -> Optional[Kind]:
    """What a definition of the project is to the rules (memoised):
    (plugin class, runner class, lifecycle enum: 2 derived / 1 by name, string
    constant, auth alias, auth list); None for what the rules do not care about."""
    if definition in project.kinds:
        return project.kinds[definition]
    where, name = definition
    cfg = project.config
    defined = project.summary(where) if name and project.in_project(definition) else None
    kind: Optional[Kind] = None
    if defined is not None:
        is_class = name in defined["classes"]
        enum_named = cfg.lifecycle_enums(name.rpartition(".")[2])
        kind = (is_class and _derives(project, definition, cfg.plugin_types),
                is_class and _derives(project, definition, cfg.runner_classes),
                2 if is_class and not enum_named and _derives(
                    project, definition, cfg.lifecycle_enums) else int(bool(enum_named)),
                defined["consts"].get(name),
                name in defined["annotated"] and project.authorizes(
                    where, defined["annotated"][name]),
                name in defined["lists"] and project.authorizes(where, defined["lists"][name]))
        if not any(kind[:2]) and not kind[2] and kind[3] is None and not any(kind[4:]):
            kind = None
    project.kinds[definition] = kind
    return kind


def _derives(project: Project, definition: Def, matcher: NameMatcher) -> bool:
    return bool(matcher) and project.derives(definition, matcher)


def derived_names(project: Project) -> frozenset[str]:
    """Names of the project's classes deriving, through other modules, from a plugin type,
    a runner class or a lifecycle enum: a module naming one may hold findings that its
    text alone would not show. A fixed point over the files whose text declares a class
    with a base named so far (only those are summarised)."""
    if project.derived is not None:
        return project.derived
    cfg = project.config
    matchers = [m for m in (cfg.plugin_types, cfg.runner_classes, cfg.lifecycle_enums) if m]
    words = {_literal(p) for m in matchers for p in m.patterns} - {""}
    found: set[str] = set()
    done: set[Path] = set()
    while words:
        pattern = re.compile(rb"class\s+\w+\s*\([^)]*(?:" + b"|".join(
            re.escape(w.encode()) for w in sorted(words))
            + rb")")
        words = set()
        for path, _ in project.texts(pattern):
            module = project.module_of(path)
            if path in done or module is None:
                continue
            done.add(path)
            summary = project.summary(module)
            for name in summary["classes"] if summary is not None else ():
                if name not in found and any(project.derives((module, name), m) for m in matchers):
                    found.add(name)
                    words.add(name)
    project.derived = frozenset(found)
    return project.derived


def _literal(pattern: str) -> str:
    """The longest literal run of a shell-style pattern (a superset test for the text)."""
    runs = re.split(r"[*?\[\]]", pattern)
    return max(runs, key=len) if runs else ""


def no_project_note(filename: str) -> str:
    """Said once on stderr when a module cannot be placed in a project."""
    return f"flake8-execgov: {filename or 'stdin'} has no place in a project (give " \
        "--stdin-display-name); its imports are not followed"
