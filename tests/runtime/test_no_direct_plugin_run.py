"""No direct plugin run: only ToolRunner executes plugins, observed at run time.

(The static side -- the runtime is clean under every GOV rule -- is
tests/test_reference_runtime_fixture.py::test_runtime_is_clean.)"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Mapping

from reference_runtime import BasePlugin, Runtime


def test_every_plugin_call_comes_from_tool_runner(runtime: Runtime) -> None:
    """Behavioural check: the frame that calls ``plugin.run`` is always ``ToolRunner.run``."""
    callers: list[str] = []

    class Spy(BasePlugin):
        def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
            caller = sys._getframe(1)
            callers.append(f"{type(caller.f_locals.get('self')).__name__}.{caller.f_code.co_name}")
            return {}

    runtime.registry.register("spy", Spy())

    async def everything() -> None:
        await runtime.analysis.analyze("spy", {})
        await runtime.analysis.analyze_request({"tool_name": "spy"})
        await runtime.analysis.wait(await runtime.analysis.submit_analysis("spy", {}))
        job = runtime.jobs.create_job("spy", {})
        await runtime.jobs.run_job(job.id)

    runtime.plugins.execute("spy", {})
    asyncio.run(everything())
    assert callers == ["ToolRunner.run"] * 5
