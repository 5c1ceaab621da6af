"""One run: what it needs, built once by whoever starts it, and what it keeps between runs.

A run is one configuration applied to some files: flake8's (its plugin's options, parsed
once per process), the gate's, a command's (``fix``, ``baseline``), or a workspace folder's
in the language server. Whoever starts it builds a :class:`Run` (the configuration, the
prefilter, the baseline, the project) and passes it down; nothing of it lives in module
state, and its owner calls :meth:`Run.close` when it ends, which writes what the run
learnt to the cache. (flake8 itself has no end-of-run hook for plugins: its run ends with
its process, and the plugin's run says so when it is made, :meth:`Run.closes_at_exit`.)

What a module reports is kept on disk: a warm run reads it instead of walking the module.
Ruff's and mypy's warm runs do this; across modules it is only right when everything a
module's findings depend on outside its own text is part of what is checked before an
entry is trusted. For a module of a project that is: its text; the configuration, the
plugin's version and the Python that parsed it (the entry's key, with the baseline's
records for its path); what the project says of its imports (:meth:`ProjectFacts.identity`,
recomputed from the imports kept in the entry, without parsing the module); and the
answers to the one question the walk asks the project (is this function of the module
imported by another one?), kept with the questions it asked. The walk is deterministic:
the same text, facts and answers give the same findings, so an entry whose facts or
answers changed (an edit in another module) is walked again, and one whose facts did not
is the answer. Only what this machine wrote is read (:func:`project.cache.trusted`).

Only what flake8 reports is kept (line, column, code, message): the fixer, the baseline
command and the language server need the syntax nodes and always walk.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from multiprocessing import util
from typing import Callable, NamedTuple, Optional, Sequence

from .baseline import Baseline
from .config.options import Config
from .config.prefilter import Prefilter
from .engine import analyse, prefilter_of, worth_parsing
from .model.imported import ProjectFacts
from .source.noqa_regions import NoqaRegions
from .model.records import Finding
from .project.cache import PYTHON, cache_key, salt_for
from .project.facts import facts_of_imports
from .project.imports import live_imports
from .project.index import Project
from .project.pack import Pack
from .project.records import Import
from .source.lines import char_col

UNPLACED = frozenset(("", "-", "stdin"))  # stdin without --stdin-display-name: no module


class Kept(NamedTuple):
    """A finding as flake8 reports it, with what a run without a tree needs for its
    ``# noqa``: the lines to tokenize (:mod:`source.noqa_regions`; (0, 0): the whole file)."""

    line: int
    col: int  # characters, 0-based
    code: str
    message: str
    region: tuple[int, int]
    fix: str = ""  # what ``execgov fix`` does with it: "safe", "unsafe" or "" (nothing)


# What ``execgov fix`` does with each of a module's findings (its planner, :mod:`fix.plan`,
# is a layer above: the run's owner passes it), kept with them so a warm run needs no walk
Planner = Callable[[ast.AST, Sequence[str], list[Finding]], list[str]]


class _Missed(NamedTuple):
    """The lines the gate last asked about and missed, and what it computed for them (the
    key, the module's place and its text): the walk that follows computes none again."""

    lines: Sequence[str]
    key: str
    place: "_Place"
    text: str


class _Place(NamedTuple):
    """Where a module's entry is: the document for these settings, the module's absolute
    path, and what the baseline records for it."""

    document: Pack
    path: str
    recorded: str


