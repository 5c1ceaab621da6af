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
from typing import Iterable, Optional, Sequence

MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


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
        self._packages: dict[str, bool] = {}
        self._roots: dict[str, bool] = {}
        self._names: dict[str, Optional[str]] = {}
        self._paths: dict[str, Optional[Path]] = {}

    def found(self, folders: Iterable[Path], files: Iterable[Path]) -> None:
        """The source roots the project's walk saw below the root: folders with a
        distribution's marker or named ``src``, and the folder holding a top-level package
        from which no root can be reached (``my-tools/pkg/``: ``pkg`` is a module)."""
        found = set(folders)
        for file in files:
            if file.name == "__init__.py" and not self._is_package(str(file.parent.parent)):
                base = str(file.parent.parent)
                if self._climb(base, []) is None:
                    found.add(Path(base))
        ordered = sorted(found - {self.root}, key=lambda p: (-len(p.parts), str(p)))
        self._found = tuple(ordered)
        self._paths = {}
        self._names = {}
        self._top = None

    def top_names(self) -> frozenset[str]:
        """The first parts of the modules' names in every source root (a quick test for
        whether an import can be the project's)."""
        if self._top is None:
            names: set[str] = set()
            for source in self.search():
                try:
                    entries = os.listdir(source)
                except OSError:
                    continue
                names.update(name[:-3] if name.endswith(".py") else name for name in entries)
            self._top = frozenset(name for name in names if name.isidentifier())
        return self._top

    def search(self) -> list[Path]:
        """Where a dotted name is looked up, in order."""
        order = [*self.configured, *self._found, self.root / "src", self.root]
        return list(dict.fromkeys(order))

    def name_of(self, path: Path | str) -> Optional[str]:
        """The module the file at ``path`` (absolute) is, when its name finds it."""
        text = str(path)
        if text in self._names:
            return self._names[text]
        name = self._named(text)
        found = self.path_of(name) if name is not None else None
        if found is not None and found != Path(text):
            name = None  # shadowed by an earlier root's module of that name (a buffer
            # not saved yet, or stdin, is no file: its name stands)
        self._names[text] = name
        return name

    def _named(self, text: str) -> Optional[str]:
        if not text.endswith(".py") or not text.startswith(os.path.join(str(self.root), "")):
            return None  # outside the project: analysed on its own
        folder, file = os.path.split(text)
        parts = [] if file == "__init__.py" else [file[:-3]]
        while self._is_package(folder):
            folder, part = os.path.split(folder)
            parts.insert(0, part)
        climbed = self._climb(folder, parts)
        parts = parts if climbed is None else climbed  # no root above: the chain alone
        if parts and all(part.isidentifier() for part in parts):
            return ".".join(parts)
        return None

    def _climb(self, folder: str, parts: list[str]) -> Optional[list[str]]:
        """``parts`` with the namespace folders from ``folder`` up to a source root, or None
        when a folder that is no identifier (or the top of the file system) comes first."""
        parts = list(parts)
        while not self._is_root(folder):
            up, part = os.path.split(folder)
            if up == folder or not part.isidentifier():
                return None
            parts.insert(0, part)
            folder = up
        return parts

    def path_of(self, module: str) -> Optional[Path]:
        if module in self._paths:
            return self._paths[module]
        found = None
        if module and all(part.isidentifier() for part in module.split(".")):
            for source in self.search():
                base = source.joinpath(*module.split("."))
                for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                    if candidate.is_file():
                        found = candidate
                        break
                if found is not None:
                    break
        self._paths[module] = found
        return found

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
