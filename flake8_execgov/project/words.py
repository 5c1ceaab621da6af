"""Words a module's text must hold for the project to change its findings: the prefilter's
part of the project (:func:`engine.worth_parsing`), read from texts, never parsed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..config.names import literal_runs
from .answers import lasting
from .index import Project
from .records import Def
from .summaries import FanOut


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


def derived_names(project: Project, fan_out: Optional[FanOut] = None) -> frozenset[str]:
    """Names of the project's classes deriving, through other modules, from a plugin type,
    a runner class or a lifecycle enum: a module naming one may hold findings that its
    text alone would not show. A fixed point over the files whose text declares a class
    with a base named so far (only those are summarised: each round's by ``fan_out``
    when given, :meth:`Project.summarise`)."""
    return lasting(project, "derived", lambda: _derived(project, fan_out))


def _derived(project: Project, fan_out: Optional[FanOut]) -> frozenset[str]:
    cfg = project.config
    matchers = [m for m in (cfg.plugin_types, cfg.runner_classes, cfg.lifecycle_enums) if m]
    words = {_word(p) for m in matchers for p in m.patterns} - {b""}
    found: set[str] = set()
    done: set[Path] = set()
    while words:
        pattern = re.compile(rb"class\s+\w+\s*\([^)]*(?:" + b"|".join(sorted(words)) + rb")")
        words = set()
        texts = [(path, project.module_of(path), data) for path, data in project.texts(pattern)
                 if path not in done]
        if fan_out is not None:  # the module's own file (not one its name resolves past)
            project.summarise([(m, data) for path, m, data in texts
                               if m is not None and project.path_of(m) == path], fan_out)
        for path, module, _ in texts:
            if module is None:
                continue
            done.add(path)
            summary = project.summary(module)
            for name in summary["classes"] if summary is not None else ():
                if name not in found and any(project.derives(Def(module, name), m) for m in matchers):
                    found.add(name)
                    words.add(rb"\b" + re.escape(name.encode()) + rb"\b")
    return frozenset(found)


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
