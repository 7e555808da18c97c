"""Per-call response data: the status, headers and request id of one call, which
`with_raw_response` hands back next to the parsed result.

The HTTP layer records each response into whatever collector the current context holds (a
context variable: every task of an `asyncio.gather` and every thread sees only its own), so
the data belongs to exactly the call that made it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from ._headers import rate_limit_info, request_id

T = TypeVar("T")


class ResponseCollector:
    """The last response seen by the calls run while it is active."""

    __slots__ = ("headers", "responses", "status_code")

    def __init__(self) -> None:
        self.status_code: int | None = None
        self.headers: Mapping[str, str] = {}
        self.responses = 0

    def record(self, status_code: int, headers: Mapping[str, str]) -> None:
        self.status_code = status_code
        self.headers = headers
        self.responses += 1


_collector: ContextVar[ResponseCollector | None] = ContextVar("avala_response", default=None)


def record_response(status_code: int, headers: Mapping[str, str]) -> None:
    """Hand one response to the active collector, if any (a no-op for ordinary calls)."""
    collector = _collector.get()
    if collector is not None:
        collector.record(status_code, headers)


@contextmanager
def collect_responses() -> Iterator[ResponseCollector]:
    collector = ResponseCollector()
    token = _collector.set(collector)
    try:
        yield collector
    finally:
        _collector.reset(token)


class APIResponse(Generic[T]):
    """What a call made through `with_raw_response` returns: the parsed result (`.parse()`
    or `.data`) with the HTTP response it came from.

    `status_code`, `headers`, `request_id` and `rate_limit_info` describe this call's own
    response (for a call that makes several requests, such as `wait()`, the last one; for a
    `list()`, its first page). Errors are raised as usual, never returned.
    """

    __slots__ = ("_data", "headers", "request_id", "status_code")

    def __init__(self, data: T, status_code: int, headers: Mapping[str, str]) -> None:
        self._data = data
        self.status_code = status_code
        self.headers = headers
        self.request_id = request_id(headers)

    def parse(self) -> T:
        """The result the call returns without `with_raw_response`."""
        return self._data

    @property
    def data(self) -> T:
        return self._data

    @property
    def rate_limit_info(self) -> dict[str, str | None]:
        """This response's rate-limit headers (see `client.rate_limit_info` for the keys)."""
        return rate_limit_info(self.headers)

    def __repr__(self) -> str:
        return f"<APIResponse status_code={self.status_code} request_id={self.request_id!r}>"


def api_response(data: Any, collector: ResponseCollector, what: str) -> APIResponse[Any]:
    if collector.status_code is None:
        raise TypeError(
            f"{what} sends no request when called, so with_raw_response has no response to "
            "return; call it without with_raw_response."
        )
    return APIResponse(data, collector.status_code, collector.headers)
