# Generated from avala/_async/_pool.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""The connection pool behind a client, shared by the client and its `with_options` copies.

Cancelling a call at the wrong moment (`asyncio.wait_for`, a task group, a timeout scope)
can leave httpcore's pool believing a request still holds a connection: its own cleanup
awaits while "shielded", and its shield does not stop asyncio's own cancellation. Every such
leak costs a slot for good; once all slots leak, every call waits for a slot that never frees
and fails with a pool timeout. The SDK counts the requests it has in each pool, so after any
failed or cancelled request it can tell: if the pool reports more requests or busy
connections than the SDK has in it, the pool is broken. It is then replaced by a fresh one,
and the broken one is closed as soon as the requests still using it are done. Nothing of
this runs on the way of a successful request but two counter updates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from .. import _twins

logger = logging.getLogger("avala")


def _leaked(transport: httpx.BaseTransport, in_use: int) -> bool:
    """Whether `transport`'s pool holds more requests or busy connections than the `in_use`
    requests the SDK has in it (False if it is not an httpcore pool)."""
    pool = getattr(transport, "_pool", None)
    requests = getattr(pool, "_requests", None)
    connections = getattr(pool, "_connections", None)
    if requests is None or connections is None:
        return False
    if len(requests) > in_use:
        return True
    busy = sum(1 for c in connections if not c.is_idle() and not c.is_closed())
    return busy > in_use


class Pool:
    """An `httpx.Client` with the SDK's in-flight bound, shared by a client and its
    copies. A pool the SDK created itself is also kept usable whatever cancellation does to
    it (see the module docstring); a caller's client is used as it is."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        owned: bool,
        max_concurrency: int,
        limits: httpx.Limits | None,
    ) -> None:
        self.http = http
        # Closed with the client that created it; never a caller's client.
        self.owned = owned
        self.max_concurrency = max_concurrency
        self.limiter = _twins.Semaphore(max_concurrency)
        # Set for pools the SDK built (and so may replace): the limits of a fresh one.
        self._limits = limits
        # Requests in each transport; a lock only where threads share the pool (sync).
        self._in_use: dict[httpx.BaseTransport, int] = {}
        self._lock = _twins.StateLock()
        self._retired: list[httpx.BaseTransport] = []
        self.renewals = 0

    @property
    def built_by_sdk(self) -> bool:
        return self._limits is not None

    @property
    def is_closed(self) -> bool:
        return self.http.is_closed

    def send(self, request: httpx.Request) -> httpx.Response:
        """Send `request` (redirects never followed), repairing the pool if the request's
        failure or cancellation broke it."""
        if self._limits is None:
            return self.http.send(request, follow_redirects=False)
        with self.borrow() as _:
            return self.http.send(request, follow_redirects=False)

    @contextmanager
    def borrow(self) -> Iterator[httpx.BaseTransport]:
        """The pool's current transport, counted as in use until the block exits.

        Storage transfers send through the transport directly (no httpx client layer, so no
        log line with a signed URL); counting them here keeps a pool busy with transfers from
        being judged leaky, or closed under them once replaced."""
        transport = self.http._transport
        if self._limits is None:
            yield transport
            return
        in_use = self._in_use
        with self._lock:
            in_use[transport] = in_use.get(transport, 0) + 1
        failed = True
        try:
            yield transport
            failed = False
        finally:
            with self._lock:
                left = in_use[transport] - 1
                in_use[transport] = left
                if failed and transport is self.http._transport and _leaked(transport, left):
                    self._renew(transport)
                done = left == 0 and transport in self._retired
                if done:
                    self._retired.remove(transport)
                    del in_use[transport]
            if done:
                self._close_retired(transport)

    def _renew(self, broken: httpx.BaseTransport) -> None:
        assert self._limits is not None
        self.http._transport = httpx.HTTPTransport(limits=self._limits)
        self._retired.append(broken)
        self.renewals += 1
        logger.debug("Replaced a connection pool that cancelled requests left unusable")

    def _close_retired(self, transport: httpx.BaseTransport) -> None:
        with _twins.CancelShield():
            try:
                transport.close()
            except Exception as exc:  # a broken pool may fail to close; it is dropped anyway
                logger.debug("Closing a replaced connection pool failed: %r", exc)

    def close(self) -> None:
        """Close the pool if the SDK owns it (with any pool it replaced)."""
        if not self.owned:
            return
        self.http.close()
        retired, self._retired = self._retired, []
        for transport in retired:
            try:
                transport.close()
            except Exception as exc:
                logger.debug("Closing a replaced connection pool failed: %r", exc)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} max_concurrency={self.max_concurrency}>"


def new_pool_client(**kwargs: Any) -> httpx.Client:
    """The SDK's own `httpx.Client`, with the transport `Pool` knows how to
    replace."""
    limits = kwargs.pop("limits")
    return httpx.Client(transport=httpx.HTTPTransport(limits=limits), **kwargs)
