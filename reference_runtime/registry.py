"""The plugin registry: plugins by name, and their execution metrics."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Optional, Union

from .errors import PluginNotFoundError
from .lifecycle import LifecycleState
from .plugins import BasePlugin


@dataclass(frozen=True)
class PluginMetrics:
    """A read-only snapshot of one plugin's execution metrics."""

    success_count: int = 0
    error_count: int = 0
    last_execution_time_ms: Optional[float] = None
    avg_execution_time_ms: Optional[float] = None
    last_used: Optional[float] = None
    state: LifecycleState = LifecycleState.LOADED

    @property
    def executions(self) -> int:
        return self.success_count + self.error_count


class PluginRegistry:
    """Thread-safe registry.

    Contract: :meth:`update_execution_metrics` is the only way metrics change; it accepts
    only lifecycle states and updates every field of a plugin's metrics atomically, so
    concurrent executions lose no update.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plugins: dict[str, BasePlugin] = {}
        self._metrics: dict[str, PluginMetrics] = {}

    def register(self, name: str, plugin: BasePlugin) -> None:
        """Register ``plugin`` under ``name`` (state LOADED); a name is registered once."""
        if not isinstance(name, str) or not name:
            raise ValueError("a plugin name must be a non-empty string")
        if not isinstance(plugin, BasePlugin):
            raise TypeError(f"{plugin!r} is not a BasePlugin")
        with self._lock:
            if name in self._plugins:
                raise ValueError(f"plugin {name!r} is already registered")
            self._plugins[name] = plugin
            self._metrics[name] = PluginMetrics()

    def get_plugin(self, name: str) -> BasePlugin:
        """The plugin registered as ``name``; :class:`PluginNotFoundError` (404) otherwise."""
        with self._lock:
            self._require(name)
            return self._plugins[name]

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._plugins)

    def metrics(self, name: str) -> PluginMetrics:
        """A snapshot of the plugin's metrics (immutable; later updates do not change it)."""
        with self._lock:
            self._require(name)
            return self._metrics[name]

    def update_execution_metrics(self, plugin_name: str, state: Union[LifecycleState, str],
                                 elapsed_ms: float, had_error: bool) -> PluginMetrics:
        """Record one execution. ``state`` must be a lifecycle state (member or exact
        name): ``"SUCCESS"``/``"ERROR"`` raise ``ValueError``. Returns the new snapshot."""
        lifecycle = LifecycleState.parse(state)
        if isinstance(elapsed_ms, bool) or not isinstance(elapsed_ms, (int, float)) \
                or not math.isfinite(elapsed_ms) or elapsed_ms < 0:
            raise ValueError(f"elapsed_ms must be a finite number >= 0, not {elapsed_ms!r}")
        with self._lock:
            self._require(plugin_name)
            old = self._metrics[plugin_name]
            count = old.executions + 1
            previous_total = (old.avg_execution_time_ms or 0.0) * old.executions
            new = replace(
                old,
                success_count=old.success_count + (0 if had_error else 1),
                error_count=old.error_count + (1 if had_error else 0),
                last_execution_time_ms=float(elapsed_ms),
                avg_execution_time_ms=(previous_total + elapsed_ms) / count,
                last_used=time.time(),
                state=lifecycle,
            )
            self._metrics[plugin_name] = new
            return new

    def _require(self, name: str) -> None:
        """Raise the typed 404 for an unknown name (called with the lock held)."""
        if name not in self._plugins:
            raise PluginNotFoundError(f"no plugin named {name!r}")
