"""Download primitives `unasync` cannot derive, written twice (see `avala/_twins.py`):

- `AsyncTaskPool` -> `TaskPool`: run a worker over a stream of items with at most `limit` at
  a time; the first failure stops new work and is raised (async: one anyio task group, under
  asyncio or trio; sync: a thread pool).
- `AsyncHashingSink` -> `HashingSink`: the file a download writes, written and hashed on a
  worker thread so SHA-256 overlaps receiving (async: waiting for the worker happens in a
  thread, never blocking the event loop).
- `AsyncBlocking` -> `Blocking`: `run(func, *args)` in a worker thread (async) or inline.
- `async_object_file` -> `object_file`, `AsyncObjectFile` -> `ObjectFile`: what `open()` of a
  dataset object returns. Async: a file object whose `read`/`seek`/`close` are awaited (disk
  reads run in a worker thread, never blocking the event loop). Sync: the verified spool
  itself, a seekable binary file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO, TypeAlias, TypeVar

T = TypeVar("T")

__all__ = [
    "AsyncBlocking",
    "AsyncHashingSink",
    "AsyncObjectFile",
    "AsyncTaskPool",
    "Blocking",
    "HashingSink",
    "ObjectFile",
    "TaskPool",
    "async_object_file",
    "object_file",
]

READ_CHUNK = 1024 * 1024


def _first_error(error: BaseException) -> BaseException:
    # anyio wraps task failures in an exception group (a builtin from Python 3.11).
    inner = getattr(error, "exceptions", None)
    while isinstance(inner, tuple) and inner and isinstance(inner[0], BaseException):
        error = inner[0]
        inner = getattr(error, "exceptions", None)
    return error


class AsyncTaskPool:
    def __init__(self, limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"concurrency must be a positive int, got {limit!r}")
        self.limit = limit

    async def run(self, items: AsyncIterable[T], worker: Callable[[T], Awaitable[Any]]) -> None:
        import anyio

        slots = anyio.Semaphore(self.limit)
        failed = False

        async def one(item: T) -> None:
            nonlocal failed
            try:
                await worker(item)
            except BaseException:
                failed = True
                raise
            finally:
                slots.release()

        try:
            async with anyio.create_task_group() as group:
                async for item in items:
                    await slots.acquire()
                    if failed:
                        break
                    group.start_soon(one, item)
        except BaseException as error:
            first = _first_error(error)
            if first is error:
                raise
            raise first from None


class TaskPool:
    def __init__(self, limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"concurrency must be a positive int, got {limit!r}")
        self.limit = limit

    def run(self, items: Iterable[T], worker: Callable[[T], Any]) -> None:
        slots = threading.Semaphore(self.limit)
        failed = threading.Event()
        errors: list[BaseException] = []
        futures: list[Future[Any]] = []

        def done(future: Future[Any]) -> None:
            error = future.exception()
            if error is not None:
                errors.append(error)
                failed.set()
            slots.release()

        with ThreadPoolExecutor(self.limit, thread_name_prefix="avala-download") as pool:
            try:
                for item in items:
                    slots.acquire()
                    if failed.is_set():
                        slots.release()
                        break
                    future = pool.submit(worker, item)
                    future.add_done_callback(done)
                    futures.append(future)
                    if len(futures) > 4 * self.limit:
                        futures = [f for f in futures if not f.done()]
            except BaseException:
                failed.set()
                for future in futures:
                    future.cancel()
                raise
        if errors:
            raise errors[0]


class AsyncObjectFile:
    """Verified object bytes, read with `await f.read(n)`, `await f.seek(pos)`,
    `async for chunk in f`, and closed with `await f.close()` or `async with`."""

    def __init__(self, spool: BinaryIO) -> None:
        self._spool = spool

    @property
    def closed(self) -> bool:
        return self._spool.closed

    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        import anyio

        return await anyio.to_thread.run_sync(func, *args)

    async def read(self, size: int = -1) -> bytes:
        return await self._run(self._spool.read, size)

    async def seek(self, offset: int, whence: int = 0) -> int:
        return self._spool.seek(offset, whence)

    def tell(self) -> int:
        return self._spool.tell()

    async def close(self) -> None:
        await self._run(self._spool.close)

    async def __aenter__(self) -> AsyncObjectFile:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            chunk = await self.read(READ_CHUNK)
            if not chunk:
                return
            yield chunk

    def __repr__(self) -> str:
        return f"<AsyncObjectFile closed={self.closed}>"


ObjectFile: TypeAlias = BinaryIO


def async_object_file(spool: BinaryIO) -> AsyncObjectFile:
    return AsyncObjectFile(spool)


def object_file(spool: BinaryIO) -> BinaryIO:
    return spool


class _HashWorker:
    """Writes chunks to a file and hashes them on a thread of its own, so hashing (the
    slowest step of a verified download: ~300 MB/s of SHA-256 without CPU support) overlaps
    receiving. At most `depth` chunks wait in between, so memory stays bounded."""

    def __init__(self, sink: BinaryIO, digest: Any, depth: int = 32) -> None:
        self.sink = sink
        self.digest = digest
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self.error: OSError | None = None
        self._thread: threading.Thread | None = None

    def inline(self, chunk: bytes) -> None:
        """Write and hash in the caller's thread (small files: a thread costs more)."""
        self.check()
        try:
            self.sink.write(chunk)
        except (OSError, ValueError) as exc:
            raise OSError(str(exc)) from None
        self.digest.update(chunk)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="avala-hash", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            try:
                if chunk is None:
                    return
                if self.error is None:
                    try:
                        self.sink.write(chunk)
                    except (OSError, ValueError) as exc:  # ValueError: the file was closed
                        self.error = OSError(str(exc))
                    else:
                        self.digest.update(chunk)
            finally:
                self.queue.task_done()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if self._thread is not None:
            self.queue.put(None)
            self._thread.join()
            self._thread = None


