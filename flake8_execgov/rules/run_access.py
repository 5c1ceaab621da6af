"""Run access (contract section 3, GOV001/GOV002/GOV007): plugins execute in runners only,
inside the body of a ``try`` whose ``finally`` records metrics.

A *run access* loads a run method from a plugin expression, called or not, or asks
``getattr(<plugin>, "run")``; the direct argument of a capability check (``callable()``,
``inspect.iscoroutinefunction()`` ...) is not one. The semantic model records every run
access with its runner and ``try`` context; this unit judges them.
"""

from __future__ import annotations

from typing import Iterable

from ..model.runner_coverage import NO_TRY, RunnerCoverage
from ..model.name_guards import known_prefixes, reachable

from ..model.records import Finding
from ..model.semantic import SemanticModel
from .base import executions, RUNNER_OPTIONS, Hooks, Rule, access_text, governed_path

GOV001 = Rule(
    code="GOV001", title="plugin run outside a runner",
    template="{access} bypasses {runner}; execute plugins through {path}",
    where="the run access (`plugin.run`, or the `getattr(plugin, \"run\")` call)",
    what="Flags any execution of a plugin outside a runner class or runner function: a call "
    "of a run method (`run-methods`) or of a hook the plugin's type declares (`hook-methods`), "
    "an await, a callback handed to something that may call it "
    "(`pool.submit(plugin.run, x)`, `partial(plugin.run)`), a return or an alias "
    "(`f = plugin.run`), `getattr(plugin, \"run\")`, and a call of an entry of a registry "
    "(named in `dispatch-names`, or a module-level container a `registry-decorators` function "
    "fills). What a plugin hands back is plugin code too: calling what a plugin execution "
    "returned, an item of it or an attribute of either (`for step in plugin.steps(): "
    "step(job)`, `action = plugin.run(x); action.apply()`), except the methods its builtin "
    "data type has (`result.get(k)`), and handing such a value, or a registry entry, to a "
    "project function that calls that parameter (`await await_me_maybe(hook)`: reported at "
    "the argument). A plugin is also what a property returning one yields "
    "(`self.geo` for `@cached_property def geo(self): return get_plugin(\"geo\")`); a name "
    "or `self` attribute only ever built from a project class that is no plugin type is no "
    "plugin, whatever its name. A mention is not an execution: an argument of an inspection "
    "function (`inspection-functions`: `callable()`, `inspect.*`, `repr()` ...), a comparison "
    "operand, a formatted value, the object of an attribute read (`plugin.run.__name__`). "
    "A module-level function whose every use is covered inside runners is part of them. "
    "A use of another module's function that executes a plugin (in a project: "
    "docs/project.md), also where a function imports it, is an execution too; the message "
    "names the run it reaches and the first configured runner.",
    why="Only the runner validates input and output, builds error envelopes and records "
    "metrics. A direct call skips all of it: failures go unrecorded and unstructured.",
    example="async def analyze(self, request):\n"
    "    plugin = self.registry.get_plugin(request.tool_name)\n"
    "    return await plugin.run(request.payload)\n",
    fixed="async def analyze(self, request):\n"
    "    return await self.runner.run(request.tool_name, request.payload)\n",
    options=RUNNER_OPTIONS + ("dispatch-names", "registry-decorators", "inspection-functions"),
    fix="none",
    invalid=("handler = plugins[name].run\n",
             "pool.submit(getattr(plugin, 'run'), payload)\n",
             "class BasePlugin:\n    def filters(self):\n        return []\n\n\n"
             "def render(plugin, page):\n    return plugin.filters()\n",
             "def render(plugin, page):\n    for step in plugin.run(page):\n"
             "        step(page)\n"),
    valid=("if callable(plugin.run):\n    pass\n",
           "handler = plugin.name\n"))

