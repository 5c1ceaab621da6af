"""The rule units, registered in one place, and :func:`analyze`, which runs them.

Each family module holds its rules' documentation, messages and examples, the hooks it
asks the semantic model for, and a ``finish`` for what needs the whole module. To add a
rule family, write its module (see CONTRIBUTING.md) and list it in ``FAMILIES``.
"""

from __future__ import annotations

import ast
from types import ModuleType
from typing import Optional

from ..model.runner_coverage import RunnerCoverage
from ..model.records import Finding
from ..config.options import Config
from ..model.semantic import Hook, SemanticModel, StateHook
from ..source.lines import LineIndex
from . import contract, metrics, run_access, states, tool_name, web
from .base import Rule

FAMILIES: tuple[ModuleType, ...] = (run_access, metrics, states, tool_name, contract, web)

RULES: tuple[Rule, ...] = tuple(sorted((rule for family in FAMILIES for rule in family.RULES),
                                       key=lambda rule: rule.code))
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

HOOKS: dict[type, list[Hook]] = {}
STATE_HOOKS: list[StateHook] = []
for _family in FAMILIES:
    for _node_type, _functions in _family.hooks.nodes.items():
        HOOKS.setdefault(_node_type, []).extend(_functions)
    STATE_HOOKS.extend(_family.hooks.states)


def analyze(tree: ast.AST, config: Config,
            source: Optional[LineIndex] = None) -> list[Finding]:
    """All findings of one module, sorted and without duplicates. With its ``source``,
    module-level definitions that the prefilter rules out are not walked."""
    model = SemanticModel(tree, config, HOOKS, STATE_HOOKS, source).run()
    coverage = RunnerCoverage(model.accesses, bool(config.metrics_functions),
                              model.used_unwalked)
    found = list(model.findings)
    for family in FAMILIES:
        found += family.finish(model, coverage)
    unique = {(f.line, f.col, f.code): f for f in found}
    return [unique[key] for key in sorted(unique)]
