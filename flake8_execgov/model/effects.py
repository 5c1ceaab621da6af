"""What a runner's helpers do for it: record metrics, validate, build the error envelope.

``finally: self._record(name)``, where ``_record`` calls the metrics function on every
path, records metrics as surely as the call written in the ``finally`` itself; so does a
module-level helper, and a helper of a helper. Likewise an input validator, an output
validator or an envelope builder called inside a helper counts where the helper is
called. What each helper does is a property of the runner's call graph (the
``self.<method>`` and module-function uses the walk recorded as :class:`Site` entries),
propagated once from the helpers that do it themselves to their callers, with a
worklist: linear in helpers and uses, no recursion.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Callable, Iterable, Optional, Sequence

from .nodes import TRY_TYPES
from .records import RunnerClass, RunnerFrame, Site, TryFrame
from .vocabulary import Vocabulary

# A helper called by name: (``self.<method>`` of the runner class, else a module function).
HelperCall = tuple[bool, str]


def unconditional_calls(body: Sequence[ast.stmt], vocab: Vocabulary, self_name: Optional[str],
                        functions: frozenset[str]) -> tuple[bool, list[HelperCall]]:
    """(does ``body`` call the metrics function on every path, the helpers it calls on
    every path). A statement counts whose value is the call (also awaited, wrapped in
    another call whose arguments run, or returned), directly in ``body`` or nested only in
    ``with`` blocks or a nested ``try`` body/finally (a guard around the call is fine)."""
    helpers: list[HelperCall] = []
    stack = list(body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            stack.extend(stmt.body)
        elif isinstance(stmt, TRY_TYPES):
            stack.extend(stmt.body + stmt.finalbody)
        elif isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) \
                and stmt.value is not None:
            if calls_metrics(stmt.value, vocab):
                return True, []
            value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            helper = helper_call(value.func, self_name, functions) \
                if isinstance(value, ast.Call) else None
            if helper is not None:
                helpers.append(helper)
    return False, helpers


def calls_metrics(value: ast.expr, vocab: Vocabulary) -> bool:
    """The value is the metrics call, awaited or not, or a call wrapping it
    (``await asyncio.shield(update_execution_metrics(...))``): its arguments run."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Await):
            stack.append(item.value)
        elif isinstance(item, ast.Call):
            if vocab.is_metrics_function(item.func):
                return True
            stack.extend(item.args)
    return False


def helper_call(func: ast.expr, self_name: Optional[str],
                functions: frozenset[str]) -> Optional[HelperCall]:
    """``self.<method>`` (``self_name`` the method's first parameter) or a module function."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and self_name is not None and func.value.id == self_name:
        return (True, func.attr)
    if isinstance(func, ast.Name) and func.id in functions:
        return (False, func.id)
    return None


class Effects:
    """The helper calls whose effect is known only once the module is complete."""

    def __init__(self) -> None:
        self.finally_helpers: list[tuple[TryFrame, RunnerFrame, list[HelperCall]]] = []
        self.handler_helpers: list[tuple[list[TryFrame], RunnerFrame, HelperCall]] = []

    def resolve(self, classes: Iterable[RunnerClass], module: RunnerClass, vocab: Vocabulary,
                functions: frozenset[str]) -> None:
        """Settle what each helper does, then what that means where it is called."""
        owners = [*classes, module]
        by_name = {(owner, f.name): f for owner in owners for f in owner.frames}

        def target(frame: RunnerFrame, call: HelperCall) -> Optional[RunnerFrame]:
            owner = frame.owner if call[0] else module
            return by_name.get((owner, call[1])) if owner is not None else None

        # each recorded use of a helper with the helper it uses
        uses = [(site, callee) for owner in owners for site in owner.sites
                if (callee := by_name.get((owner, site.method))) is not None
                and callee is not site.frame]
        _propagate(uses, lambda f: bool(f.inputs),
                   lambda site: site.frame.inputs.append(site.at))
        _propagate(uses, lambda f: bool(f.outputs),
                   lambda site: site.frame.outputs.append((site.at, site.until, site.trys)))
        _propagate(uses, lambda f: f.builds_envelope,
                   lambda site: setattr(site.frame, "builds_envelope", True))
        for frames, frame, call in self.handler_helpers:
            helper = target(frame, call)
            if helper is not None and helper.builds_envelope:
                for try_frame in frames:
                    try_frame.envelope_handler = True
        if self.finally_helpers:
            recording = _recording(by_name.values(), target, vocab, functions)
            for try_frame, frame, calls in self.finally_helpers:
                if any(helper in recording for helper in
                       (target(frame, call) for call in calls) if helper is not None):
                    try_frame.unconditional_metrics = try_frame.any_metrics = True


def _propagate(uses: Sequence[tuple[Site, RunnerFrame]], has: Callable[[RunnerFrame], bool],
               apply: Callable[[Site], None]) -> None:
    """From the helpers that have a property to every use of them, caller by caller."""
    calls: dict[RunnerFrame, list[Site]] = defaultdict(list)
    todo: list[RunnerFrame] = []
    done: set[RunnerFrame] = set()
    for site, callee in uses:
        calls[callee].append(site)
        if callee not in done and has(callee):
            done.add(callee)
            todo.append(callee)
    while todo:
        for site in calls.get(todo.pop(), ()):
            apply(site)
            if site.frame not in done and has(site.frame):
                done.add(site.frame)
                todo.append(site.frame)


def _recording(frames: Iterable[RunnerFrame], target: Callable[[RunnerFrame, HelperCall],
                                                               Optional[RunnerFrame]],
               vocab: Vocabulary, functions: frozenset[str]) -> set[RunnerFrame]:
    """The helpers that call the metrics function on every path, themselves or
    through helpers they call on every path (a least fixpoint: cycles do not record)."""
    callers: dict[RunnerFrame, list[RunnerFrame]] = defaultdict(list)
    todo: list[RunnerFrame] = []
    for frame in frames:
        records, helpers = unconditional_calls(frame.body, vocab, frame.self_name, functions)
        if records:
            todo.append(frame)
        for call in helpers:
            callee = target(frame, call)
            if callee is not None:
                callers[callee].append(frame)
    done = set(todo)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in done:
                done.add(caller)
                todo.append(caller)
    return done
