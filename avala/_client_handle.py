"""A client that survives pickling and `fork`: what data loaders hand their worker processes.

`httpx` clients (and so SDK clients) hold locks and sockets: they cannot be pickled, and a
pool copied into a forked child shares its parent's connections. A `ClientHandle` keeps the
client's configuration; each process builds its own `Client` from it on first use, and a
process that finds itself in a new PID (after `fork`) builds a new one instead of touching
its parent's pool. In the process that created the handle, the original client is used
as-is (with whatever `http_client` it was given).
"""

from __future__ import annotations

import os
import ssl
import threading
from typing import Any

from ._core._config import ClientConfig

__all__ = ["ClientHandle"]

# Building a TLS context (loading the CA bundle) is most of what a new client costs: with
# four DataLoader workers starting at once on two cores, 0.4-0.7 s each. One context per
# process, made before workers fork, is inherited by every forked worker and shared by all
# the clients of a process (it holds settings and CA certificates, no connection).
_TLS: ssl.SSLContext | None = None
_TLS_LOCK = threading.Lock()


def _tls_context() -> ssl.SSLContext:
    global _TLS
    with _TLS_LOCK:
        if _TLS is None:
            import httpx

            _TLS = httpx.create_ssl_context()
        return _TLS


class ClientHandle:
    def __init__(self, client: Any) -> None:
        from ._async._client import AsyncClient
        from ._sync._client import Client

        if not isinstance(client, (Client, AsyncClient)):
            raise TypeError(
                f"client must be an avala.Client or avala.AsyncClient, got {type(client).__name__}"
            )
        self._config: ClientConfig = client._http.config
        # Only a sync client is used as-is; an async one lends its configuration.
        self._original: Client | None = client if isinstance(client, Client) else None
        self._owner_pid = os.getpid()
        self._own: Client | None = None
        self._own_pid = -1
        self._lock = threading.Lock()
        self._lock_pid = os.getpid()
        _tls_context()  # now, so that workers forked from this process inherit it

    @property
    def config(self) -> ClientConfig:
        return self._config

    def get(self) -> Any:
        """The sync `Client` to use in this process."""
        pid = os.getpid()
        if self._original is not None and pid == self._owner_pid:
            return self._original
        own = self._own
        if own is not None and self._own_pid == pid:
            return own
        if self._lock_pid != pid:
            # A lock copied by fork may have been held by a thread that does not exist here.
            self._lock = threading.Lock()
            self._lock_pid = pid
        with self._lock:  # loaders call this from several threads at once
            if self._own is None or self._own_pid != pid:
                self._own = _build(self._config)
                self._own_pid = pid
            return self._own

    def close(self) -> None:
        """Close the client this process built (never the caller's)."""
        if self._own is not None and self._own_pid == os.getpid():
            self._own.close()
        self._own = None

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self._config}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._config = state["config"]
        self._original = None
        self._owner_pid = -1
        self._own = None
        self._own_pid = -1
        self._lock = threading.Lock()
        self._lock_pid = os.getpid()

    def __repr__(self) -> str:
        return f"ClientHandle(base_url={self._config.base_url!r})"


def _build(config: ClientConfig) -> Any:
    """A sync client with `config`, on a pool of its own that shares the process's TLS
    context (the SDK owns and closes that pool like one it made itself)."""
    import httpx

    from ._sync._client import Client
    from ._sync._http import DEFAULT_MAX_CONCURRENCY, pool_limits

    pool = httpx.Client(
        verify=_tls_context(),
        timeout=config.timeout,
        follow_redirects=False,
        limits=pool_limits(config.max_concurrency or DEFAULT_MAX_CONCURRENCY),
    )
    pool._avala_owned = True  # type: ignore[attr-defined]
    return Client(
        api_key=config.api_key,
        base_url=config.base_url,
        timeout=config.timeout,
        max_retries=config.max_retries,
        http_client=pool,
        default_headers=config.default_headers,
        retry_policy=config.retry_policy,
        max_concurrency=config.max_concurrency,
    )
