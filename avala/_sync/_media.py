# Generated from avala/_async/_media.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""Fetching one media file (an item's image) by its signed URL, for training loaders.

Through the client's storage transfer: the URL is checked against the storage allow-list,
the request carries no API key, failures are typed (`MediaError`, never showing the URL)
and transient ones (connection errors, 408, 429, 5xx) are retried per the client's retry
policy. An expired or refused signature (401/403) gets the caller's `refresh` once: a fresh
URL for the same media. Redirects are followed only to URLs that pass the same check.
"""

from __future__ import annotations

from urllib.parse import urljoin

from .. import _twins
from .._core._retry import RETRYABLE_STATUSES, parse_retry_after
from .._core._signed_url import is_expired
from ..errors import MediaError, StorageError
from ._transfer import Transfer

__all__ = ["DEFAULT_MAX_MEDIA_BYTES", "MediaFetcher"]

DEFAULT_MAX_MEDIA_BYTES = 512 * 1024 * 1024
_MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class MediaFetcher:
    """GET media bytes from signed URLs on behalf of one client."""

    def __init__(
        self,
        transfer: Transfer,
        *,
        max_bytes: int = DEFAULT_MAX_MEDIA_BYTES,
        max_retries: int | None = None,
    ) -> None:
        self._transfer = transfer
        self._config = transfer._config
        self._max_bytes = max_bytes
        self._max_retries = self._config.max_retries if max_retries is None else max_retries

    def fetch(self, url: str, *, refresh: _twins.Fetcher[str | None] | None = None) -> bytes:
        """The whole body at `url`. `refresh()` returns a fresh URL for the same media (or
        None); it is called once, when `url` has expired or its signature is refused."""
        refreshed = False
        if refresh is not None and is_expired(url):
            url = self._refreshed(refresh)
            refreshed = True
        retry_number = 0
        redirects = 0
        while True:
            current = self._transfer.check_url(url)
            status, body, retry_after, location = self._get(current)
            if status is not None and 200 <= status < 300:
                return body
            if status in _REDIRECTS and location and redirects < _MAX_REDIRECTS:
                redirects += 1
                url = urljoin(current, location)
                continue
            if status in (401, 403) and refresh is not None and not refreshed:
                url = self._refreshed(refresh)
                refreshed = True
                continue
            retry_number += 1
            wait = self._wait(status, retry_after, retry_number)
            if wait is None:
                reason = "unreachable" if status is None else f"http_{status}"
                raise MediaError(
                    "Fetching media failed: "
                    + ("the host could not be reached." if status is None else f"HTTP {status}."),
                    reason,
                    status,
                )
            _twins.sleep(wait)

    def _refreshed(self, refresh: _twins.Fetcher[str | None]) -> str:
        fresh = refresh()
        if not fresh:
            raise MediaError("The item no longer has a media URL.", "no_url")
        return fresh

    def _wait(
        self, status: int | None, retry_after: float | None, retry_number: int
    ) -> float | None:
        if retry_number > self._max_retries:
            return None
        if status is not None and status not in RETRYABLE_STATUSES and status < 500:
            return None
        policy = self._config.retry_policy
        if retry_after is not None:
            return retry_after if retry_after <= policy.max_retry_after else None
        return policy.backoff(retry_number)

    def _get(self, url: str) -> tuple[int | None, bytes, float | None, str | None]:
        """(status or None when unreachable, body of a 2xx, Retry-After, Location)."""
        try:
            with self._transfer.stream("GET", url) as response:
                status = response.status_code
                if not 200 <= status < 300:
                    return (
                        status,
                        b"",
                        parse_retry_after(response.headers),
                        response.headers.get("location"),
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise MediaError(
                            f"The media is larger than {self._max_bytes} bytes.", "too_large"
                        )
                    chunks.append(chunk)
                return status, b"".join(chunks), None, None
        except StorageError:
            return None, b"", None, None
