"""httpx transports over `LocalAvala`: no sockets, same behaviour as the loopback server.

A dropped connection raises `httpx.RemoteProtocolError("Server disconnected without sending a
response.")`, the error httpx gives for a real one. Simulated latency sleeps with `time.sleep`
on the sync transport and `anyio.sleep` on the async one (asyncio and trio alike).

Storage requests (presigned URLs) stream both ways: the request body is fed to the object store
chunk by chunk and the response body is read from disk as the client consumes it, so a large
transfer stays flat in memory here too. A download dropped mid-body raises
`httpx.RemoteProtocolError` after the bytes sent so far, as a real connection would.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import httpx

from ._storage_http import StorageHead, StorageReply, begin, is_storage
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


def _storage_head(request: httpx.Request) -> StorageHead | None:
    raw = request.url.raw_path.decode("ascii")
    path, _, query = raw.partition("?")
    headers = {name.lower(): value for name, value in request.headers.multi_items()}
    host = headers.get("host") or request.url.netloc.decode("ascii")
    return StorageHead(
        request.method, path, parse_qsl(query, keep_blank_values=True), headers, host
    )


def _incomplete(received: int, expected: str | None) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(
        "peer closed connection without sending complete message body: "
        f"received {received} bytes, expected {expected}"
    )


class _SyncReplyStream(httpx.SyncByteStream):
    def __init__(self, reply: StorageReply) -> None:
        self.reply = reply

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self.reply.chunks():
            sent += len(chunk)
            yield chunk
        if self.reply.drop:
            raise _incomplete(sent, _header(self.reply, "content-length"))


class _AsyncReplyStream(httpx.AsyncByteStream):
    def __init__(self, reply: StorageReply) -> None:
        self.reply = reply

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        for chunk in self.reply.chunks():
            sent += len(chunk)
            yield chunk
        if self.reply.drop:
            raise _incomplete(sent, _header(self.reply, "content-length"))


def _header(reply: StorageReply, name: str) -> str | None:
    return next((v for k, v in reply.headers if k.lower() == name), None)


def _storage_response(
    reply: StorageReply,
    request: httpx.Request,
    stream: httpx.SyncByteStream | httpx.AsyncByteStream,
) -> httpx.Response:
    if reply.drop and not reply.body and reply.stream is None:
        raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
    return httpx.Response(reply.status, headers=reply.headers, stream=stream, request=request)


def _sync_storage(api: LocalAvala, request: httpx.Request, head: StorageHead) -> httpx.Response:
    started = begin(api.objects, head)
    if isinstance(started, StorageReply):
        reply = started
    else:
        try:
            for chunk in request.stream:  # type: ignore[union-attr]
                if not started.feed(chunk):
                    raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
        except BaseException:
            started.abort()
            raise
        reply = started.finish()
    return _storage_response(reply, request, _SyncReplyStream(reply))


async def _async_storage(
    api: LocalAvala, request: httpx.Request, head: StorageHead
) -> httpx.Response:
    started = begin(api.objects, head)
    if isinstance(started, StorageReply):
        reply = started
    else:
        try:
            async for chunk in request.stream:  # type: ignore[union-attr]
                if not started.feed(chunk):
                    raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
        except BaseException:
            started.abort()
            raise
        reply = started.finish()
    return _storage_response(reply, request, _AsyncReplyStream(reply))


def _storage_target(api: LocalAvala, request: httpx.Request) -> StorageHead | None:
    host = request.headers.get("host") or request.url.netloc.decode("ascii")
    path = request.url.raw_path.decode("ascii").partition("?")[0]
    return _storage_head(request) if is_storage(api.objects, path, host) else None


class LocalTransport(httpx.BaseTransport):
    """Sync transport: `httpx.Client(transport=api.transport(), base_url=api.base_url)`."""

    def __init__(self, api: LocalAvala) -> None:
        self.api = api

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        head = _storage_target(self.api, request)
        if head is not None:
            return _sync_storage(self.api, request, head)
        outcome = self.api.handle(to_core_request(request, request.read()))
        if outcome.delay:
            time.sleep(outcome.delay)
        return _to_httpx(outcome, request)


class AsyncLocalTransport(httpx.AsyncBaseTransport):
    """Async transport: `httpx.AsyncClient(transport=api.async_transport(), ...)`."""

    def __init__(self, api: LocalAvala) -> None:
        self.api = api

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        head = _storage_target(self.api, request)
        if head is not None:
            return await _async_storage(self.api, request, head)
        outcome = self.api.handle(to_core_request(request, await request.aread()))
        if outcome.delay:
            import anyio  # httpx's own dependency; works under asyncio and trio

            await anyio.sleep(outcome.delay)
        return _to_httpx(outcome, request)
