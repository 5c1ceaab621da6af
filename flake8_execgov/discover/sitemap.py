"""The execution map: every place the host executes plugin code, and what governs it.

Nothing here decides what an execution is: the rules do. Each module is analysed twice by
the engine, in the project (one project: its cross-module answers are the configured
ones, computed once), with the proposed configuration: once as configured (what a run
reports), once with no runner at all, where every execution is a GOV001 or GOV007 (the
inventory). An execution of the inventory that the configured run does not report
as GOV001/GOV007 is governed, by the runner that encloses it; the configured run's other
findings on it (GOV002, GOV003, GOV101-103) are shown with it.
"""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence, TextIO

from ..config.options import Config, build_config
from ..engine import analyse, worth_parsing
from ..project.index import Project
from .read import PROGRESS_AFTER, Host

BYPASS = frozenset(("GOV001", "GOV007"))
NO_RUNNER = "ExecgovMapNoRunner"  # a runner class no host has: nothing is governed


@dataclass
class Site:
    path: str
    line: int
    col: int
    what: str  # the execution as the message names it (``plugin.run()``)
    governed_by: Optional[str]  # the runner, or None: ungoverned
    findings: list[str] = field(default_factory=list)  # ``GOV003 message``


@dataclass
class ExecutionMap:
    types: list[tuple[str, str, str]]  # (plugin type, where, where its instances come from)
    sites: list[Site]

    @property
    def governed(self) -> int:
        return sum(1 for s in self.sites if s.governed_by)

    def summary(self) -> str:
        return (f"{len(self.types)} plugin types, {len(self.sites)} execution sites, "
                f"{self.governed} governed")


def configs(values: Mapping[str, Sequence[str]]) -> tuple[Config, Config]:
    """The proposed configuration and its inventory twin (no runner)."""
    given = {key: ", ".join(items) for key, items in values.items() if key.startswith("execgov-")}
    inventory = dict(given, **{"execgov-runner-classes": NO_RUNNER, "execgov-runner-functions": ""})
    return build_config(given), build_config(inventory)


def build_map(host: Host, values: Mapping[str, Sequence[str]],
              types: list[tuple[str, str, str]],
              progress: Optional[TextIO] = None) -> ExecutionMap:
    """The map of ``host`` under the configuration ``values`` (option key -> items);
    test and example modules are left out (they drive plugins on purpose). A long run
    reports its progress on ``progress`` after two seconds, once a second."""
    config, inventory = configs(values)
    project = Project(host.root, config, None, source_roots=host.source_roots)
    sites: list[Site] = []
    started = last = time.monotonic()
    for index, module in enumerate(host.modules):
        now = time.monotonic()
        if progress is not None and now - started >= PROGRESS_AFTER and now - last >= 1.0:
            progress.write(f"execgov: execution map: {index} of {len(host.modules)} modules\n")
            progress.flush()
            last = now
        if module.test:
            continue
        if module.tree is None and not worth_parsing(module.text, inventory, project):
            continue  # the rules' own prefilter: nothing here can execute a plugin
        tree = host.parse(module)
        if tree is None:
            continue
        filename = str(host.root / module.path)
        every = analyse(tree, module.lines, inventory, filename=filename, project=project)
        executions = [f for f in every if f.code in BYPASS]
        if not executions:
            continue
        found = analyse(tree, module.lines, config, filename=filename, project=project)
        for execution in executions:
            here = [f for f in found if (f.line, f.col) == (execution.line, execution.col)]
            bypass = any(f.code in BYPASS for f in here)
            runner = None if bypass else _enclosing(tree, execution.line, config)
            sites.append(Site(module.path, execution.line, execution.col,
                              _what(execution.message), runner,
                              [f"{f.code} {_plain(f.message)}" for f in here]))
    return ExecutionMap(types, sites)


def _plain(message: str) -> str:
    """The message without its leading code (the engine's messages carry it)."""
    head, _, rest = message.partition(" ")
    return rest if head.startswith("GOV") and rest else message


def _what(message: str) -> str:
    message = _plain(message)
    for cut in (" bypasses ", " runs ", ";"):
        if cut in message:
            return message.split(cut, 1)[0]
    return message


def _enclosing(tree: ast.Module, line: int, config: Config) -> str:
    """The runner around ``line``: the innermost enclosing class or function that the
    configuration names as a runner (else the innermost function: a helper a runner
    covers)."""
    best: Optional[str] = None
    named: Optional[str] = None
    span = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno):
            size = (node.end_lineno or node.lineno) - node.lineno
            is_runner = config.runner_classes(node.name) if isinstance(node, ast.ClassDef) \
                else config.runner_functions(node.name)
            if is_runner and (named is None or span is None or size < span):
                named, span = node.name, size
            if not isinstance(node, ast.ClassDef):
                best = node.name if best is None else best
    return named or (f"a runner, through {best}()" if best else "a runner")
