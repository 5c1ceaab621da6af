"""Metrics (contract section 3, GOV003): the ``finally`` around a plugin execution records
metrics unconditionally.

A statement whose value is the metrics call, directly in the ``finally`` or nested only in
``with`` blocks or a nested ``try`` body, is unconditional (a guard that logs a failing
metrics call is fine); under ``if``, a loop or an ``except`` handler it is conditional. The
semantic model knows which ``finally`` records metrics; this unit judges the executions
that the nearest ``try/finally`` leaves unrecorded. With ``execgov-metrics-functions``
empty there is no metrics requirement and no finding.
"""

from __future__ import annotations

from typing import Iterable

from ..model.runner_coverage import CONDITIONAL, MISSING, RunnerCoverage
from ..model.records import Finding
from ..model.semantic import SemanticModel
from .base import executions, CONFORMING_RUNNER, RUNNER_OPTIONS, Hooks, Rule, access_text, broken

GOV003 = Rule(
    code="GOV003", title="finally does not record metrics unconditionally",
    template="the finally around {access} {problem}; call {metrics}() unconditionally in the finally",
    where="the run access",
    what="The `finally` covering a run access must call the metrics function unconditionally: "
    "a statement whose value is the call (also awaited, wrapped in another call, or "
    "returned), directly in the `finally` or nested only in "
    "`with` blocks or a `try` body. A call of a helper (`self._record()`, a module-level "
    "function) that itself calls it on every path, directly or through helpers, counts "
    "the same. The message says `is missing the metrics call` when "
    "there is none and `makes the metrics call conditional` when it sits under `if`, a "
    "loop or an `except` handler.",
    why="Metrics recorded only on some paths undercount failures, exactly the executions "
    "operators need to see.",
    example=broken("            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n",
                   "            if self.metrics_enabled:\n"
                   "                update_execution_metrics(name, \"INITIALIZED\", 0, False)\n"),
    fixed=CONFORMING_RUNNER,
    options=RUNNER_OPTIONS + ("metrics-functions",), fix="unsafe",
    fix_note="same fix as GOV002 when the call sits at the end of the `try` body.",
    invalid=(broken("            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n",
                    "            self.log(name)\n"),))

PROBLEMS = {
    MISSING: "is missing the metrics call",
    CONDITIONAL: "makes the metrics call conditional",
}

RULES = (GOV003,)
hooks = Hooks(needs=executions)


@hooks.at_end
def finish(model: SemanticModel, coverage: RunnerCoverage) -> Iterable[Finding]:
    metrics = model.config.metrics_functions.first
    for access in model.accesses:
        if access.runner is not None and access.kind == "run" and coverage.in_runner(access):
            problem = coverage.problem(access, access.runner)
            if problem in PROBLEMS:
                yield GOV003.at(access.node, access=access_text(access), metrics=metrics,
                                problem=PROBLEMS[problem])
