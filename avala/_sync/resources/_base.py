# Generated from avala/_async/resources/_base.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ... import _twins
from ..._core._expect import ExpectPage
from ..._core._pagination import PageRequest
from ..._core._params import QueryParams
from ..._core._wait import check_wait_arguments
from ..._twins import Fetcher
from ...errors import WaitTimeoutError
from .._http import HTTPClient
from .._paginator import Paginator
from .._raw_response import WithRawResponse

T = TypeVar("T")


class APIResource:
    """Base of every resource: holds the shared HTTP client (one pool per API client)."""

    def __init__(self, client: HTTPClient) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> WithRawResponse:
        """This resource's calls, each returning an `APIResponse` with the parsed result and
        that call's status, headers, request id and rate-limit info."""
        return WithRawResponse(self)

    def _paginate(
        self,
        path: str,
        expect: ExpectPage[T],
        params: QueryParams,
        options: Mapping[str, Any],
    ) -> Paginator[T]:
        """A lazy listing: nothing is sent until it is awaited or iterated."""
        return Paginator(self._client, PageRequest(path, expect, params, options))

    def _wait_until(
        self,
        fetch: Fetcher[T],
        *,
        what: str,
        done: Callable[[T], bool],
        interval: float,
        timeout: float,
        min_interval: float,
        on_poll: Callable[[T], None] | None = None,
    ) -> T:
        """Poll `fetch` until `done(result)`, at most every `interval` seconds (never faster
        than `min_interval`, to spare the API) and for at most `timeout` seconds.

        `done` must be true for failure states too, so a failed job returns at once instead
        of spinning until the deadline. On timeout, `WaitTimeoutError.last` holds the last
        object seen.
        """
        check_wait_arguments(interval=interval, timeout=timeout)
        interval = max(interval, min_interval)
        deadline = time.monotonic() + timeout
        while True:
            current = fetch()
            if on_poll is not None:
                on_poll(current)
            if done(current):
                return current
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                status = getattr(current, "status", None)
                raise WaitTimeoutError(
                    f"Gave up waiting for {what} after timeout={timeout:g}s (last status: "
                    f"{status!r}); pass a larger timeout= to wait longer",
                    last=current,
                )
            _twins.sleep(min(interval, remaining))
