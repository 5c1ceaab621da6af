"""From the modules' facts to a proposed configuration: each value with its evidence.

The host's own code says where plugins come from; this module reads that, generally
(no host is named anywhere):

- **plugin types**: classes that declare hooks (abstract methods, or methods whose body
  only declares: a docstring, ``pass``, ``raise``, a constant ``return``), living in a
  module or named as plugin machinery, that other classes derive from or that loaded
  objects are checked against;
- **hooks** (run methods): the declared methods of those types that a plugin implements
  or overrides; pluggy hook specifications (functions decorated with a
  ``HookspecMarker``), called through the relay ``pm.hook``; blinker signals' ``send``;
- **plugin names**: the names the types suggest (``BuildHookInterface``: ``hook``,
  ``*_hook``), the names the host annotates with a type, signal names;
- **runners**: where the host executes a plugin inside a ``try`` that catches broad
  exceptions or has a ``finally``, with what that path already does (the calls in its
  ``finally``, its validators, its envelope builder): each requirement is switched on only
  where the host has something that does it;
- **lifecycle states**: an enum whose members a runner uses;
- **routes**: their ``Depends(...)`` auth dependency.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..config.names import NameMatcher
from ..config.specs import OPTIONS_BY_KEY
from .scan import ClassFact, FuncFact, ModuleFacts

_PLUGINISH = re.compile(r"plugin|hook|interface|extension|addon|backend|provider", re.I)
_AFFIXES = re.compile(r"^(Base|Abstract|Abc)|(Interface|Base|ABC|Abc|Protocol|Mixin)$")
_VALIDATES = re.compile(r"^_?(validate|verify)", re.I)
# Words too common to mean a plugin on their own (``config: TPluginConfig``).
_GENERIC = frozenset(("config", "configs", "options", "settings", "base", "data", "info",
                      "context", "manager", "object", "item", "type", "value", "result",
                      "names", "order", "state", "args", "kwargs", "name", "path", "app"))
_CONTAINERS = frozenset(("list", "List", "dict", "Dict", "set", "Set", "tuple", "Tuple",
                         "Iterable", "Iterator", "Sequence", "Mapping", "Collection",
                         "MutableMapping", "MutableSequence", "frozenset", "FrozenSet"))
_METRICS = re.compile(r"metric|record|stat|track|observe|measure|histogram|gauge|timing|emit",
                      re.I)
_CLOCKS = frozenset(("perf_counter", "monotonic", "time", "process_time", "perf_counter_ns",
                     "monotonic_ns", "time_ns"))
_ENVELOPE = re.compile(r"envelope|error_response|error_result", re.I)


@dataclass
class Item:
    value: str
    evidence: str  # ``path:line: what was seen``


@dataclass
class Option:
    key: str  # ``execgov-...``, or flake8's own (``per-file-ignores``)
    note: str  # the comment above it: why this value
    items: list[Item] = field(default_factory=list)
    guess: bool = False


@dataclass
class Proposal:
    options: list[Option] = field(default_factory=list)
    machinery: bool = False  # anything plugin-like found at all
    types: dict[str, ClassFact] = field(default_factory=dict)
    loaders: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    considered: list[str] = field(default_factory=list)  # runner candidates turned down

    def values(self) -> dict[str, list[str]]:
        return {o.key: [i.value for i in o.items] for o in self.options}

    def add_found(self, key: str, note: str, items: list[Item]) -> None:
        """An option that is only written when something was found (its default is fine)."""
        if items:
            self.add(key, note, items)

    def add(self, key: str, note: str, items: Iterable[Item], guess: bool = False) -> None:
        seen: dict[str, Item] = {}
        for item in items:
            seen.setdefault(item.value, item)
        self.options.append(Option(key, note, list(seen.values()), guess))


def default(name: str) -> list[str]:
    value = OPTIONS_BY_KEY["execgov-" + name].default
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else []


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def infer(modules: list[ModuleFacts]) -> Proposal:
    """The proposal for the host whose modules' facts are ``modules``."""
    proposal = Proposal()
    host = [m for m in modules if not m.test]
    classes = {c.name: c for m in host for c in m.classes}
    derived: dict[str, list[ClassFact]] = defaultdict(list)
    for m in host:
        for c in m.classes:
            for base in c.bases:
                derived[base.rsplit(".", 1)[-1]].append(c)
    checked = {name for m in host for name, _ in m.checks}
    types = _plugin_types(host, classes, derived, checked)
    markers = {n for m in modules for n in m.spec_markers}
    specs = [(fn, at) for m in host for deco, fn, at in m.decorated
             if deco in markers or deco.split(".")[0] in markers or deco.rsplit(".", 1)[-1] in markers]
    signals = [(n, at) for m in host for n, at in m.signals]
    contributed = _contributed(specs + signals, classes, types)
    types.update(contributed)
    proposal.types = types
    proposal.loaders = [item for m in host for item in m.loaders]

    names, collections, methods = _vocabulary(host, types, derived, specs, signals)
    for name in contributed:  # the methods the family of a contributed class shares
        common = Counter(meth for sub in derived.get(name, []) for meth in sub.methods)
        methods += [Item(meth, f"{classes[name].where}: {count} classes deriving from {name} "
                         f"define {meth}()") for meth, count in common.items() if count >= 2]
    proposal.machinery = bool(types or specs or signals)
    dispatch = [Item(name, f"{at}: a decorator files functions in {name}")
                for m in host for name, at in m.registries]
    dispatch += _loaded_functions(host)
    if dispatch:
        proposal.machinery = True

    matcher_names = NameMatcher([i.value for i in names] or default("plugin-names"))
    run = NameMatcher([i.value for i in methods] or default("run-methods"))
    runners = _runners(host, matcher_names, run, {s for s, _ in specs}, proposal.considered)
    proposal.machinery = proposal.machinery or bool(runners)
    wrappers = [Item(c.name, f"{c.where}: derives from {base} and passes "
                     f"{', '.join(c.delegates[:3])}() on to the {base} it holds: a wrapper "
                     "every call goes through")
                for m in host for c in m.classes
                for base in [b.rsplit(".", 1)[-1] for b in c.bases if b.rsplit(".", 1)[-1] in types]
                if len(c.delegates) >= 2][:20]
    _runner_options(proposal, runners, classes, wrappers)
    proposal.add_found("execgov-plugin-types", "classes whose instances are plugins (and classes "
                 "deriving from them)", [Item(n, _type_evidence(c, derived)) for n, c in types.items()])
    proposal.add("execgov-plugin-names", "names the host gives plugin objects", names)
    proposal.add("execgov-plugin-collections", "collections of plugins", collections, guess=True)
    proposal.add_found("execgov-run-methods", "what executes plugin code: the hooks", methods)
    proposal.add_found("execgov-dispatch-names", "registries of plugin callables", dispatch)
    _requirements(proposal, runners, host, classes)
    _routes(proposal, host, contract=_follows_contract(proposal))
    return proposal


