from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from .. import _twins
from .._core._config import ClientConfig, TimeoutTypes, is_default_timeout
from .._core._error_mapping import error_from_response
from .._core._expect import Expect, PageData
from .._core._headers import base_headers, empty_rate_limit_info, rate_limit_info
from .._core._pagination import PageRequest
from .._core._params import QueryParams
from .._core._redact import redact_text
from .._core._request import PreparedRequest, prepare_request
from .._core._response import record_response
from .._core._retry import tenacity_arguments
from ..errors import (
    APIConnectionError,
    APITimeoutError,
    AvalaError,
    ClientClosedError,
    ResponseValidationError,
)
from ._pool import AsyncPool, new_pool_client

T = TypeVar("T")

logger = logging.getLogger("avala")

# Named after the public class so the generated sync module says "Client".
CLIENT_NAME = "AsyncClient"

# Requests in flight per client; the rest wait in the SDK's own queue. httpcore's pool does
# work proportional to waiting requests times connections on every state change, and each
# idle pooled connection slows every later request too, so past a handful of connections
# throughput falls: on loopback (README, "Sizing concurrency") 8 in flight beat 32 by 3x.
DEFAULT_MAX_CONCURRENCY = 8


def pool_limits(max_concurrency: int) -> httpx.Limits:
    """A pool exactly as large as the in-flight bound: nothing the SDK lets through ever
    queues inside httpcore, and no connection sits idle beyond what the bound can use."""
    return httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency)


# What a read response's stream is replaced with (see `_send`): empty, and shareable.
_DRAINED = httpx.ByteStream(b"")