class AsyncHashingSink:
    """A file being downloaded: `await write(chunk)` queues the chunk for the worker thread
    (waiting in a thread, never in the event loop, when the worker is behind);
    `await settle()` waits until everything is written and hashed."""

    def __init__(self, sink: BinaryIO, digest: Any, *, threaded: bool = True) -> None:
        self._worker = _HashWorker(sink, digest)
        self._threaded = threaded

    @property
    def digest(self) -> Any:
        return self._worker.digest

    async def write(self, chunk: bytes) -> None:
        worker = self._worker
        if not self._threaded:
            worker.inline(chunk)
            return
        worker.check()
        worker.start()
        try:
            worker.queue.put_nowait(chunk)
        except queue.Full:
            import anyio

            await anyio.to_thread.run_sync(worker.queue.put, chunk)

    async def settle(self) -> None:
        import anyio

        if self._worker.queue.unfinished_tasks:
            await anyio.to_thread.run_sync(self._worker.queue.join)
        self._worker.check()

    async def reset(self, digest: Any) -> None:
        """Forget everything written: empty the file and start a new digest."""
        await self.settle()
        self._worker.sink.seek(0)
        self._worker.sink.truncate()
        self._worker.digest = digest

    async def close(self) -> None:
        import anyio

        # Shielded: a cancelled download must still stop its worker before the file closes.
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(self._worker.stop)


class HashingSink:
    def __init__(self, sink: BinaryIO, digest: Any, *, threaded: bool = True) -> None:
        self._worker = _HashWorker(sink, digest)
        self._threaded = threaded

    @property
    def digest(self) -> Any:
        return self._worker.digest

    def write(self, chunk: bytes) -> None:
        worker = self._worker
        if not self._threaded:
            worker.inline(chunk)
            return
        worker.check()
        worker.start()
        worker.queue.put(chunk)

    def settle(self) -> None:
        self._worker.queue.join()
        self._worker.check()

    def reset(self, digest: Any) -> None:
        self.settle()
        self._worker.sink.seek(0)
        self._worker.sink.truncate()
        self._worker.digest = digest

    def close(self) -> None:
        self._worker.stop()


class AsyncBlocking:
    """Runs blocking work (hashing a file already on disk) in a worker thread."""

    @staticmethod
    async def run(func: Callable[..., T], *args: Any) -> T:
        import anyio

        return await anyio.to_thread.run_sync(func, *args)


class Blocking:
    @staticmethod
    def run(func: Callable[..., T], *args: Any) -> T:
        return func(*args)
