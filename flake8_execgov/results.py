"""What a module reports, kept on disk: a warm run reads it instead of walking the module.

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
is the answer.

Only what flake8 reports is kept (line, column, code, message): the fixer, the baseline
command and the language server need the syntax nodes and always walk.
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import replace
from typing import Any, Optional, Sequence

from .baseline import Baseline
from .config.options import Config
from .engine import analyse, worth_parsing
from .model.noqa_regions import NoqaRegions
from .model.records import Finding
from .project.cache import cache_key, salt_for
from .project.pack import Pack
from .project.facts import facts_with, live_imports
from .project.index import Project
from .rules import prefilter_for
from .source.lines import char_col

# line, column (characters, 0-based), code, message, and the lines to tokenize for its
# ``# noqa`` (:mod:`model.noqa_regions`; (0, 0): the whole file), kept for the gate, which
# reads kept findings without a tree
Reported = tuple[int, int, str, str, tuple[int, int]]
_PYTHON = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}"


def reported(tree: ast.AST, lines: Sequence[str], config: Config, *,
             baseline: Optional[Baseline] = None, filename: str = "",
             project: Optional[Project] = None) -> list[Reported]:
    """The module's findings as flake8 reports them: kept ones when they still hold, else
    walked (and kept for the next run)."""
    place = _place(config, baseline, filename, project)
    if place is None or project is None:
        return _as_reported(tree, lines, analyse(tree, lines, config, baseline=baseline,
                                                 filename=filename, project=project))
    if _MISSED[0] is lines:  # the gate asked just before (:func:`kept`), and it missed
        key, found = _MISSED[1], None
    else:
        key = _key(lines, config, project, place)
        if key is None:
            return []  # its text names nothing the rules know (the engine's own answer)
        found = _kept(place, key, project, filename)
    _MISSED[:] = [None, ""]
    if found is not None:
        return found
    imports, receivers = live_imports(tree)
    facts = facts_with(project, filename, imports, receivers, prefilter_for(project.config),
                       (tree, "".join(lines)))
    asked: dict[str, bool] = {}

    def exported(name: str) -> bool:
        if name not in asked:
            asked[name] = facts.exported(name)
        return asked[name]

    found = _as_reported(tree, lines, analyse(tree, lines, config, baseline=baseline,
                                              filename=filename, project=project,
                                              facts=replace(facts, exported=exported)))
    entry = {"key": key, "imports": [list(entry) for entry in imports],
             "receivers": receivers, "facts": facts.identity(), "asked": asked,
             "found": [[*item[:4], *item[4]] for item in found]}
    assert project.cache is not None  # a place is only made with a cache
    place[0].put(place[1], project.cache.seal_found(place[0].salt, place[1], entry))
    return found


def kept(lines: Sequence[str], config: Config, *, baseline: Optional[Baseline] = None,
         filename: str = "", project: Optional[Project] = None) -> Optional[list[Reported]]:
    """The module's findings when they are kept and still hold, none when the prefilter
    rules the module out (None: walk it). The gate asks before it parses the module."""
    place = _place(config, baseline, filename, project)
    if place is None or project is None:
        return None if worth_parsing("".join(lines), config, project) else []
    key = _key(lines, config, project, place)
    found = [] if key is None else _kept(place, key, project, filename)
    if found is None:
        _MISSED[:] = [lines, key]  # the walk that follows need not ask again
    return found


# the lines (the object) :func:`kept` last missed, and their key
_MISSED: list[Any] = [None, ""]


# where a module's entry is: the document for these settings, the module's absolute path,
# and what the baseline records for it
_Place = tuple[Pack, str, str]


def _place(config: Config, baseline: Optional[Baseline], filename: str,
           project: Optional[Project]) -> Optional[_Place]:
    """None without a project or a cache, or for a module without a name (stdin without
    ``--stdin-display-name``)."""
    if project is None or project.cache is None or not filename:
        return None
    settings = _salt(config)
    if settings != project.salt:
        settings = f"{settings}|{project.salt}"
    recorded = baseline.identity_for(filename) if baseline is not None else ""
    pack = project.cache.pack(f"{settings}:results:{_PYTHON}:{project.root}")
    return pack, os.path.abspath(filename), recorded


_SALTS: dict[int, tuple[Config, str]] = {}


def _salt(config: Config) -> str:
    """The configuration's part of a key, once per configuration (not per module)."""
    known = _SALTS.get(id(config))
    if known is None or known[0] is not config:
        known = _SALTS[id(config)] = (config, salt_for(config))
    return known[1]


def _key(lines: Sequence[str], config: Config, project: Project, place: _Place) -> Optional[str]:
    """What the entry must name to be this module's (None: the prefilter rules the module
    out, nothing to keep): its text and what the baseline records for it."""
    text = "".join(lines)
    if not worth_parsing(text, config, project):
        return None
    return cache_key(text.encode("utf-8", "surrogatepass"), place[2])


def _kept(place: _Place, key: str, project: Project, filename: str) -> Optional[list[Reported]]:
    entry = place[0].get(place[1])  # None unless this machine wrote it (cache.trusted)
    if entry is None or entry["key"] != key:
        return None
    imports = [(a, b, c, d) for a, b, c, d in entry["imports"]]
    facts = facts_with(project, filename, imports, list(entry["receivers"]),
                       prefilter_for(project.config))
    if facts.identity() != entry["facts"] or any(
            facts.exported(name) is not answer for name, answer in entry["asked"].items()):
        return None  # another module changed what this one's imports are
    return [(line, col, code, message, (first, last))
            for line, col, code, message, first, last in entry["found"]]


def _as_reported(tree: ast.AST, lines: Sequence[str], found: list[Finding]) -> list[Reported]:
    regions = NoqaRegions(tree, lines) if found and isinstance(tree, ast.Module) else None
    return [(f.line, char_col(lines, f.line, f.col), f.code, f.message,
             _region(regions, f.line, len(lines))) for f in found]


def _region(regions: Optional[NoqaRegions], line: int, count: int) -> tuple[int, int]:
    found = regions.region(line) if regions is not None and 0 < line <= count else None
    return found or (0, 0)
