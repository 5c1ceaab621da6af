"""A safe fix changes nothing but metrics states: generated runners, run before and after.

Each generated module has a function whose state literals flow through plain, chained and
augmented assignments, walruses, ``global``/``nonlocal`` names, loop, ``with``, ``except``
and ``match`` targets, comprehensions and conditionals into metrics calls and into other
uses (``sink(...)``). The safe fix (``execgov fix`` without ``--unsafe-fixes``) is applied
and both versions run: every value any other expression sees (each ``sink`` call, the
module's globals, the function's result, an exception) must be the same; only the states
the metrics calls receive may differ.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_execgov.config.options import DEFAULT_CONFIG
from flake8_execgov.fix.fixer import fix_text

NAMES = ("a", "b", "c", "G")
LITERALS = ("'SUCCESS'", "'ERROR'", "'RUNNING'")

TEMPLATES = [
    "{x} = {lit}",
    "{x} = {y}",
    "{x} = {y} = {lit}",
    "{x} = {lit} if flag else {y}",
    "{x} += '!'",
    "update_execution_metrics(n, {x})",
    "update_execution_metrics(n, {lit})",
    "update_execution_metrics(n, ({x} := {lit}))",
    "update_execution_metrics(n, {x} if flag else {lit})",
    "sink({x})",
    "sink(({x} := {lit}))",
    "sink({x} == {lit})",
    "{x}, {y} = {lit}, {lit2}",
    "holder.state = {x} = {lit}",
    "inner()",
    "for {x} in [{lit}]:\n    update_execution_metrics(n, {x})",
    "with ctx({lit}) as {x}:\n    update_execution_metrics(n, {x})",
    "[update_execution_metrics(n, {x}) for {x} in [{lit}]]",
    "if flag:\n    {x} = {lit}\nelse:\n    sink({x})",
    "try:\n    raise ValueError({lit})\nexcept ValueError as {x}:\n    sink(str({x}))",
    # a literal reaching a metrics state and something else, each way it can
    "{x} = {y} = {lit}\nupdate_execution_metrics(n, {x})\nsink({y})",
    "update_execution_metrics(n, ({x} := {lit}))\nsink({x})",
    "sink(({x} := {lit}))\nupdate_execution_metrics(n, {x})",
    "{x} = {lit}\nupdate_execution_metrics(n, {x})\nsink({x})",
    "{x} = {lit} if flag else {lit2}\n{y} = {x}\nupdate_execution_metrics(n, {y})\nsink({x})",
    "G = {lit}\nupdate_execution_metrics(n, G)",
    "holder.state = {x} = {lit}\nupdate_execution_metrics(n, {x})",
    "{x}, {y} = {lit}, {lit2}\nupdate_execution_metrics(n, {x})\nsink({y})",
    "{x} = {lit}\nupdate_execution_metrics(n, {x})\n{x} += '!'\nsink({x})",
    "inner()\nsink(a)",
]
if sys.version_info >= (3, 10):
    TEMPLATES.append("match {lit}:\n    case {x}:\n        update_execution_metrics(n, {x})")

HEADER = """\
G = ''


class Holder:
    state = None


holder = Holder()


def run(n, flag):
    global G
    a = ''
    b = ''
    c = ''

    def inner():
        nonlocal a
        a = 'SUCCESS'
        update_execution_metrics(n, a)
"""


@st.composite
def runners(draw: Any) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        template = draw(st.sampled_from(TEMPLATES))
        x, y = draw(st.sampled_from(NAMES[:3])), draw(st.sampled_from(NAMES))
        if "{x} = {lit}" in template or "{x} := " in template:
            x = draw(st.sampled_from(NAMES))  # G only where a plain name may be bound
        lit, lit2 = draw(st.sampled_from(LITERALS)), draw(st.sampled_from(LITERALS))
        lines.append(template.format(x=x, y=y, lit=lit, lit2=lit2))
    body = textwrap.indent("\n".join(lines), "    ")
    return HEADER + body + "\n    return None\n"


class _Context:
    def __init__(self, value: object) -> None:
        self.value = value

    def __enter__(self) -> object:
        return self.value

    def __exit__(self, *args: object) -> None:
        return None


def observe(source: str) -> tuple[list[object], list[object]]:
    """(what every other expression saw, the states the metrics calls received)."""
    seen: list[object] = []
    states: list[object] = []
    for flag in (True, False):
        namespace: dict[str, Any] = {
            "sink": seen.append, "ctx": _Context,
            "update_execution_metrics": lambda name, state: states.append(state)}
        exec(compile(source, "<runner>", "exec"), namespace)  # noqa: S102 - generated code
        try:
            seen.append(("returned", namespace["run"]("p", flag)))
        except Exception as exc:  # noqa: BLE001 - the same either way, or a difference
            seen.append(("raised", type(exc).__name__, str(exc)))
        seen.append(("G", namespace["G"], getattr(namespace["holder"], "state", None)))
    return seen, states


@pytest.mark.untraced  # generated runners: a search for counterexamples, untraced
@given(source=runners())
def test_a_safe_fix_changes_no_value_but_metrics_states(source: str) -> None:
    fixed = fix_text(source, DEFAULT_CONFIG)
    before, _ = observe(source)
    after, states = observe(fixed)
    assert after == before, fixed
    # and what changed is only the state literals
    assert fixed.replace("'INITIALIZED'", "'SUCCESS'").replace("'FAILED'", "'ERROR'") == source
