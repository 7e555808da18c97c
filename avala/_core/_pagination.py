"""Pagination state shared by both clients: what the next request is, and the page object's
I/O-free half (items, cursors, current-page iteration).

Two pagination styles exist behind one interface. Most lists are cursor-paginated (`next` is
an absolute URL carrying `cursor=`); organizations are page-number paginated (`page=`). The
token is whichever of the two the `next` URL carries, and it is sent back under the same name,
so callers never need to know which style an endpoint uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, overload
from urllib.parse import parse_qsl, urlsplit

from ..errors import AvalaError
from ._expect import ExpectPage, PageData
from ._params import QueryParams

T = TypeVar("T")

TOKEN_PARAMS = ("cursor", "page")
_PAGE_KEYS = ("items", "next_cursor", "previous_cursor", "has_more")


def extract_token(url: str | None) -> tuple[str, str] | None:
    """(`cursor`|`page`, value) from a `next`/`previous` URL, or None."""
    if not url:
        return None
    pairs = dict(parse_qsl(urlsplit(url).query, keep_blank_values=False))
    for name in TOKEN_PARAMS:
        value = pairs.get(name)
        if value:
            return name, value
    return None


@dataclass(frozen=True)
class PageRequest(Generic[T]):
    """One page's request: path, filters and page size, plus the page token if not first."""

    path: str
    expect: ExpectPage[T]
    params: QueryParams = field(default_factory=list)
    options: Mapping[str, Any] = field(default_factory=dict)

    def follow(self, token: tuple[str, str]) -> PageRequest[T]:
        """The same listing, at the page `token` points to."""
        kept = [(k, v) for k, v in self.params if k not in TOKEN_PARAMS]
        return replace(self, params=[*kept, token])


class BasePage(Generic[T]):
    """One page of results, on both clients: `for item in page`, `len(page)`, `page[-1]` and
    `list(page)` all cover this page's items (`page.items`), nothing more.

    The async and sync page classes add fetching the following pages on top
    (`auto_paging_iter()`, `iter_pages()`, `get_next_page()`).

    A page pickles as a snapshot (items and page tokens): the restored page has no client,
    so it cannot fetch further pages; `list(cursor=page.next_cursor)` resumes the listing.
    """

    __slots__ = ("_next_token", "_previous_token", "_request", "items")

    def __init__(self, request: PageRequest[T], data: PageData[T]) -> None:
        self.items: list[T] = data.items
        self._request = request
        self._next_token = extract_token(data.next_url)
        self._previous_token = extract_token(data.previous_url)

    @property
    def next_cursor(self) -> str | None:
        """Token of the next page (a cursor, or a page number for organizations)."""
        return self._next_token[1] if self._next_token else None

    @property
    def previous_cursor(self) -> str | None:
        return self._previous_token[1] if self._previous_token else None

    @property
    def has_more(self) -> bool:
        """Whether the API says another page follows (even if this one is empty)."""
        return self._next_token is not None

    def __len__(self) -> int:
        return len(self.items)

    def keys(self) -> tuple[str, ...]:
        """With `page["items"]` etc., the mapping protocol: `dict(page)` gives
        `{"items": [...], "next_cursor": ..., "previous_cursor": ..., "has_more": ...}`, which
        is also how web frameworks (FastAPI's `jsonable_encoder`) serialize a returned page."""
        return _PAGE_KEYS

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    @overload
    def __getitem__(self, index: str) -> Any: ...
    def __getitem__(self, index: int | slice | str) -> Any:
        if isinstance(index, str):
            if index not in _PAGE_KEYS:
                raise KeyError(index)
            return getattr(self, index)
        return self.items[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_page, (type(self), self.items, self._next_token, self._previous_token))

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} items={len(self.items)} has_more={self.has_more} "
            f"next_cursor={self.next_cursor!r}>"
        )


def _restore_page(
    cls: type[BasePage[T]],
    items: list[T],
    next_token: tuple[str, str] | None,
    previous_token: tuple[str, str] | None,
) -> BasePage[T]:
    """A page unpickled: its data, detached from any client."""
    page = cls.__new__(cls)
    page.items = items
    page._next_token = next_token
    page._previous_token = previous_token
    page._request = None  # type: ignore[assignment]
    if hasattr(cls, "_client"):
        page._client = None  # type: ignore[attr-defined]
    return page


def detached_page_error(path: str | None) -> AvalaError:
    """Raised when a page restored from a pickle is asked for the next one."""
    return AvalaError(
        "This page was restored from a pickle and has no client to fetch the next page "
        "with; call the list method again with cursor=page.next_cursor"
        + (f" ({path})" if path else "")
    )
