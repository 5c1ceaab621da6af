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

import keyword
import re
from collections import Counter, defaultdict

from ..config.names import NameMatcher
from .governed import (default, dispatchers, executes, follows_contract, requirements,
                       routes, runner_options, runners_of)
from .records import ClassFact, Item, ModuleFacts, Proposal
from .supplied import host_interfaces

_PLUGINISH = re.compile(r"plugin|hook|interface|extension|addon|backend|provider", re.I)
_KIND = re.compile(r"(?<=[a-z0-9])Plugin$")
_AFFIXES = re.compile(r"^(Base|Abstract|Abc)|(Interface|Base|ABC|Abc|Protocol|Mixin)$")
# Words too common to mean a plugin on their own (``config: TPluginConfig``).
_GENERIC = frozenset(("config", "configs", "options", "settings", "base", "data", "info",
                      "context", "manager", "object", "item", "type", "value", "result",
                      "names", "order", "state", "args", "kwargs", "name", "path", "app",
                      "model", "models", "constant", "node", "visitor", "client", "error"))
# What plugins are handed (a configuration, options, a context), not what they are.
_DATA = frozenset(("config", "configs", "options", "settings", "data", "info", "context",
                   "result", "state", "args", "kwargs"))
_NEUTRAL = frozenset(("ABC", "ABCMeta", "Protocol", "Generic", "object"))
_CONTAINERS = frozenset(("list", "List", "dict", "Dict", "set", "Set", "tuple", "Tuple",
                         "Iterable", "Iterator", "Sequence", "Mapping", "Collection",
                         "MutableMapping", "MutableSequence", "frozenset", "FrozenSet"))


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
    # classes handed to a function that checks its argument against them
    # (``self.filter(ConverterPlugin)``, ``def filter(self, by_type): issubclass(p, by_type)``)
    checkers = {key for m in host for key in m.check_params}
    checked |= {named for m in host for callee, key, named, _ in m.class_args
                if (callee, key) in checkers}
    markers = {n for m in modules for n in m.spec_markers}
    specs = [(fn, at) for m in host for deco, fn, at in m.decorated
             if deco in markers or deco.split(".")[0] in markers or deco.rsplit(".", 1)[-1] in markers]
    signals = [(n, at) for m in host for n, at in m.signals]
    types = _plugin_types(host, classes, derived, checked, bool(specs or signals))
    offered = {_noun(m.group(1)) for hook, _ in specs + signals
               for m in [_CONTRIBUTES.search(hook)] if m}
    # offered as _contributed reads a hook (the class's whole name) or by its stem
    outside = {n for n in types if n in checked or _stems(n)[0] in offered
               or snake(n) in offered}
    for name, why in host_interfaces(types, host, derived, outside).items():
        del types[name]
        proposal.considered.append(why)
        proposal.turned_down.append(name)
    contributed = _contributed(specs + signals, classes, types)
    types.update(contributed)
    proposal.types = types
    proposal.loaders = [item for m in host for item in m.loaders]

    names, collections, methods = _vocabulary(host, types, derived, specs, signals)
    called_anywhere = {c.name.rsplit(".", 1)[-1] for m in host for f in m.functions
                       for c in f.calls if "." in c.name and not c.name.startswith("self.")}
    for name in contributed:  # the methods of a contributed class's family the host calls
        common = Counter(meth for sub in derived.get(name, []) for meth in sub.methods)
        methods += [Item(meth, f"{classes[name].where}: {count} class(es) deriving from {name} "
                         f"define {meth}(), and the host calls it")
                    for meth, count in common.items() if meth in called_anywhere]
    proposal.machinery = bool(types or specs or signals)
    dispatch = [Item(name, f"{at}: a decorator files functions in {name}")
                for m in host for name, at in m.registries]
    filled = {name: at for m in host for name, at in m.hook_filled}
    dispatch += [Item(name, f"{at}: filled with what a hook call returned")
                 for name, at in filled.items() if name not in {i.value for i in dispatch}]
    dispatch += _loaded_functions(host)
    dispatch += _callable_registries(host)
    if dispatch:
        proposal.machinery = True

    matcher_names = NameMatcher([i.value for i in names] or default("plugin-names"))
    run = NameMatcher([i.value for i in methods] or default("run-methods"))
    spec_names = {s for s, _ in specs}
    runners = runners_of(host, matcher_names, run, spec_names, proposal.considered)
    proposal.machinery = proposal.machinery or bool(runners)
    wrappers = [Item(c.name, f"{c.where}: derives from {base} and passes "
                     f"{', '.join(m for m, _ in c.delegates[:3])}() on to the {base} it "
                     "holds: a wrapper every call goes through")
                for m in host for c in m.classes
                for base in [b.rsplit(".", 1)[-1] for b in c.bases if b.rsplit(".", 1)[-1] in types]
                if sum(1 for _, held in c.delegates if matcher_names(held)) >= 2][:20]
    wrappers += dispatchers(host, {i.value for i in dispatch}, lambda called: executes(
        called, matcher_names, run, spec_names))
    runner_options(proposal, runners, classes, wrappers)
    proposal.add_found("execgov-plugin-types",
                       "classes whose instances are plugins (and classes deriving from them)",
                       [Item(n, _type_evidence(c, derived)) for n, c in types.items()])
    proposal.add("execgov-plugin-names", "names the host gives plugin objects", names)
    proposal.add("execgov-plugin-collections", "collections of plugins", collections, guess=True)
    proposal.add_found("execgov-run-methods", "what executes plugin code: the hooks", methods)
    proposal.add_found("execgov-dispatch-names", "registries of plugin callables", dispatch)
    requirements(proposal, runners, host, classes)
    routes(proposal, host, contract=follows_contract(proposal))
    return proposal


