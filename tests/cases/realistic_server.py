"""A realistic, conforming plugin server: every pattern here must stay silent."""
from __future__ import annotations

import asyncio
import enum
import inspect
import logging
import time
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Security, status

from app.auth import require_auth
from app.plugins import BasePlugin

log = logging.getLogger(__name__)


class PluginLifecycleState(str, enum.Enum):
    LOADED = "LOADED"
    INITIALIZED = "INITIALIZED"
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    UNAVAILABLE = "UNAVAILABLE"

    @property
    def is_ready(self) -> bool:
        return self in (PluginLifecycleState.LOADED, PluginLifecycleState.INITIALIZED)


class JobStatus(str, enum.Enum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


class PluginRegistry:
    """Docstring mentioning plugin.run(payload) and update_execution_metrics(n, "SUCCESS")."""

    def __init__(self) -> None:
        self._plugins: dict[str, BasePlugin] = {}
        self._states: dict[str, PluginLifecycleState] = {}

    def register(self, name: str, plugin: BasePlugin) -> None:
        self._plugins[name] = plugin
        plugin.initialize()
        self._states[name] = PluginLifecycleState.LOADED

    def get_plugin(self, name: str) -> BasePlugin:
        return self._plugins[name]

    def health(self) -> dict[str, str]:
        return {name: plugin.health() for name, plugin in self._plugins.items()}

    def shutdown(self) -> None:
        for plugin in self._plugins.values():
            plugin.shutdown()

    def update_execution_metrics(self, plugin_name: str, state: PluginLifecycleState,
                                 elapsed_ms: float, had_error: bool) -> None:
        self._states[plugin_name] = state


class ToolRunner:
    def __init__(self, registry: PluginRegistry) -> None:
        self.registry = registry

    async def run(self, tool_name: str, payload: dict[str, Any]):
        plugin = self.registry.get_plugin(tool_name)
        payload = validate_input_payload(payload)
        is_async = inspect.iscoroutinefunction(plugin.run)
        started = time.perf_counter()
        state = PluginLifecycleState.FAILED
        try:
            if is_async:
                raw = await plugin.run(payload)
            else:
                loop = asyncio.get_running_loop()
                raw = await loop.run_in_executor(None, plugin.run, payload)
            result = validate_plugin_output(raw)
            state = PluginLifecycleState.INITIALIZED
            return result, None
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every plugin failure becomes an envelope
            log.exception("plugin %s failed", tool_name)
            return None, build_error_envelope(exc, tool_name)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            try:
                self.registry.update_execution_metrics(tool_name, state, elapsed_ms,
                                                       state is PluginLifecycleState.FAILED)
            except Exception:  # noqa: BLE001 - metrics must never mask the outcome
                log.exception("metrics update failed")

    async def run_batch(self, tool_name: str, payloads: list[dict[str, Any]]):
        return await asyncio.gather(*(self.run(tool_name, p) for p in payloads))


class AnalysisService:
    def __init__(self, runner: ToolRunner, registry: PluginRegistry) -> None:
        self.runner = runner
        self.registry = registry

    async def analyze(self, request: dict[str, Any]):
        tool_name = request["tool_name"]
        if tool_name not in self.registry.health():
            raise KeyError(tool_name)
        plugin = self.registry.get_plugin(tool_name)
        description = getattr(plugin, "description", "")
        if not callable(getattr(plugin, "run", None)):
            raise TypeError("not runnable")
        result, error = await self.runner.run(tool_name, request.get("payload", {}))
        return {"result": result, "error": error, "description": description,
                "status": JobStatus.SUCCESS if error is None else JobStatus.ERROR}


def job_status_label(status_value: JobStatus) -> str:
    return "done" if status_value == JobStatus.SUCCESS else "ERROR"


CurrentUser = Annotated[dict, Depends(require_auth)]
router = APIRouter(prefix="/v1")
admin = APIRouter(dependencies=[Security(require_auth, scopes=["admin"])])
app = FastAPI()


@router.post("/analyses")
async def analyze(body: dict, user: CurrentUser, service: AnalysisService = Depends(get_service)):
    result = await service.analyze(body)
    if result["error"] is not None:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail=result["error"])
    return result


@router.get("/jobs/{job_id}")
async def get_job(job_id: str, user: Annotated[dict, Depends(require_auth)]):
    raise HTTPException(status_code=404, detail=f"unknown job {job_id}")


@admin.post("/plugins/{name}/reload")
async def reload_plugin(name: str):
    return {"reloaded": name}


@app.get("/healthz")
async def healthz():
    return {"ok": True}


@app.get("/ready/")
async def ready():
    return {"ok": True}


app.include_router(router)
app.include_router(admin, prefix="/admin")
