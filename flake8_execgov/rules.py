"""The judgments that need a whole module: the runner contract and route authorization.

:mod:`analysis` records facts during its single walk; this module reads them once the
module is complete (a helper method's callers, an ``include_router`` further down).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Union

from .analysis import Analyzer
from .helpers import HelperGraph
from .messages import GOV003_PROBLEMS, message
from .options import Config, normalize_route
from .model import Access, Finding, Pos, RunnerFrame, Site, TryFrame, TryStack, pos
from .vocabulary import parse_annotation, source_text, str_constant

# What covers a run access: the covering try, or why none does
# ("GOV002", or the GOV003 problem "missing"/"conditional").
Coverage = Union[TryFrame, str]


def analyze(tree: ast.AST, config: Config) -> list[Finding]:
    """All findings of one module, sorted and without duplicates."""
    analyzer = Analyzer(tree, config).run()
    found = list(analyzer.findings)
    found += RunnerContract(analyzer).findings()
    found += route_findings(analyzer)
    unique = {(f.line, f.col, f.code): f for f in found}
    return [unique[key] for key in sorted(unique)]


def coverage(trys: TryStack) -> Coverage:
    """GOV002/GOV003: the innermost enclosing try (body) whose finally records metrics."""
    guarded = [frame for frame, part in trys if part == "body" and frame.has_finally]
    for frame in reversed(guarded):
        if frame.unconditional_metrics:
            return frame
    if not guarded:
        return "GOV002"
    return "conditional" if any(f.any_metrics for f in guarded) else "missing"


class RunnerContract:
    """GOV001/002/003/007 and GOV101-103 for every confirmed plugin access."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.config = analyzer.config
        self.accesses = analyzer.accesses
        owners = {id(a.runner.owner): a.runner.owner for a in self.accesses
                  if a.runner is not None and a.runner.owner is not None}
        self.graph = HelperGraph(owners.values())
        self._memo: dict[int, set[int]] = {}
        self.runner_name = (analyzer.config.runner_classes.first + ".run"
                            if analyzer.config.runner_classes.patterns
                            else analyzer.config.runner_functions.first)

    def findings(self) -> Iterable[Finding]:
        for access in self.accesses:
            if access.runner is None:
                yield from self._outside_runner(access)
            elif access.kind == "run":
                yield from self._inside_runner(access, access.runner)

    def _finding(self, access: Access, code: str, **fields: object) -> Finding:
        line, col = pos(access.node)
        return Finding(line, col, code, message(code, access=self._text(access), **fields),
                       access.node)

    @staticmethod
    def _text(access: Access) -> str:
        text = source_text(access.node)
        return text + "()" if access.call is not None and isinstance(access.node, ast.Attribute) \
            else text

    def _outside_runner(self, access: Access) -> Iterable[Finding]:
        cfg = self.config
        if access.kind == "run":
            yield self._finding(access, "GOV001", runner=self.runner_name.rsplit(".", 1)[0])
        elif cfg.run_methods:  # without run methods, no attribute name reaches one
            line, col = pos(access.node)
            yield Finding(line, col, "GOV007", message(
                "GOV007", run=cfg.run_methods.first, runner=self.runner_name), access.node)

    def _inside_runner(self, access: Access, frame: RunnerFrame) -> Iterable[Finding]:
        metrics = self.config.metrics_functions.first
        covered: Optional[Coverage] = coverage(access.trys)
        if not self.config.metrics_functions:  # no metrics requirement
            covered = None
        problem = None if covered is None or isinstance(covered, TryFrame) else \
            self._helper_problem(frame) if self.graph.sites(frame) else covered
        if problem == "GOV002":
            yield self._finding(access, "GOV002", metrics=metrics)
        elif problem is not None:
            yield self._finding(access, "GOV003", metrics=metrics,
                                problem=GOV003_PROBLEMS[problem])
        else:
            here = Context(frame, access.start, access.end, access.trys,
                           covered if isinstance(covered, TryFrame) else None)
            yield from self._contract(access, here)

    def _contract(self, access: Access, here: "Context") -> Iterable[Finding]:
        """GOV101-103 for a covered access."""
        cfg = self.config
        checks = (  # an empty option: no such requirement
            ("GOV101", "validator", cfg.input_validators, Context.validated_input),
            ("GOV102", "validator", cfg.output_validators, Context.validated_output),
            ("GOV103", "builder", cfg.error_envelope_builders, Context.enveloped),
        )
        for code, field_name, names, check in checks:
            if names and not self._passes(check, here):
                yield self._finding(access, code, **{field_name: names.first})

    def _passes(self, check: Callable[["Context"], bool], here: "Context") -> bool:
        """The check passes where the plugin executes or, for a helper method, at every
        ``self.<helper>`` use (a helper of a helper: through the call graph, once)."""
        return check(here) or id(here.frame) in self._holding(check)

    def _holding(self, check: Callable[["Context"], bool]) -> set[int]:
        key = id(check)
        if key not in self._memo:
            self._memo[key] = self.graph.holding(lambda site: check(Context.at_site(site)))
        return self._memo[key]

    # -- helper methods: covered when every self.<method> use is covered ----------------

    def _helper_problem(self, frame: RunnerFrame) -> Optional[str]:
        """None when every use of this helper is covered, else the first problem found."""
        covered = self._holding(_covered_here)
        if id(frame) in covered:
            return None
        for site in self.graph.sites(frame):
            problem = coverage(site.trys)
            if not isinstance(problem, TryFrame) and id(site.frame) not in covered:
                return problem
        return None  # pragma: no cover - a frame whose every use is covered is in the set


