"""Every ``execgov-*`` option in one place: spec, defaults, parsing and validation.

flake8 and ``execgov fix`` both build a :class:`Config` from here, so the linter and the
fixer can never disagree on what a setting means.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

PREFIX = "execgov-"


class ConfigError(ValueError):
    """A bad ``execgov-*`` value or key; ``str()`` is the one-line message for the user."""


@dataclass(frozen=True)
class OptionSpec:
    """One option: its name without the prefix, default, value kind and help text."""

    name: str
    default: str
    kind: str
    help: str

    @property
    def key(self) -> str:
        return PREFIX + self.name

    @property
    def attr(self) -> str:
        return self.key.replace("-", "_")


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("runner-classes", "ToolRunner", "patterns",
               "classes whose methods may execute plugins (the governed path)"),
    OptionSpec("runner-functions", "", "patterns",
               "functions (module-level, methods or nested) that may execute plugins"),
    OptionSpec("plugin-names", "plugin,*_plugin", "patterns",
               "names/attributes that denote a plugin object"),
    OptionSpec("plugin-collections", "plugins,*_plugins", "patterns",
               "names/attributes of collections of plugins (subscripted, iterated)"),
    OptionSpec("plugin-getters", "get_plugin,get_plugin_instance", "patterns",
               "functions/methods that return a plugin object"),
    OptionSpec("plugin-types", "BasePlugin,Plugin", "patterns",
               "annotation types that mark a local name or parameter as a plugin"),
    OptionSpec("run-methods", "run", "patterns",
               "plugin attributes that execute the plugin"),
    OptionSpec("metrics-functions", "update_execution_metrics", "patterns",
               "functions that record execution metrics"),
    OptionSpec("metrics-state-keyword", "state", "identifier",
               "keyword argument of the metrics function that carries the state"),
    OptionSpec("metrics-state-position", "1", "index",
               "positional index of the state argument of the metrics function"),
    OptionSpec("lifecycle-states", "LOADED,INITIALIZED,RUNNING,FAILED,UNAVAILABLE", "states",
               "the valid lifecycle states (case-sensitive)"),
    OptionSpec("lifecycle-enums", "LifecycleState,PluginLifecycleState", "patterns",
               "enum classes whose members are lifecycle states"),
    OptionSpec("tool-name-args", "tool_name", "names",
               "keys/names that carry a tool name (compared exactly)"),
    OptionSpec("forbidden-tool-defaults", "default", "values",
               "hard-coded tool-name fallbacks to flag (case-insensitive)"),
    OptionSpec("input-validators", "validate_input_payload", "patterns",
               "functions that validate a plugin's input"),
    OptionSpec("output-validators", "validate_plugin_output", "patterns",
               "functions that validate a plugin's output"),
    OptionSpec("error-envelope-builders", "build_error_envelope", "patterns",
               "functions that build the structured error envelope"),
    OptionSpec("auth-dependencies", "require_auth", "patterns",
               "dependencies that authenticate a web route"),
    OptionSpec("public-routes", "/health,/healthz,/ready,/metrics", "paths",
               "route paths exempt from GOV201"),
    OptionSpec("forbidden-statuses", "500", "statuses",
               "HTTP statuses a route must never answer (GOV202)"),
    OptionSpec("state-replacements", "SUCCESS:INITIALIZED,ERROR:FAILED", "replacements",
               "FROM:TO pairs used by `execgov fix` for invalid states"),
)

OPTIONS_BY_KEY: dict[str, OptionSpec] = {spec.key: spec for spec in OPTIONS}

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_*?\[\]!.-]+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_GLOB_META = re.compile(r"[*?\[\]!]")


class NameMatcher:
    """Shell-style glob patterns matched case-sensitively against one identifier."""

    __slots__ = ("patterns", "_match", "literals")

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        if self.patterns:
            regex = "|".join(f"(?:{fnmatch.translate(p)})" for p in self.patterns)
            self._match: Callable[[str], Any] | None = re.compile(regex).match
        else:
            self._match = None
        # The longest literal run of each pattern: a file that contains none of them
        # cannot contain a matching identifier (used by the prefilter).
        self.literals = tuple(max(_literal_runs(p), key=len) for p in self.patterns)

    def __call__(self, name: str | None) -> bool:
        return name is not None and self._match is not None and self._match(name) is not None

    @property
    def first(self) -> str:
        """A readable example name for messages (first pattern without glob characters)."""
        for pattern in self.patterns:
            if not _GLOB_META.search(pattern):
                return pattern
        return self.patterns[0] if self.patterns else "?"


def _literal_runs(pattern: str) -> list[str]:
    """The literal parts of a glob, split at ``*``, ``?`` and ``[...]`` as fnmatch reads them
    (an unterminated ``[`` is a literal)."""
    runs, current, i, n = [], "", 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char in "*?":
            runs.append(current)
            current, i = "", i + 1
            continue
        if char == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j < n:  # a character class: one unknown character
                runs.append(current)
                current, i = "", j + 1
                continue
        current += char
        i += 1
    runs.append(current)
    return runs


# A line with a route decorator (GOV201/202): ``@<router>.get(`` and friends. Unanchored,
# so it matches a superset of decorator lines (more walks, never a miss).
_ROUTE_DECORATOR = re.compile(
    r"@[^\n]*\.[ \t]*(?:get|post|put|patch|delete|head|options|api_route|websocket)[ \t]*\(")


class Prefilter:
    """Text any file with a possible finding must contain.

    Every finding needs one of the configured names in the source text (a plugin name,
    collection, getter or type; the metrics function; a lifecycle enum; a tool-name key;
    an import alias names its original) or a route decorator, so files with none of them
    skip the walk entirely: flake8 runs every plugin on every file, whatever ``--select``
    says, and most files have nothing to do with plugins.
    """

    def __init__(self, literals: Iterable[str]) -> None:
        kept: list[str] = []
        for literal in sorted(set(literals), key=lambda text: (len(text), text)):
            if not any(shorter in literal for shorter in kept):
                kept.append(literal)  # "plugin" already covers "_plugins", "get_plugin"
        self.literals = tuple(kept)

    def search(self, text: str) -> bool:
        return any(literal in text for literal in self.literals) or \
            ("@" in text and _ROUTE_DECORATOR.search(text) is not None)


def _prefilter(matchers: Sequence[NameMatcher], names: Iterable[str]) -> Optional[Prefilter]:
    """The prefilter for these settings; None when a pattern (like ``*``) has no literal part."""
    literals = list(names)
    for matcher in matchers:
        if any(not literal for literal in matcher.literals):
            return None
        literals += matcher.literals
    return Prefilter(literals)


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
    prefilter: Optional[Prefilter]  # derived from the names above, built once
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


def _fail(spec: OptionSpec, message: str) -> ConfigError:
    return ConfigError(f"{spec.key}: {message}")


def _parse_value(spec: OptionSpec, value: Any) -> Any:
    """Validate one option value and return its canonical form (a tuple, str or int)."""
    if spec.kind in ("identifier", "index"):
        text = str(value).strip()
        if spec.kind == "identifier":
            if not _IDENTIFIER.match(text):
                raise _fail(spec, f"{text!r} is not a Python identifier")
            return text
        if not text.isdigit():
            raise _fail(spec, f"{text!r} is not a non-negative integer")
        return int(text)
    items = tuple(split_list(value))
    for item in items:
        if spec.kind == "patterns" and not _NAME_PATTERN.match(item):
            raise _fail(spec, f"{item!r} is not a name or shell-style pattern")
        if spec.kind in ("names", "states") and not _IDENTIFIER.match(item):
            raise _fail(spec, f"{item!r} is not a Python identifier")
        if spec.kind == "paths" and not item.startswith("/"):
            raise _fail(spec, f"{item!r} is not a route path (it must start with '/')")
        if spec.kind == "statuses" and not (item.isdigit() and 100 <= int(item) <= 599):
            raise _fail(spec, f"{item!r} is not an HTTP status code (100-599)")
        if spec.kind == "replacements":
            old, sep, new = item.partition(":")
            if not sep or not _IDENTIFIER.match(old) or not _IDENTIFIER.match(new):
                raise _fail(spec, f"{item!r} is not a FROM:TO pair of state names")
    return items


def build_config(values: Mapping[str, Any] | None = None) -> Config:
    """Build a :class:`Config` from ``{option key or attr: value}``; missing keys default."""
    given: dict[str, Any] = {}
    for key, value in (values or {}).items():
        norm = key.replace("_", "-")
        if not norm.startswith(PREFIX):
            norm = PREFIX + norm
        if norm not in OPTIONS_BY_KEY:
            raise ConfigError(unknown_key_message(norm))
        if value is not None:
            given[norm] = value
    raw: dict[str, Any] = {}
    for spec in OPTIONS:
        raw[spec.name] = _parse_value(spec, given.get(spec.key, spec.default))

    states = frozenset(raw["lifecycle-states"])
    replacements = dict(item.split(":", 1) for item in raw["state-replacements"])
    for old, new in replacements.items():
        if new not in states:
            raise _fail(OPTIONS_BY_KEY[PREFIX + "state-replacements"],
                        f"{old}:{new} replaces with {new!r}, which is not a lifecycle state")

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
        prefilter=_prefilter([m(name) for name in (
            "plugin-names", "plugin-collections", "plugin-getters", "plugin-types",
            "metrics-functions", "lifecycle-enums")], tool_names),
        raw=raw,
    )


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
