"""What sync `list()` methods return: the first page, already fetched. Hand-written twin of
`avala/_async/_paginator.py` (`scripts/unasync.py` leaves this pair alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ._pagination import Page

if TYPE_CHECKING:
    from .._core._pagination import PageRequest
    from ._http import HTTPClient

T = TypeVar("T")


class Paginator(Page[T]):
    """The first page of a listing, fetched at the call.

    Like any page, `for task in page` covers this page; `page.auto_paging_iter()` walks every
    item of every page, lazily.
    """

    __slots__ = ()

    def __init__(self, client: HTTPClient, request: PageRequest[T]) -> None:
        super().__init__(client, request, client.request_page(request))
