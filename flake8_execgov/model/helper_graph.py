"""Runner helper methods: what holds of a helper is a property of the class's call graph.

A helper method (``self._execute(...)`` from another method of the runner class) satisfies
a requirement when every ``self.<helper>`` use does, either right there or because the
method holding that use satisfies it in turn. That is a least fixpoint over the graph of
uses, computed here once per requirement with a worklist: linear in methods + uses, with
no recursion (a chain of 1,000 helpers or a lattice of ``a() or b()`` calls costs what a
chain of two does). Cycles that nothing outside covers do not hold.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from .records import RunnerClass, RunnerFrame, Site


class HelperGraph:
    """The ``self.<method>`` uses of some runner classes, grouped once by method."""

    def __init__(self, owners: Iterable[RunnerClass],
                 more: Iterable[tuple[RunnerClass, Site]] = ()) -> None:
        """``more``: uses the classes' records do not hold (a module-level helper used in
        another module of the project, :mod:`runner_coverage`), by the class they are of."""
        self._uses: dict[tuple[RunnerClass, str], list[Site]] = defaultdict(list)
        self._frames: dict[RunnerFrame, None] = {}  # in the order first seen
        extra: dict[RunnerClass, list[Site]] = defaultdict(list)
        for holder, site in more:
            extra[holder].append(site)
        for owner in owners:
            generators = {f.name for f in owner.frames if f.generator}
            for site in [*owner.sites, *extra.get(owner, ())]:
                for use in _where_it_runs(site, generators):
                    self._uses[(owner, site.method)].append(use)
                self._frames[site.frame] = None
            for frame in owner.frames:
                self._frames[frame] = None

    def sites(self, frame: RunnerFrame) -> list[Site]:
        """Uses of this method as ``self.<method>`` elsewhere in its runner class."""
        if frame.owner is None:
            return []
        return [s for s in self._uses.get((frame.owner, frame.name), ())
                if s.frame is not frame]

    def holding(self, at_site: Callable[[Site], bool]) -> set[RunnerFrame]:
        """The methods that are used, and whose every use satisfies ``at_site`` or
        lies in a method that holds (the least fixpoint)."""
        pending: dict[RunnerFrame, int] = {}
        # method -> the methods waiting on it
        waiting: dict[RunnerFrame, list[RunnerFrame]] = defaultdict(list)
        ready: list[RunnerFrame] = []
        for frame in self._frames:
            sites = self.sites(frame)
            if not sites:
                continue
            unmet = [s for s in sites if not at_site(s)]
            pending[frame] = len(unmet)
            for site in unmet:
                waiting[site.frame].append(frame)
            if not unmet:
                ready.append(frame)
        held: set[RunnerFrame] = set()
        while ready:
            frame = ready.pop()
            held.add(frame)
            for waiter in waiting.pop(frame, ()):
                pending[waiter] -= 1
                if pending[waiter] == 0:
                    ready.append(waiter)
        return held


def _where_it_runs(site: Site, generators: set[str]) -> list[Site]:
    """A generator helper's body runs where the caller iterates its result
    (``gen = self._rows(x)`` ... ``for row in gen:`` / ``next(gen)``), not at the call."""
    if site.method not in generators or site.holder is None:
        return [site]
    iterations = site.frame.iterations.get(site.holder)
    if not iterations:
        return [site]
    return [Site(site.method, at, at, trys, site.frame) for at, trys in iterations]
