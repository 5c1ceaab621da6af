"""Plugin types or the host's own interfaces: can an instance come from outside the host?

An abstract class in ``interfaces.py`` with hooks and a family is what a plugin type looks
like, and also what a host's own service looks like (an account storage, a certificate
lineage) that it declares abstractly and implements itself. Nothing in the class tells
them apart; where their instances come from does. When the host constructs an
implementation by name (``AccountFileStorage(config)``), it supplies instances itself, and
the type is a plugin type only if something shows that instances are also made elsewhere:

- loaded objects are checked against it (``isinstance``/``issubclass``, directly or
  through a parameter): ``checked`` in :func:`.infer.infer`;
- a hook or signal lets plugins supply it (``register_builder``, ``get_writer``);
- a function files a parameter of that type in a container (``self.order.append(plugin)``
  with ``plugin: CoveragePlugin``): a registration function, through which a plugin's
  objects enter the host;
- a hook returns one, or its class: a declared hook of another plugin type (``def
  file_tracer(self, filename) -> FileTracer | None``), or a hook implementation (a
  function decorated with a pluggy ``HookimplMarker``, ``-> type[VersionSchemeInterface]``):
  the plugin makes it, and the host's built-in implementation is registered the same way.

A type the host never constructs keeps its place without such evidence: its instances
can only come from elsewhere (or from registries this reading cannot follow).
"""

from __future__ import annotations

import re

from .records import ClassFact, ModuleFacts

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _implementations(name: str, own: ClassFact,
                     derived: dict[str, list[ClassFact]]) -> list[ClassFact]:
    """The project classes deriving from ``name``, directly or not (by name, as bases are
    written; the type itself left out when an implementation shares its name)."""
    seen = {own.where}
    found: list[ClassFact] = []
    todo = [name]
    while todo:
        for sub in derived.get(todo.pop(), ()):
            if sub.where not in seen:
                seen.add(sub.where)
                found.append(sub)
                todo.append(sub.name)
    return found


def host_interfaces(types: dict[str, ClassFact], host: list[ModuleFacts],
                    derived: dict[str, list[ClassFact]],
                    outside: set[str]) -> dict[str, str]:
    """The types of ``types`` that are the host's own interfaces, each with why: the host
    constructs an implementation by name, and no evidence says instances also come from
    elsewhere (``outside``: the types :func:`.infer.infer` already knows are checked or
    offered by a hook; the registrations and hook returns are read here)."""
    built: dict[str, str] = {}  # a class name called as written -> where
    for m in host:
        for f in m.functions:
            for call in f.calls:
                built.setdefault(call.name.rsplit(".", 1)[-1], call.where)
    markers = {n for m in host for n in m.impl_markers}
    implemented = {at for m in host for deco, _, at in m.decorated
                   if deco.split(".")[0] in markers or deco.rsplit(".", 1)[-1] in markers}
    # registered (a parameter filed in a container), or returned by a hook implementation
    supplied = {word for m in host for annotation, _ in m.filed
                for word in _WORD.findall(annotation)}
    supplied |= {word for m in host for f in m.functions if f.where in implemented
                 for word in _WORD.findall(f.returns)}
    pending: dict[str, str] = {}
    for name, c in types.items():
        made = [sub for sub in _implementations(name, c, derived) if sub.name in built]
        if made and name not in outside and name not in supplied:
            pending[name] = (f"{c.where}: {name} is the host's own interface, not a plugin "
                             f"type: the host constructs {made[0].name} "
                             f"({built[made[0].name]}) and nothing supplies one from "
                             "outside (no check of loaded objects, no hook or registration "
                             "function, no hook of a plugin type returns one)")
    # a declared hook of a kept type returning one keeps it, and so on: each type's
    # hooks read once (a worklist), not every kept type again for every pending one
    queue = [c for name, c in types.items() if name not in pending]
    while queue:
        kept = queue.pop()
        for meth, declared in kept.methods.items():
            for word in _WORD.findall(kept.returns.get(meth, "")) if declared else ():
                if word in pending:
                    del pending[word]
                    queue.append(types[word])
    return pending
