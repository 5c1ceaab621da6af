"""Execution services: every path to a plugin goes through ``ToolRunner``."""

from __future__ import annotations

from .runner import RunResult, ToolRunner


class PluginExecutionService:
    """Executes a plugin by name. Contract: delegates to ``ToolRunner.run`` only -- it
    never looks a plugin up or calls ``plugin.run()`` itself."""

    def __init__(self, runner: ToolRunner) -> None:
        self._runner = runner

    def execute(self, plugin_name: str, payload: object) -> RunResult:
        return self._runner.run(plugin_name, payload)