def _follows_contract(proposal: Proposal) -> bool:
    values = proposal.values()
    return values.get("execgov-runner-classes") == default("runner-classes") and bool(
        values.get("execgov-metrics-functions"))


def _plugin_types(host: list[ModuleFacts], classes: dict[str, ClassFact],
                  derived: dict[str, list[ClassFact]], checked: set[str]) -> dict[str, ClassFact]:
    found: dict[str, ClassFact] = {}
    for m in host:
        for c in m.classes:
            if c.enum_members or any(b.endswith(("Exception", "Error", "Enum")) for b in c.bases):
                continue
            declared = [n for n, only in c.methods.items() if only]
            overridden = {n for sub in derived.get(c.name, ()) for n in sub.methods} & set(c.methods)
            hooks = len(set(declared) | overridden)
            interface = c.abstract or (len(declared) >= 1 and hooks * 2 >= len(c.methods))
            pluginish = bool(_PLUGINISH.search(c.name) or _PLUGINISH.search(m.path))
            used = len(derived.get(c.name, ())) >= 1 or c.name in checked or c.abstract
            data = _stems(c.name)[-1] in _GENERIC  # TPluginConfig: what plugins are given
            if interface and pluginish and used and not data and not c.name.startswith("_"):
                found[c.name] = c
    return found


_CONTRIBUTES = re.compile(r"(?:^|_)(?:get|register)_([a-z][a-z0-9_]*)$")


