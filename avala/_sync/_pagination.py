# Generated from avala/_async/_pagination.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeVar

from .._core._expect import PageData
from .._core._pagination import BasePage, PageRequest, detached_page_error

if TYPE_CHECKING:
    from ._http import HTTPClient

T = TypeVar("T")

logger = logging.getLogger("avala")


class Page(BasePage[T]):
    """One page of a listing.

    `for item in page` (and `for`), `len(page)` and `page[i]` cover this page only.
    `for item in page.auto_paging_iter()` walks this page and every following one,
    fetching them lazily; `page.get_next_page()` fetches just the next.
    """

    __slots__ = ("_client",)

    def __init__(self, client: HTTPClient, request: PageRequest[T], data: PageData[T]) -> None:
        super().__init__(request, data)
        self._client: HTTPClient | None = client

    def get_next_page(self) -> Page[T] | None:
        """The following page, or None when this is the last one."""
        if self._next_token is None:
            return None
        if self._client is None:
            raise detached_page_error(None)
        request = self._request.follow(self._next_token)
        return Page(self._client, request, self._client.request_page(request))

    def iter_pages(self) -> Iterator[Page[T]]:
        """This page and every following one.

        Stops if the API hands back a token it already gave (a server bug that would
        otherwise loop forever); an empty page that still says `has_more` is followed.
        """
        page: Page[T] | None = self
        seen: set[tuple[str, str]] = set()
        while page is not None:
            yield page
            token = page._next_token
            if token is None:
                return
            if token in seen:
                logger.warning(
                    "Stopping pagination of %s: the API repeated page token %r",
                    self._request.path,
                    token[1],
                )
                return
            seen.add(token)
            page = page.get_next_page()

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this page and of every following one, fetched lazily."""
        for page in self.iter_pages():
            for item in page.items:
                yield item

    def __iter__(self) -> Iterator[T]:
        for item in self.items:
            yield item
