"""Every ``execgov-*`` option's value: parsed, validated and built into one :class:`Config`.

flake8 and ``execgov fix`` both build a :class:`Config` from here, so the linter and the
fixer can never disagree on what a setting means.

A list option's value replaces its default; its ``execgov-extend-<name>`` twin adds to the
value (the default, or what the option is set to) instead, as flake8's ``extend-select``
does for ``select``: adding one reporting helper does not mean copying 23 defaults.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from .names import NameMatcher, pattern_problem
from .specs import (ALL_OPTIONS, EXTENDS, LIST_KINDS, OPTIONS, OPTIONS_BY_KEY, PREFIX,
                    OptionSpec)

__all__ = ["ALL_OPTIONS", "EXTENDS", "LIST_KINDS", "OPTIONS", "OPTIONS_BY_KEY", "PREFIX",
           "Config", "ConfigError", "DEFAULT_CONFIG", "OptionSpec", "build_config",
           "split_list", "unknown_key_message", "unknown_keys"]


class ConfigError(ValueError):
    """A bad ``execgov-*`` value or key; ``str()`` is the one-line message for the user,
    ``keys`` the options it is about (so that the front end can name their file)."""

    def __init__(self, message: str, *keys: str) -> None:
        super().__init__(message)
        self.keys = keys


# the options whose names may be module-qualified (``pkg.module:function``)
QUALIFIABLE = frozenset(("runner-classes", "runner-functions", "extend-runner-classes",
                         "extend-runner-functions"))
# what execgov-hook-methods may say: a plugin type's declared methods are hooks, or not
HOOK_CHOICES = ("declared", "listed")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Config:
    """The effective settings, validated and compiled."""

    runner_classes: NameMatcher
    runner_functions: NameMatcher
    plugin_names: NameMatcher
    plugin_collections: NameMatcher
    plugin_getters: NameMatcher
    plugin_types: NameMatcher
    run_methods: NameMatcher
    dispatch_names: NameMatcher
    registry_decorators: NameMatcher
    inspection_functions: NameMatcher
    metrics_functions: NameMatcher
    metrics_state_keyword: str
    metrics_state_position: int
    lifecycle_states: frozenset[str]
    lifecycle_enums: NameMatcher
    tool_name_args: frozenset[str]
    forbidden_tool_defaults: frozenset[str]
    input_validators: NameMatcher
    output_validators: NameMatcher
    error_envelope_builders: NameMatcher
    auth_dependencies: NameMatcher
    public_routes: frozenset[str]
    forbidden_statuses: frozenset[int]
    state_replacements: Mapping[str, str]
    hook_methods: str = "declared"  # declared | listed: are a plugin type's methods hooks?
    baseline: Optional[str] = None  # the baseline file, as flake8 normalised the path
    raw: Mapping[str, tuple[str, ...] | str | int] = field(default_factory=dict)

    @property
    def states_text(self) -> str:
        """The lifecycle states in their configured order, for messages."""
        return ", ".join(self.raw["lifecycle-states"])  # type: ignore[arg-type]


def split_list(value: str | Iterable[str]) -> list[str]:
    """Split a comma/whitespace separated value as flake8 does; lists pass through."""
    if isinstance(value, str):
        return [item for item in re.split(r"[,\s]+", value) if item]
    return [str(item).strip() for item in value if str(item).strip()]


def normalize_route(path: str) -> str:
    """Compare route paths without a trailing slash ('/' stays '/')."""
    return path.rstrip("/") or "/"


_FLAGS = {"true": True, "yes": True, "on": True, "1": True,
          "false": False, "no": False, "off": False, "0": False}


def _fail(spec: OptionSpec, message: str) -> ConfigError:
    return ConfigError(f"{spec.key}: {message}", spec.key)


def _shown(text: str) -> str:
    """A value as an error message quotes it: repr'd, and cut short (values can be huge)."""
    return repr(text) if len(text) <= _SHOWN else repr(text[:_SHOWN]) + "..."


