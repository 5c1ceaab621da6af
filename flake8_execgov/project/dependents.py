"""The files whose findings may change when some files of the project change: the changed
files, what they import (before and after), and every file that imports one of those,
transitively. What ``execgov check --changed-since`` checks.

A module's findings depend on the rest of the project in two directions. Forwards, through
its imports: the facts of a name it imports (a plugin type, a runner class, a state
constant, an auth alias, a helper that reaches a run) are computed from the module that
defines it and every module the import passes through (re-exports), so a change there
reaches every module importing it, transitively (an importer of an importer re-exports or
derives from it). Backwards, in two places: a helper's own module is quiet about a use
another module imports (so adding or dropping an import changes the imported module's
findings), and a router included with auth elsewhere (``include_router``) is granted
there, also through a parent router (so an include changes the included module and, down
the chain of includes, the routers included into it). So the set is: the changed files
and the deleted ones; the modules their imports name, in the text before and after (for a
module holding ``include_router``, followed down through the imported modules that hold it
too); then every module that imports one of those, to a fixed point.

Imports are read from the whole module (function-level ones too), each import by every
name it may reach (``import a.b`` names ``a`` and ``a.b``; ``from a import b`` names ``a``
and ``a.b``; a dotted use ``a.b.c`` after ``import a`` names ``a.b.c``; the module a name
is finally defined in, through re-exports), a superset of what resolution follows. Which
files may import a module is found by the text first (a file whose names hold the module's
last name part, or, for a package, any file under its folder: ``from . import x``); only
those are parsed. A change this cannot follow (the configuration, module names) is the
caller's to handle: :func:`needs_full_run`.
"""

from __future__ import annotations

import ast
import os
from collections import deque
from pathlib import Path
from typing import Iterable, Mapping, Optional

from ..model.nodes import dotted
from ..source.files import read_source
from .index import Project
from .modules import MARKERS
from .records import Import

# files whose change can change every module's findings or name: the configuration flake8
# reads, the markers of a distribution's root (module names), a package's __init__.py
CONFIGURATION = frozenset(("setup.cfg", "tox.ini", ".flake8", *MARKERS))


def needs_full_run(changed: Iterable[Path], added: Iterable[Path],
                   gone: Iterable[Path]) -> Optional[Path]:
    """A changed file whose change the dependency graph cannot follow (None: there is
    none): a configuration file or distribution marker, or a package's ``__init__.py``
    that appeared or went (every module name below it changes)."""
    for path in changed:
        if path.name in CONFIGURATION:
            return path
    for path in [*added, *gone]:
        if path.name in CONFIGURATION or path.name == "__init__.py":
            return path
    return None


class Dependents:
    """The dependency questions of one project (memoised per file)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._names: dict[Path, frozenset[str]] = {}

    def affected(self, changed: Iterable[Path], gone: Iterable[Path],
                 before: Mapping[Path, bytes]) -> set[Path]:
        """The files to check: ``changed`` (existing files, absolute), the files that
        depend on them or on the deleted files ``gone``, and the modules the changed or
        deleted files import now or imported ``before`` (their texts at the reference)."""
        project = self.project
        chosen = set(changed)
        modules: set[str] = set()  # whose importers are checked, to a fixed point
        for path in [*chosen, *gone]:
            module = project.module_of(path)
            if module is not None:
                modules.add(module)
            texts = [before[path]] if path in before else []
            if path in chosen:
                texts.append(self._read(path))
            for data in texts:
                imported, included = self._forward(path, data)
                chosen.update(p for p in map(project.path_of, imported) if p is not None)
                modules |= included
        queue = deque(sorted(modules))
        seen = set(modules)
        while queue:
            module = queue.popleft()
            found = project.path_of(module)
            if found is not None:
                chosen.add(found)
            for importer in self._candidates(module):
                if module in self.names(importer):
                    chosen.add(importer)
                    name = project.module_of(importer)
                    if name is not None and name not in seen:
                        seen.add(name)
                        queue.append(name)
        return {path for path in chosen if path.exists()}

    def _forward(self, path: Path, data: bytes) -> tuple[frozenset[str], set[str]]:
        """The modules a text (of ``path``, now or before) imports (their own findings may
        change: a helper's module is quiet about uses imported elsewhere); and, where it
        holds ``include_router``, the modules down the chain of imported modules holding
        it too (a grant reaches their importers: they hang routes on those routers)."""
        imported = self._imports(path, data)
        included: set[str] = set()
        if b"include_router" not in data:
            return imported, included
        stack = sorted(imported)
        included.update(imported)
        while stack:
            target = self.project.path_of(stack.pop())
            if target is None:
                continue
            if b"include_router" in self._read(target):
                for module in self.names(target) - included:
                    included.add(module)
                    stack.append(module)
        return imported, included

    def names(self, path: Path) -> frozenset[str]:
        """Every module name the file's imports may reach (memoised)."""
        if path not in self._names:
            self._names[path] = self._imports(path, self._read(path))
        return self._names[path]

    def _imports(self, path: Path, data: bytes) -> frozenset[str]:
        project = self.project
        module = project.module_of(path) or ""
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return frozenset()
        found: set[str] = set()
        bound: dict[str, str] = {}  # a local name an import binds -> the dotted name
        chains: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found |= _prefixes(alias.name)
                    local = alias.asname or alias.name.partition(".")[0]
                    bound[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom):
                base = project.absolute(module, node.module or "", node.level)
                found.add(base)  # its parents are no part of what it binds
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    full = f"{base}.{alias.name}" if base else alias.name
                    found.add(full)
                    bound[alias.asname or alias.name] = full
                    if module:  # where the name is finally defined (re-exports)
                        entry = Import(alias.asname or alias.name, node.module or "",
                                       alias.name, node.level)
                        found.add(project.resolve_import(module, entry).module)
            elif isinstance(node, ast.Attribute):
                chains.append(dotted(node) or "")
        for chain in chains:  # a.b.c after ``import a``
            head, _, rest = chain.partition(".")
            if head in bound and rest:
                found |= _prefixes(f"{bound[head]}.{rest}")
        canonical = {project.canonical(name) for name in found
                     if project.path_of(name) is not None}
        return frozenset(found | canonical)

    def _candidates(self, module: str) -> list[Path]:
        """The files that may import ``module``: their text names its last part, or they
        are below its package's folder (a relative import names no part of it)."""
        found = self.project.named(module.rpartition(".")[2].encode())
        where = self.project.path_of(module)
        if where is not None and where.name == "__init__.py":
            folder = os.path.join(str(where.parent), "")
            found += [p for p in self.project.files() if str(p).startswith(folder)]
        return found

    def _read(self, path: Path) -> bytes:
        """A project file's bytes, read as every other project file is (regular files
        only, to a size limit: a planted FIFO or device never blocks the run)."""
        try:
            return read_source(str(path))
        except OSError:
            return b""


def _prefixes(dotted: str) -> set[str]:
    parts = dotted.split(".") if dotted else []
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