def _covered_here(here: "Context") -> bool:
    return here.cover is not None


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
        covered = coverage(site.trys)
        return cls(site.frame, site.at, site.until, site.trys,
                   covered if isinstance(covered, TryFrame) else None)

    def validated_input(self) -> bool:
        """An input validator written before, or inside the arguments of, the execution."""
        return any(p < self.start or self.start < p < self.end for p in self.frame.inputs)

    def validated_output(self) -> bool:
        """An output validator after the execution or wrapping it, in the covering try's
        body: in its ``else`` a failing validation escapes the handler, unenveloped."""
        return any((p > self.start or (p <= self.start and e >= self.end))
                   and (self.cover is None
                        or any(f is self.cover and part == "body" for f, part in trys))
                   for p, e, trys in self.frame.outputs)

    def enveloped(self) -> bool:
        """An enclosing try's broad handler builds the error envelope."""
        return any(f.envelope_handler for f, part in self.trys if part == "body")


# -- GOV201 -----------------------------------------------------------------------------


def route_findings(analyzer: Analyzer) -> Iterable[Finding]:
    """GOV201: routes without the auth dependency (public routes are exempt)."""
    cfg = analyzer.config
    if not cfg.auth_dependencies:  # nothing to require
        return
    module_values = analyzer.module_scope.assigns
    granted = {router for router, keywords in analyzer.router_grants
               if analyzer.has_auth_dependency(keywords)}
    for route in analyzer.routes:
        node = route.node
        if route.receiver in granted or analyzer.has_auth_dependency(route.decorator.keywords) \
                or (route.path is not None and normalize_route(route.path) in cfg.public_routes) \
                or _parameters_authorized(analyzer, node.args, module_values):
            continue
        method = route.method.upper()
        label = f"{method} {route.path}" if route.path is not None else f"{method} {node.name}"
        line, col = pos(node)
        yield Finding(line, col, "GOV201", message(
            "GOV201", route=label, auth=cfg.auth_dependencies.first), node)


def _parameters_authorized(analyzer: Analyzer, args: ast.arguments,
                           module_values: dict[str, list[ast.expr]]) -> bool:
    defaults = [d for d in args.defaults + args.kw_defaults if d is not None]
    if any(analyzer.is_auth_dependency(d) for d in defaults):
        return True
    annotations = [a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs]
    return any(_annotation_authorized(analyzer, a, module_values, 0) for a in annotations)


def _annotation_authorized(analyzer: Analyzer, ann: Optional[ast.AST],
                           module_values: dict[str, list[ast.expr]], depth: int) -> bool:
    """``Annotated[T, Depends(A)]``, also through a module-level alias or a string."""
    if ann is None or depth > 4:
        return False
    text = str_constant(ann)
    if text is not None:
        return _annotation_authorized(analyzer, parse_annotation(text), module_values, depth + 1)
    if isinstance(ann, ast.Name) and ann.id in module_values:
        return any(_annotation_authorized(analyzer, v, module_values, depth + 1)
                   for v in module_values[ann.id])
    if isinstance(ann, ast.Subscript) and analyzer.vocab.is_named(ann.value, "Annotated") \
            and isinstance(ann.slice, ast.Tuple):
        return any(analyzer.is_auth_dependency(e) for e in ann.slice.elts[1:])
    return False
