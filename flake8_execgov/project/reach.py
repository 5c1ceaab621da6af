"""Which module-level functions of the project reach a plugin execution, across modules.

Pysa's way, small: each module-level function has a summary (the run it executes itself,
found by the model's walk of its module, and the project names its body reads, from the
module's summary); a function *reaches* an execution when it executes one or reads a
function that reaches one, a least fixed point over the project's call graph. A question
about one function discovers only the part of the graph below it (each function once,
with an explicit stack: no recursion, whatever the depth), settles all of it at once
(cycles included: a cycle reaches only what leaves it), and memoises every answer.

The answer is the run reached, as a message names it: ``plugin.run() in app.helpers.execute``
(an execution it reaches, found breadth-first from the executions against the calls).
"""

from __future__ import annotations

import re
from collections import deque
from typing import Callable, Mapping, Optional

from .index import Def, Project

# module -> {module-level function: the run it executes itself, as written}
Runs = Callable[[str], Mapping[str, str]]


class Reach:
    """The reaching answers of one project, for one configuration (memoised)."""

    def __init__(self, project: Project, runs: Runs) -> None:
        self.project = project
        self._runs = runs
        self._answers: dict[Def, Optional[str]] = {}
        self._own: dict[str, Mapping[str, str]] = {}
        self._imported: dict[Def, bool] = {}
        self._names: Optional[frozenset[str]] = None

    def function(self, definition: Def) -> bool:
        """Is this (module, name) a module-level function of the project?"""
        summary = self.project.summary(definition[0]) if definition[1] else None
        return summary is not None and definition[1] in summary["functions"]

    def of(self, definition: Def) -> Optional[str]:
        """The run this function reaches (``None``: none, or no function of the project)."""
        if definition in self._answers:
            return self._answers[definition]
        if not self.function(definition):
            return None
        edges = self._discover(definition)
        self._settle(edges)
        return self._answers[definition]

    def _discover(self, start: Def) -> dict[Def, list[Def]]:
        """The functions below ``start`` not answered yet, with their callees."""
        edges: dict[Def, list[Def]] = {}
        stack = [start]
        while stack:
            node = stack.pop()
            if node in edges or node in self._answers:
                continue
            edges[node] = callees = self._callees(node)
            stack += [callee for callee in callees if callee not in edges]
        return edges

    def _callees(self, node: Def) -> list[Def]:
        module, name = node
        summary = self.project.summary(module)
        if summary is None:
            return []
        found: list[Def] = []
        for used in summary["functions"].get(name, ()):
            if "." not in used and used in summary["functions"]:
                target: Def = (module, used)
            else:
                target = self.project.resolve(module, used)
            if target not in found and self.function(target):
                found.append(target)
        return found

    def _settle(self, edges: dict[Def, list[Def]]) -> None:
        """Answer every discovered function: breadth-first from the executions, against
        the calls, so each function takes the run nearest to it."""
        callers: dict[Def, list[Def]] = {node: [] for node in edges}
        queue: deque[Def] = deque()
        for node, callees in edges.items():
            own = self._own_runs(node[0]).get(node[1])
            self._answers[node] = f"{own} in {node[0]}.{node[1]}" if own else None
            if own:
                queue.append(node)
            for callee in callees:
                if callee in callers:
                    callers[callee].append(node)
                elif self._answers.get(callee) and not own:
                    self._answers[node] = self._answers[callee]  # settled in an earlier call
        queued = set(queue)
        queue.extend(node for node in edges if self._answers[node] and node not in queued)
        while queue:
            node = queue.popleft()
            for caller in callers[node]:
                if self._answers[caller] is None:
                    self._answers[caller] = self._answers[node]
                    queue.append(caller)

    def _own_runs(self, module: str) -> Mapping[str, str]:
        if module not in self._own:
            self._own[module] = self._runs(module)
        return self._own[module]

    def imported_elsewhere(self, definition: Def) -> bool:
        """Does another module of the project import this function (``from m import f``,
        ``import m`` ... ``m.f``, through re-exports too)? Its uses there are judged there.
        The files whose text names it are found with one search; their names are resolved
        in their own summaries. An import counts as a use (an ``__init__`` re-export too)."""
        if definition in self._imported:
            return self._imported[definition]
        project, (module, name) = self.project, definition
        word = re.compile(rb"((?:\w+\s*\.\s*)*)\b" + re.escape(name.encode()) + rb"\b")
        found = False
        for path, data in project.texts(word):
            importer = project.module_of(path)
            if found or importer is None or importer == module:
                continue
            for match in word.finditer(data):
                written = re.sub(rb"\s+", b"", match.group(0)).decode("utf-8", "replace")
                if project.resolve(importer, written) == definition:
                    found = True
                    break
        self._imported[definition] = found
        return found

    def names(self, screen: Callable[[str], bool]) -> frozenset[str]:
        """The names of the project's functions that reach an execution: a module whose
        text fails the rules' prefilter but names one may call it (and so execute). From
        the modules the ``screen`` passes (only they can execute), then the modules whose
        text names a function found so far, to a fixed point (each module once)."""
        if self._names is not None:
            return self._names
        found: set[str] = set()
        done: set[str] = set()
        pattern: Optional[re.Pattern[bytes]] = None
        while True:
            new: set[str] = set()
            for path, data in self.project.texts(pattern or _ANY):
                module = self.project.module_of(path)
                if module is None or module in done or \
                        (pattern is None and not screen(data.decode("utf-8", "replace"))):
                    continue
                done.add(module)
                summary = self.project.summary(module)
                for name in summary["functions"] if summary is not None else ():
                    if name not in found and self.of((module, name)) is not None:
                        new.add(name)
            if not new:
                break
            found |= new
            pattern = re.compile(rb"\b(?:" + b"|".join(
                re.escape(n.encode()) for n in sorted(new)) + rb")\b")
        self._names = frozenset(found)
        return self._names


_ANY = re.compile(rb"")
