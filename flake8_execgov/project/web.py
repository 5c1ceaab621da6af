"""Web routes across modules: which routers (and apps) an auth dependency covers, where
they are built or included (``include_router(router, dependencies=[...])``), through the
project's summaries. The project's own answers (:meth:`.index.Project.answer`), asked by
the facts of a module that defines routes (:mod:`.facts`)."""

from __future__ import annotations

import re
from .index import Project
from .records import Def, Include

Includes = dict[Def, list[Include]]
_INCLUDE_NAME = b"include_router"  # the call's name (each file's summary decides)
_INCLUDE = re.compile(rb"\b%s\b" % _INCLUDE_NAME)


def authorizes(project: Project, module: str, deps: list[str], depth: int = 0) -> bool:
    """Does one of ``deps`` (``Depends`` names; ``@LIST`` for a list by name) name an
    auth dependency, resolved from ``module``?"""
    auth = project.config.auth_dependencies
    for dep in deps:
        if dep.startswith("@"):
            where, name = project.resolve(module, dep[1:])
            summary = project.summary(where)
            listed = summary["lists"].get(name) if summary is not None else None
            if listed and depth < 8 and authorizes(project, where, listed, depth + 1):
                return True
        elif auth(dep.rpartition(".")[2]) or \
                auth(project.resolve(module, dep)[1].rpartition(".")[2]):
            return True
    return False


def granted(project: Project, router: Def) -> bool:
    """A router (or app) given an auth dependency where it is built or included, or
    included into one that is."""
    known: dict[Def, bool] = project.answer("granted", dict)
    if router in known:
        return known[router]
    known[router] = False  # a cycle of includes grants nothing by itself
    module, name = router
    summary = project.summary(module)
    found = summary is not None and name in summary["routers"] and \
        authorizes(project, module, summary["routers"][name])
    for parent, where, deps in includes(project).get(router, ()):
        if found:
            break
        found = authorizes(project, where, deps) or (
            parent is not None and granted(project, parent))
    known[router] = found
    return found


def includes(project: Project) -> Includes:
    """``include_router`` calls of the whole project, by the router they include."""
    return project.answer("includes", lambda: _includes(project))


def _includes(project: Project) -> Includes:
    found: Includes = {}
    for path, _ in project.texts(_INCLUDE, (_INCLUDE_NAME,)):
        module = project.module_of(path)
        summary = project.summary(module) if module is not None else None
        if module is None or summary is None:
            continue
        for parent, child, deps in summary["includes"]:
            parent_def = project.resolve(module, parent) if parent else None
            found.setdefault(project.resolve(module, child), []).append(
                Include(parent_def, module, deps))
    return found
