"""Every ``execgov-*`` option in one place: spec, defaults, parsing and validation.

flake8 and ``execgov fix`` both build a :class:`Config` from here, so the linter and the
fixer can never disagree on what a setting means.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from .names import NameMatcher, pattern_problem
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
    OptionSpec("dispatch-names", "", "patterns",
               "registries (or locals) of plugin callables: calling one of their entries "
               "executes a plugin (`self.events[name](x)`, `for hook in self.hooks: hook(x)`)"),
    OptionSpec("inspection-functions", "callable,iscoroutinefunction,isasyncgenfunction,"
               "isgeneratorfunction,iscoroutine,isawaitable,isroutine,isfunction,ismethod,"
               "isbuiltin,signature,getsource,getdoc,getfile,getmodule,repr,str,id,hash,type,"
               "isinstance,print,format,assert*Equal,assertIn,assertNotIn,assertIs,assertIsNot,"
               "assertGreater*,assertLess*", "patterns",
               "functions that only inspect or report their arguments: a run method passed to "
               "them is mentioned, not executed"),
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
    OptionSpec("baseline", "", "path",
               "baseline file of accepted findings (written by `execgov baseline`); a value "
               "with a / is relative to the config file, as flake8's paths are"),
    OptionSpec("project-root", "", "path", "the project whose modules' imports are followed "
               "(default: the folder of flake8's config file, else the current directory)"),
    OptionSpec("cache-dir", "", "path", "where module summaries are cached "
               "(default: .execgov_cache in the project root)"),
    OptionSpec("cache", "true", "values", "false: do not cache module summaries on disk"),
)

OPTIONS_BY_KEY: dict[str, OptionSpec] = {spec.key: spec for spec in OPTIONS}

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


def _fail(spec: OptionSpec, message: str) -> ConfigError:
    return ConfigError(f"{spec.key}: {message}")


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
            raise ConfigError(unknown_key_message(norm))
        if value is not None:
            given[norm] = value
    raw: dict[str, Any] = {}
    for spec in OPTIONS:
        raw[spec.name] = _parse_value(spec, given.get(spec.key, spec.default))

    states = frozenset(raw["lifecycle-states"])
    if not states:
        raise _fail(OPTIONS_BY_KEY[PREFIX + "lifecycle-states"],
                    "is empty; name at least one valid lifecycle state")
    if not raw["runner-classes"] and not raw["runner-functions"]:
        raise ConfigError(f"{PREFIX}runner-classes and {PREFIX}runner-functions are both empty: "
                          "nothing could execute a plugin; name the governed runner")
    default = OPTIONS_BY_KEY[PREFIX + "state-replacements"].default
    written = given.get(PREFIX + "state-replacements", default) != default  # flake8 passes it
    replacements = _replacements(raw["state-replacements"], states, written)
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
        baseline=raw["baseline"] or None,
        raw=raw,
    )


def _replacements(items: Sequence[str], states: frozenset[str],
                  written: bool) -> dict[str, str]:
    """``FROM:TO`` pairs for the fixer. The user's own must make sense (an error names
    them); the defaults adapt to the states: a default that replaces a valid state, or
    replaces with one that is not, is dropped (it concerns the fixer only)."""
    spec = OPTIONS_BY_KEY[PREFIX + "state-replacements"]
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
