"""Runner lifecycle states and runner validation: the governed path itself."""

from __future__ import annotations

from typing import Any, Mapping

import pytest

from reference_runtime import BasePlugin, ErrorEnvelope, LifecycleState, PluginRegistry, Runtime, ToolRunner


def test_success_returns_result_and_records_initialized(runtime: Runtime) -> None:
    result, error = runtime.runner.run("wordcount", {"text": "a b c"})
    assert (result, error) == ({"words": 3}, None)
    metrics = runtime.registry.metrics("wordcount")
    assert metrics.state is LifecycleState.INITIALIZED
    assert (metrics.success_count, metrics.error_count) == (1, 0)
    assert metrics.last_execution_time_ms is not None and metrics.last_execution_time_ms >= 0


def test_plugin_failure_returns_envelope_and_records_failed(runtime: Runtime) -> None:
    result, error = runtime.runner.run("wordcount", {"text": 5})
    assert result is None
    assert isinstance(error, ErrorEnvelope)
    assert error.type == "TypeError" and error.plugin == "wordcount"
    assert set(error.to_dict()) == {"type", "message", "details", "plugin", "timestamp"}
    assert "Traceback" in error.traceback and "traceback" not in error.to_dict()
    metrics = runtime.registry.metrics("wordcount")
    assert metrics.state is LifecycleState.FAILED
    assert (metrics.success_count, metrics.error_count) == (0, 1)


def test_invalid_output_is_an_error(runtime: Runtime) -> None:
    result, error = runtime.runner.run("bad-output", {})
    assert result is None and error is not None and error.type == "OutputValidationError"
    assert runtime.registry.metrics("bad-output").state is LifecycleState.FAILED


@pytest.mark.parametrize("payload", [None, [1, 2], "text", {1: "x"}])
def test_invalid_input_is_rejected_before_running(runtime: Runtime, payload: Any) -> None:
    result, error = runtime.runner.run("recording", payload)
    assert result is None and error is not None and error.type == "PayloadValidationError"
    assert runtime.registry.get_plugin("recording").threads == []  # type: ignore[attr-defined]
    assert runtime.registry.metrics("recording").executions == 0  # no execution, no metrics


def test_unknown_plugin_returns_envelope_without_metrics(runtime: Runtime) -> None:
    result, error = runtime.runner.run("missing", {})
    assert result is None and error is not None and error.type == "PluginNotFoundError"


def test_exactly_one_of_result_and_error(runtime: Runtime) -> None:
    for name, payload in [("echo", {}), ("wordcount", {}), ("bad-output", {}), ("nope", {})]:
        result, error = runtime.runner.run(name, payload)
        assert (result is None) != (error is None)


def test_payload_is_copied_before_the_plugin_sees_it(runtime: Runtime) -> None:
    payload = {"a": 1}
    result, _ = runtime.runner.run("echo", payload)
    assert result == {"echo": {"a": 1}}
    assert result is not None and result["echo"] is not payload


def test_base_exceptions_still_record_metrics() -> None:
    class Interrupting(BasePlugin):
        def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
            raise KeyboardInterrupt

    registry = PluginRegistry()
    registry.register("int", Interrupting())
    with pytest.raises(KeyboardInterrupt):
        ToolRunner(registry).run("int", {})
    metrics = registry.metrics("int")
    assert (metrics.error_count, metrics.state) == (1, LifecycleState.FAILED)
