"""The rule units, registered in one place; :func:`analyze` runs them, and
:func:`prefilter_for` builds the prefilter from what they need.

Each family module holds its rules' documentation, messages and examples (``RULES``), and
its ``hooks``: the text a file must contain for it to find anything, the node types it
asks the semantic model for, and what it judges once the module is complete. A family is
registered by existing: every module of this package with ``RULES`` and ``hooks`` is one,
so adding a rule touches its own module and its test fixture only (CONTRIBUTING.md).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from types import ModuleType
from typing import Optional

from ..config.options import Config
from ..config.prefilter import Prefilter, prefilter
from ..model.imported import NO_FACTS, ProjectFacts
from ..model.records import Finding
from ..model.runner_coverage import RunnerCoverage
from ..model.semantic import Dispatch, Hook, SemanticModel, StateHook
from ..source.lines import LineIndex
from .base import Finish, Hooks, Rule, executions


_SUPPORT = frozenset(("base", "docs"))  # what rules are made of, and their documentation


def _families() -> tuple[ModuleType, ...]:
    """The modules of this package that are rule families, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name in _SUPPORT:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "hooks", None), Hooks) and hasattr(module, "RULES"):
            found.append(module)
    return tuple(found)


FAMILIES = _families()

RULES: tuple[Rule, ...] = tuple(sorted((rule for family in FAMILIES for rule in family.RULES),
                                       key=lambda rule: rule.code))
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

HOOKS: dict[type, list[Hook]] = {}
STATE_HOOKS: list[StateHook] = []
FINISHERS: list[Finish] = []
for _family in FAMILIES:
    for _node_type, _functions in _family.hooks.nodes.items():
        HOOKS.setdefault(_node_type, []).extend(_functions)
    STATE_HOOKS.extend(_family.hooks.states)
    FINISHERS.extend(_family.hooks.finishers)
DISPATCH = Dispatch(HOOKS, STATE_HOOKS)


def prefilter_for(config: Config) -> Optional[Prefilter]:
    """What a file must contain for any registered rule to find anything in it, with this
    configuration (None: every file can). Built by whoever starts a run, once (it costs
    about as much as walking a small module): :class:`run.Run` and the project keep it."""
    return prefilter((family.hooks.needs(config) for family in FAMILIES),
                     runs=executions(config))


def analyze(tree: ast.AST, config: Config, source: Optional[LineIndex] = None,
            facts: ProjectFacts = NO_FACTS,
            prefilter: Optional[Prefilter] = None) -> list[Finding]:
    """All findings of one module, sorted and without duplicates. With its ``source`` and
    the run's ``prefilter``, module-level definitions that the prefilter rules out are not
    walked; ``facts``: what its imports are in the rest of the project."""
    found_prefilter = prefilter if source is not None else None
    model = SemanticModel(tree, config, DISPATCH, source, found_prefilter, facts).run()
    coverage = RunnerCoverage(model.accesses, bool(config.metrics_functions),
                              model.used_unwalked, model.facts.exported)
    found = list(model.findings)
    for finish in FINISHERS:
        found += finish(model, coverage)
    unique = {(f.line, f.col, f.code): f for f in found}
    return [unique[key] for key in sorted(unique)]
