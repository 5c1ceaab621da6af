"""The project: its modules, found by path, summarised on demand, names resolved across them.

Nothing is walked up front. A linted module asks about the names it imports: the modules
they come from are summarised (from the cache when their bytes are unchanged) and their
names resolved through imports, re-exports and ``X = Y`` aliases, each step once per
process (memoised), cycles cut by a visited set. Questions that need the whole project
(which routers are included with dependencies elsewhere, :mod:`.web`; which classes derive
from a plugin type, :mod:`.words`; ...) are answered once per process through
:meth:`Project.answer`, from the project's files (:meth:`Project.texts`); those that are
names are kept between runs for the project's state (:mod:`.answers`).
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

from ..config.names import NameMatcher
from ..config.options import Config
from ..config.prefilter import Prefilter
from ..source.files import read_source
from .cache import SummaryCache, cache_key, salt_for
from .files import files_state, python_files
from .modules import ModuleNames
from .snapshot import Snapshot
from .summaries import FanOut, Summaries
from .records import Def, Import, Kind, Linted
from .summary import Summary, imported_entry, parsed_summary

_DEFINED = ("classes", "consts", "annotated", "lists", "routers", "functions")
_MAX_STEPS = 64
T = TypeVar("T")


class Project:
    """One project root, one configuration; memoised per process."""

    def __init__(self, root: Path, config: Config, cache: Optional[SummaryCache],
                 source_roots: tuple[Path, ...] = (),
                 unlinted: Callable[[Path], bool] = lambda path: False,
                 prefilter: Optional[Prefilter] = None, exclusions: tuple[str, ...] = ()) -> None:
        root = Path(os.path.abspath(root))
        self.root = root
        self.config = config
        self.cache = cache
        self.names = ModuleNames(root, source_roots)
        self.salt = salt_for(config)  # what every cache key of this project includes
        self.unlinted = unlinted  # files flake8 excludes (their uses govern nothing)
        self.prefilter = prefilter  # the run's (:func:`rules.prefilter_for`)
        self._exclusions = "\0".join(exclusions)  # the patterns ``unlinted`` matches
        self.refresh()

    def refresh(self) -> None:
        """Forget what was read: the next question reads the files again (from the cache
        where their bytes are unchanged). A long-lived process (the language server) calls
        it when a file is saved, so other modules' findings follow the edit."""
        self.names.refresh()
        self._summaries = Summaries(self.cache, self.salt, self.root)
        self._kinds: dict[tuple[NameMatcher, Def], bool] = {}
        self._files: Optional[list[Path]] = None
        self._state: Optional[str] = None
        self._snapshot: Optional[Snapshot] = None  # the files' bytes, one version (:meth:`texts`)
        # answers for linted modules (:mod:`.facts`): what an import binds, what it is
        self.bound: dict[Import, list[tuple[str, Def]]] = {}
        self.kinds: dict[Def, Optional[Kind]] = {}
        # the project-wide answers other layers compute once (derived classes, reach)
        self._answers: dict[str, Any] = {}
        # the module being linted, while its facts are made
        self._linted: Optional[Linted] = None

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
        self._linted = Linted(module, tree, text)
        try:
            yield
        finally:
            self._linted = None

    # -- modules and their summaries -------------------------------------------------------

    def module_of(self, path: Path | str) -> Optional[str]:
        """The module a file (absolute, not resolved) is, by the package structure."""
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
        if module in self._summaries.known:
            return self._summaries.known[module]
        path = self.path_of(module)
        data = self.bytes_of(path) if path is not None else None
        return None if data is None else self.summary_parsed(module, data)[0]

    def bytes_of(self, path: Path) -> Optional[bytes]:
        """The bytes of a project file: the run's snapshot's when it has one (one version
        of a file per run; None: left out), else read now (None: unreadable)."""
        snapshot = self._snapshot
        if snapshot is not None and snapshot.holds(str(path)):
            return snapshot.read(str(path))
        try:
            return read_source(str(path))
        except OSError:
            return None

    def summarised(self, module: str) -> bool:
        """Is the module's summary known already (no file read, no parse to ask it)?"""
        return module in self._summaries.known

    def summary_parsed(self, module: str, data: bytes) -> tuple[Summary, Optional[ast.AST]]:
        """The summary of ``module``, whose bytes are ``data``, and the parse it was made
        from when it was parsed now (None: it was known, or made from the linted module's
        tree, which no one else walks): a caller that walks the module next parses once."""
        summary = self._summaries.known.get(module)
        if summary is not None:
            return summary, None
        linted = self._linted
        tree = linted.tree if linted is not None and linted.module == module \
            and data == linted.text.encode("utf-8", "surrogatepass") else None
        key, path = cache_key(data, self.salt), self.path_of(module)
        found = self._summaries.kept(path, key)
        parsed = None
        if found is None:
            found, parsed = parsed_summary(data, tree)
            self._summaries.keep(path, key, found)
        self._summaries.known[module] = found
        return found, parsed if tree is None else None

    def summarise(self, texts: Iterable[tuple[str, bytes]], fan_out: FanOut) -> None:
        """Summaries of modules (name, bytes), made by ``fan_out`` (:class:`.Summaries`)."""
        self._summaries.make(((module, self.path_of(module), data) for module, data in texts),
                             fan_out)

    # -- names -----------------------------------------------------------------------------

    def resolve(self, module: str, name: str) -> Def:
        """Where ``name`` (dotted, as ``module`` writes it) is defined: followed through
        imports, re-exports and aliases within the project; where it leaves the project,
        the last (module, name) known, so the original name of an import stays visible."""
        seen: set[Def] = set()
        while (module, name) not in seen and len(seen) < _MAX_STEPS:
            seen.add(Def(module, name))
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
                module, name = self._imported_as(module, Import(*imported), rest)
                continue
            if rest and self.path_of(f"{module}.{head}") is not None:
                module, name = self.canonical(f"{module}.{head}"), rest
                continue
            break
        return Def(module, name)

    def resolve_import(self, module: str, entry: Import) -> Def:
        """Where the name bound by one of ``module``'s imports is defined."""
        return self.resolve(*self._imported_as(module, entry, ""))

    def _imported_as(self, module: str, entry: Import, rest: str) -> Def:
        """``local.rest`` for the name ``local`` an import binds: the same name, in the
        module it is imported from."""
        target = self.absolute(module, entry.module, entry.level)
        original = entry.name
        if not original:  # import target (as local)
            return Def(self.canonical(target), rest)
        sub = f"{target}.{original}" if target else original  # from target import original
        if self.path_of(sub) is not None:
            return Def(self.canonical(sub), rest)
        return Def(self.canonical(target), original + ("." + rest if rest else ""))

    def canonical(self, module: str) -> str:
        """The name the module's file has (:meth:`module_of`): an import may reach it by a
        longer path from a shallower root (``packages.a.lib`` for ``lib``)."""
        path = self.path_of(module)
        return (self.module_of(path) or module) if path is not None else module

    def absolute(self, module: str, target: str, level: int) -> str:
        """The absolute name of an import's module as ``module`` writes it (``level``
        dots: relative to its package)."""
        if not level:
            return target
        path = self.path_of(module)
        package = module if path is not None and path.name == "__init__.py" \
            else module.rpartition(".")[0]
        parts = package.split(".") if package else []
        parts = parts[: max(0, len(parts) - level + 1)]
        return ".".join(parts + ([target] if target else []))

    def in_project(self, definition: Def) -> bool:
        return self.path_of(definition.module) is not None

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
            seen.add(Def(module, name))
            found = bool(name) and matcher(name.rpartition(".")[2])
            summary = self.summary(module)
            if summary is not None and name in summary["classes"]:
                stack += [self.resolve(module, base) for base in summary["classes"][name]]
        self._kinds[key] = found
        return found

    # -- the files -------------------------------------------------------------------------

    def files(self) -> list[Path]:
        if self._files is None:
            self._files, roots = python_files(
                self.root, self.cache.directory if self.cache else None)
            self.names.found(roots, self._files)
            if self.cache is not None:  # before any file is read: no answer is older
                self._state = files_state(self._files, roots, self._exclusions)
        return self._files

    def state(self) -> Optional[str]:
        """The project's files as the file system described them when they were listed
        (:func:`.files.files_state`), taken before any of them is read, so no answer is
        older than it; None without a cache, or when a file changed too recently to tell."""
        self.files()
        return self._state

    def texts(self, pattern: re.Pattern[bytes],
              words: tuple[bytes, ...] = ()) -> Iterator[tuple[Path, bytes]]:
        """The project's files whose bytes ``pattern`` finds (each file the same bytes for
        the whole run: :mod:`.snapshot`); ``words``: see :meth:`.Snapshot.search`."""
        return self._snapshot_of_files().search(pattern, words)

    def read(self, path: str) -> Optional[bytes]:
        """The bytes of the file at ``path`` (absolute) as the project's snapshot gives
        them, once a question made one (None: read it yourself): the gate lints through
        it, so a file's answers and its own findings come from one version of it."""
        return None if self._snapshot is None else self._snapshot.read(path)

    def snapshotted(self) -> bool:  # are the texts read (:meth:`read` can answer)?
        return self._snapshot is not None

    def changed(self) -> bool:
        """Did a file change after its first read (then left out: the server refreshes)?"""
        return self._snapshot is not None and self._snapshot.changed

    def indexed(self) -> bool:  # is the index of :meth:`naming` built (lookups are free)?
        return self._snapshot is not None and self._snapshot.indexed()

    def naming(self, *names: bytes) -> list[tuple[Path, bytes]]:
        """The project's files whose text has one of the identifiers ``names``, in the
        project's order, from one index of every file's identifiers: a lookup, not a
        search of every text (the reach asks about new names each round, hundreds)."""
        return self._snapshot_of_files().naming(*names)

    def named(self, *names: bytes) -> list[Path]:  # :meth:`naming`'s paths, none read
        return self._snapshot_of_files().named(*names)

    def as_read(self) -> Iterator[tuple[Path, bytes, str]]:
        """Every project file, its bytes and its text as the parser reads names."""
        return self._snapshot_of_files().as_read()

    def named_as_read(self, word: bytes) -> Iterator[tuple[Path, bytes]]:
        """The project's files naming ``word`` as the parser reads names, each with its
        text so read; from the identifier index when it is built, else by a search."""
        return self._snapshot_of_files().named_as_read(word, self.indexed())

    def _snapshot_of_files(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = Snapshot(self.files())
        return self._snapshot
