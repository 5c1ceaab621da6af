"""Jobs: one execution request with a status, run off the event loop."""

from __future__ import annotations

import asyncio
import enum
import itertools
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Optional

from .errors import JobNotFoundError, JobStateConflictError
from .services import PluginExecutionService
from .validation import ErrorEnvelope, validate_input_payload


class JobStatus(str, enum.Enum):
    """A job's outcome vocabulary (not lifecycle states: SUCCESS is right here)."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


FINISHED = frozenset({JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELLED})


@dataclass(frozen=True)
class Job:
    """An immutable snapshot of a job."""

    id: str
    plugin_name: str
    payload: dict[str, Any]
    status: JobStatus = JobStatus.PENDING
    result: Optional[dict[str, Any]] = None
    error: Optional[ErrorEnvelope] = None
    created_at: float = 0.0
    started_at: Optional[float] = None
    finished_at: Optional[float] = None


class JobExecutionService:
    """Creates and runs jobs: PENDING -> RUNNING -> SUCCESS/FAILED (or PENDING -> CANCELLED).

    Thread-safe: state changes happen under one lock, so concurrent runs lose no job.
    Plugins execute through :class:`PluginExecutionService` (so through ``ToolRunner``) in
    a worker thread: the event loop is never blocked.
    """

    def __init__(self, plugins: PluginExecutionService) -> None:
        self._plugins = plugins
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)

    def create_job(self, plugin_name: str, payload: object) -> Job:
        """A new PENDING job; an invalid payload is rejected at once (400)."""
        checked = validate_input_payload(payload)
        with self._lock:
            job = Job(f"job-{next(self._ids)}", plugin_name, checked, created_at=time.time())
            self._jobs[job.id] = job
        return job

    def get_job(self, job_id: str) -> Job:
        with self._lock:
            try:
                return self._jobs[job_id]
            except KeyError:
                raise JobNotFoundError(f"no job with id {job_id!r}") from None

    def list_jobs(self, status: Optional[JobStatus] = None) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [job for job in jobs if status is None or job.status == status]

    def cancel_job(self, job_id: str) -> Job:
        """Cancel a PENDING job; a running or finished job is a conflict (409)."""
        return self._transition(job_id, {JobStatus.PENDING}, status=JobStatus.CANCELLED,
                                finished_at=time.time())

    async def run_job(self, job_id: str) -> Job:
        """Run a PENDING job to SUCCESS or FAILED; any other status is a conflict (409)."""
        job = self._transition(job_id, {JobStatus.PENDING}, status=JobStatus.RUNNING,
                               started_at=time.time())
        result, error = await asyncio.to_thread(self._plugins.execute, job.plugin_name, job.payload)
        return self._transition(
            job_id, {JobStatus.RUNNING},
            status=JobStatus.SUCCESS if error is None else JobStatus.FAILED,
            result=result, error=error, finished_at=time.time())

    def _transition(self, job_id: str, allowed: set[JobStatus], **changes: Any) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise JobNotFoundError(f"no job with id {job_id!r}")
            if job.status not in allowed:
                raise JobStateConflictError(
                    f"job {job_id} is {job.status.value}; cannot become {changes['status'].value}")
            job = replace(job, **changes)
            self._jobs[job_id] = job
            return job
