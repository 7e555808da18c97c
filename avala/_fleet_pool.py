"""Run a batch of jobs with at most `limit` at a time; the first failure stops the rest and
is raised as itself (not wrapped in an exception group).

`AsyncJobs.run` runs coroutines on the running event loop (asyncio or trio); `Jobs.run` is
its twin for the synchronous client, on a thread pool. `AsyncOffload.run` runs blocking
disk work on a worker thread; `Offload.run` simply calls it. The generated sync code uses `Jobs`
wherever the async source uses `AsyncJobs` (unasync drops the `Async` prefix).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")

__all__ = ["AsyncJobs", "AsyncOffload", "Jobs", "Offload"]


class AsyncJobs:
    @staticmethod
    async def run(
        jobs: Sequence[Callable[[], Awaitable[T]]], limit: int, *, finish_started: bool = False
    ) -> list[T]:
        """Results in job order. `finish_started`: after a failure, jobs already running
        finish (no new one starts) instead of being cancelled."""
        return await _run_async(jobs, limit, finish_started)


class Jobs:
    @staticmethod
    def run(
        jobs: Sequence[Callable[[], T]], limit: int, *, finish_started: bool = False
    ) -> list[T]:
        # Threads cannot be cancelled: running jobs always finish.
        return _run_threads(jobs, limit)


class AsyncOffload:
    @staticmethod
    async def run(work: Callable[[], T]) -> T:
        """`work()` (blocking disk work) on a worker thread, so the event loop keeps going."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(work)


class Offload:
    @staticmethod
    def run(work: Callable[[], T]) -> T:
        return work()


async def _run_async(
    jobs: Sequence[Callable[[], Awaitable[T]]], limit: int, finish_started: bool
) -> list[T]:
    import anyio

    results: list[T | None] = [None] * len(jobs)
    failure: list[BaseException] = []
    gate = anyio.Semaphore(max(1, limit))

    async def run(index: int, job: Callable[[], Awaitable[T]], scope: anyio.CancelScope) -> None:
        async with gate:
            if failure:
                return
            try:
                results[index] = await job()
            except Exception as exc:
                if not failure:
                    failure.append(exc)
                if not finish_started:
                    scope.cancel()

    async with anyio.create_task_group() as group:
        for index, job in enumerate(jobs):
            group.start_soon(run, index, job, group.cancel_scope)
    if failure:
        raise failure[0]
    return results  # type: ignore[return-value]


def _run_threads(jobs: Sequence[Callable[[], T]], limit: int) -> list[T]:
    if len(jobs) <= 1 or limit <= 1:
        return [job() for job in jobs]
    stop = threading.Event()

    def guarded(job: Callable[[], T]) -> T | None:
        if stop.is_set():
            return None
        return job()

    with ThreadPoolExecutor(max_workers=min(limit, len(jobs))) as pool:
        futures: list[Future[T | None]] = [pool.submit(guarded, job) for job in jobs]
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future.done() and future.exception() is not None:
                stop.set()
                for other in futures:
                    other.cancel()
                error = future.exception()
                assert error is not None
                raise error
    return [future.result() for future in futures]  # type: ignore[misc]
