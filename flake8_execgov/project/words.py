"""Words a module's text must hold for the project to change its findings: the prefilter's
part of the project (:func:`engine.worth_parsing`), read from texts, never parsed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..config.names import literal_runs
from ..config.prefilter import Prefilter
from .answers import lasting
from .files import identifiers
from .index import Project
from .records import Def
from .summaries import FanOut


_CLASS = re.compile(rb"\bclass\s+(\w+)")
_INDEX_AT = 32  # files asked about, above which the identifier index is built for them
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.|[\w.]+)|import[ \t]+([^\n#;]+))", re.M)


def imports_from_project(text: str, project: Project) -> bool:
    """Can this text import anything from the project (a relative import, or one of a
    top-level name of it)? Only then can it call a function of another module. A superset:
    an ``import`` line inside a string counts too."""
    top = project.top_names()
    for match in _IMPORT.finditer(text):
        source, names = match.group(1), match.group(2)
        if source is not None:
            if source.startswith(".") or source.split(".", 1)[0] in top:
                return True
        elif any(part.split(".", 1)[0].strip() in top for part in names.split(",")):
            return True
    return False


def may_run(project: Project, prefilter: Optional[Prefilter], seen: str) -> bool:
    """Can a module with this text (searchable, and passing the prefilter) execute a plugin
    itself? A run is an access on a plugin expression, a dispatch registry's entry, or what
    an execution returned; the model knows a plugin only by the execution rules' own words
    (:attr:`Prefilter.runs`) or, in :func:`_own_runs`, by an import of a class deriving
    from a plugin type elsewhere (:func:`derived_names`), which the text names."""
    runs = prefilter.runs if prefilter is not None else None
    if runs is None or runs.found_in(seen):
        return True
    derived = derived_names(project)
    return bool(derived) and not identifiers(
        seen.encode("utf-8", "surrogatepass")).isdisjoint(n.encode() for n in derived)


def derived_names(project: Project, fan_out: Optional[FanOut] = None) -> frozenset[str]:
    """Names of the project's classes deriving, through other modules, from a plugin type,
    a runner class or a lifecycle enum, that a file of the project other than the one
    declaring them names: a module naming one may hold findings that its text alone would
    not show. A fixed point over the files whose text declares a class with a base named so
    far (only those are summarised, each round's by ``fan_out`` when given,
    :meth:`Project.summarise`; and of those, when many, only the ones declaring a class
    another file names: :class:`_Elsewhere`).

    Why only classes another file names: the file declaring one passes the prefilter by
    itself (the base it names is a configured name, or a class of this answer that it
    names), so a class no other file names changes no project file's answer; on a monorepo
    of a thousand runners and plugins, each named only where it is declared, this answer
    summarised a third of the project before the first file was linted. A text the
    project's files do not hold (a buffer, standard input) may name one: see
    :func:`unnamed_derived` and :func:`all_derived_names`."""
    return lasting(project, "derived", lambda: _parts(project, fan_out)[0])


def unnamed_derived(project: Project) -> frozenset[str]:
    """The classes :func:`derived_names` left out because no other file names them (a
    superset: every class a file left unsummarised declares). Only a text the project does
    not hold can name one; then :func:`all_derived_names` answers."""
    return lasting(project, "derived:unnamed", lambda: _parts(project, None)[1])


def all_derived_names(project: Project) -> frozenset[str]:
    """:func:`derived_names` with the classes no other file names: every file declaring a
    class with a base named so far summarised (what a buffer naming one of
    :func:`unnamed_derived` asks)."""
    return lasting(project, "derived:all",
                   lambda: _derived(project, None, None)[0])


def _parts(project: Project, fan_out: Optional[FanOut]) -> tuple[frozenset[str], frozenset[str]]:
    return project.answer("derived:parts",
                          lambda: _derived(project, fan_out, _Elsewhere(project)))


def _derived(project: Project, fan_out: Optional[FanOut], elsewhere: Optional["_Elsewhere"]
             ) -> tuple[frozenset[str], frozenset[str]]:
    """(the derived classes, those left out as no other file names them); ``elsewhere``
    None: none left out."""
    cfg = project.config
    matchers = [m for m in (cfg.plugin_types, cfg.runner_classes, cfg.lifecycle_enums) if m]
    words = {_word(p) for m in matchers for p in m.patterns} - {b""}
    found: set[str] = set()
    unnamed: set[str] = set()
    done: set[Path] = set()
    while words:
        pattern = re.compile(rb"class\s+\w+\s*\([^)]*(?:" + b"|".join(sorted(words)) + rb")")
        words = set()
        # the files found, their bytes read again where asked (a round's files can be a
        # third of a monorepo: their texts are not held, only those summarised next)
        candidates = [(path, project.module_of(path)) for path, _ in project.texts(pattern)
                      if path not in done]
        # many files: only those declaring a class another file names go on
        named = elsewhere if elsewhere is not None and elsewhere.indexed(len(candidates)) \
            else None
        if named is not None:
            named.index()
        texts: list[tuple[Path, Optional[str], bytes]] = []
        for path, module in candidates:
            data = project.read(str(path))
            if data is None:
                continue  # changed since the search read it: left out (:mod:`.snapshot`)
            if named is None or named.declares_named(path, data):
                texts.append((path, module, data))
            else:
                done.add(path)
                unnamed.update(named.declared(data))
        if fan_out is not None:  # the module's own file (not one its name resolves past)
            project.summarise([(m, data) for path, m, data in texts
                               if m is not None and project.path_of(m) == path], fan_out)
        for path, module, _ in texts:
            if module is None:
                continue
            done.add(path)
            summary = project.summary(module)
            for name in summary["classes"] if summary is not None else ():
                if name in found or not any(
                        project.derives(Def(module, name), m) for m in matchers):
                    continue
                if elsewhere is not None and not elsewhere.names(name, path):
                    unnamed.add(name)
                    continue
                found.add(name)
                words.add(rb"\b" + re.escape(name.encode()) + rb"\b")
    return frozenset(found), frozenset(unnamed)


class _Elsewhere:
    """Does a file of the project other than ``path`` name this class? From the index of
    every file's identifiers (:meth:`Project.naming`) when it is built or the question is
    asked of many files (building it costs about what summarising thirty modules does),
    else by a search of the texts per name. A name is compared as the parser reads names:
    a file that is not ASCII is normalised (NFKC) first; a class whose name is not ASCII
    is taken as named (it stays in the answer, as it did before)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._searches = 0  # names searched for without the index

    def indexed(self, files: int = 0) -> bool:
        """Is the index worth using for a question about ``files`` files' classes (or a
        name, once ``_INDEX_AT`` names were searched for)?"""
        return self.project.indexed() or max(files, self._searches) > _INDEX_AT

    def index(self) -> None:
        """Build the index now: the names that follow are looked up in it."""
        self.project.named()

    @staticmethod
    def declared(data: bytes) -> set[str]:
        """The names after ``class`` in the text (a superset of its classes)."""
        return {name.decode() for name in _CLASS.findall(data)}

    def declares_named(self, path: Path, data: bytes) -> bool:
        """Does another file name one of the classes this text declares? (Not ASCII: yes,
        the text's class names are not all seen by :data:`_CLASS`.)"""
        return not data.isascii() or any(self.names(name, path) for name in self.declared(data))

    def names(self, name: str, path: Path) -> bool:
        if not name.isascii():
            return True
        if not self.indexed():
            self._searches += 1
        elif not self.project.indexed():
            self.index()  # built once: a lookup each name from now on
        return any(other != path for other, _ in self.project.named_as_read(name.encode()))


def _word(pattern: str) -> bytes:
    """What a base's text must hold for its name to match ``pattern``: the pattern's longest
    literal run, at a word's edge where the pattern has no wildcard on that side (``*Plugin``
    is not in ``PluginRegistry``; a superset test all the same). Empty for no literal."""
    runs = literal_runs(pattern)
    literal = max(runs, key=len)
    if not literal:
        return b""
    at = runs.index(literal)
    return (rb"\b" if at == 0 else b"") + re.escape(literal.encode()) + (
        rb"\b" if at == len(runs) - 1 else b"")
