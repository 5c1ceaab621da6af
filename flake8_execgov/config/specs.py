"""The ``execgov-*`` options: name, default, kind of value and help, in one table.

Every front end registers and reads these (the flake8 plugin, the gate, the commands,
``check-config``, the table in ``docs/configuration.md``); :mod:`config.options` parses and
validates them.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "execgov-"


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
    OptionSpec("project-root", "", "path",
               "the project whose modules' imports are followed (default: the folder of "
               "flake8's config file, else the current directory)"),
    OptionSpec("source-roots", "", "dirs",
               "folders whose contents are top-level modules, where the package structure "
               "cannot tell (namespace packages); relative to the project root"),
    OptionSpec("cache-dir", "", "path",
               "where module summaries are cached (default: .execgov_cache in the project "
               "root; the environment's EXECGOV_CACHE_DIR wins)"),
    OptionSpec("cache", "true", "flag",
               "false: do not cache module summaries on disk (execgov check --no-cache)"),
)

# The kinds of value that are lists (and so have an ``extend-`` twin).
LIST_KINDS = frozenset(("patterns", "names", "values", "paths", "statuses", "states",
                        "replacements"))
EXTENDS: dict[str, OptionSpec] = {
    spec.name: OptionSpec(f"extend-{spec.name}", "", spec.kind,
                          f"added to {spec.key} (its default or value) instead of replacing it")
    for spec in OPTIONS if spec.kind in LIST_KINDS}
ALL_OPTIONS: tuple[OptionSpec, ...] = OPTIONS + tuple(EXTENDS.values())
OPTIONS_BY_KEY: dict[str, OptionSpec] = {spec.key: spec for spec in ALL_OPTIONS}