_SHOWN = 40
_INDEX = re.compile(r"[0-9]{1,3}")  # ASCII digits only: str.isdigit() also takes '²'
_STATUS = re.compile(r"[1-5][0-9]{2}")


def _parse_value(spec: OptionSpec, value: Any) -> Any:
    """Validate one option value and return its canonical form (a tuple, str or int)."""
    if spec.kind == "path":
        return str(value).strip()
    if spec.kind == "flag":
        text = str(value).strip().lower()
        if text not in _FLAGS:
            raise _fail(spec, f"{_shown(text)} is not true or false")
        return _FLAGS[text]
    if spec.kind == "hooks":
        text = str(value).strip().lower()
        if text not in HOOK_CHOICES:
            raise _fail(spec, f"{_shown(text)} is not one of {', '.join(HOOK_CHOICES)}")
        return text
    if spec.kind in ("identifier", "index"):
        text = str(value).strip()
        if spec.kind == "identifier":
            if not _IDENTIFIER.match(text):
                raise _fail(spec, f"{_shown(text)} is not a Python identifier")
            return text
        if not _INDEX.fullmatch(text):
            raise _fail(spec, f"{_shown(text)} is not an argument position (0-999)")
        return int(text)
    items = tuple(split_list(value))
    for item in items:
        if spec.kind == "patterns":
            problem = pattern_problem(item)
            if problem is None and ":" in item and spec.name not in QUALIFIABLE:
                problem = " (only runner-classes and runner-functions take pkg.module:name)"
            if problem is not None:
                raise _fail(spec, f"{_shown(item)} is not a name or shell-style pattern{problem}")
        if spec.kind in ("names", "states") and not _IDENTIFIER.match(item):
            raise _fail(spec, f"{_shown(item)} is not a Python identifier")
        if spec.kind == "paths" and not item.startswith("/"):
            raise _fail(spec, f"{_shown(item)} is not a route path (it must start with '/')")
        if spec.kind == "statuses" and not _STATUS.fullmatch(item):
            raise _fail(spec, f"{_shown(item)} is not an HTTP status code (100-599)")
        if spec.kind == "replacements":
            old, sep, new = item.partition(":")
            if not sep or not _IDENTIFIER.match(old) or not _IDENTIFIER.match(new):
                raise _fail(spec, f"{_shown(item)} is not a FROM:TO pair of state names")
    return items


