"""Serving `LocalAvala` on a real loopback socket: an ASGI app run by uvicorn (optional extra).

uvicorn is imported only here, lazily, so `avala.testing` works without it. We bind the socket
ourselves and hand it to uvicorn, which is how `--port 0` learns its real port before serving.

A dropped connection over ASGI: the app sends the response head (Content-Length: 1) and then
raises, so uvicorn closes the socket mid-response; clients see `httpx.RemoteProtocolError`
(or a read error), never a 500. uvicorn's error log of that deliberate exception is filtered.

Storage requests (`/_local/storage/...`) stream: request body chunks go to disk as they arrive
and response bodies are sent from disk in chunks (uvicorn applies back-pressure both ways), so
a 1 GiB transfer keeps the server's memory flat. Presigned URLs use this server's own origin.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .._core._config import _is_loopback
from ._storage_http import StorageHead, StorageReply, begin, is_storage
from ._wire import Dropped, Request

if TYPE_CHECKING:
    from ._app import LocalAvala

__all__ = [
    "AsgiApp",
    "RunningServer",
    "UvicornMissing",
    "bind_socket",
    "client_url",
    "import_uvicorn",
    "make_server",
    "serve_in_thread",
]

INSTALL_HINT = "serving the local Avala API needs uvicorn: pip install 'avala[local]'"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class UvicornMissing(RuntimeError):
    pass


class _DropConnection(Exception):
    """Raised after the response head so the server aborts the connection."""


class _HideDeliberateDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, _DropConnection)


_HIDE_DROPS = _HideDeliberateDrops()


def import_uvicorn() -> ModuleType:
    try:
        import uvicorn
    except ImportError:
        raise UvicornMissing(INSTALL_HINT) from None
    return uvicorn


class AsgiApp:
    """ASGI 3 application over the same `LocalAvala.handle()` as the in-process transports."""

    def __init__(self, api: LocalAvala) -> None:
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope.get("headers", []):
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1")
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        host = headers.get("host", "localhost")
        if is_storage(self.api.objects, path, host):
            storage_head = StorageHead(scope["method"], path, query, headers, host)
            await self._storage(storage_head, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        request = Request(
            method=scope["method"],
            path=path,
            query=query,
            headers=headers,
            body=bytes(body),
            scheme=scope.get("scheme", "http"),
            host=host,
        )
        outcome = self.api.handle(request)
        if outcome.delay:
            await asyncio.sleep(outcome.delay)
        if isinstance(outcome, Dropped):
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )
            raise _DropConnection
        head = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers]
        if not any(name.lower() == b"content-length" for name, _ in head):
            # Without a length uvicorn falls back to chunked encoding: extra writes per response.
            head.append((b"content-length", str(len(outcome.body)).encode()))
        await send({"type": "http.response.start", "status": outcome.status, "headers": head})
        await send({"type": "http.response.body", "body": outcome.body})

    async def _storage(self, head: StorageHead, receive: Receive, send: Send) -> None:
        started = begin(self.api.objects, head)
        if isinstance(started, StorageReply):
            reply = started
        else:
            try:
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        started.abort()
                        return
                    if not started.feed(message.get("body", b"")):
                        await _drop(send)
                    if not message.get("more_body", False):
                        break
            except BaseException:
                started.abort()
                raise
            reply = started.finish()
        if reply.drop and not reply.body and reply.stream is None:
            await _drop(send)
        head_out = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers]
        await send({"type": "http.response.start", "status": reply.status, "headers": head_out})
        has_body = bool(reply.body) or reply.stream is not None
        if (
            head.method.upper() != "HEAD"
            and has_body
            and not await _send_body(reply, receive, send)
        ):
            return  # the client went away
        if reply.drop:
            raise _DropConnection
        await send({"type": "http.response.body", "body": b""})


async def _send_body(reply: StorageReply, receive: Receive, send: Send) -> bool:
    """Send the body chunk by chunk; False when the client disconnects first.

    uvicorn's `send` silently ignores a closed connection, so a watcher task listens for the
    disconnect: without it an abandoned 1 GiB download would still be read from disk.
    """
    gone = asyncio.Event()

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.ensure_future(watch())
    chunks = reply.chunks()
    try:
        for chunk in chunks:
            await asyncio.sleep(0)  # lets the watcher see a disconnect
            if gone.is_set():
                return False
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        return True
    finally:
        watcher.cancel()
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


async def _drop(send: Send) -> None:
    """Close the connection without an answer (see the module help)."""
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
    )
    raise _DropConnection


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only disables Nagle (TCP_NODELAY) on accepted sockets whose
    # proto is IPPROTO_TCP, and with Nagle on, every response waits out the client's delayed
    # ACK (~40 ms per request on loopback, measured).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def client_url(host: str, port: int) -> tuple[str, str | None]:
    """The base URL to print for a server bound to `host:port`, and a note for stderr.

    A wildcard address listens on loopback too, and loopback is where the SDK allows plain
    http, so that is the URL printed. Any other host gets its own URL and a note: the SDK
    refuses to send its key over plain http to a non-loopback host.
    """
    bare = host.strip("[]")
    wildcard = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}
    if bare in wildcard:
        shown = wildcard[bare]
        note = (
            f"note: listening on every interface ({host or '*'}); AVALA_BASE_URL names "
            f"{shown}, the address the avala SDK accepts over plain http"
        )
    else:
        shown = bare
        note = None
        if not _is_loopback(bare):  # the SDK's own rule
            note = (
                f"note: {bare} is not a loopback address; the avala SDK sends its API key over "
                "plain http only to loopback hosts (localhost, 127.0.0.1, ::1), so it refuses "
                "this URL. Other HTTP clients can use it."
            )
    netloc = f"[{shown}]" if ":" in shown else shown
    return f"http://{netloc}:{port}/api/v1", note


def base_url_for(sock: socket.socket, host: str) -> str:
    return client_url(host, sock.getsockname()[1])[0]


def make_server(api: LocalAvala) -> Any:
    """A configured `uvicorn.Server` (typed Any: uvicorn is optional)."""
    uvicorn = import_uvicorn()
    config = uvicorn.Config(
        AsgiApp(api),
        interface="asgi3",
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    logging.getLogger("uvicorn.error").addFilter(_HIDE_DROPS)  # same instance: added once
    return uvicorn.Server(config)


class RunningServer:
    """A server running in a background thread.

    Use as a context manager (`with serve_in_thread(api) as server: server.base_url`) or unpack
    it (`base_url, stop = serve_in_thread(api)`).
    """

    def __init__(
        self, server: Any, thread: threading.Thread, sock: socket.socket, base_url: str
    ) -> None:
        self.base_url = base_url
        self._server = server
        self._thread = thread
        self._sock = sock

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving (the object store keeps its objects)."""
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.base_url, self.stop))

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    api: LocalAvala, host: str = "127.0.0.1", port: int = 0, *, ready_timeout: float = 10.0
) -> RunningServer:
    """Serve `api` on `host:port` (0 picks a free port) until `stop()`; returns once serving."""
    server = make_server(api)
    sock = bind_socket(host, port)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="avala-local-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + ready_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(1.0)
            sock.close()
            raise RuntimeError("the local Avala server did not start")
        time.sleep(0.005)
    base_url = base_url_for(sock, host)
    api.objects.origin = base_url.removesuffix("/api/v1")
    return RunningServer(server, thread, sock, base_url)
