"""The only code written twice by hand: what `unasync` cannot derive from the async source.

Generated sync code refers to the right-hand names below wherever the async source uses the
left-hand ones (`scripts/unasync.py` maps them):

- `async_sleep` -> `sleep`, `AsyncSemaphore` -> `Semaphore`: portable across asyncio and
  trio; the sync twins are the standard library's.
- `AsyncFetcher[T]` -> `Fetcher[T]`: a zero-argument callable producing a T (awaitably in
  async code). unasync cannot rewrite `Awaitable[...]` (python-trio/unasync#64).

Keep this module tiny and free of imports from `avala/_async/` or `avala/_sync/`, so each
client's import graph stays its own; anything that can be written once belongs in
`avala/_async/`. (The paginators are a twin pair next to their pages:
`avala/_async/_paginator.py` and `avala/_sync/_paginator.py`.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sniffio

T = TypeVar("T")

__all__ = [
    "AsyncFetcher",
    "AsyncSemaphore",
    "Fetcher",
    "Semaphore",
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
    """A counting semaphore for asyncio or trio, bound to the running library on first use.

    Not anyio's: its `acquire` always yields to the event loop, a measurable cost on every
    request. asyncio's does not yield when a slot is free.
    """

    __slots__ = ("_impl", "_value")

    def __init__(self, value: int) -> None:
        self._value = value
        self._impl: Any = None

    def _bind(self) -> Any:
        if sniffio.current_async_library() == "trio":
            import trio

            self._impl = trio.Semaphore(self._value)
        else:
            import asyncio

            self._impl = asyncio.Semaphore(self._value)
        return self._impl

    async def __aenter__(self) -> None:
        await (self._impl or self._bind()).acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self._impl.release()


Semaphore = threading.BoundedSemaphore
