"""Where a run access inside a runner executes: its covering ``try`` and its helpers' uses.

A run access is *covered* when it lies in the body of an enclosing ``try`` whose
``finally`` calls the metrics function unconditionally. A helper method (used as
``self.<helper>`` elsewhere in its runner class) is covered when every use is; what
holds of a helper is computed once over the class's call graph (:mod:`helpers`).
This module knows no rule: rules ask it where an execution stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

from .helper_graph import HelperGraph
from ..source.statements import Pos
from .records import Access, RunnerFrame, Site, TryFrame, TryStack

# What covers a run access: the covering try, or why none does.
NO_TRY, MISSING, CONDITIONAL = "no-try", "missing", "conditional"
Cover = Union[TryFrame, str]


def cover(trys: TryStack) -> Cover:
    """The innermost enclosing try (body) whose finally records metrics, or why none does."""
    guarded = [frame for frame, part in trys if part == "body" and frame.has_finally]
    for frame in reversed(guarded):
        if frame.unconditional_metrics:
            return frame
    if not guarded:
        return NO_TRY
    return CONDITIONAL if any(f.any_metrics for f in guarded) else MISSING


@dataclass(frozen=True)
class Context:
    """Where a covered execution happens: the access itself, or a call of its helper."""

    frame: RunnerFrame
    start: Pos
    end: Pos  # end of the executing call: its arguments run before the plugin
    trys: TryStack
    cover: Optional[TryFrame]  # the covering try; None for a helper's own body

    @classmethod
    def at_site(cls, site: Site) -> "Context":
        covered = cover(site.trys)
        return cls(site.frame, site.at, site.until, site.trys,
                   covered if isinstance(covered, TryFrame) else None)

    @classmethod
    def at_access(cls, access: Access, frame: RunnerFrame,
                  covered: Optional[Cover]) -> "Context":
        return cls(frame, access.start, access.end, access.trys,
                   covered if isinstance(covered, TryFrame) else None)


Check = Callable[[Context], bool]


class RunnerCoverage:
    """Coverage questions about the run accesses of one module."""

    def __init__(self, accesses: Iterable[Access], metrics_required: bool,
                 unwalked_uses: Callable[[set[str]], set[str]] = lambda names: set(),
                 exported: Callable[[str], bool] = lambda name: False) -> None:
        accesses = list(accesses)
        owners = {a.runner.owner: None for a in accesses
                  if a.runner is not None and a.runner.owner is not None}
        self.graph = HelperGraph(owners)
        self.metrics_required = metrics_required
        self._memo: dict[Check, set[RunnerFrame]] = {}
        candidates = {a.runner: None for a in accesses
                      if a.runner is not None and a.runner.helper_candidate}
        self._unsure = unwalked_uses({f.name for f in candidates})
        # A helper that other modules of the project import: each of their uses is judged
        # there, as an execution (GOV001 where it is not governed), so here those uses
        # count as governed. Asked only of the helpers this module does not cover.
        held = self._holding(_covered_here)
        elsewhere = [f for f in _callers(candidates, self.graph)
                     if f not in held and exported(f.name)]
        if elsewhere:
            self.graph = HelperGraph(owners, [
                (frame.owner, Site(frame.name, (0, 0), (0, 0), (), _ELSEWHERE, governed=True))
                for frame in elsewhere if frame.owner is not None])
            self._memo.clear()

    def in_runner(self, access: Access) -> bool:
        """Is the access part of a runner? A module-level function is, as a helper, when
        every use of its name is covered (through helpers of helpers too)."""
        frame = access.runner
        if frame is None:
            return False
        if not frame.helper_candidate:
            return True
        return frame in self._holding(_covered_here) and frame.name not in self._unsure

    def problem(self, access: Access, frame: RunnerFrame) -> Optional[str]:
        """None when the access (or, for a helper, every use of it) is covered; else
        ``NO_TRY``, ``MISSING`` or ``CONDITIONAL``."""
        covered = self.cover(access)
        if covered is None or isinstance(covered, TryFrame):
            return None
        return self._helper_problem(frame) if self.graph.sites(frame) else covered

    def cover(self, access: Access) -> Optional[Cover]:
        """The access's own cover (None when no metrics are required at all)."""
        return cover(access.trys) if self.metrics_required else None

    def passes(self, check: Check, here: Context) -> bool:
        """The check passes where the plugin executes or, for a helper method, at every
        ``self.<helper>`` use (a helper of a helper: through the call graph, once)."""
        return check(here) or here.frame in self._holding(check)

    def _holding(self, check: Check) -> set[RunnerFrame]:
        if check not in self._memo:
            self._memo[check] = self.graph.holding(
                lambda site: site.governed or check(Context.at_site(site)))
        return self._memo[check]

    def _helper_problem(self, frame: RunnerFrame) -> Optional[str]:
        """None when every use of this helper is covered, else the first problem found."""
        covered = self._holding(_covered_here)
        if frame in covered:
            return None
        for site in self.graph.sites(frame):
            if site.governed:
                continue
            problem = cover(site.trys)
            if not isinstance(problem, TryFrame) and site.frame not in covered:
                return problem
        return None  # pragma: no cover - a frame whose every use is covered is in the set


_ELSEWHERE = RunnerFrame("<another module>", None, None)


def _callers(frames: dict[RunnerFrame, None], graph: HelperGraph) -> list[RunnerFrame]:
    """The helper functions that execute, and the module's helper functions using them
    (to any depth): those whose uses in other modules can decide their coverage."""
    found = dict(frames)
    todo = list(frames)
    while todo:
        for site in graph.sites(todo.pop()):
            frame = site.frame
            if frame.helper_candidate and frame not in found:
                found[frame] = None
                todo.append(frame)
    return list(found)


def _covered_here(here: Context) -> bool:
    return here.cover is not None
