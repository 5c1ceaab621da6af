"""Rule documentation: one source for ``execgov rules``/``explain``, the README table and
``docs/rules.md``. Each rule's example must produce its code and its fixed example none;
the test suite checks both, and that the rendered docs are current."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import MESSAGES


@dataclass(frozen=True)
class RuleDoc:
    code: str
    title: str
    where: str  # where the finding is reported (and so where ``# noqa`` goes)
    what: str
    why: str
    example: str
    fixed: str
    options: tuple[str, ...]
    fix: str  # "safe", "unsafe" or "none"
    fix_note: str = ""

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


# The fixed form of every runner-contract example: validation, envelope, metrics in finally.
CONFORMING_RUNNER = (
    "class ToolRunner:\n"
    "    def run(self, name, payload):\n"
    "        validate_input_payload(payload)\n"
    "        try:\n"
    "            return validate_plugin_output(self.registry.get_plugin(name).run(payload))\n"
    "        except Exception as exc:\n"
    "            return build_error_envelope(exc)\n"
    "        finally:\n"
    "            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n")


def _broken(old: str, new: str = "") -> str:
    """The conforming runner with one contract broken (as the fixture tests do)."""
    assert old in CONFORMING_RUNNER, old
    return CONFORMING_RUNNER.replace(old, new)


_RUNNER_OPTIONS = ("runner-classes", "runner-functions", "plugin-names", "plugin-collections",
                   "plugin-getters", "plugin-types", "run-methods")

RULES: tuple[RuleDoc, ...] = (
    RuleDoc(
        "GOV001", "plugin run outside a runner",
        "the run access (`plugin.run`, or the `getattr(plugin, \"run\")` call)",
        "Flags any access to a plugin's run method outside a runner class or runner function: "
        "called or not (`plugin.run(x)`, `await plugin.run(x)`, `f = plugin.run`, "
        "`pool.submit(plugin.run, x)`), and `getattr(plugin, \"run\")`. A capability check is "
        "allowed: the direct argument of `callable()`, `inspect.iscoroutinefunction()`, "
        "`isasyncgenfunction()`, `isgeneratorfunction()` or `inspect.signature()`.",
        "Only the runner validates input and output, builds error envelopes and records "
        "metrics. A direct call skips all of it: failures go unrecorded and unstructured.",
        "async def analyze(self, request):\n"
        "    plugin = self.registry.get_plugin(request.tool_name)\n"
        "    return await plugin.run(request.payload)\n",
        "async def analyze(self, request):\n"
        "    return await self.runner.run(request.tool_name, request.payload)\n",
        _RUNNER_OPTIONS, "none"),
    RuleDoc(
        "GOV002", "runner executes a plugin outside try/finally", "the run access",
        "In a runner, a run access must lie in the body of a `try` that has a `finally` (in the "
        "same function; a nested function or lambda counts where it is defined; a helper "
        "method called as `self.helper(...)` is covered when every such call is).",
        "Without a `finally`, an exception skips the metrics update: the registry never "
        "learns the plugin failed.",
        "class ToolRunner:\n"
        "    def run(self, name, payload):\n"
        "        validate_input_payload(payload)\n"
        "        result = self.registry.get_plugin(name).run(payload)\n"
        "        update_execution_metrics(name, \"INITIALIZED\", 0, False)\n"
        "        return validate_plugin_output(result)\n",
        "class ToolRunner:\n"
        "    def run(self, name, payload):\n"
        "        validate_input_payload(payload)\n"
        "        try:\n"
        "            result = self.registry.get_plugin(name).run(payload)\n"
        "            return validate_plugin_output(result)\n"
        "        except Exception as exc:\n"
        "            return build_error_envelope(exc)\n"
        "        finally:\n"
        "            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n",
        _RUNNER_OPTIONS + ("metrics-functions",), "unsafe",
        "moves a metrics call statement at the end of the `try` body (and identical copies "
        "in its handlers) to a `finally`, creating it. Unsafe: it changes when the call runs."),
    RuleDoc(
        "GOV003", "finally does not record metrics unconditionally", "the run access",
        "The `finally` covering a run access must call the metrics function unconditionally: "
        "a statement whose value is the call, directly in the `finally` or nested only in "
        "`with` blocks or a `try` body. The message says `is missing the metrics call` when "
        "there is none and `makes the metrics call conditional` when it sits under `if`, a "
        "loop or an `except` handler.",
        "Metrics recorded only on some paths undercount failures, exactly the executions "
        "operators need to see.",
        _broken("            update_execution_metrics(name, \"INITIALIZED\", 0, False)\n",
                "            if self.metrics_enabled:\n"
                "                update_execution_metrics(name, \"INITIALIZED\", 0, False)\n"),
        CONFORMING_RUNNER,
        _RUNNER_OPTIONS + ("metrics-functions",), "unsafe",
        "same fix as GOV002 when the call sits at the end of the `try` body."),
    RuleDoc(
        "GOV004", "invalid state reaches the metrics function",
        "the string literal that produced the state (possibly lines above the call)",
        "Resolves the state argument of a metrics call (keyword `state` or position 1) "
        "statically: string constants, both arms of `a if c else b`, local names through "
        "the assignments that can reach the call (one overwritten on every path before it "
        "does not; where paths merge, each that may reach counts), module constants. "
        "A value that is not a "
        "lifecycle state is reported once, at the literal. Unresolvable values (parameters, "
        "calls, `JobStatus.SUCCESS`) are not reported; an invalid lifecycle-enum member is "
        "reported as GOV005 only.",
        "A conforming registry rejects `SUCCESS`/`ERROR`: the metrics update raises inside "
        "the `finally` and masks the real outcome.",
        "def record(name, ok):\n"
        "    state = \"SUCCESS\" if ok else \"ERROR\"\n"
        "    update_execution_metrics(name, state, 0, not ok)\n",
        "def record(name, ok):\n"
        "    state = \"INITIALIZED\" if ok else \"FAILED\"\n"
        "    update_execution_metrics(name, state, 0, not ok)\n",
        ("metrics-functions", "metrics-state-keyword", "metrics-state-position",
         "lifecycle-states", "state-replacements"), "safe",
        "replaces the literal through `state-replacements` (default SUCCESS:INITIALIZED, "
        "ERROR:FAILED); a state without a replacement is left alone. Unsafe instead when the "
        "literal also reaches something else than a metrics state (`job.status == DONE`) "
        "or lives in a module- or class-level name: `execgov fix` says so and "
        "`--unsafe-fixes` applies it."),
    RuleDoc(
        "GOV005", "lifecycle enum member that is not a lifecycle state",
        "the member expression (`LifecycleState.SUCCESS`) or the member's name in the class body",
        "Flags `E.NAME`, `E[\"NAME\"]` and `E(\"NAME\")` for a lifecycle enum `E` (also through "
        "import aliases) where `NAME` is upper-case and not a lifecycle state, and such members "
        "defined in a lifecycle enum's class body. `JobStatus.SUCCESS` is another vocabulary "
        "and is never flagged; dunders (`E.__members__`) are fine.",
        "Lifecycle states are a closed vocabulary; `SUCCESS`/`ERROR` belong to jobs. Using "
        "them for plugins raises at run time or records states no dashboard understands.",
        "state = LifecycleState.SUCCESS\n",
        "state = LifecycleState.INITIALIZED\n",
        ("lifecycle-enums", "lifecycle-states", "state-replacements"), "safe",
        "replaces uses through `state-replacements`; member definitions are never changed."),
    RuleDoc(
        "GOV006", "tool name falls back to a hard-coded default", "the `\"default\"` literal",
        "Flags `x.get(\"tool_name\", \"default\")`, `tool_name = \"default\"` (also annotated and "
        "attribute targets), `<tool name> or \"default\"`, a parameter default, a keyword "
        "argument and a dict entry -- also where such a destination receives the literal as "
        "a fallback (`tool_name = os.getenv(\"TOOL\") or \"default\"`, "
        "`x if x else \"default\"`). Keys and names compare exactly, values "
        "case-insensitively.",
        "A silent default runs a plugin the caller never asked for and hides the missing "
        "field; the request should fail with a 400 instead.",
        "tool_name = request.get(\"tool_name\", \"default\")\n",
        "tool_name = request[\"tool_name\"]\n",
        ("tool-name-args", "forbidden-tool-defaults"), "none"),
    RuleDoc(
        "GOV007", "dynamic attribute access on a plugin", "the `getattr(...)` call",
        "Flags `getattr(<plugin>, <non-constant>)` with 2 or 3 arguments outside runners, "
        "unless it is the direct argument of `callable()`. Constant names other than the run "
        "methods are fine (`getattr(plugin, \"name\", \"?\")`).",
        "A computed attribute name can be `run`: an ungoverned execution no rule can see.",
        "handler = getattr(plugin, action)\n",
        "handler = getattr(plugin, \"describe\")\n",
        _RUNNER_OPTIONS, "none"),
    RuleDoc(
        "GOV101", "runner runs a plugin without validating its input", "the run access",
        "A covered run access needs a call to an input validator earlier in the same method "
        "(for a helper, in the calling method before the helper call).",
        "Plugins are third-party code: unvalidated payloads reach them unchecked.",
        _broken("        validate_input_payload(payload)\n"),
        CONFORMING_RUNNER,
        ("input-validators",), "none"),
    RuleDoc(
        "GOV102", "runner does not validate the plugin's output", "the run access",
        "A covered run access needs a call to an output validator after it, inside the body "
        "of the covering `try` (not its `else`: a validation failing there escapes the "
        "handler, and no error envelope is built).",
        "An unvalidated result leaves the governed path as if it were trusted.",
        _broken("validate_plugin_output(self.registry.get_plugin(name).run(payload))",
                "self.registry.get_plugin(name).run(payload)"),
        CONFORMING_RUNNER,
        ("output-validators",), "none"),
    RuleDoc(
        "GOV103", "runner handles a failure without the error envelope", "the run access",
        "A covered run access needs an enclosing `try` (in the same function) with a handler "
        "for `Exception`, `BaseException` or everything that calls an envelope builder.",
        "Without the envelope, callers get raw exceptions (and HTTP 500s) instead of a "
        "structured error.",
        _broken("        except Exception as exc:\n            return build_error_envelope(exc)\n"),
        CONFORMING_RUNNER,
        ("error-envelope-builders",), "none"),
    RuleDoc(
        "GOV201", "web route without the auth dependency", "the route's `def` line",
        "A function decorated with `@<router>.get/post/put/patch/delete/head/options/"
        "api_route/websocket(path, ...)` must be authorized: `Depends(A)`/`Security(A)` (or "
        "`Depends(A(...))`) as a parameter default or `Annotated[...]` metadata (also through "
        "a module-level alias), in the decorator's `dependencies=[...]`, or on the router "
        "(`APIRouter(dependencies=[...])`, `include_router(router, dependencies=[...])`) in the "
        "same module. Public routes are exempt.",
        "Every execution endpoint runs third-party code on the server: none may be anonymous.",
        "@router.post(\"/analyses\")\n"
        "async def analyze(body: dict):\n"
        "    return body\n",
        "@router.post(\"/analyses\")\n"
        "async def analyze(body: dict, user=Depends(require_auth)):\n"
        "    return body\n",
        ("auth-dependencies", "public-routes"), "none"),
    RuleDoc(
        "GOV202", "web route answers HTTP 500", "the call that builds the response",
        "Inside a route (nested functions included), `HTTPException`, `JSONResponse`, "
        "`Response` or any `*Response` built with a forbidden status: `status_code=`, "
        "`HTTPException`'s first argument or a response's second, written as a number, "
        "`status.HTTP_500_...` or `HTTPStatus.INTERNAL_SERVER_ERROR`.",
        "Execution errors are typed: map them to 400/404/409. A deliberate 500 hides the "
        "cause from clients and pages on-call for a client error.",
        "@router.get(\"/jobs/{job_id}\", dependencies=[Depends(require_auth)])\n"
        "def job(job_id: str):\n"
        "    raise HTTPException(status_code=500, detail=\"unknown job\")\n",
        "@router.get(\"/jobs/{job_id}\", dependencies=[Depends(require_auth)])\n"
        "def job(job_id: str):\n"
        "    raise HTTPException(status_code=404, detail=\"unknown job\")\n",
        ("forbidden-statuses",), "none"),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


def rules_table() -> str:
    """The Markdown table of every code (README)."""
    rows = ["| code | finding | reported at (put `# noqa` there) | fix |",
            "| --- | --- | --- | --- |"]
    for rule in RULES:
        rows.append(f"| [{rule.code}](docs/rules.md#{rule.code.lower()}) | {rule.title} "
                    f"| {rule.where} | {rule.fix} |")
    return "\n".join(rows) + "\n"


def explain(code: str) -> str:
    """One rule's page, as text (also Markdown)."""
    rule = RULES_BY_CODE[code]
    options = ", ".join(f"`execgov-{o}`" for o in rule.options)
    fix = rule.fix + (f": {rule.fix_note}" if rule.fix_note else "")
    return (
        f"## {rule.code}\n\n**{rule.title}**\n\n"
        f"Message: `{rule.message}`\n\n"
        f"Reported at: {rule.where}.\n\n"
        f"### What it does\n\n{rule.what}\n\n"
        f"### Why is this bad\n\n{rule.why}\n\n"
        f"### Example\n\n```python\n{rule.example}```\n\n"
        f"### Use instead\n\n```python\n{rule.fixed}```\n\n"
        f"### Options\n\n{options}\n\n"
        f"### Fix safety\n\n{fix}\n")


