"""The governed path a host already has: its runners and what they do around an execution.

A runner is where the host executes a plugin inside a ``try`` that catches broad
exceptions or has a ``finally``, with more of the governed path around it (a ``finally``,
a validator, an envelope builder): catching alone is not governing. Each requirement of
the contract (metrics in the ``finally``, input and output validators, the error envelope)
is proposed only where a runner already does it, and switched off otherwise with a comment
saying so; a host that already follows the contract's own names keeps its defaults.
Lifecycle states are the members of an enum a runner uses; routes bring their
``Depends(...)`` auth dependency.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from ..config.names import NameMatcher
from ..config.specs import OPTIONS_BY_KEY
from .records import ClassFact, FuncFact, Item, ModuleFacts, Proposal

_VALIDATES = re.compile(r"^_?(validate|verify)", re.I)
_METRICS = re.compile(r"metric|record|stat|track|observe|measure|histogram|gauge|timing|emit",
                      re.I)
_CLOCKS = frozenset(("perf_counter", "monotonic", "time", "process_time", "perf_counter_ns",
                     "monotonic_ns", "time_ns"))
_ENVELOPE = re.compile(r"envelope|error_response|error_result", re.I)


def default(name: str) -> list[str]:
    """An option's default value, as items."""
    value = OPTIONS_BY_KEY["execgov-" + name].default
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else []


@dataclass
class Runner:
    func: FuncFact
    calls: list[str]  # the executions seen in its try


def executes(called: str, names: NameMatcher, run: NameMatcher, specs: set[str]) -> bool:
    """A call that runs plugin code by the proposed vocabulary: a hook on a plugin name
    (``plugin.run``), or a pluggy hook through its relay (``pm.hook.spec``)."""
    parts = called.split(".")
    return len(parts) >= 2 and ((run(parts[-1]) and names(parts[-2]))
                                or (parts[-2] == "hook" and parts[-1] in specs))


def runners_of(host: list[ModuleFacts], names: NameMatcher, run: NameMatcher,
               specs: set[str], considered: list[str]) -> list[Runner]:
    """Functions that execute a plugin inside a guarded ``try`` and have more of the
    governed path around it (a ``finally``, a validator, an envelope builder): catching
    alone is not governing (the plugin's failure is swallowed, nothing is recorded)."""
    found = []
    for m in host:
        for f in m.functions:
            runs = []
            for c in f.calls:
                if executes(c.name, names, run, specs) and c.part in ("body", "else") and c.broad:
                    runs.append(f"{c.where}: {c.name}() in a guarded try")
            if not runs:
                continue
            shorts = [(c.part, c.name.rsplit(".", 1)[-1]) for c in f.calls]
            more = any(part == "finally" for part, _ in shorts) or any(
                _VALIDATES.match(n) or (part == "handler" and _ENVELOPE.search(n))
                for part, n in shorts)
            if more:
                found.append(Runner(f, runs))
            else:
                considered.append(f"{runs[0]} of {f.owner + '.' if f.owner else ''}{f.name}: "
                                  "only caught (no finally, validator or envelope), not a runner")
    return found


def dispatchers(host: list[ModuleFacts], registries: set[str],
                runs_plugin: Callable[[str], bool]) -> list[Item]:
    """Classes that call the entries of a registry of plugin callables they hold
    (``for method in self.events[name]: method(**kwargs)``) and execute plugin code in no
    other way: whatever plugins registered runs there, so the class is the host's
    dispatcher, the path every such call goes through, as a wrapper is for the calls it
    passes on. It is proposed as a governed path (with the requirements the host's runners
    show, none if it has none): its calls are then governed, and so is what it does to
    register them (reading each plugin's hooks by name); the executions outside it are the
    findings. A class that also calls hooks itself (an application object holding a
    registry among other things) is no dispatcher: governing it would hide those calls."""
    found: dict[str, Item] = {}
    direct: set[str] = set()
    for m in host:
        for f in m.functions:
            if f.owner and any(runs_plugin(c.name) for c in f.calls):
                direct.add(f.owner)
            for attr, at in f.entry_calls:
                if f.owner and attr in registries and f.owner not in found:
                    found[f.owner] = Item(f.owner, f"{at}: {f.owner}.{f.name}() calls the "
                                          f"entries of self.{attr}, a registry of plugin "
                                          "callables, and runs plugins in no other way: the "
                                          "dispatcher they run through")
    return [item for owner, item in found.items() if owner not in direct]


