"""What a rule unit is: its documentation, message and examples, and the hooks it asks for.

A rule family is one module of this package. It declares its :class:`Rule` entries (the
text that ``execgov explain``, ``docs/rules.md`` and the README table are generated from,
and the examples the test suite lints), the node types it wants to see during the
semantic model's one walk (:class:`Hooks`), and a ``finish`` function for what it can only
judge once the module is complete.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional

from ..config.names import is_glob
from ..config.options import Config
from ..config.prefilter import Needs
from ..source.statements import pos
from ..model.records import Access, Finding
from ..model.runner_coverage import RunnerCoverage
from ..model.semantic import Hook, SemanticModel, StateHook

# What a family judges once the module is complete (after the walk).
Finish = Callable[[SemanticModel, RunnerCoverage], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One code: what it finds, why, where it reports, an example and its fix."""

    code: str
    title: str
    template: str  # the message after the code, with ``{fields}``
    where: str  # where the finding is reported (and so where ``# noqa`` goes)
    what: str
    why: str
    example: str  # produces exactly this code (the test suite checks it)
    fixed: str  # produces no finding of this code
    options: tuple[str, ...]
    fix: str  # "safe", "unsafe" or "none"
    fix_note: str = ""
    invalid: tuple[str, ...] = ()  # more sources that must produce this code
    valid: tuple[str, ...] = ()  # look-alikes that must not

    @property
    def message(self) -> str:
        """The message template as flake8 shows it, code first."""
        return f"{self.code} {self.template}"

    def format(self, **fields: object) -> str:
        return self.message.format(**fields)

    def at(self, node: ast.AST, *, replaces: Optional[str] = None,
           unsafe: Optional[str] = None, **fields: object) -> Finding:
        """The one way to make a finding: this rule's, at ``node``, its message filled
        with ``fields``. ``replaces``: the invalid state a state replacement would fix;
        ``unsafe``: why that fix is not safe."""
        line, col = pos(node)
        return Finding(line, col, self.code, self.format(**fields), node, replaces, unsafe)


class Hooks:
    """What a rule family asks of the engine: the text a file must contain for it to find
    anything (``needs``, from which the prefilter is built), the node types it wants to
    see during the walk, and what it judges once the module is complete (``at_end``)."""

    def __init__(self, needs: Callable[[Config], Needs]) -> None:
        self.needs = needs
        self.nodes: dict[type, list[Hook]] = {}
        self.states: list[StateHook] = []
        self.finishers: list[Finish] = []

    def on(self, *node_types: type) -> Callable[[Any], Any]:
        def register(function: Any) -> Any:
            for node_type in node_types:
                self.nodes.setdefault(node_type, []).append(function)
            return function
        return register

    def on_state(self, function: StateHook) -> StateHook:
        """Called with each string literal that can reach a metrics call's state."""
        self.states.append(function)
        return function

    def at_end(self, function: Finish) -> Finish:
        """Called once the module is complete, with the runner coverage; yields findings."""
        self.finishers.append(function)
        return function


def executions(config: Config) -> Needs:
    """What the execution rules need: something that names a plugin (a name, collection,
    getter, type annotation or dispatch registry), or a runner class (a function handed
    to a runner instance counts as covered where that happens)."""
    return Needs(names=(config.plugin_names, config.plugin_collections, config.plugin_getters,
                        config.plugin_types, config.dispatch_names, config.runner_classes,
                        config.registry_decorators),
                 words=("entry_points",))  # what a host's entry points load is a plugin


def governed_path(config: Config, defined: Mapping[str, frozenset[str]]) -> tuple[str, str]:
    """(the runner, how to call it) as messages name them: ``ToolRunner`` and
    ``ToolRunner.run()``, ``execute_job`` and ``execute_job()``; a glob is named as such.

    A runner class the module defines (``defined``: name -> its methods) is the one that
    governs its code, whichever pattern of the option it matches; its path is named after
    ``run`` only when it has such a method (or, not defined here, when ``run`` is a run
    method)."""
    for name, methods in defined.items():
        return name, f"{name}.run()" if "run" in methods else name
    if config.runner_classes:
        name = config.runner_classes.first
        if is_glob(name):
            return f"a runner class ({name})", f"a runner class ({name})"
        return name, f"{name}.run()" if config.run_methods("run") else name
    name = config.runner_functions.first
    if is_glob(name):
        return f"a runner function ({name})", f"a runner function ({name})"
    return name, f"{name}()"


# The fixed form of every runner-contract example: validation, envelope, metrics in finally.
CONFORMING_RUNNER = (
    "class ToolRunner:\n"
    "    def run(self, name, payload):\n"
    "        validate_input_payload(payload)\n"
    "        try:\n"
    "            return validate_plugin_output(self.registry.get_plugin(name).run(payload))\n"
    "        except Exception as exc:\n"
    "            return build_error_envelope(exc)\n"
    "        finally:\n"
    "            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n")

RUNNER_OPTIONS = ("runner-classes", "runner-functions", "plugin-names", "plugin-collections",
                  "plugin-getters", "plugin-types", "run-methods", "hook-methods")


def broken(old: str, new: str = "", source: Optional[str] = None) -> str:
    """The conforming runner with one contract broken (as the fixture tests do)."""
    source = CONFORMING_RUNNER if source is None else source
    assert old in source, old
    return source.replace(old, new)


def access_text(access: Access) -> str:
    """A run access as messages name it (``{access}``): see :attr:`Access.text`."""
    return access.text
