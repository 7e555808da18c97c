"""The only code written twice by hand: what `unasync` cannot derive from the async source.

Generated sync code refers to the right-hand names below wherever the async source uses the
left-hand ones (`scripts/unasync.py` maps them):

- `AsyncPaginator` -> `Paginator`: async `list()` returns an object you can `await` (first
  page) or `async for` (every item). `__await__` has no sync meaning, so the sync `list()`
  simply fetches the first page at once and returns it.
- `async_sleep` -> `sleep`, `AsyncSemaphore` -> `Semaphore`: anyio's, so portable across
  asyncio and trio; the sync twins are the standard library's.
- `AsyncCancelShield` -> `CancelShield`: a scope that trio and anyio cancellation cannot
  interrupt (cleanup that must finish); nothing to shield in sync code.
- `AsyncStateLock` -> `StateLock`: guards a few plain-Python updates of shared state; a
  no-op in async code (one thread, no await inside), a real lock where threads share it.
- `AsyncFetcher[T]` -> `Fetcher[T]`: a zero-argument callable producing a T (awaitably in
  async code). unasync cannot rewrite `Awaitable[...]` (python-trio/unasync#64).

Keep this module tiny; anything that can be written once belongs in `avala/_async/`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._async._pagination import AsyncPage
from ._sync._pagination import Page

if TYPE_CHECKING:
    from ._async._http import AsyncHTTPClient
    from ._core._pagination import PageRequest
    from ._sync._http import HTTPClient

T = TypeVar("T")

__all__ = [
    "AsyncFetcher",
    "AsyncPaginator",
    "AsyncCancelShield",
    "AsyncSemaphore",
    "AsyncStateLock",
    "CancelShield",
    "Fetcher",
    "Paginator",
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


class AsyncPaginator(Generic[T]):
    """What async `list()` methods return, before any request is made.

    `page = await client.tasks.list()` fetches the first page;
    `async for task in client.tasks.list()` walks every item of every page, lazily.
    """

    __slots__ = ("_client", "_request")

    def __init__(self, client: AsyncHTTPClient, request: PageRequest[T]) -> None:
        self._client = client
        self._request = request

    async def _first_page(self) -> AsyncPage[T]:
        data = await self._client.request_page(self._request)
        return AsyncPage(self._client, self._request, data)

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first_page()
        async for item in page:
            yield item

    def __repr__(self) -> str:
        return f"<AsyncPaginator {self._request.path} (await it, or async for over it)>"


class Paginator(Page[T]):
    """What sync `list()` methods return: the first page, already fetched.

    `for task in client.tasks.list()` walks every item of every page, lazily.
    """

    __slots__ = ()

    def __init__(self, client: HTTPClient, request: PageRequest[T]) -> None:
        super().__init__(client, request, client.request_page(request))
