"""Modules no other file can import from: what they reach stays inside them.

The reach's names (:meth:`.reach.Reach.names`) are asked so that a file the prefilter
rejects is parsed when it may call a function that executes a plugin. A function of
module ``M`` can be called from another file only through a name that file resolves to it
(:meth:`.index.Project.resolve`): an import of ``M`` (``from pkg.m import f``, ``import
pkg.m``, ``from .m import f``, ``from pkg import m``) or a re-export by a module that
imports ``M``; every step names ``M``'s last part (its *stem*) and the name it imports
(a function of ``M``, or one of ``M``'s ``X = Y`` aliases). So when no other file of the
project names both the stem and one of those names, no other module's answer can depend on
what ``M``'s functions reach, and walking ``M`` for it (a parse and the model's walk, the
cost of the whole question on a project of large test suites) changes nothing but the
names of ``M``'s own functions. A package's ``__init__`` is never deferred (``from . import
f`` names no stem). One step does not name both: a file binding ``M`` itself under another
name (``from pkg import m as mm``, ``mm = m``) lets a third file write ``that.mm.f``, naming
the function only; a module some file binds so is not deferred.

Looking costs a search of every file of the project for the stem (or a lookup, when the
identifier index is built already): about as much as walking a module of a thousandth of
the project's text, so only modules at least that large are looked at, and at most
``_LOOKS`` of them (cost rules, fixed by the project's files alone: which modules are
deferred never depends on what was asked before).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable, Optional

from .files import identifiers
from .index import Project
from .records import Def
from .summary import Summary

Parsed = tuple[bytes, ast.AST]  # a module's bytes and its parse

# a module is looked at when it is at least this fraction of the project's text
_WORTH = 1024
_LOOKS = 32  # and no more modules than this are looked at (a search of the project each)


def top_level_def(data: bytes) -> bool:
    """Can this module have a module-level function (``def`` or ``async def`` at the start
    of a line)? A superset (such a line inside a string counts; a form feed anywhere, or a
    byte-order mark before the first line, makes it yes): a module without one has no
    function the reach's summary knows (:func:`.summary.summarize`), so nothing to walk."""
    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return head.startswith((b"def", b"async")) or b"\f" in data or any(
        f"{end}{word}".encode() in data for end in "\n\r" for word in ("def", "async"))


def exported(summary: Optional[Summary]) -> frozenset[str]:
    """The names through which another module can resolve to a function of this one."""
    if summary is None:
        return frozenset()
    return frozenset(summary["functions"]) | frozenset(summary["alias"])


class Unseen:
    """The question "can another file import from this module?", for one project and one
    walk over its files (the texts' sizes, read once)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._total = 0
        self._looks = 0
        self.found: list[str] = []  # the modules deferred
        self.parsed: dict[str, Parsed] = {}  # the others parsed to be looked at

    def saw(self, data: bytes) -> None:
        """Every file of the project, as it is read (before any is asked): its size."""
        self._total += len(data)

    def worth_looking(self, data: bytes) -> bool:
        """Is this module worth a search of the project (counted: ``_LOOKS`` at most)?"""
        if len(data) * _WORTH < self._total or self._looks >= _LOOKS:
            return False
        self._looks += 1
        return True

    def defers(self, module: str, path: Path, data: bytes) -> bool:
        """No other file of the project names both this module's stem and a name that
        resolves to one of its functions (the module docstring), and none binds the module
        itself under another name: then it is deferred (:attr:`found`)."""
        if path.name == "__init__.py":
            return False
        stem = module.rpartition(".")[2]
        holders = self._holders(stem.encode(), path)
        if holders:
            summary, tree = self.project.summary_parsed(module, data)
            names = {name.encode() for name in exported(summary)}
            if any(not names.isdisjoint(identifiers(text)) for _, text in holders) or any(
                    self._renames(holder, module, stem) for holder, _ in holders):
                if tree is not None:  # walked next: parsed once
                    self.parsed[module] = (data, tree)
                return False
        self.found.append(module)
        return True

    def _renames(self, holder: Path, module: str, stem: str) -> bool:
        """Does the file at ``holder`` bind ``module`` itself under a name other than its
        stem (``from pkg import suite as ts``, ``import pkg.suite as ts``, ``ts = suite``)?
        Then ``holder.ts.helper`` in a third file resolves into the module naming only the
        function: no single file names both, and the module is not deferred."""
        project = self.project
        importer = project.module_of(holder)
        summary = project.summary(importer) if importer is not None else None
        if importer is None or summary is None:
            return False
        bound = [entry[0] for entry in summary["imports"]] + list(summary["alias"])
        return any(local != stem and project.resolve(importer, local) == Def(module, "")
                   for local in bound)

    def _holders(self, word: bytes, path: Path) -> list[tuple[Path, bytes]]:
        """The other files naming ``word``, each with its text as Python reads its names
        (:meth:`.index.Project.named_as_read`)."""
        return [(other, data) for other, data in self.project.named_as_read(word)
                if other != path]


def deferred_stems(modules: Iterable[str]) -> dict[bytes, list[str]]:
    """The deferred modules by stem, as a file's identifiers are compared (bytes)."""
    found: dict[bytes, list[str]] = {}
    for module in sorted(modules):
        found.setdefault(module.rpartition(".")[2].encode(), []).append(module)
    return found
