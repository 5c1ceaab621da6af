"""Module names from the package structure, never from the working directory.

A file's findings depend on what its imports resolve to, so the name of every module must
be the same whether flake8 runs from the project's root, from the folder above it or from
inside a package. As mypy and pyright do, the name is read off the code's own layout:

- the ``__init__.py`` chain up from the file gives its package part (``app/plugins/ocr.py``
  with ``app/__init__.py`` and ``app/plugins/__init__.py``: ``app.plugins.ocr``);
- above the chain, folders without ``__init__.py`` (namespace packages) belong to the name
  up to the nearest *source root*: a folder named in ``execgov-source-roots``, the project
  root, a folder named ``src``, or a folder holding ``pyproject.toml``, ``setup.py`` or
  ``setup.cfg`` (the root of a distribution, as in a monorepo's ``packages/a/``); a folder
  whose name is no identifier ends the climb, and the chain alone names the module.

Imports are looked up in the source roots in one fixed order (configured ones, then the
ones found in the project, deepest first, then ``src/`` and the root): a dotted name is the
first file found so. A file is only the module its name finds: one shadowed by a module of
the same name under an earlier root has no name (it is analysed on its own), as mypy
reports a duplicate module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, NamedTuple, Optional, Sequence

MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


class _Placed(NamedTuple):
    """The name parts a folder's modules start with, and the folder they are named from
    (a source root, or the base of its package chain)."""

    parts: tuple[str, ...]
    base: str


class _Named(NamedTuple):
    """A file's module name, the first part of it, and the folder it is named from."""

    module: str
    top: str
    base: str


