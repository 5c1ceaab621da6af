"""Validation and envelope (contract section 3, GOV101-GOV103), for every covered run access:

- GOV101: an input validator is called earlier in the same method (for a helper, in the
  calling method before the helper call), or inside the execution's arguments;
- GOV102: an output validator is called after it (or wraps it) inside the body of the
  same ``try`` -- not its ``else``, where a failing validation escapes the handler;
- GOV103: a handler of an enclosing ``try`` catches ``Exception``/``BaseException``/
  everything and builds the error envelope.

Each check passes where the plugin executes or, for a helper, at every use of it. Each
stands on its own, whether or not GOV002/GOV003 fire for the same execution (a host
without a metrics API ignores those, and keeps these). An empty option
(``execgov-input-validators =`` ...) means no such requirement.
"""

from __future__ import annotations

from typing import Iterable

from ..model.runner_coverage import Context, RunnerCoverage
from ..config.options import Config
from ..config.prefilter import Needs
from ..model.records import Access, Finding, TryFrame
from ..model.semantic import SemanticModel
from .base import executions, CONFORMING_RUNNER, Hooks, Rule, access_text, broken

GOV101 = Rule(
    code="GOV101", title="runner runs a plugin without validating its input",
    template="{access} runs without input validation; call {validator}() before it",
    where="the run access",
    what="A run access in a runner that hands the plugin input needs a call to an input "
    "validator earlier in the same method (for a helper, in the calling method before the "
    "helper call). An execution that passes nothing (`checker.run()`, its object checked "
    "when it was built) needs none. A validator reached through a helper (a method of the "
    "runner class or a module-level function, at any depth) counts where the helper is "
    "called; so do output validators and envelope builders for GOV102/GOV103. Judged "
    "whether or not GOV002/GOV003 fire for it.",
    why="Plugins are third-party code: unvalidated payloads reach them unchecked.",
    example=broken("        validate_input_payload(payload)\n"),
    fixed=CONFORMING_RUNNER,
    options=("input-validators",), fix="none",
    valid=(broken("        validate_input_payload(payload)\n", "",
                  CONFORMING_RUNNER.replace(".run(payload)", ".run(validate_input_payload(payload))")),
           broken("        validate_input_payload(payload)\n", "",
                  CONFORMING_RUNNER.replace(".run(payload)", ".run()"))))

GOV102 = Rule(
    code="GOV102", title="runner does not validate the plugin's output",
    template="{access} output is not validated; call {validator}() on it in the try body",
    where="the run access",
    what="A covered run access needs a call to an output validator after it, inside the body "
    "of the covering `try` (not its `else`: a validation failing there escapes the "
    "handler, and no error envelope is built). Where no metrics are required, the try "
    "that counts is the innermost one around the run that has `except` handlers: a "
    "`try`/`finally` that only releases a resource catches no failure.",
    why="An unvalidated result leaves the governed path as if it were trusted.",
    example=broken("validate_plugin_output(self.registry.get_plugin(name).run(payload))",
                   "self.registry.get_plugin(name).run(payload)"),
    fixed=CONFORMING_RUNNER,
    options=("output-validators",), fix="none")

GOV103 = Rule(
    code="GOV103", title="runner handles a failure without the error envelope",
    template="{access} failure is not wrapped in an error envelope; catch Exception "
    "and call {builder}()",
    where="the run access",
    what="A covered run access needs an enclosing `try` (in the same function) with a handler "
    "for `Exception`, `BaseException` or everything that calls an envelope builder.",
    why="Without the envelope, callers get raw exceptions (and HTTP 500s) instead of a "
    "structured error.",
    example=broken("        except Exception as exc:\n            return build_error_envelope(exc)\n"),
    fixed=CONFORMING_RUNNER,
    options=("error-envelope-builders",), fix="none",
    invalid=(broken("except Exception", "except ValueError"),))

RULES = (GOV101, GOV102, GOV103)


def _needs(config: Config) -> Needs:
    """Executions, and the validators and envelope builders: a helper that only calls
    one of them must be walked too, since it counts where a runner calls it."""
    return Needs(names=(*executions(config).names, config.input_validators,
                        config.output_validators, config.error_envelope_builders))


hooks = Hooks(needs=_needs)


def validated_input(here: Context) -> bool:
    """An input validator written before, or inside the arguments of, the execution."""
    return any(p < here.start or here.start < p < here.end for p in here.frame.inputs)


def validated_output(here: Context) -> bool:
    """An output validator after the execution or wrapping it, in the covering try's body."""
    return any((p > here.start or (p <= here.start and e >= here.end))
               and (here.cover is None
                    or any(f is here.cover and part == "body" for f, part in trys))
               for p, e, trys in here.frame.outputs)


def enveloped(here: Context) -> bool:
    """An enclosing try's broad handler builds the error envelope."""
    return any(f.envelope_handler for f, part in here.trys if part == "body")


def _passes_input(access: Access) -> bool:
    """Does the execution hand the plugin input? A call with no arguments does not (its
    object was checked when it was built); a callback handed elsewhere may."""
    call = access.call
    return call is None or bool(call.args or call.keywords)


@hooks.at_end
def finish(model: SemanticModel, coverage: RunnerCoverage) -> Iterable[Finding]:
    cfg = model.config
    checks = (  # an empty option: no such requirement
        (GOV101, "validator", cfg.input_validators, validated_input),
        (GOV102, "validator", cfg.output_validators, validated_output),
        (GOV103, "builder", cfg.error_envelope_builders, enveloped),
    )
    for access in model.accesses:
        frame = access.runner
        if frame is None or access.kind != "run" or not coverage.in_runner(access):
            continue
        if access.via is not None:
            continue  # another module's helper: what it validates itself is not seen here
        # Each rule stands on its own: judged whether or not metrics cover the execution,
        # against the covering try, else the innermost try whose body holds it and whose
        # handlers can catch a failure (a try with only a finally that releases a
        # resource catches nothing: the try around it does).
        covered = coverage.cover(access)
        here = Context.at_access(access, frame, covered if isinstance(covered, TryFrame)
                                 else next((f for f, part in reversed(access.trys)
                                            if part == "body" and f.handles), None))
        for rule, field_name, names, check in checks:
            if rule is GOV101 and not _passes_input(access):
                continue  # nothing to validate: ``checker.run()``
            if names and not coverage.passes(check, here):
                yield rule.at(access.node, access=access_text(access), **{field_name: names.first})