def _contributed(hooks: list[tuple[str, str]], classes: dict[str, ClassFact],
                 types: dict[str, ClassFact]) -> dict[str, ClassFact]:
    """Classes a hook or signal named ``get_<noun>``/``register_<noun>`` lets plugins
    supply (``get_writer``: a plugin's writer replaces the host's ``Writer``)."""
    by_snake = {snake(name): c for name, c in classes.items()}
    found: dict[str, ClassFact] = {}
    for hook, at in hooks:
        match = _CONTRIBUTES.search(hook)
        if match is None:
            continue
        noun = match.group(1)
        singular = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
        c = by_snake.get(singular)
        if c is not None and c.name not in types and not c.enum_members:
            c.where_hook = f"{at}: {hook} lets plugins supply {singular} objects"
            found[c.name] = c
    return found


def _type_evidence(c: ClassFact, derived: dict[str, list[ClassFact]]) -> str:
    subs = derived.get(c.name, [])
    if c.where_hook:
        return f"{c.where}: the host's own; {c.where_hook}"
    said = "abstract" if c.abstract else "declares hooks"
    return f"{c.where}: {said}; {len(subs)} project class(es) derive from it"


def _stems(type_name: str) -> list[str]:
    """``BuildHookInterface`` -> ``build_hook``, ``hook``."""
    core = _AFFIXES.sub("", type_name) or type_name
    full = snake(core)
    last = full.rsplit("_", 1)[-1]
    return [full] if full == last else [full, last]


def _vocabulary(host: list[ModuleFacts], types: dict[str, ClassFact],
                derived: dict[str, list[ClassFact]], specs: list[tuple[str, str]],
                signals: list[tuple[str, str]]) -> tuple[list[Item], list[Item], list[Item]]:
    names: list[Item] = [Item(v, "the contract's default") for v in default("plugin-names")]
    collections = [Item(v, "the contract's default") for v in default("plugin-collections")]
    methods: list[Item] = []
    called = [(c.name.split(".")[-2], c.name.split(".")[-1], c.where, f.owner)
              for m in host for f in m.functions for c in f.calls if c.name.count(".") >= 1]
    for name, c in types.items():
        overridden = {meth for sub in derived.get(name, []) for meth in sub.methods}
        stems = [s for s in _stems(name) if s not in _GENERIC]
        receivers = NameMatcher(stems + [f"*_{s}" for s in stems] + default("plugin-names"))
        for receiver, meth, at, owner in called:
            if meth in c.methods and receiver != "self" and receiver_ok(receiver, receivers) \
                    and owner != name and meth not in overridden and not c.methods[meth]:
                overridden.add(meth)
                methods.append(Item(meth, f"{at}: {receiver}.{meth}() called on a {name}"))
        for stem in stems:
            names += [Item(stem, f"{c.where}: named after {name}"),
                      Item(f"*_{stem}", f"{c.where}: named after {name}")]
            collections += [Item(f"{stem}s", f"{c.where}: a collection of {name}"),
                            Item(f"*_{stem}s", f"{c.where}: a collection of {name}")]
        for meth, only in c.methods.items():
            if only or meth in overridden:
                how = "declared" if only else "overridden by a subclass"
                methods.append(Item(meth, f"{c.where}: {name}.{meth}() {how}"))
    typed = set(types)
    for m in host:
        for var, annotation in m.annotated:
            words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))
            if words & typed and var not in ("self", "cls") and len(var) > 1 \
                    and not var.startswith("_") and var not in _GENERIC:
                many = bool(words & _CONTAINERS)
                (collections if many else names).append(
                    Item(var, f"{m.path}: annotated {annotation}"))
    if specs:
        names.append(Item("hook", f"{specs[0][1]}: pluggy's relay pm.hook calls the hooks"))
        methods += [Item(fn, f"{at}: a hook specification") for fn, at in specs]
    if signals:
        names += [Item(n, f"{at}: a signal; sending it runs its receivers") for n, at in signals]
        names.append(Item("*_signal", f"{signals[0][1]}: signals passed around"))
        methods.append(Item("send", f"{signals[0][1]}: Signal.send() runs the receivers"))
    return names, collections, methods


def receiver_ok(receiver: str, names: NameMatcher) -> bool:
    return bool(names(receiver))