def build_config(values: Mapping[str, Any] | None = None) -> Config:
    """Build a :class:`Config` from ``{option key or attr: value}``; missing keys default."""
    given: dict[str, Any] = {}
    for key, value in (values or {}).items():
        norm = key.replace("_", "-")
        if not norm.startswith(PREFIX):
            norm = PREFIX + norm
        if norm not in OPTIONS_BY_KEY:
            raise ConfigError(unknown_key_message(norm), norm)
        if value is not None:
            given[norm] = value
    raw: dict[str, Any] = {}
    added: dict[str, tuple[str, ...]] = {}  # what the extend- twins add
    for spec in OPTIONS:
        raw[spec.name] = _parse_value(spec, given.get(spec.key, spec.default))
        twin = EXTENDS.get(spec.name)
        if twin is not None and given.get(twin.key):
            added[spec.name] = _parse_value(twin, given[twin.key])
            if spec.name != "state-replacements":
                raw[spec.name] += added[spec.name]

    states = frozenset(raw["lifecycle-states"])
    if not states:
        raise _fail(OPTIONS_BY_KEY[PREFIX + "lifecycle-states"],
                    "is empty; name at least one valid lifecycle state")
    if not raw["runner-classes"] and not raw["runner-functions"]:
        raise ConfigError(f"{PREFIX}runner-classes and {PREFIX}runner-functions are both empty: "
                          "nothing could execute a plugin; name the governed runner",
                          f"{PREFIX}runner-classes", f"{PREFIX}runner-functions")
    default = OPTIONS_BY_KEY[PREFIX + "state-replacements"].default
    written = given.get(PREFIX + "state-replacements", default) != default  # flake8 passes it
    replacements = _replacements(raw["state-replacements"], states, written)
    replacements.update(_more_replacements(added.get("state-replacements", ()), states,
                                           replacements))
    raw["state-replacements"] = tuple(f"{old}:{new}" for old, new in replacements.items())

    matchers = {spec.name: NameMatcher(raw[spec.name])
                for spec in OPTIONS if spec.kind == "patterns"}
    m = matchers.__getitem__
    tool_names = frozenset(raw["tool-name-args"])
    return Config(
        runner_classes=m("runner-classes"),
        runner_functions=m("runner-functions"),
        plugin_names=m("plugin-names"),
        plugin_collections=m("plugin-collections"),
        plugin_getters=m("plugin-getters"),
        plugin_types=m("plugin-types"),
        run_methods=m("run-methods"),
        dispatch_names=m("dispatch-names"),
        registry_decorators=m("registry-decorators"),
        inspection_functions=m("inspection-functions"),
        metrics_functions=m("metrics-functions"),
        metrics_state_keyword=raw["metrics-state-keyword"],
        metrics_state_position=raw["metrics-state-position"],
        lifecycle_states=states,
        lifecycle_enums=m("lifecycle-enums"),
        tool_name_args=tool_names,
        forbidden_tool_defaults=frozenset(v.lower() for v in raw["forbidden-tool-defaults"]),
        input_validators=m("input-validators"),
        output_validators=m("output-validators"),
        error_envelope_builders=m("error-envelope-builders"),
        auth_dependencies=m("auth-dependencies"),
        public_routes=frozenset(normalize_route(p) for p in raw["public-routes"]),
        forbidden_statuses=frozenset(int(s) for s in raw["forbidden-statuses"]),
        state_replacements=replacements,
        hook_methods=raw["hook-methods"],
        baseline=raw["baseline"] or None,
        raw=raw,
    )


def _replacements(items: Sequence[str], states: frozenset[str], written: bool,
                  spec: Optional[OptionSpec] = None) -> dict[str, str]:
    """``FROM:TO`` pairs for the fixer. The user's own must make sense (an error names
    them); the defaults adapt to the states: a default that replaces a valid state, or
    replaces with one that is not, is dropped (it concerns the fixer only)."""
    spec = spec or OPTIONS_BY_KEY[PREFIX + "state-replacements"]
    pairs: dict[str, str] = {}
    for item in items:
        old, new = item.split(":", 1)
        fits = new in states and old not in states
        if written and old in pairs:
            raise _fail(spec, f"{old!r} is replaced twice")
        if written and new not in states:
            raise _fail(spec, f"{old}:{new} replaces with {new!r}, which is not a lifecycle state")
        if written and old in states:
            raise _fail(spec, f"{old}:{new} replaces {old!r}, which is a lifecycle state")
        if fits:
            pairs[old] = new
    return pairs


def _more_replacements(items: Sequence[str], states: frozenset[str],
                       pairs: Mapping[str, str]) -> dict[str, str]:
    """``execgov-extend-state-replacements``: pairs written by the user (so they must
    fit), for states the value does not replace already."""
    spec = EXTENDS["state-replacements"]
    more = _replacements(items, states, True, spec)
    for old in more:
        if old in pairs:
            raise _fail(spec, f"{old!r} is replaced already ({old}:{pairs[old]}); "
                              f"set {PREFIX}state-replacements instead")
    return more


DEFAULT_CONFIG = build_config()


def unknown_key_message(key: str, where: str = "") -> str:
    """One line naming an unknown ``execgov-*`` key, with the closest valid key."""
    close = difflib.get_close_matches(key, list(OPTIONS_BY_KEY), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    place = f" in {where}" if where else ""
    return f"unknown option {key!r}{place}{hint}"


def unknown_keys(keys: Iterable[str]) -> list[str]:
    """The ``execgov-*`` config keys (``-`` or ``_`` spelled) that no option declares."""
    normalized = (key.replace("_", "-") for key in keys)
    return [key for key in normalized if key.startswith(PREFIX) and key not in OPTIONS_BY_KEY]
