from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ..._core._expect import ExpectPage
from ..._core._pagination import PageRequest
from ..._core._params import QueryParams
from ..._twins import AsyncPaginator
from .._http import AsyncHTTPClient

T = TypeVar("T")


class AsyncAPIResource:
    """Base of every resource: holds the shared HTTP client (one pool per API client)."""

    def __init__(self, client: AsyncHTTPClient) -> None:
        self._client = client

    def _paginate(
        self,
        path: str,
        expect: ExpectPage[T],
        params: QueryParams,
        options: Mapping[str, Any],
    ) -> AsyncPaginator[T]:
        """A lazy listing: nothing is sent until it is awaited or iterated."""
        return AsyncPaginator(self._client, PageRequest(path, expect, params, options))
