"""States (contract section 3, GOV004/GOV005): only lifecycle states reach the metrics
function, and lifecycle enums hold nothing else.

GOV004: the state argument of a metrics call (keyword ``state`` or position 1) is resolved
statically by the semantic model (:mod:`resolution`): string constants, both arms of a
conditional, local names through the assignments that can reach the call, module
constants. Each invalid literal is reported once, where it is written. An invalid enum
member is one mistake with one finding: GOV005, not also GOV004.

GOV005: ``E.NAME``, ``E["NAME"]``, ``E("NAME")`` for a lifecycle enum ``E`` where ``NAME`` is
an upper-case member name that is not a lifecycle state, and such a member defined in the
enum's class body.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..config.prefilter import Needs
from ..model.semantic import SemanticModel
from ..model.nodes import dotted, member_like, source_text, str_constant
from ..model.vocabulary import Vocabulary
from .base import Hooks, Rule

GOV004 = Rule(
    code="GOV004", title="invalid state reaches the metrics function",
    template="state {state!r} reaching {metrics}() is not a lifecycle state; use one of {states}",
    where="the string literal that produced the state (possibly lines above the call)",
    what="Resolves the state argument of a metrics call (keyword `state` or position 1) "
    "statically: string constants, both arms of `a if c else b`, local names through "
    "the assignments that can reach the call (one overwritten on every path before it "
    "does not; where paths merge, each that may reach counts), module constants. "
    "A value that is not a "
    "lifecycle state is reported once, at the literal. Unresolvable values (parameters, "
    "calls, `JobStatus.SUCCESS`) are not reported; an invalid lifecycle-enum member is "
    "reported as GOV005 only.",
    why="A conforming registry rejects `SUCCESS`/`ERROR`: the metrics update raises inside "
    "the `finally` and masks the real outcome.",
    example="def record(name, ok):\n"
    "    state = \"SUCCESS\" if ok else \"ERROR\"\n"
    "    update_execution_metrics(name, state, 0, not ok)\n",
    fixed="def record(name, ok):\n"
    "    state = \"INITIALIZED\" if ok else \"FAILED\"\n"
    "    update_execution_metrics(name, state, 0, not ok)\n",
    options=("metrics-functions", "metrics-state-keyword", "metrics-state-position",
             "lifecycle-states", "state-replacements"), fix="safe",
    fix_note="replaces the literal through `state-replacements` (default SUCCESS:INITIALIZED, "
    "ERROR:FAILED); a state without a replacement is left alone. Unsafe instead when the "
    "literal also reaches something else than a metrics state (`job.status == DONE`) "
    "or lives in a module- or class-level name: `execgov fix` says so and "
    "`--unsafe-fixes` applies it.",
    invalid=("update_execution_metrics(name, state=\"DONE\")\n",),
    valid=("def record(job, name):\n"
           "    status = \"SUCCESS\"\n"
           "    status = job.lifecycle_state\n"
           "    update_execution_metrics(name, status)\n",
           "update_execution_metrics(name, JobStatus.SUCCESS)\n"))

GOV005 = Rule(
    code="GOV005", title="lifecycle enum member that is not a lifecycle state",
    template="{member} is not a lifecycle state; use one of {states}",
    where="the member expression (`LifecycleState.SUCCESS`) or the member's name in the class body",
    what="Flags `E.NAME`, `E[\"NAME\"]` and `E(\"NAME\")` for a lifecycle enum `E` (also through "
    "import aliases) where `NAME` is upper-case and not a lifecycle state, and such members "
    "defined in a lifecycle enum's class body. `JobStatus.SUCCESS` is another vocabulary "
    "and is never flagged; dunders (`E.__members__`) are fine.",
    why="Lifecycle states are a closed vocabulary; `SUCCESS`/`ERROR` belong to jobs. Using "
    "them for plugins raises at run time or records states no dashboard understands.",
    example="state = LifecycleState.SUCCESS\n",
    fixed="state = LifecycleState.INITIALIZED\n",
    options=("lifecycle-enums", "lifecycle-states", "state-replacements"), fix="safe",
    fix_note="replaces uses through `state-replacements`; member definitions, stores and deletions "
    "are never changed.",
    invalid=("state = LifecycleState[\"ERROR\"]\n", "state = PluginLifecycleState(\"DONE\")\n",
             "class LifecycleState(Enum):\n    SUCCESS = \"SUCCESS\"\n"),
    valid=("members = LifecycleState.__members__\n", "status = JobStatus.SUCCESS\n"))

RULES = (GOV004, GOV005)
hooks = Hooks(needs=lambda config: Needs(names=(config.metrics_functions, config.lifecycle_enums)))


@hooks.on_state
def invalid_state(model: SemanticModel, literal: ast.expr, text: str,
                  unsafe: Optional[str]) -> None:
    """GOV004 for a string state (an enum member reaching the call is GOV005 already)."""
    cfg = model.config
    if text not in cfg.lifecycle_states:
        # a constant of another module (``from app.states import DONE``) is reported at
        # its use here and never fixed from here: its definition is another file's
        replaces = None if isinstance(literal, ast.Name) else text
        model.report(GOV004.at(literal, replaces=replaces, unsafe=unsafe, state=text,
                               metrics=cfg.metrics_functions.first, states=cfg.states_text))


def is_lifecycle_enum(vocab: Vocabulary, node: ast.AST) -> bool:
    """A configured lifecycle enum, or one another module of the project defines."""
    return vocab.matches(vocab.config.lifecycle_enums, node) or (
        bool(vocab.facts.lifecycle_enums) and dotted(node) in vocab.facts.lifecycle_enums)


def enum_member(vocab: Vocabulary, node: ast.AST) -> Optional[str]:
    """``NAME`` for ``E["NAME"]`` or ``E("NAME")`` of a lifecycle enum (``E.NAME`` is an
    attribute, matched where attributes are visited)."""
    if isinstance(node, ast.Subscript):
        name, enum = str_constant(node.slice), node.value
    elif isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        name, enum = str_constant(node.args[0]), node.func
    else:
        return None
    if name is not None and member_like(name) and is_lifecycle_enum(vocab, enum):
        return name
    return None


@hooks.on(ast.Attribute)
def member_attribute(model: SemanticModel, node: ast.Attribute) -> None:
    if member_like(node.attr) and node.attr not in model.config.lifecycle_states \
            and is_lifecycle_enum(model.vocab, node.value):
        _invalid_member(model, node, node.attr)


@hooks.on(ast.Subscript, ast.Call)
def member_lookup(model: SemanticModel, node: ast.Subscript | ast.Call) -> None:
    member = enum_member(model.vocab, node)
    if member is not None and member not in model.config.lifecycle_states:
        _invalid_member(model, node, member)


@hooks.on(ast.ClassDef)
def member_definitions(model: SemanticModel, node: ast.ClassDef) -> None:
    cfg = model.config
    if not cfg.lifecycle_enums(node.name):
        return
    for stmt in node.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else \
            [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and member_like(target.id) \
                    and target.id not in cfg.lifecycle_states:
                model.report(GOV005.at(target, member=f"{node.name}.{target.id}",
                                       states=cfg.states_text))


def _invalid_member(model: SemanticModel, node: ast.AST, member: str) -> None:
    """GOV005; only a load can be fixed (a store or ``del`` names the member itself)."""
    load = isinstance(getattr(node, "ctx", ast.Load()), ast.Load)
    model.report(GOV005.at(node, replaces=member if load else None,
                           member=_member_text(node, member), states=model.config.states_text))


def _member_text(node: ast.AST, member: str) -> str:
    """``LifecycleState.SUCCESS``, ``LifecycleState['ERROR']``: the member as written."""
    if isinstance(node, ast.Attribute):
        owner = dotted(node.value)
        return f"{owner}.{member}" if owner else member
    return source_text(node)
