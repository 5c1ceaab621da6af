"""The project: its modules, found by path, summarised on demand, names resolved across them.

Nothing is walked up front. A linted module asks about the names it imports: the modules
they come from are summarised (from the cache when their bytes are unchanged) and their
names resolved through imports, re-exports and ``X = Y`` aliases, each step once per
process (memoised), cycles cut by a visited set. Two questions need the whole project, and
are answered once per process, on the first file that asks: which routers are included
with dependencies elsewhere (only files containing ``include_router`` are summarised), and
which classes derive from a plugin type, a runner class or a lifecycle enum (only files
whose text declares a class with such a base, to a fixed point).
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TypeVar

from ..config.names import NameMatcher
from ..config.options import Config
from ..config.prefilter import Prefilter
from ..source.files import read_source
from .cache import SUMMARY, SummaryCache, cache_key, salt_for
from .files import python_files
from .modules import ModuleNames
from .summary import Summary, imported_entry, summarize

Def = tuple[str, str]  # (module, name in it); name "" is the module itself
Import = tuple[str, str, str, int]  # (local name, module, imported name or "", level)
# plugin class, runner class, lifecycle enum (2 derived, 1 by name), string constant,
# auth alias, auth list
Kind = tuple[bool, bool, int, Optional[str], bool, bool]
_DEFINED = ("classes", "consts", "annotated", "lists", "routers", "functions")
_MAX_STEPS = 64
T = TypeVar("T")


class Project:
    """One project root, one configuration; memoised per process."""

    def __init__(self, root: Path, config: Config, cache: Optional[SummaryCache],
                 source_roots: tuple[Path, ...] = (),
                 unlinted: Callable[[Path], bool] = lambda path: False,
                 prefilter: Optional[Prefilter] = None) -> None:
        root = Path(os.path.abspath(root))
        self.root = root
        self.config = config
        self.cache = cache
        self.names = ModuleNames(root, source_roots)
        self.salt = salt_for(config)  # what every cache key of this project includes
        self.unlinted = unlinted  # files flake8 excludes (their uses govern nothing)
        self.prefilter = prefilter  # the run's (:func:`rules.prefilter_for`)
        self.refresh()

    def refresh(self) -> None:
        """Forget what was read: the next question reads the files again (from the cache
        where their bytes are unchanged). A long-lived process (the language server) calls
        it when a file is saved, so other modules' findings follow the edit."""
        self.names.refresh()
        self._summaries: dict[str, Summary] = {}
        self._kinds: dict[tuple[NameMatcher, Def], bool] = {}
        self._granted: dict[Def, bool] = {}
        self._includes: Optional[dict[Def, list[tuple[Optional[Def], str, list[str]]]]] = None
        self._files: Optional[list[Path]] = None
        self._texts: Optional[list[tuple[Path, bytes]]] = None
        # answers for linted modules (:mod:`.facts`): what an import binds, what it is
        self.bound: dict[Import, list[tuple[str, Def]]] = {}
        self.kinds: dict[Def, Optional[Kind]] = {}
        # the project-wide answers other layers compute once (derived classes, reach)
        self._answers: dict[str, Any] = {}
        # the module being linted: (its name, its parse, its text), while its facts are made
        self._linted: Optional[tuple[str, ast.AST, str]] = None

    def answer(self, question: str, compute: Callable[[], T]) -> T:
        """The project's answer to ``question``, computed once until :meth:`refresh`."""
        if question not in self._answers:
            self._answers[question] = compute()
        found: T = self._answers[question]
        return found

    @contextlib.contextmanager
    def linting(self, module: str, tree: ast.AST, text: str) -> Iterator[None]:
        """While the module being linted asks about the project, a question about that
        module itself is answered from its parse (no second parse of it)."""
        self._linted = (module, tree, text)
        try:
            yield
        finally:
            self._linted = None

    # -- modules and their summaries -------------------------------------------------------

    def module_of(self, path: Path | str) -> Optional[str]:
        """The module a file is (an absolute path, not resolved: flake8's own paths are
        not), by the package structure (:mod:`.modules`)."""
        self.files()  # the source roots below the root are known first
        return self.names.name_of(path)

    def path_of(self, module: str) -> Optional[Path]:
        self.files()
        return self.names.path_of(module)

    def top_names(self) -> frozenset[str]:
        """The first parts of the project's module names (a quick test for imports)."""
        self.files()
        return self.names.top_names()

    def summary(self, module: str) -> Optional[Summary]:
        summary = self._summaries.get(module)
        if summary is None:
            path = self.path_of(module)
            if path is None:
                return None
            try:
                data = read_source(str(path))  # regular files only
            except OSError:
                return None
            linted = self._linted
            tree = linted[1] if linted is not None and linted[0] == module \
                and data == linted[2].encode("utf-8", "surrogatepass") else None
            summary = self._summaries[module] = self.summarize_bytes(data, tree)
        return summary

    def summarize_bytes(self, data: bytes, tree: Optional[ast.AST] = None) -> Summary:
        """The summary of a module with these bytes (``tree``: their parse, when the
        caller has it)."""
        key = cache_key(data, self.salt)
        found = self.cache.get(SUMMARY, key) if self.cache is not None else None
        if found is None:
            try:
                found = summarize(ast.parse(data) if tree is None else tree)
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                found = summarize(ast.Module(body=[], type_ignores=[]))
            if self.cache is not None:
                self.cache.put(SUMMARY, key, found)
        return found

    # -- names -----------------------------------------------------------------------------

    def resolve(self, module: str, name: str) -> Def:
        """Where ``name`` (dotted, as ``module`` writes it) is defined: followed through
        imports, re-exports and aliases within the project; where it leaves the project,
        the last (module, name) known, so the original name of an import stays visible."""
        seen: set[Def] = set()
        while (module, name) not in seen and len(seen) < _MAX_STEPS:
            seen.add((module, name))
            summary = self.summary(module)
            head, _, rest = name.partition(".")
            if summary is None or not head:
                break
            tail = "." + rest if rest else ""
            if any(head in summary[table] for table in _DEFINED):
                break
            if head in summary["alias"]:
                name = summary["alias"][head] + tail
                continue
            imported = imported_entry(summary, head)
            if imported is not None:
                module, name = self._imported_as(module, imported, rest)
                continue
            if rest and self.path_of(f"{module}.{head}") is not None:
                module, name = self.canonical(f"{module}.{head}"), rest
                continue
            break
        return module, name

    def resolve_import(self, module: str, entry: Import) -> Def:
        """Where the name bound by one of ``module``'s imports is defined."""
        return self.resolve(*self._imported_as(module, entry, ""))

    def _imported_as(self, module: str, entry: Import, rest: str) -> Def:
        """``local.rest`` for the name ``local`` an import binds: the same name, in the
        module it is imported from."""
        _, source, original, level = entry
        target = self._absolute(module, source, level)
        if not original:  # import target (as local)
            return self.canonical(target), rest
        sub = f"{target}.{original}" if target else original  # from target import original
        if self.path_of(sub) is not None:
            return self.canonical(sub), rest
        return self.canonical(target), original + ("." + rest if rest else "")

    def canonical(self, module: str) -> str:
        """The name the module's file has (:meth:`module_of`): an import may reach it by a
        longer path from a shallower root (``packages.a.lib`` for ``lib``)."""
        path = self.path_of(module)
        return (self.module_of(path) or module) if path is not None else module

    def absolute(self, module: str, target: str, level: int) -> str:
        """The absolute name of an import's module as ``module`` writes it (``level``
        dots: relative to its package)."""
        return self._absolute(module, target, level)

    def _absolute(self, module: str, target: str, level: int) -> str:
        if not level:
            return target
        path = self.path_of(module)
        package = module if path is not None and path.name == "__init__.py" \
            else module.rpartition(".")[0]
        parts = package.split(".") if package else []
        parts = parts[: max(0, len(parts) - level + 1)]
        return ".".join(parts + ([target] if target else []))

    def in_project(self, definition: Def) -> bool:
        return self.path_of(definition[0]) is not None

    def derives(self, definition: Def, matcher: NameMatcher) -> bool:
        """A class named by ``matcher``, or deriving from one, through the project."""
        key = (matcher, definition)  # the configuration's own matcher objects
        if key in self._kinds:
            return self._kinds[key]
        stack, found = [definition], False
        seen: set[Def] = set()
        while stack and not found:
            module, name = stack.pop()
            if (module, name) in seen or len(seen) > _MAX_STEPS * 4:
                continue
            seen.add((module, name))
            found = bool(name) and matcher(name.rpartition(".")[2])
            summary = self.summary(module)
            if summary is not None and name in summary["classes"]:
                stack += [self.resolve(module, base) for base in summary["classes"][name]]
        self._kinds[key] = found
        return found

    # -- web -------------------------------------------------------------------------------

    def authorizes(self, module: str, deps: list[str], depth: int = 0) -> bool:
        """Does one of ``deps`` (``Depends`` names; ``@LIST`` for a list by name) name an
        auth dependency, resolved from ``module``?"""
        auth = self.config.auth_dependencies
        for dep in deps:
            if dep.startswith("@"):
                where, name = self.resolve(module, dep[1:])
                summary = self.summary(where)
                listed = summary["lists"].get(name) if summary is not None else None
                if listed and depth < 8 and self.authorizes(where, listed, depth + 1):
                    return True
            elif auth(dep.rpartition(".")[2]) or \
                    auth(self.resolve(module, dep)[1].rpartition(".")[2]):
                return True
        return False

    def granted(self, router: Def) -> bool:
        """A router (or app) given an auth dependency where it is built or included, or
        included into one that is."""
        if router in self._granted:
            return self._granted[router]
        self._granted[router] = False  # a cycle of includes grants nothing by itself
        module, name = router
        summary = self.summary(module)
        found = summary is not None and name in summary["routers"] and \
            self.authorizes(module, summary["routers"][name])
        for parent, where, deps in self.includes().get(router, ()):
            if found:
                break
            found = self.authorizes(where, deps) or (parent is not None and self.granted(parent))
        self._granted[router] = found
        return found

    def includes(self) -> dict[Def, list[tuple[Optional[Def], str, list[str]]]]:
        """``include_router`` calls of the whole project, by the router they include."""
        if self._includes is None:
            self._includes = {}
            for path, data in self.texts(re.compile(rb"include_router")):
                module = self.module_of(path)
                summary = self.summary(module) if module is not None else None
                if module is None or summary is None:
                    continue
                for parent, child, deps in summary["includes"]:
                    parent_def = self.resolve(module, parent) if parent else None
                    self._includes.setdefault(self.resolve(module, child), []).append(
                        (parent_def, module, deps))
        return self._includes

    # -- the files -------------------------------------------------------------------------

    def files(self) -> list[Path]:
        if self._files is None:
            self._files, roots = python_files(self.root,
                                              self.cache.directory if self.cache else None)
            self.names.found(roots, self._files)
        return self._files

    def texts(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[Path, bytes]]:
        """The project's files whose bytes ``pattern`` finds (each file read once)."""
        if self._texts is None:
            self._texts = []
            for path in self.files():
                try:
                    self._texts.append((path, read_source(str(path))))
                except OSError:
                    continue
        for path, data in self._texts:
            if pattern.search(data):
                yield path, data
