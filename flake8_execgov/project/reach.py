"""Which module-level functions of the project reach a plugin execution, across modules.

Pysa's way, small: each module-level function has a summary (the run it executes itself,
found by the model's walk of its module, and the project names its body reads, from the
module's summary); a function *reaches* an execution when it executes one or reads a
function that reaches one: a least fixed point over the project's call graph, computed
once per process from the bottom up. The seeds are the functions that execute themselves
(only modules whose text passes the rules' prefilter can hold one, and only they are
walked); each round then looks only at the modules whose text names a function found in
the round before, and adds their functions that read one. A cycle of functions reaches
only what leaves it; nothing recurses, and a module that names no reaching function is
never summarised for this.

An answer is the run reached, as a message names it: ``plugin.run() in app.helpers.execute``.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Optional

from .index import Def, Project

# module -> {module-level function: the run it executes itself, as written}
Runs = Callable[[str], Mapping[str, str]]
Screen = Callable[[str], bool]


class Reach:
    """The reaching answers of one project, for one configuration (memoised)."""

    def __init__(self, project: Project, runs: Runs, screen: Screen) -> None:
        self.project = project
        self._runs = runs
        self._screen = screen
        self._answers: Optional[dict[Def, str]] = None
        self._names: frozenset[str] = frozenset()
        self._imported: dict[Def, bool] = {}

    def of(self, definition: Def) -> Optional[str]:
        """The run this function reaches (``None``: none, or no function of the project)."""
        return self._settled().get(definition)

    def names(self) -> frozenset[str]:
        """The names of the functions that reach an execution: a module whose text fails
        the rules' prefilter but names one may call it (and so execute)."""
        self._settled()
        return self._names

    def _settled(self) -> dict[Def, str]:
        if self._answers is None:
            self._answers = self._fixed_point()
            self._names = frozenset(name for _, name in self._answers)
        return self._answers

    def _fixed_point(self) -> dict[Def, str]:
        project = self.project
        found: dict[Def, str] = {}
        for path, data in project.texts(_ANY):
            module = project.module_of(path)
            if module is None or not self._screen(data.decode("utf-8", "replace")):
                continue
            for name, run in self._runs(module).items():
                found[(module, name)] = f"{run} in {module}.{name}"
        new = set(found)
        while new:
            words = sorted({name for _, name in new})
            pattern = re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words)
                                 + rb")\b")
            new = set()
            for path, _ in project.texts(pattern):
                caller = project.module_of(path)
                summary = project.summary(caller) if caller is not None else None
                if caller is None or summary is None:
                    continue
                for name, used in summary["functions"].items():
                    if (caller, name) in found:
                        continue
                    reached = self._reached(caller, summary, used, found)
                    if reached is not None:
                        found[(caller, name)] = reached
                        new.add((caller, name))
        return found

    def _reached(self, module: str, summary: Mapping[str, object], used: list[str],
                 found: dict[Def, str]) -> Optional[str]:
        """The run one of ``used`` (names a function body reads) reaches, if any."""
        functions = summary["functions"]
        assert isinstance(functions, dict)
        for name in used:
            if "." not in name and name in functions:
                target: Def = (module, name)
            else:
                target = self.project.resolve(module, name)
            if target in found:
                return found[target]
        return None

    def imported_elsewhere(self, definition: Def) -> bool:
        """Does another module of the project import this function (``from m import f``,
        ``import m`` ... ``m.f``, through re-exports too)? Its uses there are judged there.
        The files whose text names it are found with one search; their names are resolved
        in their own summaries. An import counts as a use (an ``__init__`` re-export too);
        a file flake8 excludes does not count."""
        if definition in self._imported:
            return self._imported[definition]
        project, (module, name) = self.project, definition
        word = re.compile(rb"((?:\w+\s*\.\s*)*)\b" + re.escape(name.encode()) + rb"\b")
        found = False
        for path, data in project.texts(word):
            importer = project.module_of(path)
            if found or importer is None or importer == module or project.unlinted(path):
                continue  # a use in a file nobody lints is judged nowhere
            for match in word.finditer(data):
                written = re.sub(rb"\s+", b"", match.group(0)).decode("utf-8", "replace")
                if project.resolve(importer, written) == definition:
                    found = True
                    break
        self._imported[definition] = found
        return found


_ANY = re.compile(rb"")
