"""Bounded concurrency for the data plane, written twice because `unasync` cannot derive one
from the other: `AsyncRunner` runs jobs as tasks of one task group (no threads), `Runner`
(its sync twin, what generated code uses) runs them on a small thread pool.

Both:
- run at most `limit` jobs at once, pulling the next job only when one finishes;
- stop at the first failure: jobs not started never start, running async jobs are
  cancelled, running sync jobs see `stopping` and are waited for; the first error is
  raised as itself (never an exception group);
- `async_checkpoint()` / `checkpoint()` mark where a long synchronous stretch may yield;
- deliver callbacks through `call(fn, *args)` on the caller's thread (the sync runner
  queues them for the thread that called `run`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["AsyncRunner", "Runner", "Stopped", "async_checkpoint", "checkpoint"]


async def async_checkpoint() -> None:
    """Let other tasks run and deliver a pending cancellation. Called between chunks read
    from disk (plain reads never suspend), so a cancelled upload stops within a chunk."""
    import anyio.lowlevel

    await anyio.lowlevel.checkpoint()


_current = threading.local()


class Stopped(Exception):
    """Raised in a sync worker thread at a checkpoint once its runner is stopping."""


def checkpoint() -> None:
    """Sync twin of `async_checkpoint`: in a runner's worker thread, stop (raise `Stopped`)
    once the runner is stopping, e.g. after Ctrl-C on the caller's thread."""
    runner = getattr(_current, "runner", None)
    if runner is not None and runner.stopping:
        raise Stopped


def _first_error(exc: BaseException) -> BaseException:
    """The error to raise from a (possibly nested) exception group: the first that is not
    a cancellation, else the first."""
    inner = getattr(exc, "exceptions", None)
    if not inner:
        return exc
    leaves = [_first_error(e) for e in inner]
    for leaf in leaves:
        if type(leaf).__name__ not in ("CancelledError", "Cancelled"):
            return leaf
    return leaves[0]


class AsyncRunner:
    """See the module docstring. A runner with a `parent` stops when its parent does."""

    def __init__(self, limit: int, *, parent: AsyncRunner | None = None) -> None:
        self.limit = max(1, int(limit))
        self.parent = parent
        self._stopping = False

    @property
    def stopping(self) -> bool:
        return self._stopping or (self.parent is not None and self.parent.stopping)

    @stopping.setter
    def stopping(self, value: bool) -> None:
        self._stopping = value

    def call(self, fn: Callable[..., Any] | None, *args: Any) -> None:
        if fn is not None:
            fn(*args)

    async def run(self, jobs: Iterable[Callable[[], Awaitable[None]]]) -> None:
        import anyio

        pending = iter(jobs)

        async def worker() -> None:
            for job in pending:
                if self.stopping:
                    return
                await job()

        try:
            async with anyio.create_task_group() as group:
                for _ in range(self.limit):
                    group.start_soon(worker)
        except BaseException as exc:
            self.stopping = True
            error = _first_error(exc)
            if error is exc:
                raise
            raise error from None


class Runner:
    """See the module docstring. A runner with a `parent` stops when its parent does."""

    def __init__(self, limit: int, *, parent: Runner | None = None) -> None:
        self.limit = max(1, int(limit))
        self.parent = parent
        self._stopping = False
        self._owner: int | None = None
        self._events: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )

    @property
    def stopping(self) -> bool:
        return self._stopping or (self.parent is not None and self.parent.stopping)

    @stopping.setter
    def stopping(self, value: bool) -> None:
        self._stopping = value

    def call(self, fn: Callable[..., Any] | None, *args: Any) -> None:
        if fn is None:
            return
        if self._owner is None or threading.get_ident() == self._owner:
            fn(*args)
        else:
            self._events.put((fn, args))

    def run(self, jobs: Iterable[Callable[[], None]]) -> None:
        pending: Iterator[Callable[[], None]] = iter(jobs)
        take = threading.Lock()
        errors: list[BaseException] = []

        def worker() -> None:
            _current.runner = self
            try:
                while not self.stopping:
                    with take:
                        job = next(pending, None)
                    if job is None:
                        return
                    job()
            except BaseException as exc:
                self.stopping = True
                errors.append(exc)
            finally:
                _current.runner = None
                self._events.put(None)

        previous_owner, self._owner = self._owner, threading.get_ident()
        workers = self.limit
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="avala-upload")
        try:
            for _ in range(workers):
                pool.submit(worker)
            finished = 0
            while finished < workers:
                event = self._events.get()
                if event is None:
                    finished += 1
                else:
                    fn, args = event
                    fn(*args)
        except BaseException:
            # Ctrl-C on the caller's thread: no new job starts; running ones finish their
            # current request (a blocking socket call cannot be interrupted from here).
            self.stopping = True
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            self._owner = previous_owner
        pool.shutdown(wait=True)
        real = [e for e in errors if not isinstance(e, Stopped)]
        if real or errors:
            raise (real or errors)[0]
