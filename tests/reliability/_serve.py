"""Serving the local Avala API on a loopback socket behind a test's own ASGI middleware.

`avala.testing.serve_in_thread` serves `LocalAvala` as is; these tests need to tamper with
its answers on the wire (stamp headers, echo the request's key back), so they assemble the
same pieces (`AsgiApp`, `bind_socket`, uvicorn in a thread) around a wrapper.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from avala.testing import LocalAvala
from avala.testing._server import AsgiApp, bind_socket

App = Callable[[Any, Any, Any], Any]


@contextmanager
def serve(api: LocalAvala, wrap: Callable[[App], App] = lambda app: app) -> Iterator[str]:
    """`wrap(AsgiApp(api))` on 127.0.0.1 in a background thread; yields the API's base URL."""
    uvicorn = pytest.importorskip("uvicorn")
    config = uvicorn.Config(
        wrap(AsgiApp(api)), interface="asgi3", lifespan="off", log_level="critical"
    )
    server = uvicorn.Server(config)
    sock = bind_socket("127.0.0.1", 0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the server thread died"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.005)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def add_response_headers(extra: Callable[[dict[str, str]], list[tuple[str, str]]]) -> Any:
    """Middleware factory: headers `extra(request headers)` appended to every response."""

    def wrap(app: App) -> App:
        async def wrapped(scope: Any, receive: Any, send: Any) -> None:
            request = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }

            async def sending(message: Any) -> None:
                if message["type"] == "http.response.start":
                    added = [(k.encode(), v.encode()) for k, v in extra(request)]
                    message = {**message, "headers": [*message["headers"], *added]}
                await send(message)

            await app(scope, receive, sending)

        return wrapped

    return wrap
