"""Analyses: a job per request, run synchronously or submitted to the background."""

from __future__ import annotations

import asyncio
from typing import Any, Mapping, Optional

from .errors import InvalidRequestError
from .jobs import Job, JobExecutionService
from .runner import RunResult


def tool_name_of(request: Mapping[str, Any]) -> str:
    """The request's ``tool_name``. Contract: it is required -- never silently replaced by
    a hard-coded default tool, which would run a plugin the caller did not ask for."""
    tool_name = request.get("tool_name")
    if not isinstance(tool_name, str) or not tool_name:
        raise InvalidRequestError("tool_name is required")
    return tool_name


class AnalysisExecutionService:
    """``analyze()`` creates a job and runs it; ``submit_analysis()`` returns its id at once.

    Shares one :class:`JobExecutionService` with whatever else creates jobs, so every
    analysis is visible through the same job list.
    """

    def __init__(self, jobs: JobExecutionService) -> None:
        self._jobs = jobs
        self._background: dict[str, asyncio.Task[Job]] = {}

    async def analyze(self, plugin_name: str, payload: object) -> RunResult:
        job = self._jobs.create_job(plugin_name, payload)
        done = await self._jobs.run_job(job.id)
        return done.result, done.error

    async def analyze_request(self, request: Mapping[str, Any]) -> RunResult:
        """``analyze()`` for a request ``{"tool_name": ..., "payload": {...}}``."""
        return await self.analyze(tool_name_of(request), request.get("payload", {}))

    async def submit_analysis(self, plugin_name: str, payload: object) -> str:
        """Create the job and schedule it on the running loop; return its id at once."""
        job = self._jobs.create_job(plugin_name, payload)
        task = asyncio.get_running_loop().create_task(self._jobs.run_job(job.id))
        self._background[job.id] = task
        task.add_done_callback(lambda _: self._background.pop(job.id, None))
        return job.id

    async def wait(self, job_id: str) -> Job:
        """The job once its background run (if any) has finished."""
        task: Optional[asyncio.Task[Any]] = self._background.get(job_id)
        if task is not None:
            await asyncio.shield(task)
        return self._jobs.get_job(job_id)
