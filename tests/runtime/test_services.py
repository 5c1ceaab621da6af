"""Plugin, job and analysis execution services."""

from __future__ import annotations

import asyncio
import threading

import pytest

from reference_runtime import (InvalidRequestError, JobNotFoundError, JobStateConflictError, JobStatus,
                               PayloadValidationError, Runtime)


def test_plugin_execution_service_delegates_to_runner(runtime: Runtime) -> None:
    assert runtime.plugins.execute("echo", {"x": 1}) == ({"echo": {"x": 1}}, None)
    assert runtime.registry.metrics("echo").success_count == 1


def test_job_lifecycle(runtime: Runtime) -> None:
    job = runtime.jobs.create_job("wordcount", {"text": "one two"})
    assert job.status is JobStatus.PENDING
    done = asyncio.run(runtime.jobs.run_job(job.id))
    assert done.status is JobStatus.SUCCESS and done.result == {"words": 2}
    assert done.started_at is not None and done.finished_at is not None
    assert runtime.jobs.get_job(job.id) == done
    with pytest.raises(JobStateConflictError) as info:
        asyncio.run(runtime.jobs.run_job(job.id))
    assert info.value.http_status == 409


def test_failed_job_keeps_its_envelope(runtime: Runtime) -> None:
    job = runtime.jobs.create_job("wordcount", {})
    done = asyncio.run(runtime.jobs.run_job(job.id))
    assert done.status is JobStatus.FAILED and done.result is None
    assert done.error is not None and done.error.type == "KeyError"


def test_list_and_filter_jobs(runtime: Runtime) -> None:
    a = runtime.jobs.create_job("echo", {})
    b = runtime.jobs.create_job("echo", {})
    asyncio.run(runtime.jobs.run_job(a.id))
    assert [j.id for j in runtime.jobs.list_jobs()] == [a.id, b.id]
    assert [j.id for j in runtime.jobs.list_jobs(JobStatus.PENDING)] == [b.id]
    assert [j.id for j in runtime.jobs.list_jobs(JobStatus.SUCCESS)] == [a.id]


def test_cancel_pending_only(runtime: Runtime) -> None:
    job = runtime.jobs.create_job("echo", {})
    assert runtime.jobs.cancel_job(job.id).status is JobStatus.CANCELLED
    with pytest.raises(JobStateConflictError):
        runtime.jobs.cancel_job(job.id)
    with pytest.raises(JobStateConflictError):
        asyncio.run(runtime.jobs.run_job(job.id))
    finished = runtime.jobs.create_job("echo", {})
    asyncio.run(runtime.jobs.run_job(finished.id))
    with pytest.raises(JobStateConflictError):
        runtime.jobs.cancel_job(finished.id)


def test_unknown_job_and_invalid_payload(runtime: Runtime) -> None:
    with pytest.raises(JobNotFoundError) as info:
        runtime.jobs.get_job("job-999")
    assert info.value.http_status == 404
    with pytest.raises(JobNotFoundError):
        runtime.jobs.cancel_job("job-999")
    with pytest.raises(PayloadValidationError) as bad:
        runtime.jobs.create_job("echo", ["no"])
    assert bad.value.http_status == 400


def test_analyze_returns_result_or_error(runtime: Runtime) -> None:
    assert asyncio.run(runtime.analysis.analyze("wordcount", {"text": "a"})) == ({"words": 1}, None)
    result, error = asyncio.run(runtime.analysis.analyze("missing", {}))
    assert result is None and error is not None and error.type == "PluginNotFoundError"
    assert [j.status for j in runtime.jobs.list_jobs()] == [JobStatus.SUCCESS, JobStatus.FAILED]


def test_analyze_request_requires_tool_name(runtime: Runtime) -> None:
    request = {"tool_name": "echo", "payload": {"k": "v"}}
    assert asyncio.run(runtime.analysis.analyze_request(request)) == ({"echo": {"k": "v"}}, None)
    for bad in ({}, {"tool_name": ""}, {"tool_name": 3}):
        with pytest.raises(InvalidRequestError, match="tool_name is required"):
            asyncio.run(runtime.analysis.analyze_request(bad))


def test_submit_returns_at_once_and_runs_in_background(runtime: Runtime) -> None:
    plugin = runtime.registry.get_plugin("blocking")

    async def scenario() -> None:
        job_id = await runtime.analysis.submit_analysis("blocking", {})
        assert runtime.jobs.get_job(job_id).status in (JobStatus.PENDING, JobStatus.RUNNING)
        await asyncio.to_thread(plugin.started.wait, 5)  # type: ignore[attr-defined]
        # The loop is free while the plugin blocks its worker thread.
        assert runtime.jobs.get_job(job_id).status is JobStatus.RUNNING
        plugin.release.set()  # type: ignore[attr-defined]
        job = await runtime.analysis.wait(job_id)
        assert job.status is JobStatus.SUCCESS and job.result == {"released": True}
        assert (await runtime.analysis.wait(job_id)).status is JobStatus.SUCCESS

    asyncio.run(scenario())


def test_plugins_never_run_on_the_loop_thread(runtime: Runtime) -> None:
    async def scenario() -> int:
        await runtime.analysis.analyze("recording", {"n": 1})
        return threading.get_ident()

    loop_thread = asyncio.run(scenario())
    threads = runtime.registry.get_plugin("recording").threads  # type: ignore[attr-defined]
    assert threads and loop_thread not in threads
