"""What async `list()` methods return. Hand-written, with its sync twin in
`avala/_sync/_paginator.py`: awaiting has no sync meaning, so the sync `list()` fetches the
first page at once and returns it (`scripts/unasync.py` leaves this pair alone)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._pagination import AsyncPage

if TYPE_CHECKING:
    from .._core._pagination import PageRequest
    from ._http import AsyncHTTPClient

T = TypeVar("T")


class AsyncPaginator(Generic[T]):
    """A listing before any request is made.

    `page = await client.tasks.list()` fetches the first page (an `AsyncPage`);
    `async for task in client.tasks.list().auto_paging_iter()` walks every item of every page,
    lazily, and so does `async for task in client.tasks.list()`.
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

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every item of every page, fetched lazily."""
        page = await self._first_page()
        async for item in page.auto_paging_iter():
            yield item

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Every page, fetched lazily."""
        page = await self._first_page()
        async for each in page.iter_pages():
            yield each

    def __aiter__(self) -> AsyncIterator[T]:
        return self.auto_paging_iter()

    def __repr__(self) -> str:
        return f"<AsyncPaginator {self._request.path} (await it, or async for over it)>"