def _plugin_types(host: list[ModuleFacts], classes: dict[str, ClassFact],
                  derived: dict[str, list[ClassFact]], checked: set[str],
                  dispatching: bool) -> dict[str, ClassFact]:
    found: dict[str, ClassFact] = {}
    for m in host:
        for c in m.classes:
            if c.enum_members or any(b.endswith(("Exception", "Error", "Enum")) for b in c.bases):
                continue
            declared = [n for n, only in c.methods.items() if only]
            overridden = {n for sub in derived.get(c.name, ()) for n in sub.methods} & set(c.methods)
            hooks = len(set(declared) | overridden)
            family = len(derived.get(c.name, ()))
            interface = c.abstract or (len(declared) >= 1 and hooks * 2 >= len(c.methods)) or (
                family >= 3 and hooks >= 1)  # many classes override some of its methods
            # named as machinery (the class, its module or folder), or, in a host that
            # dispatches through hooks or signals, a Base* class a family derives from
            place = "/".join(m.path.rsplit("/", 2)[-2:])
            pluginish = bool(_PLUGINISH.search(c.name) or _PLUGINISH.search(place)) or (
                dispatching and c.name.startswith(("Base", "Abstract")) and family >= 2)
            used = len(derived.get(c.name, ())) >= 1 or c.name in checked or c.abstract
            data = _stems(c.name)[-1] in _DATA  # TPluginConfig: what plugins are given
            external = bool(c.bases) and all("." in b and b.rsplit(".", 1)[-1] not in _NEUTRAL
                                             for b in c.bases)  # ast.NodeVisitor's, not ours
            if interface and pluginish and used and not data and not external \
                    and not c.name.startswith("_"):
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
        singular = _noun(match.group(1))
        c = by_snake.get(singular)
        if c is not None and c.name not in types and not c.enum_members:
            c.where_hook = f"{at}: {hook} lets plugins supply {singular} objects"
            found[c.name] = c
    return found


def _noun(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _type_evidence(c: ClassFact, derived: dict[str, list[ClassFact]]) -> str:
    subs = derived.get(c.name, [])
    if c.where_hook:
        return f"{c.where}: the host's own; {c.where_hook}"
    said = "abstract" if c.abstract else "declares hooks"
    return f"{c.where}: {said}; {len(subs)} project class(es) derive from it"


def _stems(type_name: str) -> list[str]:
    """``BuildHookInterface`` -> ``build_hook``, ``hook``; ``ConverterPlugin`` ->
    ``converter`` (the word that says "plugin type" is no part of what the host calls an
    instance: ``converter = get_converter(mime)``; ``*_plugin`` is a default name)."""
    core = _AFFIXES.sub("", type_name) or type_name
    core = _KIND.sub("", core) or core
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
        stems = [s for s in _stems(name) if s not in _GENERIC and len(s) > 2
                 and not keyword.iskeyword(s)]
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
        family = Counter(meth for sub in derived.get(name, []) for meth in sub.private)
        methods += [Item(meth, f"{c.where}: {name}.{meth}() overridden by {count} subclasses")
                    for meth, count in family.items() if meth in c.private and count >= 2]
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


def _callable_registries(host: list[ModuleFacts]) -> list[Item]:
    """Containers of callables the plugin machinery keeps (``self.events: dict[str,
    list[Callable]] = {...}`` in ``plugins.py``): calling an entry runs what a plugin
    registered. Only containers assigned where they are annotated, with items that are
    callables (:func:`.scan._holds_callables`) and not written with their entries (a
    table of the host's own functions); a parameter is what a caller hands over."""
    found = []
    for m in host:
        if not _PLUGINISH.search("/".join(m.path.rsplit("/", 2)[-2:])):
            continue
        for var, words in m.callable_containers:
            if var not in ("self", "cls") and not var.startswith("__"):
                found.append(Item(var, f"{m.path}: annotated {words}: callables the plugin "
                                       "machinery keeps"))
    return found


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
                if int(at.rsplit(":", 1)[1]) in lines and not literal.startswith("_") \
                        and not literal[:1].isupper():  # a class: instantiating is no run
                    found.append(Item(literal, f"{at}: looked up on a loaded module"))
    return found
