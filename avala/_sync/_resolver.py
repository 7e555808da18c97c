# Generated from avala/_async/_resolver.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""The anonymous dataset resolver client: resolve a reference, page through a revision's
objects, ask for access grants, and stream object bytes.

It never has an API key: requests go out with `Accept: application/json` only, through an
httpx client the resolver owns (no proxies or netrc from the environment, no redirects), or
through a caller's client with every credential header stripped from each request. Transport
errors, 408, 429 and 5xx answers are retried with the SDK's retry policy; a `Retry-After`
longer than the policy allows is not waited for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec

from .. import _twins
from .._core._config import DEFAULT_MAX_RETRIES
from .._core._download_files import TransferInterrupted
from .._core._resolver_docs import (
    ObjectPage,
    Revision,
    parse_object_page,
    parse_revision,
    parse_withdrawal,
)
from .._core._resolver_grant import Grant, latest_date, parse_grant
from .._core._resolver_refs import ParsedReference, join_resolver_path
from .._core._resolver_walk import MAX_ORDINALS
from .._core._retry import RetryPolicy, parse_retry_after
from ..errors import DatasetIntegrityError, DatasetResolverError, DatasetRevisionWithdrawnError

__all__ = ["ResolverClient", "StreamedBody"]

TIMEOUT = 30.0
PAGE_LIMIT = 100
# 429 answers are waited out at least this many times, whatever `max_retries` says.
MIN_RATE_LIMIT_RETRIES = 3
_STRIPPED = ("x-avala-api-key", "authorization", "cookie", "proxy-authorization")
_GRANT_QUERY = {"transport": "avala-edge-v1"}


def _reason(status: int) -> str:
    if status == 404:
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "service_unavailable"
    return "request_rejected"


def _decode(content: bytes) -> Any:
    try:
        return msgspec.json.decode(content)
    except (msgspec.DecodeError, ValueError):
        return None