class ModuleNames:
    """Names and paths of one project's modules (memoised: a project's files are read once
    per run; :meth:`refresh` forgets them)."""

    def __init__(self, root: Path, configured: Sequence[Path] = ()) -> None:
        self.root = root
        self.configured = tuple(configured)
        self._found: tuple[Path, ...] = ()
        self.refresh()

    def refresh(self) -> None:
        self._top: Optional[frozenset[str]] = None
        self._entries: dict[str, frozenset[str]] = {}  # a source root's names
        self._folders: dict[str, Optional[_Placed]] = {}
        self._holders: dict[str, Optional[str]] = {}
        self._order: Optional[list[str]] = None
        self._prefix = os.path.join(str(self.root), "")
        self._packages: dict[str, bool] = {}
        self._roots: dict[str, bool] = {}
        self._names: dict[str, Optional[str]] = {}
        self._paths: dict[str, Optional[Path]] = {}

    def found(self, folders: Iterable[Path], files: Iterable[Path]) -> None:
        """The source roots the project's walk saw below the root: folders with a
        distribution's marker or named ``src``, and the folder holding a top-level package
        from which no root can be reached (``my-tools/pkg/``: ``pkg`` is a module)."""
        found = {folder for folder in folders  # a folder with __init__.py is a package
                 if not self._is_package(str(folder))}
        for file in files:
            if file.name == "__init__.py" and not self._is_package(str(file.parent.parent)):
                base = str(file.parent.parent)
                if self._climb(base, []) is None:  # its chain alone names its modules
                    found.add(Path(base))
        ordered = sorted(found - {self.root}, key=lambda p: (-len(p.parts), str(p)))
        self._found = tuple(ordered)
        self._paths = {}
        self._names = {}
        self._folders = {}
        self._holders = {}
        self._order = None
        self._top = None

    def top_names(self) -> frozenset[str]:
        """The first parts of the modules' names in every source root (a quick test for
        whether an import can be the project's)."""
        if self._top is None:
            names = frozenset().union(*(self._names_in(source) for source in self._search()))
            self._top = frozenset(name for name in names if name.isidentifier())
        return self._top

    def _search(self) -> list[str]:
        if self._order is None:
            order = [*self.configured, *self._found, self.root / "src", self.root]
            self._order = list(dict.fromkeys(str(source) for source in order))
        return self._order

    def name_of(self, path: Path | str) -> Optional[str]:
        """The module the file at ``path`` (absolute) is, when its name finds it."""
        text = str(path)
        if text in self._names:
            return self._names[text]
        named = self._named(text)
        name = named.module if named is not None else None
        if named is not None:
            first = self._first_holder(named.top)
            if first is not None and first != named.base:  # another root may hold it first
                found = self.path_of(named.module)
                if found is not None and found != Path(text):
                    name = None  # shadowed by an earlier root's module of that name (a
                    # buffer not saved yet, or stdin, is no file: its name stands)
        self._names[text] = name
        return name

    def _first_holder(self, name: str) -> Optional[str]:
        """The first source root whose top holds ``name`` (memoised per name)."""
        if name not in self._holders:
            self._holders[name] = next(
                (source for source in self._search() if name in self._names_in(source)), None)
        return self._holders[name]

    def _named(self, text: str) -> Optional[_Named]:
        """The name of the file at ``text``, its first part, and the folder it is named
        from (a source root, or the base of its package chain)."""
        if not text.endswith(".py") or not text.startswith(self._prefix):
            return None  # outside the project: analysed on its own
        folder, file = os.path.split(text)
        placed = self._folder(folder)
        if placed is None:
            return None
        parts = placed.parts if file == "__init__.py" else (*placed.parts, file[:-3])
        if parts and all(part.isidentifier() for part in parts):
            return _Named(".".join(parts), parts[0], placed.base)
        return None

    def _folder(self, folder: str) -> Optional[_Placed]:
        """The name parts a folder's modules start with, and the folder they are named
        from (memoised per folder: a project's files share a few dozen folders)."""
        if folder in self._folders:
            return self._folders[folder]
        parts: list[str] = []
        base = folder
        while self._is_package(base):
            base, part = os.path.split(base)
            parts.insert(0, part)
        climbed = self._climb(base, parts)
        placed = _Placed(tuple(parts), base) if climbed is None else climbed
        self._folders[folder] = placed
        return placed

    def _climb(self, folder: str, parts: list[str]) -> Optional[_Placed]:
        """``parts`` with the namespace folders from ``folder`` up to a source root, and
        that root; None when a folder that is no identifier (or the top of the file
        system) comes first."""
        parts = list(parts)
        while not self._is_root(folder):
            up, part = os.path.split(folder)
            if up == folder or not part.isidentifier():
                return None
            parts.insert(0, part)
            folder = up
        return _Placed(tuple(parts), folder)

    def path_of(self, module: str) -> Optional[Path]:
        if module in self._paths:
            return self._paths[module]
        found = None
        parts = module.split(".")
        if module and all(part.isidentifier() for part in parts):
            for source in self._search():
                if parts[0] not in self._names_in(source):
                    continue  # one lookup instead of two stats per root
                base = os.path.join(source, *parts)
                for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                    if os.path.isfile(candidate):
                        found = Path(candidate)
                        break
                if found is not None:
                    break
        self._paths[module] = found
        return found

    def _names_in(self, source: str) -> frozenset[str]:
        """The module and package names a source root holds at its top (read once)."""
        known = self._entries.get(source)
        if known is None:
            try:
                entries = os.listdir(source)
            except OSError:
                entries = []
            known = self._entries[source] = frozenset(
                name[:-3] if name.endswith(".py") else name for name in entries)
        return known

    def _is_package(self, folder: str) -> bool:
        known = self._packages.get(folder)
        if known is None:
            known = self._packages[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
        return known

    def _is_root(self, folder: str) -> bool:
        known = self._roots.get(folder)
        if known is None:
            path = Path(folder)
            known = path == self.root or path in self.configured \
                or os.path.basename(folder) == "src" \
                or any(os.path.isfile(os.path.join(folder, m)) for m in MARKERS)
            self._roots[folder] = known
        return known