class Run:
    """Everything one run needs, and the answers it has computed so far."""

    def __init__(self, config: Config, baseline: Optional[Baseline] = None,
                 project: Optional[Project] = None,
                 prefilter: Optional[Prefilter] = None,
                 planner: Optional[Planner] = None) -> None:
        self.config = config
        self.planner = planner
        self.baseline = baseline
        self.project = project
        self.prefilter = prefilter_of(config, project, prefilter)
        self._document: Optional[Pack] = None
        if project is not None and project.cache is not None:
            settings = salt_for(config)
            if settings != project.salt:
                settings = f"{settings}|{project.salt}"
            planned = ":planned" if planner is not None else ""  # entries with their fixes
            self._document = project.cache.pack(
                f"{settings}:results{planned}:{PYTHON}:{project.root}")
        # the lines the gate last asked about and missed, and their key: the walk that
        # follows (same lines object) need not compute the key again
        self._missed: Optional[_Missed] = None
        # the lines last walked and their findings: the gate's fix plans for that module
        # are the ones the walk made (:meth:`planned`), not a second walk
        self._walked: Optional[tuple[Sequence[str], list[Kept]]] = None

    def closes_at_exit(self) -> "Run":
        """flake8 has no end-of-run hook for plugins: its run (and each ``-j`` worker's)
        ends with its process, and so does this one."""
        util.Finalize(self, self.close, exitpriority=10)
        return self

    def close(self) -> None:
        """The run ended: what it learnt goes to the cache."""
        if self.project is not None and self.project.cache is not None:
            self.project.cache.flush()

    def findings(self, tree: ast.AST, lines: Sequence[str], filename: str = "") -> list[Kept]:
        """The module's findings as flake8 reports them: kept ones when they still hold,
        else walked (and kept for the next run)."""
        missed, self._missed = self._missed, None
        project = self.project
        if missed is not None and missed.lines is lines and project is not None:
            # the gate asked just before, about these very lines: its place, key and text
            place, text = missed.place, missed.text
            key: Optional[str] = missed.key
            found: Optional[list[Kept]] = None
        else:
            placed = self._place(filename)
            if placed is None or project is None or filename in UNPLACED:
                return self._as_kept(tree, lines, self._analyse(tree, lines, filename))
            place, text = placed, "".join(lines)
            key = self._key(place, text)
            if key is None:
                return []  # its text names nothing the rules know (the engine's own answer)
            found = self._read(place, key, filename)
        if found is not None:
            return found
        state = project.state()  # before the facts read the project's files
        imports, receivers = live_imports(tree, lines)
        facts = facts_of_imports(project, place.path, imports, receivers, self.prefilter,
                                 (tree, text))
        asked: dict[str, bool] = {}

        def exported(name: str) -> bool:
            if name not in asked:
                asked[name] = facts.exported(name)
            return asked[name]

        found = self._as_kept(tree, lines, self._analyse(tree, lines, filename,
                                                         replace(facts, exported=exported)))
        entry = {"key": key, "state": state or "", "imports": [list(item) for item in imports],
                 "receivers": receivers, "facts": facts.identity(), "asked": asked,
                 "found": [[item.line, item.col, item.code, item.message, *item.region,
                            item.fix] for item in found]}
        place.document.put(place.path, entry)
        return found

    def kept(self, lines: Sequence[str], filename: str = "") -> Optional[list[Kept]]:
        """The module's findings when they are kept and still hold, none when the
        prefilter rules the module out (None: walk it). The gate asks before it parses."""
        place = self._place(filename)
        if place is None:
            project = None if filename in UNPLACED else self.project
            return None if worth_parsing("".join(lines), self.config, project,
                                         self.prefilter, os.path.abspath(filename)) else []
        text = "".join(lines)
        key = self._key(place, text)
        found = [] if key is None else self._read(place, key, filename)
        if found is None and key is not None and self.project is not None:
            self._missed = _Missed(lines, key, place, text)
        return found

    def _analyse(self, tree: ast.AST, lines: Sequence[str], filename: str,
                 facts: Optional[ProjectFacts] = None) -> list[Finding]:
        return analyse(tree, lines, self.config, baseline=self.baseline, filename=filename,
                       project=None if filename in UNPLACED else self.project, facts=facts,
                       prefilter=self.prefilter)

    def _as_kept(self, tree: ast.AST, lines: Sequence[str], found: list[Finding]) -> list[Kept]:
        regions = NoqaRegions(tree, lines) if found and isinstance(tree, ast.Module) else None
        fixes = self.planner(tree, lines, found) if found and self.planner is not None \
            else [""] * len(found)
        kept = [Kept(f.line, char_col(lines, f.line, f.col), f.code, f.message,
                     _region(regions, f.line, len(lines)), fix) for f, fix in zip(found, fixes)]
        self._walked = (lines, kept) if self.planner is not None else None
        return kept

    def planned(self, lines: Sequence[str]) -> Optional[dict[tuple[int, int, str], str]]:
        """What ``execgov fix`` does with each finding of the module just walked with these
        lines (the same object), as :func:`formats.fix_kinds` keys it; None: it was not
        (the walk failed, or another module came between)."""
        walked, self._walked = self._walked, None
        if walked is None or walked[0] is not lines:
            return None
        return {(kept.line, kept.col + 1, kept.code): kept.fix for kept in walked[1] if kept.fix}

    def _place(self, filename: str) -> Optional[_Place]:
        """None without a project or a cache, or for a module without a name (stdin
        without ``--stdin-display-name``)."""
        if self._document is None or filename in UNPLACED:
            return None
        recorded = self.baseline.identity_for(filename) if self.baseline is not None else ""
        return _Place(self._document, os.path.abspath(filename), recorded)

    def _key(self, place: _Place, text: str) -> Optional[str]:
        """What the entry must name to be this module's (None: the prefilter rules the
        module out, nothing to keep): its text (its lines joined) and what the baseline
        records for it."""
        if not worth_parsing(text, self.config, self.project, self.prefilter, place.path):
            return None
        return cache_key(text.encode("utf-8", "surrogatepass"), place.recorded)

    def _read(self, place: _Place, key: str, filename: str) -> Optional[list[Kept]]:
        project = self.project
        entry = place.document.get(place.path)  # None unless this machine wrote it
        if project is None or entry is None or entry["key"] != key:
            return None
        found = [Kept(line, col, code, message, (first, last), fix)
                 for line, col, code, message, first, last, fix in entry["found"]]
        state = project.state()
        if entry["state"] and entry["state"] == state:
            return found  # no file of the project changed since: nor did its answers
        imports = [Import(*stored) for stored in entry["imports"]]
        facts = facts_of_imports(project, filename, imports, list(entry["receivers"]),
                                 self.prefilter)
        if facts.identity() != entry["facts"] or any(
                facts.exported(name) is not answer for name, answer in entry["asked"].items()):
            return None  # another module changed what this one's imports are
        if state:  # the answers hold for this state: the next run takes the entry as it is
            place.document.put(place.path, {**entry, "state": state})
        return found


def _region(regions: Optional[NoqaRegions], line: int, count: int) -> tuple[int, int]:
    found = regions.region(line) if regions is not None and 0 < line <= count else None
    return found or (0, 0)
