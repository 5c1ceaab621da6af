"""Which module-level functions of the project reach a plugin execution, across modules.

Pysa's way, small: each module-level function has a summary (the run it executes itself,
found by the model's walk of its module, and the project names its body reads, from the
module's summary); a function *reaches* an execution when it executes one or reads a
function that reaches one: a least fixed point over the project's call graph, computed
once per process from the bottom up. The seeds are the functions that execute themselves
(only modules whose text passes the rules' prefilter and holds a module-level ``def`` can
hold one, and only they are walked); each round then looks only at the modules whose text
names a function found in the round before, and adds their functions that read one. A
cycle of functions reaches only what leaves it; nothing recurses, and a module that names
no reaching function is never summarised for this.

A module no other file can import from is not walked for the names (*deferred*,
:mod:`.unseen`): what it reaches stays inside it, so it changes no other module's answer.
A file that could still reach into one (a buffer the project's files do not hold) gets the
answer with every module walked (:meth:`Reach.whole`), and so does :meth:`Reach.of` when
its walk enters one.

An answer is the run reached, as a message names it: ``plugin.run() in app.helpers.execute``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .index import Project
from .records import Def
from .unseen import Parsed, Unseen, top_level_def

# module (and its parse, when made already) -> {module-level function: the run it
# executes itself, as written}
Runs = Callable[[str, Optional[Parsed]], Mapping[str, str]]
Screen = Callable[[str], bool]  # can this text (as the parser reads it: NFKC) hold one?


@dataclass(frozen=True)
class Screens:
    """What the reach asks of a project file's text (as the parser reads it) to find the
    modules that execute a plugin themselves (its seeds): does the rules' prefilter pass
    it (what :meth:`Reach.screened` keeps); passing it, may it execute a plugin itself;
    does it hold the execution rules' own words (then both hold; None: unknown); does any
    class of the project derive elsewhere (the other way a module may run)?"""

    passes: Screen
    may_run: Screen = lambda seen: True
    run_words: Optional[Screen] = None
    derived: Callable[[], bool] = lambda: True


class Reach:
    """The reaching answers of one project, for one configuration (memoised)."""

    def __init__(self, project: Project, runs: Runs, screens: Screens,
                 prefilter: object = None) -> None:
        self.project = project
        self._runs = runs
        self._screens = screens
        self.prefilter = prefilter  # what ``screens.passes`` asks (:meth:`screened` keeps)
        self._screened: dict[str, bool] = {}  # the screen's answer by path
        self._answers: dict[Def, Optional[str]] = {}
        self._own: dict[str, Mapping[str, str]] = {}
        self._names: Optional[frozenset[str]] = None
        self._whole: Optional[dict[Def, str]] = None  # :meth:`whole`'s fixed point
        self._deferred: frozenset[str] = frozenset()  # modules :meth:`names` did not walk
        # of those, the ones whose answers :meth:`of` cannot take from :meth:`names`' yet
        self._pending: frozenset[str] = frozenset()

    def function(self, definition: Def) -> bool:
        """Is this (module, name) a module-level function of the project?"""
        summary = self.project.summary(definition.module) if definition.name else None
        return summary is not None and definition.name in summary["functions"]

    def of(self, definition: Def) -> Optional[str]:
        """The run this function reaches (``None``: none, or no function of the project).
        Top down: only the functions below it are looked at (each once per process). Its
        walk entering a module :meth:`names` deferred, the answers are first made as if
        none was (:meth:`whole`): the ones :meth:`names` gives its functions."""
        while True:
            if definition.module in self._pending:
                self.whole()
            if definition in self._answers:
                return self._answers[definition]
            if not self.function(definition):
                return None
            edges: dict[Def, list[Def]] = {}
            stack = [definition]
            while stack and not (self._pending and stack[-1].module in self._pending):
                node = stack.pop()
                if node not in edges and node not in self._answers:
                    edges[node] = callees = self._callees(node)
                    stack += [callee for callee in callees if callee not in edges]
            if stack:
                self.whole()
                continue
            self._settle(edges)
            return self._answers[definition]

    def _callees(self, node: Def) -> list[Def]:
        module, name = node
        summary = self.project.summary(module)
        if summary is None:
            return []
        found: list[Def] = []
        for used in summary["functions"].get(name, ()):
            target = self._target(module, summary, used)
            if target not in found and self.function(target):
                found.append(target)
        return found

    def _target(self, module: str, summary: Mapping[str, Any], used: str) -> Def:
        if "." not in used and used in summary["functions"]:
            return Def(module, used)
        return self.project.resolve(module, used)

    def _settle(self, edges: dict[Def, list[Def]]) -> None:
        """Answer every discovered function: breadth-first from the executions (and the
        functions answered before) against the calls."""
        callers: dict[Def, list[Def]] = {node: [] for node in edges}
        queue: deque[Def] = deque()
        for node, callees in edges.items():
            own = self._own_runs(node.module).get(node.name)
            self._answers[node] = f"{own} in {node.module}.{node.name}" if own else None
            for callee in callees:
                if callee in callers:
                    callers[callee].append(node)
                elif self._answers[node] is None and self._answers.get(callee):
                    self._answers[node] = self._answers[callee]
            if self._answers[node]:
                queue.append(node)
        while queue:
            node = queue.popleft()
            for caller in callers[node]:
                if self._answers[caller] is None:
                    self._answers[caller] = self._answers[node]
                    queue.append(caller)

    def _own_runs(self, module: str, parsed: Optional[Parsed] = None) -> Mapping[str, str]:
        if module not in self._own:
            self._own[module] = self._runs(module, parsed)
        return self._own[module]

    def names(self) -> frozenset[str]:
        """The names of the functions that reach an execution: a module whose text fails
        the rules' prefilter but names one may call it (and so execute). Bottom up, once:
        the functions of the modules the rules' prefilter passes that execute themselves,
        then, round by round, the functions of the modules whose text names one found in
        the round before and that read it. Modules no other file can import from are left
        out (:mod:`.unseen`, :meth:`deferred`)."""
        if self._names is None:
            unseen = Unseen(self.project)
            found = self._rounds(self._seeds(unseen))
            self._deferred = frozenset(unseen.found)
            # a function of theirs answered already (a walk from a file the project does
            # not hold): its answer is the one the whole fixed point gives
            entered = any(node.module in self._deferred for node in self._answers)
            self._answers.update(found)
            self._pending = self._deferred
            self._names = frozenset(name for _, name in found)
            if entered or self._whole is not None:
                self.whole()
        return self._names

    def deferred(self) -> frozenset[str]:
        """The modules :meth:`names` left out: a file naming one's stem and one of its
        functions (:func:`.unseen.exported`) asks :meth:`whole` instead."""
        self.names()
        return self._deferred

    def whole(self) -> frozenset[str]:
        """The names with no module left out. When :meth:`names` was made in this process,
        its answers become this fixed point's, as if it had left nothing out."""
        if self._whole is None:
            self._whole = self._rounds(self._seeds(None))
        if self._names is not None and self._pending:
            self._answers.update(self._whole)
        self._pending = frozenset()
        return frozenset(name for _, name in self._whole)

    def _seeds(self, unseen: Optional[Unseen]) -> dict[Def, str]:
        """The functions that execute themselves, in the modules that may (:meth:`_seed`)
        and have a module-level function, and, with ``unseen``, that another file can import
        from (asked once every file is read)."""
        project = self.project
        passing: list[tuple[Path, str, bytes]] = []
        for path, data, seen in project.as_read():
            module = project.module_of(path)
            if module is None:
                continue
            if unseen is not None:
                unseen.saw(data)
            if self._seed(str(path), seen) and top_level_def(data):
                passing.append((path, module, data))
        found: dict[Def, str] = {}
        for path, module, data in passing:
            if unseen is not None and unseen.worth_looking(data) \
                    and unseen.defers(module, path, data):
                continue
            parsed = unseen.parsed.pop(module, None) if unseen is not None else None
            for name, run in self._own_runs(module, parsed).items():
                found[Def(module, name)] = f"{run} in {module}.{name}"
        return found

    def _seed(self, path: str, seen: str) -> bool:
        """Does the prefilter pass this project file, and may it run (a test suite passing
        the prefilter by a ``@mock.patch(`` that looks like a route may not)? With the
        execution rules' words, both; without, only by naming a derived class: where no class
        derives, those words alone are searched (a third of the prefilter's, by default)."""
        screens = self._screens
        if screens.run_words is not None:
            if screens.run_words(seen):
                self._screened[path] = True
                return True
            if not screens.derived():
                return False
        passes = self._screened[path] = screens.passes(seen)
        return passes and screens.may_run(seen)

    def screened(self, path: str, text: str) -> Optional[bool]:
        """What the screen said of the project's file at ``path`` (absolute), when ``text``
        is its bytes as UTF-8 (None: not screened, or other bytes): the gate lints a
        project's files after the names read them all, and need not search each again."""
        passes = self._screened.get(path)
        data = self.project.read(path) if passes is not None else None
        try:
            return passes if data is not None and text.encode("utf-8") == data else None
        except UnicodeEncodeError:  # a lone surrogate: no file's bytes decode to it
            return None

    def _rounds(self, found: dict[Def, str]) -> dict[Def, str]:
        """The seeds' callers, round by round (see :meth:`names`)."""
        project = self.project
        new = set(found)
        while new:
            words = {name.encode() for _, name in new}
            new = set()
            for path in project.named(*words):
                caller = project.module_of(path)
                summary = project.summary(caller) if caller is not None else None
                if caller is None or summary is None:
                    continue
                for name, used in summary["functions"].items():
                    if (caller, name) in found:
                        continue
                    targets = (self._target(caller, summary, u) for u in used)
                    reached = next((found[t] for t in targets if t in found), None)
                    if reached is not None:
                        found[Def(caller, name)] = reached
                        new.add(Def(caller, name))
        return found