class StreamedBody:
    """A streamed download response: `status_code`, `headers`, then raw chunks."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status_code = response.status_code
        self.headers = response.headers

    def iter_raw(self) -> Iterator[bytes]:
        """The body exactly as stored (no content decoding); `TransferInterrupted` when the
        connection fails part-way."""
        try:
            for chunk in self._response.iter_raw():
                yield chunk
        except (httpx.HTTPError, OSError):
            raise TransferInterrupted from None


class ResolverClient:
    """One resolver session: its API root, its HTTP client and its retry settings."""

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.Client | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
        self.base_url = base_url
        self.max_retries = max_retries
        self.retry_policy = retry_policy or RetryPolicy()
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            # Unbounded: `dataset.download(concurrency=N)` bounds the transfers itself, and a
            # pool smaller than its tasks would make grant requests time out waiting.
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
        )

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def _build(self, method: str, url: str, params: Any, headers: Mapping[str, str]) -> Any:
        try:
            request = self._http.build_request(method, url, params=params, headers=headers)
        except (httpx.InvalidURL, ValueError, TypeError):
            raise DatasetIntegrityError("invalid_resolver_path") from None
        for name in _STRIPPED:
            request.headers.pop(name, None)
        return request

    def _send(self, request: Any, *, stream: bool) -> httpx.Response | None:
        """Send once; None when no answer arrived (the exception is dropped: its message
        and frames may hold a signed URL).

        Straight to the pool's transport: httpx's client would log every request line at
        INFO, signed URL included, and run the caller's event hooks on it."""
        transport = self._http._transport_for_url(request.url)
        try:
            response = transport.handle_request(request)
            response.request = request
            if not stream:
                response.read()
        except (httpx.HTTPError, OSError):
            return None
        return response

    def _wait(self, headers: httpx.Headers | None, retry_number: int) -> float | None:
        """Seconds before retry `retry_number`, or None when the hint is too long."""
        if headers is not None:
            hint = parse_retry_after(headers)
            if hint is not None:
                return hint if hint <= self.retry_policy.max_retry_after else None
        return self.retry_policy.backoff(retry_number)

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        params: Any = None,
        dataset_uid: str | None = None,
        revision_sha256: str | None = None,
    ) -> tuple[Any, httpx.Headers]:
        """One resolver call: the decoded JSON object and the response headers."""
        url = join_resolver_path(self.base_url, path)
        failures = 0
        throttles = 0
        while True:
            request = self._build(method, url, params, {"Accept": "application/json"})
            response = self._send(request, stream=False)
            if response is None:
                failures += 1
                if failures > self.max_retries:
                    raise DatasetResolverError("transport_error")
                _twins.sleep(self.retry_policy.backoff(failures))
                continue
            status = response.status_code
            if method == "POST" and status == 405:
                # Older servers serve the same grant resource on GET only.
                method = "GET"
                continue
            if status == 429 or status == 408 or status >= 500:
                if status == 429:
                    throttles += 1
                    attempt, limit = throttles, max(self.max_retries, MIN_RATE_LIMIT_RETRIES)
                else:
                    failures += 1
                    attempt, limit = failures, self.max_retries
                wait = self._wait(response.headers, attempt) if attempt <= limit else None
                if wait is None:
                    raise DatasetResolverError(_reason(status), status)
                _twins.sleep(wait)
                continue
            data = _decode(response.content)
            if status == 410:
                if type(data) is not dict:
                    raise DatasetResolverError("invalid_withdrawal", 410)
                gone = parse_withdrawal(
                    data, dataset_uid=dataset_uid, revision_sha256=revision_sha256
                )
                raise DatasetRevisionWithdrawnError(
                    gone.canonical_reference, gone.dataset_uid, gone.revision_sha256
                )
            if not 200 <= status < 300:
                raise DatasetResolverError(_reason(status), status)
            if type(data) is not dict:
                raise DatasetIntegrityError("invalid_resolver_response")
            return data, response.headers

    def resolve(self, reference: ParsedReference) -> Revision:
        data, _ = self.request(
            reference.path,
            dataset_uid=reference.dataset_uid,
            revision_sha256=reference.revision_sha256,
        )
        return parse_revision(data, reference)

    def page(
        self,
        revision: Revision,
        *,
        role: str | None = None,
        ordinal: int | None = None,
        ordinals: tuple[int, ...] | None = None,
        cursor: str | None = None,
    ) -> ObjectPage:
        """One page of objects: a cursor walk, one ordinal, or a batch of episode ordinals."""
        if ordinals is not None and (
            role is None or cursor is not None or not 1 <= len(ordinals) <= MAX_ORDINALS
        ):
            raise ValueError("ordinals must hold 1-100 values of one role")
        params: list[tuple[str, str | int]] = []
        if ordinals is None:
            params.append(("limit", PAGE_LIMIT))
        if role is not None:
            params.append(("role", role))
        if ordinal is not None:
            params.append(("ordinal", ordinal))
        for value in ordinals or ():
            params.append(("ordinals", value))
        if cursor is not None:
            params.append(("cursor", cursor))
        data, _ = self.request(
            revision.objects_path,
            params=params,
            dataset_uid=revision.dataset_uid,
            revision_sha256=revision.revision_sha256,
        )
        return parse_object_page(
            data, revision, role=role, ordinal=ordinal, ordinals=ordinals, cursor=cursor
        )

    def grant(self, revision: Revision, obj: Any) -> Grant:
        """A fresh access grant for `obj` (a `ManifestObject`)."""
        data, headers = self.request(
            obj.access_path,
            method="POST",
            params=_GRANT_QUERY,
            dataset_uid=revision.dataset_uid,
            revision_sha256=revision.revision_sha256,
        )
        return parse_grant(
            data,
            date_header=latest_date(headers.get_list("date")),
            revision=revision,
            obj=obj,
            api_base_url=self.base_url,
        )

    @contextmanager
    def stream(self, url: str, headers: Mapping[str, str]) -> Iterator[StreamedBody | None]:
        """GET a (validated) download URL with its body streamed; yields None when no
        answer arrived. Never carries a credential header."""
        try:
            request = self._http.build_request("GET", url, headers=dict(headers))
        except (httpx.InvalidURL, ValueError, TypeError):
            raise DatasetIntegrityError("invalid_access_grant_url") from None
        for name in _STRIPPED:
            request.headers.pop(name, None)
        request.headers.pop("accept", None)
        response = self._send(request, stream=True)
        if response is None:
            yield None
            return
        try:
            yield StreamedBody(response)
        finally:
            response.close()