def rules_page() -> str:
    """``docs/rules.md``."""
    head = ("# Rules\n\n<!-- generated by `python -m flake8_execgov.ruledocs --write`; "
            "do not edit -->\n\n")
    return head + "\n".join(explain(rule.code) for rule in RULES)


def render_readme(readme: str) -> str:
    """The README with its generated rules table replaced."""
    start, end = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"
    head, _, rest = readme.partition(start)
    _, sep, tail = rest.partition(end)
    if not sep:
        raise ValueError("README.md has no rules-table markers")
    return head + start + rules_table() + end + tail


def main() -> None:  # pragma: no cover - exercised through the staleness test
    """``python -m flake8_execgov.ruledocs --write`` regenerates README table and docs."""
    import pathlib
    import sys

    root = pathlib.Path(__file__).resolve().parent.parent
    readme = root / "README.md"
    pages = {readme: render_readme(readme.read_text(encoding="utf-8")),
             root / "docs" / "rules.md": rules_page()}
    stale = [path for path, text in pages.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if "--write" in sys.argv:
        for path in stale:
            path.write_text(pages[path], encoding="utf-8")
    elif stale:
        raise SystemExit("stale: " + ", ".join(str(p) for p in stale))


if __name__ == "__main__":  # pragma: no cover
    main()
