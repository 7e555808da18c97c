"""httpx transports over `LocalAvala`: no sockets, same behaviour as the loopback server.

A dropped connection raises `httpx.RemoteProtocolError("Server disconnected without sending a
response.")`, the error httpx gives for a real one. Simulated latency sleeps with `time.sleep`
on the sync transport and `anyio.sleep` on the async one (asyncio and trio alike).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import httpx

from ._wire import Dropped, Outcome, Request

if TYPE_CHECKING:
    from ._app import LocalAvala

__all__ = ["AsyncLocalTransport", "LocalTransport", "to_core_request"]

_DISCONNECTED = "Server disconnected without sending a response."


def to_core_request(request: httpx.Request, body: bytes) -> Request:
    raw = request.url.raw_path.decode("ascii")
    path, _, query = raw.partition("?")
    headers: dict[str, str] = {}
    for name, value in request.headers.multi_items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Request(
        method=request.method,
        path=path,
        query=parse_qsl(query, keep_blank_values=True),
        headers=headers,
        body=body,
        scheme=request.url.scheme,
        host=headers.get("host") or request.url.netloc.decode("ascii"),
    )


def _to_httpx(outcome: Outcome, request: httpx.Request) -> httpx.Response:
    if isinstance(outcome, Dropped):
        raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
    return httpx.Response(
        outcome.status, headers=outcome.headers, content=outcome.body, request=request
    )


class LocalTransport(httpx.BaseTransport):
    """Sync transport: `httpx.Client(transport=api.transport(), base_url=api.base_url)`."""

    def __init__(self, api: LocalAvala) -> None:
        self.api = api

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        outcome = self.api.handle(to_core_request(request, request.read()))
        if outcome.delay:
            time.sleep(outcome.delay)
        return _to_httpx(outcome, request)


class AsyncLocalTransport(httpx.AsyncBaseTransport):
    """Async transport: `httpx.AsyncClient(transport=api.async_transport(), ...)`."""

    def __init__(self, api: LocalAvala) -> None:
        self.api = api

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        outcome = self.api.handle(to_core_request(request, await request.aread()))
        if outcome.delay:
            import anyio  # httpx's own dependency; works under asyncio and trio

            await anyio.sleep(outcome.delay)
        return _to_httpx(outcome, request)
