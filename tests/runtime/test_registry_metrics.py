"""Registry metrics: only lifecycle states, atomic per-plugin updates, read-only snapshots."""

from __future__ import annotations

import threading

import pytest

from reference_runtime import LifecycleState, PluginNotFoundError, PluginRegistry, Runtime
from reference_runtime.plugins import EchoPlugin


def test_register_and_get(runtime: Runtime) -> None:
    assert isinstance(runtime.registry.get_plugin("echo"), EchoPlugin)
    assert runtime.registry.metrics("echo").state is LifecycleState.LOADED
    assert "echo" in runtime.registry.names()


def test_unknown_plugin_is_typed_404(runtime: Runtime) -> None:
    with pytest.raises(PluginNotFoundError) as info:
        runtime.registry.get_plugin("nope")
    assert info.value.http_status == 404
    with pytest.raises(PluginNotFoundError):
        runtime.registry.update_execution_metrics("nope", LifecycleState.FAILED, 1.0, True)
    with pytest.raises(PluginNotFoundError):
        runtime.registry.metrics("nope")


def test_register_rejects_duplicates_and_non_plugins() -> None:
    registry = PluginRegistry()
    registry.register("echo", EchoPlugin())
    with pytest.raises(ValueError, match="already registered"):
        registry.register("echo", EchoPlugin())
    with pytest.raises(TypeError):
        registry.register("x", object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        registry.register("", EchoPlugin())


@pytest.mark.parametrize("state", ["SUCCESS", "ERROR", "success", "initialized", None, 3])
def test_invalid_states_are_rejected(runtime: Runtime, state: object) -> None:
    with pytest.raises(ValueError, match="invalid lifecycle state"):
        runtime.registry.update_execution_metrics("echo", state, 1.0, False)  # type: ignore[arg-type]
    assert runtime.registry.metrics("echo").executions == 0


@pytest.mark.parametrize("elapsed", [-1.0, float("nan"), float("inf"), "3", True])
def test_invalid_elapsed_is_rejected(runtime: Runtime, elapsed: object) -> None:
    with pytest.raises(ValueError, match="elapsed_ms"):
        runtime.registry.update_execution_metrics("echo", "FAILED", elapsed, True)  # type: ignore[arg-type]


def test_counts_times_and_state(runtime: Runtime) -> None:
    reg = runtime.registry
    before = reg.metrics("echo")
    reg.update_execution_metrics("echo", LifecycleState.INITIALIZED, 10.0, False)
    reg.update_execution_metrics("echo", "FAILED", 30.0, True)
    after = reg.metrics("echo")
    assert (after.success_count, after.error_count) == (1, 1)
    assert after.last_execution_time_ms == 30.0
    assert after.avg_execution_time_ms == pytest.approx(20.0)
    assert after.state is LifecycleState.FAILED
    assert after.last_used is not None
    assert before.executions == 0  # snapshots are read-only and never change afterwards
    with pytest.raises(AttributeError):
        after.success_count = 5  # type: ignore[misc]


def test_concurrent_updates_lose_nothing(runtime: Runtime) -> None:
    reg = runtime.registry
    per_thread, threads = 500, 8

    def work(i: int) -> None:
        for j in range(per_thread):
            reg.update_execution_metrics("echo", "FAILED" if (i + j) % 2 else "INITIALIZED",
                                         float(j % 7), bool((i + j) % 2))

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    metrics = reg.metrics("echo")
    assert metrics.executions == per_thread * threads
    assert metrics.success_count == metrics.error_count == per_thread * threads // 2
    assert metrics.avg_execution_time_ms == pytest.approx(
        sum(j % 7 for j in range(per_thread)) / per_thread)