GOV002 = Rule(
    code="GOV002", title="runner executes a plugin outside try/finally",
    template="{access} runs outside a try/finally; run it in the body of a try "
    "whose finally calls {metrics}()",
    where="the run access",
    what="In a runner, a run access must lie in the body of a `try` that has a `finally` (in the "
    "same function; a nested function or lambda counts where it is defined; a helper "
    "method used as `self.helper`, or a module-level helper function, is covered when every "
    "use is; a generator helper's body runs where the caller iterates it).",
    why="Without a `finally`, an exception skips the metrics update: the registry never "
    "learns the plugin failed.",
    example="class ToolRunner:\n"
    "    def run(self, name, payload):\n"
    "        validate_input_payload(payload)\n"
    "        try:\n"
    "            result = validate_plugin_output(self.registry.get_plugin(name).run(payload))\n"
    "        except Exception as exc:\n"
    "            return build_error_envelope(exc)\n"
    "        update_execution_metrics(name, \"INITIALIZED\", 0, False)\n"
    "        return result\n",
    fixed="class ToolRunner:\n"
    "    def run(self, name, payload):\n"
    "        validate_input_payload(payload)\n"
    "        try:\n"
    "            result = self.registry.get_plugin(name).run(payload)\n"
    "            return validate_plugin_output(result)\n"
    "        except Exception as exc:\n"
    "            return build_error_envelope(exc)\n"
    "        finally:\n"
    "            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n",
    options=RUNNER_OPTIONS + ("metrics-functions",), fix="unsafe",
    fix_note="moves a metrics call statement at the end of the `try` body (and identical copies "
    "in its handlers) to a `finally`, creating it. Unsafe: it changes when the call runs.")

GOV007 = Rule(
    code="GOV007", title="dynamic attribute access on a plugin",
    template="getattr() with a dynamic name on a plugin can reach {run}(); "
    "use a constant attribute name or execute through {path}",
    where="the `getattr(...)` call",
    what="Flags `getattr(<plugin>, <non-constant>)` with 2 or 3 arguments outside runners, "
    "unless its result is only inspected (an argument of an inspection function such as "
    "`callable()` or `inspect.isroutine()`), or its name is known to start with a prefix no "
    "run method can have (`if not name.startswith(\"on_\"): continue` before it, or "
    "`if name.startswith(\"on_\"):` around it), or its name is fixed to constants: a local "
    "or module-level name, or a `self.`/`cls.` attribute of the class body, whose every "
    "assignment is a string that is no run method or hook (`getattr(obj, cls.MARKER, [])`, "
    "then no finding; `\"run\"`, then a run access), or an f-string whose constant head or "
    "tail no run method or hook has (`getattr(plugin, f\"{kind}_fields\", {})`). The message "
    "names the run methods (and hooks) the name can still reach. Constant names other than "
    "the run methods are fine (`getattr(plugin, \"name\", \"?\")`).",
    why="A computed attribute name can be `run`: an ungoverned execution no rule can see.",
    example="handler = getattr(plugin, action)\n",
    fixed="handler = getattr(plugin, \"describe\")\n",
    options=RUNNER_OPTIONS, fix="none",
    valid=("ok = callable(getattr(plugin, action))\n",
           "fields = getattr(plugin, f\"{kind}_fields\", {})\n"))

RULES = (GOV001, GOV002, GOV007)
hooks = Hooks(needs=executions)


@hooks.at_end
def finish(model: SemanticModel, coverage: RunnerCoverage) -> Iterable[Finding]:
    cfg = model.config
    runner, path = governed_path(cfg, model.runner_classes)
    for access in model.accesses:
        if not coverage.in_runner(access):
            if access.kind == "run":
                yield GOV001.at(access.node, access=access_text(access), runner=runner, path=path)
            else:  # a dynamic name: which run methods can it reach?
                methods = reachable(model.vocab.run_patterns, known_prefixes(access))
                if methods:
                    yield GOV007.at(access.node, run="()/".join(methods), path=path)
        elif access.kind == "run" and access.runner is not None \
                and coverage.problem(access, access.runner) == NO_TRY:
            yield GOV002.at(access.node, access=access_text(access),
                            metrics=cfg.metrics_functions.first)
