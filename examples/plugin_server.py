"""A small plugin server with the governance mistakes flake8-execgov catches.

Run ``flake8 --select=GOV examples/`` to see them.
"""

from app.lifecycle import LifecycleState
from app.registry import registry, update_execution_metrics


class ToolRunner:
    """The governed path -- but this one forgets half of the contract."""

    def run(self, plugin_name, payload):
        plugin = registry.get_plugin(plugin_name)
        result = plugin.run(payload)
        update_execution_metrics(plugin_name, "SUCCESS", 0, False)
        return result, None

    def run_checked(self, plugin_name, payload):
        plugin = registry.get_plugin(plugin_name)
        try:
            return plugin.run(payload), None
        finally:
            if payload:
                update_execution_metrics(plugin_name, LifecycleState.RUNNING, 0, False)


class AnalysisService:
    """Services must delegate to ToolRunner, never run plugins themselves."""

    def __init__(self, plugins):
        self._plugins = plugins

    async def analyze(self, request):
        tool_name = request.get("tool_name", "default")
        ocr = self._plugins[tool_name]
        result = await ocr.run({"image": request["image"]})
        return result, LifecycleState.SUCCESS