def runner_options(proposal: Proposal, runners: list[Runner],
                   classes: dict[str, ClassFact], wrappers: list[Item]) -> None:
    owners = [Item(r.func.owner, f"{r.calls[0]} of {r.func.owner}.{r.func.name}")
              for r in runners if r.func.owner] + wrappers
    functions = [Item(r.func.name, f"{r.calls[0]} of {r.func.name}")
                 for r in runners if not r.func.owner]
    if not owners and not functions:
        proposal.add("execgov-runner-classes", "no governed path found (no plugin call inside "
                     "a guarded try with a finally, validator or envelope): the contract's "
                     "runner name stays, so every execution is reported, the inventory to "
                     "start from",
                     [Item(v, "the contract's default") for v in default("runner-classes")],
                     guess=True)
        return
    proposal.add("execgov-runner-classes", "classes whose methods run plugins in a guarded "
                 "try, wrappers every call of a plugin goes through, and dispatchers that "
                 "run a registry's entries",
                 owners or [Item(v, "the contract's default") for v in default("runner-classes")])
    if functions:
        proposal.add("execgov-runner-functions", "functions that run plugins in a guarded try",
                     functions)


def requirements(proposal: Proposal, runners: list[Runner], host: list[ModuleFacts],
                 classes: dict[str, ClassFact]) -> None:
    finals: Counter[str] = Counter()
    validators: list[tuple[str, str, int]] = []  # (name, at, line) ; before/after the run
    envelopes: list[Item] = []
    enums: dict[str, str] = {}
    where: dict[str, str] = {}
    for r in runners:
        first_run = min((c.line for c in r.func.calls if c.part in ("body", "else") and c.broad),
                        default=0)
        for c in r.func.calls:
            short = c.name.rsplit(".", 1)[-1]
            if c.part == "finally" and short not in _CLOCKS and _METRICS.search(short):
                finals[short] += 1
                where.setdefault(short, c.where)
            if _VALIDATES.match(short):
                validators.append((short, c.where, c.line - first_run))
            if c.part == "handler" and _ENVELOPE.search(short):
                envelopes.append(Item(short, f"{c.where}: called in the runner's except"))
        for enum, member in r.func.member_loads:
            proposal.enums_used.add(enum)
            cls = classes.get(enum)
            if cls is not None and cls.enum_members:
                enums.setdefault(enum, f"{r.func.where}: {enum}.{member} used by a runner")
    metrics = [Item(n, f"{where[n]}: called in the finally of a runner") for n, _ in finals.most_common(1)]
    inputs = [Item(n, f"{at}: called before the plugin runs") for n, at, d in validators if d < 0]
    outputs = [Item(n, f"{at}: called after the plugin runs") for n, at, d in validators if d > 0]
    contract = any(i.value in default("metrics-functions") for i in metrics) or any(
        r.func.owner in default("runner-classes") for r in runners)
    for key, found, what in (("metrics-functions", metrics, "metrics call in a runner's finally"),
                             ("input-validators", inputs, "input validator in a runner"),
                             ("output-validators", outputs, "output validator in a runner"),
                             ("error-envelope-builders", envelopes,
                              "error envelope built in a runner's except")):
        if found:
            proposal.add("execgov-" + key, f"the host's {what}: required of every runner", found)
        elif contract:
            proposal.add("execgov-" + key, "the host follows the contract's names (its runner or "
                         "metrics function is the default): the default is required",
                         [Item(v, "the contract's default") for v in default(key)], guess=True)
        else:
            proposal.add("execgov-" + key, f"off: nothing in the host does it (no {what})", [])
    if enums:
        name = next(iter(enums))
        proposal.add("execgov-lifecycle-enums", "the enum whose members the runners use",
                     [Item(name, enums[name])])
        proposal.add("execgov-lifecycle-states", f"the members of {name}",
                     [Item(v, classes[name].where) for v in classes[name].enum_members])


def routes(proposal: Proposal, host: list[ModuleFacts], contract: bool) -> None:
    routes = [r for m in host for r in m.routes]
    if not routes and contract:
        proposal.add("execgov-auth-dependencies", "no web routes; the host follows the "
                     "contract's names: its auth dependency stays",
                     [Item(v, "the contract's default") for v in default("auth-dependencies")])
        return
    if not routes:
        proposal.add("execgov-auth-dependencies", "off: the host has no web routes", [])
        return
    deps = Counter(d for _, ds, _ in routes for d in set(ds))
    if not deps:
        proposal.add("execgov-auth-dependencies", f"off: {len(routes)} route(s), none with a "
                     "Depends(...) dependency; name the auth dependency to require one", [])
        return
    name, count = deps.most_common(1)[0]
    at = next(at for _, ds, at in routes if name in ds)
    proposal.add("execgov-auth-dependencies", "the dependency the routes require",
                 [Item(name, f"{at}: Depends({name}) on {count} of {len(routes)} routes")])


def follows_contract(proposal: Proposal) -> bool:
    values = proposal.values()
    return values.get("execgov-runner-classes") == default("runner-classes") and bool(
        values.get("execgov-metrics-functions"))
