# Generated from avala/_async/resources/_base.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ..._core._expect import ExpectPage
from ..._core._pagination import PageRequest
from ..._core._params import QueryParams
from ..._twins import Paginator
from .._http import HTTPClient

T = TypeVar("T")


class APIResource:
    """Base of every resource: holds the shared HTTP client (one pool per API client)."""

    def __init__(self, client: HTTPClient) -> None:
        self._client = client

    def _paginate(
        self,
        path: str,
        expect: ExpectPage[T],
        params: QueryParams,
        options: Mapping[str, Any],
    ) -> Paginator[T]:
        """A lazy listing: nothing is sent until it is awaited or iterated."""
        return Paginator(self._client, PageRequest(path, expect, params, options))