class AsyncHTTPClient:
    """Sends requests with retries, records rate-limit headers, and turns every response
    into a decoded result or a typed `AvalaError`. Resources talk only to this class."""

    def __init__(
        self,
        config: ClientConfig,
        http_client: httpx.AsyncClient | None,
        *,
        pool: AsyncPool | None = None,
    ) -> None:
        self._config = config
        every_request = base_headers(config.api_key, CLIENT_NAME, config.default_headers)
        self._secrets = (config.api_key,)
        # Headers of the last response; the rate-limit dict is built only when asked for.
        self._last_headers: httpx.Headers | None = None
        self.closed = False
        # Whether closing this client closes the pool: not for a `with_options` copy.
        self._owner = pool is None
        if pool is not None:  # a `with_options` copy: the same pool, its own settings
            self._pool = pool
            self._request_headers: Mapping[str, str] = every_request
            self._default_timeout: Any = config.timeout
            return
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        max_concurrency = (
            config.max_concurrency
            or getattr(http_client, "_avala_max_concurrency", None)
            or DEFAULT_MAX_CONCURRENCY
        )
        # Headers every request carries. A pool the SDK creates holds them itself, so each
        # request brings only its own (idempotency key, extras): overriding httpx's default
        # Accept/User-Agent on every request costs more in httpx's Headers than the rest of
        # the SDK's per-call work. A caller's client gets them with each request instead.
        self._request_headers = every_request
        # What httpx gets as a request's timeout when the call names none. A pool the SDK
        # creates carries the client's timeout; a caller's client keeps its own unless the
        # SDK client was given `timeout=`.
        self._default_timeout = httpx.USE_CLIENT_DEFAULT
        if http_client is None:
            limits = pool_limits(max_concurrency)
            http = new_pool_client(
                headers=every_request,
                timeout=config.timeout,
                follow_redirects=False,
                limits=limits,
            )
            self._request_headers = {}
            self._pool = AsyncPool(http, owned=True, max_concurrency=max_concurrency, limits=limits)
        else:
            # The SDK closes only what it created, or what its own factories made for it to
            # own (`avala.DefaultAioHttpClient()`), never a caller's client.
            owned = getattr(http_client, "_avala_owned", False)
            if not is_default_timeout(config.timeout):
                self._default_timeout = config.timeout
            self._pool = AsyncPool(
                http_client, owned=owned, max_concurrency=max_concurrency, limits=None
            )

    def with_config(self, config: ClientConfig) -> AsyncHTTPClient:
        """A client with `config` that sends through this one's pool (and never closes it)."""
        copy = AsyncHTTPClient(config, None, pool=self._pool)
        if is_default_timeout(config.timeout):
            copy._default_timeout = self._default_timeout
        if not self._request_headers:  # the pool holds the base headers; send only changes
            base = base_headers(self._config.api_key, CLIENT_NAME, self._config.default_headers)
            every_request = base_headers(config.api_key, CLIENT_NAME, config.default_headers)
            copy._request_headers = {k: v for k, v in every_request.items() if base.get(k) != v}
        return copy

    @property
    def config(self) -> ClientConfig:
        return self._config

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._pool.http

    @property
    def pool(self) -> AsyncPool:
        """The connection pool and in-flight bound this client shares with its copies."""
        return self._pool

    @property
    def timeout(self) -> TimeoutTypes | None:
        """The timeout calls get when they name none."""
        if self._default_timeout is not httpx.USE_CLIENT_DEFAULT:
            timeout: TimeoutTypes | None = self._default_timeout
            return timeout
        if self._pool.built_by_sdk:
            return self._config.timeout  # which the pool carries
        return self._pool.http.timeout

    @property
    def rate_limit_info(self) -> dict[str, str | None]:
        if self._last_headers is None:
            return empty_rate_limit_info()
        return rate_limit_info(self._last_headers)

    async def request(
        self,
        method: str,
        path: str,
        expect: Expect[T],
        *,
        params: QueryParams | None = None,
        json: Any = None,
        options: Any = None,
    ) -> T:
        """One API call: prepare once, then attempt with retries per the client's policy."""
        if self.closed or self._pool.is_closed:
            raise ClientClosedError("The client is closed; create a new one.")
        prepared = prepare_request(
            self._config,
            self._request_headers,
            method,
            path,
            params=params,
            json=json,
            options=options,
            default_timeout=self._default_timeout,
        )
        try:
            return await self._attempt(prepared, path, expect)
        except AvalaError as exc:
            policy = self._config.retry_policy
            if prepared.max_retries == 0 or not policy.should_retry(exc):
                raise
            what = f"{method} {path}"
            await _twins.async_sleep(policy.first_retry_wait(exc, what))
        # Imported only once a call has failed: tenacity (and the asyncio it loads) is import
        # time every script would otherwise pay for the rare retry.
        from tenacity import AsyncRetrying

        retrying = AsyncRetrying(
            sleep=_twins.async_sleep,
            **tenacity_arguments(policy, prepared.max_retries, what),
        )
        result: T = await retrying(self._attempt, prepared, path, expect)
        return result

    async def request_page(self, request: PageRequest[T]) -> PageData[T]:
        return await self.request(
            "GET", request.path, request.expect, params=request.params, options=request.options
        )

    async def _attempt(self, prepared: PreparedRequest, path: str, expect: Expect[T]) -> T:
        status, headers, content = await self._send(prepared, path)
        self._last_headers = headers
        record_response(status, headers)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (request id %s)",
                prepared.method,
                path,
                status,
                headers.get("x-request-id"),
            )
        if 200 <= status < 300:
            try:
                return expect.parse(status, headers, content)
            except ResponseValidationError as exc:
                # The body snippet in the message is redacted by shape; the key may have any.
                exc.message = redact_text(exc.message, *self._secrets)
                exc.args = (exc.message,)
                raise
        raise error_from_response(status, headers, content, secrets=self._secrets)

    async def _send(self, prepared: PreparedRequest, path: str) -> tuple[int, httpx.Headers, bytes]:
        """Send once; the status, headers and body of the response, or a typed error.

        Returns the parts, never the `httpx.Response`, and frees the response as it returns
        (see the end): a long pagination walk then holds one page's bytes at a time.
        """
        if self.closed or self._pool.is_closed:
            raise ClientClosedError("The client is closed; create a new one.")
        pool = self._pool
        request = pool.http.build_request(
            prepared.method,
            prepared.url,
            params=prepared.params,
            content=prepared.content,
            headers=prepared.headers,
            timeout=prepared.timeout,
        )
        # Waiting for a slot happens before httpx starts its clocks, so time spent queued in
        # the SDK never counts against the request timeout.
        leaked: APIConnectionError | None = None
        async with pool.limiter:
            try:
                response = await pool.send(request)
            except httpx.TimeoutException as exc:
                raise APITimeoutError(
                    f"{prepared.method} {path} timed out ({type(exc).__name__})"
                ) from exc
            except httpx.InvalidURL:
                # httpx resolves a 3xx's Location even when it will not follow it.
                raise AvalaError(
                    f"{prepared.method} {path}: unexpected redirect to an invalid location; "
                    "the SDK never follows redirects. Check base_url."
                ) from None
            except (httpx.RequestError, OSError) as exc:
                detail = f"{type(exc).__name__}: {exc}"
                clean = redact_text(detail, *self._secrets)
                error = APIConnectionError(f"{prepared.method} {path} failed: {clean}")
                if clean == detail:
                    raise error from exc
                # The transport's own message held a secret: raise outside this handler, so
                # neither __cause__ nor __context__ keeps the original around.
                leaked = error
        if leaked is not None:
            raise leaked
        content = response.content
        # httpx binds each response and its stream into a reference cycle (response.stream ->
        # bound stream -> response) that only the cycle collector frees, body included. Models
        # are not tracked by that collector (types/_base.py), so it runs rarely during a long
        # walk and page bodies would pile up. Cutting the cycle frees the response by refcount.
        response.stream = _DRAINED
        return response.status_code, response.headers, content

    async def close(self) -> None:
        """Close the connection pool, unless the caller supplied (and so owns) it or this is
        a `with_options` copy (which shares its original's pool)."""
        if self.closed:
            return
        self.closed = True
        if self._owner:
            await self._pool.close()
