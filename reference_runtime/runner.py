"""ToolRunner: the single governed path through which plugins execute."""

from __future__ import annotations

import time
from typing import Any, Optional

from .errors import ExecutionError
from .lifecycle import LifecycleState
from .registry import PluginRegistry
from .validation import ErrorEnvelope, build_error_envelope, validate_input_payload, validate_plugin_output

RunResult = tuple[Optional[dict[str, Any]], Optional[ErrorEnvelope]]


class ToolRunner:
    """Executes plugins under the execution contract.

    ``run(plugin_name, payload) -> (result, error)``, exactly one of them set:

    1. the plugin is looked up and the payload validated *before* anything runs; an
       unknown plugin or an invalid payload returns an envelope and records **no**
       metrics (no execution happened, and a caller's bad request must not mark a
       healthy plugin FAILED);
    2. the plugin runs inside ``try``; its output is validated inside the same ``try``;
    3. any ``Exception`` becomes a structured error envelope (never raised to callers);
    4. the ``finally`` always calls ``update_execution_metrics``: ``INITIALIZED`` after a
       success, ``FAILED`` after an error -- never ``SUCCESS``/``ERROR``.
    """

    def __init__(self, registry: PluginRegistry) -> None:
        self._registry = registry

    def run(self, plugin_name: str, payload: object) -> RunResult:
        try:
            plugin = self._registry.get_plugin(plugin_name)
            checked = validate_input_payload(payload)
        except ExecutionError as exc:
            return None, build_error_envelope(exc, plugin_name)
        result: Optional[dict[str, Any]] = None
        error: Optional[ErrorEnvelope] = None
        state = LifecycleState.FAILED
        started = time.perf_counter()
        try:
            output = plugin.run(checked)
            result = validate_plugin_output(output)
            state = LifecycleState.INITIALIZED
        except Exception as exc:
            error = build_error_envelope(exc, plugin_name)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000.0
            self._registry.update_execution_metrics(
                plugin_name, state, elapsed_ms, state is not LifecycleState.INITIALIZED)
        return result, error
