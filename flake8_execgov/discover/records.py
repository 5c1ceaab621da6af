"""What ``execgov init`` learns of a host: per module (filled by :mod:`.scan`), and the
proposal made of it (:mod:`.infer`), each value with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional


@dataclass
class ClassFact:
    name: str
    where: str
    bases: list[str]
    methods: dict[str, bool] = field(default_factory=dict)  # public method -> declared only
    abstract: bool = False
    private: set[str] = field(default_factory=set)  # ``_name`` methods
    delegates: list[tuple[str, str]] = field(default_factory=list)  # m() calls self.<x>.m()
    returns: dict[str, str] = field(default_factory=dict)  # public method -> its annotation
    where_hook: str = ""  # the hook that lets plugins supply instances (``get_writer``)
    enum_members: list[str] = field(default_factory=list)


@dataclass
class Call:
    """A call inside a function: what is called, where, in which try part."""

    name: str  # the called name as written, dotted (``self.manager.hook.x``)
    where: str
    part: str  # "body", "handler", "finally", "else" of the innermost try, or ""
    broad: bool  # the innermost try catches Exception/BaseException, or has a finally
    line: int = 0
    in_loop: bool = False


@dataclass
class FuncFact:
    name: str
    owner: Optional[str]  # the class of a method
    where: str
    calls: list[Call] = field(default_factory=list)
    member_loads: list[tuple[str, str]] = field(default_factory=list)  # (Enum, MEMBER)
    params: list[str] = field(default_factory=list)  # positional, without a method's self
    returns: str = ""  # the words of its return annotation
    # a loop's name over ``self.<attr>`` (or an item of it) -> attr: ``for m in self.events[k]``
    loop_entries: dict[str, str] = field(default_factory=dict)
    entry_calls: list[tuple[str, str]] = field(default_factory=list)  # (self attr, where) called


@dataclass
class ModuleFacts:
    path: str
    test: bool
    classes: list[ClassFact] = field(default_factory=list)
    functions: list[FuncFact] = field(default_factory=list)
    decorated: list[tuple[str, str, str]] = field(default_factory=list)  # (decorator, def, at)
    spec_markers: set[str] = field(default_factory=set)  # names bound to HookspecMarker(...)
    impl_markers: set[str] = field(default_factory=set)  # names bound to HookimplMarker(...)
    signals: list[tuple[str, str]] = field(default_factory=list)  # (name, where)
    loaders: list[tuple[str, str]] = field(default_factory=list)  # (what, where)
    checks: list[tuple[str, str]] = field(default_factory=list)  # isinstance/issubclass class
    # (function, parameter index or name) whose argument isinstance/issubclass checks against
    check_params: list[tuple[str, str]] = field(default_factory=list)
    # (called name, argument index or keyword, class named, where): ``self.filter(Plugin)``
    class_args: list[tuple[str, str, str, str]] = field(default_factory=list)
    annotated: list[tuple[str, str]] = field(default_factory=list)  # (name, annotation)
    # names assigned a container annotated to hold callables, and not filled where written
    callable_containers: list[tuple[str, str]] = field(default_factory=list)  # (name, words)
    getattr_names: list[tuple[str, str]] = field(default_factory=list)  # getattr(x, "lit")
    registries: list[tuple[str, str]] = field(default_factory=list)  # decorator fills name
    hook_filled: list[tuple[str, str]] = field(default_factory=list)  # filled from hook calls
    # (annotation, where) of a parameter the function files in a container: a registration
    filed: list[tuple[str, str]] = field(default_factory=list)
    routes: list[tuple[str, list[str], str]] = field(default_factory=list)  # (path, deps, at)


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
    turned_down: list[str] = field(default_factory=list)  # types that are the host's own
    enums_used: set[str] = field(default_factory=set)  # Name.MEMBER names runners load

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
