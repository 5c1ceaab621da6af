"""Hundreds of concurrent analyses: no job and no metric update lost, loop never blocked."""

from __future__ import annotations

import asyncio
import threading

from reference_runtime import JobStatus, Runtime

N = 300


def test_concurrent_analyses(runtime: Runtime) -> None:
    async def scenario() -> tuple[list[object], int]:
        results = await asyncio.gather(*(
            runtime.analysis.analyze("recording" if i % 3 else "wordcount",
                                     {"n": i} if i % 3 else ({"text": "a b"} if i % 2 else {}))
            for i in range(N)))
        return list(results), threading.get_ident()

    results, loop_thread = asyncio.run(scenario())
    assert len(results) == N
    jobs = runtime.jobs.list_jobs()
    assert len(jobs) == N and len({j.id for j in jobs}) == N
    recording = runtime.registry.metrics("recording")
    wordcount = runtime.registry.metrics("wordcount")
    n_recording = sum(1 for i in range(N) if i % 3)
    n_ok_words = sum(1 for i in range(N) if i % 3 == 0 and i % 2)
    assert recording.success_count == n_recording and recording.error_count == 0
    assert wordcount.success_count == n_ok_words
    assert wordcount.error_count == (N - n_recording) - n_ok_words
    assert len(runtime.jobs.list_jobs(JobStatus.SUCCESS)) == n_recording + n_ok_words
    threads = runtime.registry.get_plugin("recording").threads  # type: ignore[attr-defined]
    assert len(threads) == n_recording and loop_thread not in threads


def test_concurrent_submissions(runtime: Runtime) -> None:
    async def scenario() -> list[str]:
        ids = await asyncio.gather(*(runtime.analysis.submit_analysis("echo", {"i": i})
                                     for i in range(N)))
        await asyncio.gather(*(runtime.analysis.wait(job_id) for job_id in ids))
        return list(ids)

    ids = asyncio.run(scenario())
    assert len(set(ids)) == N
    assert all(runtime.jobs.get_job(i).status is JobStatus.SUCCESS for i in ids)
    assert runtime.registry.metrics("echo").success_count == N