def _loaded_functions(host: list[ModuleFacts]) -> list[Item]:
    """``getattr(module, "name")`` in a function that imports or loads modules: a function
    every plugin module provides (``coverage_init``)."""
    found = []
    for m in host:
        loads = {at.rsplit(":", 1)[0] for _, at in m.loaders}
        if not loads:
            continue
        for f in m.functions:
            importing = any(c.name.rsplit(".", 1)[-1] in ("import_module", "load", "exec_module")
                            for c in f.calls)
            if not importing:
                continue
            lines = {c.line for c in f.calls if c.name == "getattr"}
            for literal, at in m.getattr_names:
                if int(at.rsplit(":", 1)[1]) in lines and not literal.startswith("_"):
                    found.append(Item(literal, f"{at}: looked up on a loaded module"))
    return found


@dataclass
class Runner:
    func: FuncFact
    calls: list[str]  # the executions seen in its try


def _runners(host: list[ModuleFacts], names: NameMatcher, run: NameMatcher,
             specs: set[str], considered: list[str]) -> list[Runner]:
    """Functions that execute a plugin inside a guarded ``try`` and have more of the
    governed path around it (a ``finally``, a validator, an envelope builder): catching
    alone is not governing (the plugin's failure is swallowed, nothing is recorded)."""
    found = []
    for m in host:
        for f in m.functions:
            runs = []
            for c in f.calls:
                parts = c.name.split(".")
                execution = (len(parts) >= 2 and run(parts[-1]) and names(parts[-2])) or (
                    len(parts) >= 2 and parts[-2] == "hook" and parts[-1] in specs)
                if execution and c.part in ("body", "else") and c.broad:
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


def _runner_options(proposal: Proposal, runners: list[Runner],
                    classes: dict[str, ClassFact], wrappers: list[Item]) -> None:
    owners = [Item(r.func.owner, f"{r.calls[0]} of {r.func.owner}.{r.func.name}")
              for r in runners if r.func.owner] + wrappers
    functions = [Item(r.func.name, f"{r.calls[0]} of {r.func.name}")
                 for r in runners if not r.func.owner]
    if not owners and not functions:
        proposal.add("execgov-runner-classes", "no governed path found (no plugin call inside "
                     "a try that catches Exception or has a finally): the contract's runner "
                     "name stays, so every execution is reported, the inventory to start from",
                     [Item(v, "the contract's default") for v in default("runner-classes")],
                     guess=True)
        return
    proposal.add("execgov-runner-classes", "classes whose methods run plugins in a guarded "
                 "try, and wrappers every call of a plugin goes through",
                 owners or [Item(v, "the contract's default") for v in default("runner-classes")])
    if functions:
        proposal.add("execgov-runner-functions", "functions that run plugins in a guarded try",
                     functions)


def _requirements(proposal: Proposal, runners: list[Runner], host: list[ModuleFacts],
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
            cls = classes.get(enum)
            if cls is not None and cls.enum_members:
                enums.setdefault(enum, f"{r.func.where}: {enum}.{member} used by a runner")
    metrics = [Item(n, f"{where[n]}: called in the finally of a runner") for n, _ in finals.most_common(1)]
    inputs = [Item(n, f"{at}: called before the plugin runs") for n, at, d in validators if d < 0]
    outputs = [Item(n, f"{at}: called after the plugin runs") for n, at, d in validators if d > 0]
    contract = any(i.value in default("metrics-functions") for i in metrics) or any(
        r.func.owner in default("runner-classes") for r in runners)
    for key, found, what in (("metrics-functions", metrics, "a metrics call in a runner's finally"),
                             ("input-validators", inputs, "an input validator in a runner"),
                             ("output-validators", outputs, "an output validator in a runner"),
                             ("error-envelope-builders", envelopes,
                              "an error envelope built in a runner's except")):
        if found:
            proposal.add("execgov-" + key, f"{what}: required of every runner", found)
        elif contract:
            proposal.add("execgov-" + key, "the host follows the contract's names (its runner or "
                         "metrics function is the default): the default is required",
                         [Item(v, "the contract's default") for v in default(key)], guess=True)
        else:
            proposal.add("execgov-" + key, f"off: the host has no {what}", [])
    if enums:
        name = next(iter(enums))
        proposal.add("execgov-lifecycle-enums", "the enum whose members the runners use",
                     [Item(name, enums[name])])
        proposal.add("execgov-lifecycle-states", f"the members of {name}",
                     [Item(v, classes[name].where) for v in classes[name].enum_members])


def _routes(proposal: Proposal, host: list[ModuleFacts], contract: bool) -> None:
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
