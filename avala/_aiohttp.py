"""An optional higher-throughput transport for `AsyncClient`: aiohttp under httpx's API.

    pip install "avala[aiohttp]"

    async with AsyncClient(http_client=DefaultAioHttpClient()) as client:
        ...

httpx's own async pool spends CPU proportional to connections times waiting requests on
every state change; aiohttp's does not, so gathers run faster (README, "Sizing concurrency").
The client this returns is owned by the SDK client it is passed to, which closes it.
"""

from __future__ import annotations

from typing import Any

import httpx

INSTALL_HINT = 'DefaultAioHttpClient needs the aiohttp extra: pip install "avala[aiohttp]"'


# Named like a class: at the call site it stands where a client class would.
def DefaultAioHttpClient(*, max_connections: int = 64, **kwargs: Any) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` whose requests travel over aiohttp.

    Pass it as `AsyncClient(http_client=DefaultAioHttpClient())`; the SDK client closes it,
    and keeps up to `max_connections` requests in flight unless given `max_concurrency`
    (aiohttp's pool does not slow down with size the way httpx's does). `kwargs` go to
    `httpx.AsyncClient` (e.g. `timeout`, `headers`); redirects stay off.
    """
    try:
        from httpx_aiohttp import HttpxAiohttpClient
    except ImportError:
        raise ImportError(INSTALL_HINT) from None

    transport = _transport(max_connections)
    kwargs["follow_redirects"] = False
    client = HttpxAiohttpClient(transport=transport, **kwargs)
    client._avala_owned = True  # type: ignore[attr-defined]
    client._avala_max_concurrency = max_connections  # type: ignore[attr-defined]
    return client


def _transport(max_connections: int) -> httpx.AsyncBaseTransport:
    import aiohttp
    from httpx_aiohttp import AiohttpTransport

    class AvalaAiohttpTransport(AiohttpTransport):
        """httpx-aiohttp maps a server that hung up to `ConnectTimeout`; report it as what it
        is (a dropped connection), and map any aiohttp error it left unmapped, so callers
        always get the SDK's typed `APIConnectionError`/`APITimeoutError`."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            try:
                response: httpx.Response = await super().handle_async_request(request)
            except httpx.ConnectTimeout as exc:
                if isinstance(exc.__cause__, aiohttp.ServerDisconnectedError):
                    raise httpx.RemoteProtocolError(str(exc), request=request) from exc
                raise
            except aiohttp.ClientError as exc:
                raise httpx.NetworkError(f"{type(exc).__name__}: {exc}", request=request) from exc
            return response

    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return AvalaAiohttpTransport(limits=limits)
