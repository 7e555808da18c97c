"""The only code written twice by hand: what `unasync` cannot derive from the async source.

Generated sync code refers to the right-hand names below wherever the async source uses the
left-hand ones (`scripts/unasync.py` maps them):

- `async_sleep` -> `sleep`, `AsyncSemaphore` -> `Semaphore`: anyio's, so portable across
  asyncio and trio; the sync twins are the standard library's.
- `AsyncCancelShield` -> `CancelShield`: a scope that trio and anyio cancellation cannot
  interrupt (cleanup that must finish); nothing to shield in sync code.
- `AsyncStateLock` -> `StateLock`: guards a few plain-Python updates of shared state; a
  no-op in async code (one thread, no await inside), a real lock where threads share it.
- `AsyncFetcher[T]` -> `Fetcher[T]`: a zero-argument callable producing a T (awaitably in
  async code). unasync cannot rewrite `Awaitable[...]` (python-trio/unasync#64).

Keep this module tiny and free of imports from `avala/_async/` or `avala/_sync/`, so each
client's import graph stays its own; anything that can be written once belongs in
`avala/_async/`. (The paginators are a twin pair next to their pages:
`avala/_async/_paginator.py` and `avala/_sync/_paginator.py`.)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = [
    "AsyncCancelShield",
    "AsyncFetcher",
    "AsyncSemaphore",
    "AsyncStateLock",
    "CancelShield",
    "Fetcher",
    "Semaphore",
    "StateLock",
    "async_sleep",
    "sleep",
]

AsyncFetcher = Callable[[], Awaitable[T]]
Fetcher = Callable[[], T]


async def async_sleep(seconds: float) -> None:
    # Imported on first use: anyio costs ~15 ms to import, and only async retries sleep.
    import anyio

    await anyio.sleep(seconds)


sleep = time.sleep


class AsyncSemaphore:
    """A counting semaphore for asyncio or trio: anyio's, with `fast_acquire` (no trip
    through the event loop when a slot is free), created on first use so a client can be
    built outside any event loop and then run under either library."""

    __slots__ = ("_impl", "_value")

    def __init__(self, value: int) -> None:
        self._value = value
        self._impl: Any = None

    async def __aenter__(self) -> None:
        impl = self._impl
        if impl is None:
            import anyio

            impl = self._impl = anyio.Semaphore(self._value, fast_acquire=True)
        await impl.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self._impl.release()


Semaphore = threading.BoundedSemaphore


def AsyncCancelShield() -> contextlib.AbstractContextManager[Any]:
    import anyio

    return anyio.CancelScope(shield=True)


CancelShield = contextlib.nullcontext


class AsyncStateLock:
    """No-op: async code updates shared state between awaits, never concurrently."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


StateLock = threading.Lock
