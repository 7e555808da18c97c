# Generated from avala/_async/_download.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""Verified, resumable downloads of signed URLs (dataset objects, export files).

One download streams the body into a sink (a partial file, or a spool for `open()`) while
hashing it, so memory stays at one chunk whatever the size. A dropped connection, a 408, 429
or 5xx is retried with the SDK's retry policy; when the URL supports byte ranges the retry asks
only for the missing tail (`Range: bytes=N-`), otherwise it starts over. An attempt that
received bytes does not count against `max_retries`: a long download over a flaky link keeps
going as long as it makes progress. A new URL is asked for only when the current one has
expired (or the storage host answers 403 once it is close to expiry).

Integrity: more bytes than expected, a short body, or a SHA-256 that differs from the expected
one fails at once (no retry: the stored bytes are wrong, not the transfer), and the partial
file is deleted. Files are written to `.<name>.<sha>.avala-part` next to the destination and
renamed into place once verified: the destination is either absent or complete. (No fsync:
it costs ~10 ms a file, and a file is never trusted without hashing it again, so a copy cut
short by a crash is simply downloaded again.) Hashing runs on a worker thread next to the
transfer, as fast as the link allows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from .. import _twins
from .._core._download_files import (
    TransferInterrupted,
    content_range_start,
    file_matches,
    finish_replace,
    open_partial,
    partial_path,
    size_is,
)
from .._core._retry import RetryPolicy, parse_retry_after
from .._download_twins import Blocking, HashingSink
from ..errors import DownloadError, StorageError

if TYPE_CHECKING:
    from ._transfer import Transfer

__all__ = ["Locator", "TransferSource", "Location", "download_file", "fetch_into"]

ByteCallback = Callable[[int], None]
FailureFactory = Callable[[str, "int | None"], DownloadError]

# Below this many bytes to fetch, a file is hashed as it arrives, without a worker thread.
THREADED_HASH_MIN = 8 * 1024 * 1024
# Reasons after which the partial file cannot be trusted and is deleted.
_INTEGRITY = frozenset({"size_mismatch", "sha256_mismatch"})
_RETRYABLE = frozenset({408, 429})


@dataclass(frozen=True)
class Location:
    """Where to fetch the bytes now. `url` is a credential (never in repr or messages)."""

    url: str
    provider: str
    range_supported: bool
    expired: Callable[[], bool]
    # A URL without a known lifetime (an export's): a 403 gets one fresh URL before failing.
    renew_on_refusal: bool = False

    def __repr__(self) -> str:
        return f"Location(provider={self.provider!r}, range_supported={self.range_supported})"


class TransferSource:
    """Downloads through a client's `Transfer` (its pool and in-flight limiter, with
    every credential header stripped)."""

    def __init__(self, transfer: Transfer) -> None:
        self._transfer = transfer

    @contextmanager
    def stream(self, url: str, headers: Mapping[str, str]) -> Iterator[Any]:
        with self._transfer.stream("GET", url, headers=headers) as response:
            yield response


class Locator(Protocol):
    def locate(self, renew: bool) -> Location:
        """The current URL; a new one when `renew` (the last one expired or was refused)."""
        ...


class _Retry(Exception):
    def __init__(self, status: int | None, headers: Any = None) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers


def _headers(location: Location, offset: int) -> dict[str, str]:
    # GCS would otherwise gunzip objects stored gzip-encoded, and the hash is of stored bytes.
    headers = {"Accept-Encoding": "gzip" if location.provider == "gcs" else "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    return headers


class _Fetch:
    """The state of one download into one sink (written and hashed on a worker thread)."""

    def __init__(
        self,
        sink: HashingSink,
        *,
        offset: int,
        size: int | None,
        sha256: str | None,
        on_bytes: ByteCallback | None,
        fail: FailureFactory,
    ) -> None:
        self.sink = sink
        self.offset = offset
        self.size = size
        self.sha256 = sha256
        self.on_bytes = on_bytes
        self.fail = fail

    def restart(self) -> None:
        """Drop what was received (the server cannot resume): start over from byte 0."""
        if self.offset and self.on_bytes is not None:
            self.on_bytes(-self.offset)
        self.offset = 0
        try:
            self.sink.reset(hashlib.sha256())
        except OSError:
            raise self.fail("local_storage_error", None) from None

    def write(self, chunk: bytes) -> None:
        self.offset += len(chunk)
        if self.size is not None and self.offset > self.size:
            raise self.fail("size_mismatch", None)
        try:
            self.sink.write(chunk)
        except OSError:
            raise self.fail("local_storage_error", None) from None
        if self.on_bytes is not None:
            self.on_bytes(len(chunk))

    def verify(self) -> None:
        try:
            self.sink.settle()
        except OSError:
            raise self.fail("local_storage_error", None) from None
        if self.size is not None and self.offset != self.size:
            raise self.fail("size_mismatch", None)
        if self.sha256 is not None and self.sink.digest.hexdigest() != self.sha256:
            raise self.fail("sha256_mismatch", None)

    def attempt(self, source: Any, location: Location) -> None:
        """One request: stream the body (or its missing tail) into the sink."""
        resume = self.offset > 0 and location.range_supported
        if self.offset and not resume:
            self.restart()
        with source.stream(location.url, _headers(location, self.offset)) as body:
            if body is None:
                raise TransferInterrupted
            status = body.status_code
            if status == 206 and resume:
                start = content_range_start(body.headers.get("content-range"), self.size)
                if start != self.offset:
                    self.restart()
                    raise _Retry(None)
            elif status == 200:
                if self.offset:
                    self.restart()  # the server ignored the range: the body is whole
                if self.size is None:
                    # Unknown in advance (an export file): the first answer's length is what
                    # a resumed or finished download must add up to.
                    length = body.headers.get("content-length")
                    self.size = int(length) if length and length.isdigit() else None
            elif 300 <= status < 400:
                raise self.fail("redirect_rejected", status)
            elif status in _RETRYABLE or status >= 500 or status == 403:
                raise _Retry(status, body.headers)
            else:
                raise self.fail("provider_response", status)
            for chunk in body.iter_raw():
                self.write(chunk)


def fetch_into(
    source: Any,
    locator: Locator,
    sink: BinaryIO,
    *,
    offset: int = 0,
    digest: Any = None,
    size: int | None,
    sha256: str | None,
    max_retries: int,
    policy: RetryPolicy,
    on_bytes: ByteCallback | None,
    fail: FailureFactory,
) -> int:
    """Download into `sink` (positioned at `offset`, `digest` holding the hash of the bytes
    before it) and verify; returns the size. Raises `fail(reason, status)`."""
    # Small files hash inline: a worker thread only pays off once there is much to overlap.
    threaded = size is None or size - offset > THREADED_HASH_MIN
    hashing = HashingSink(sink, digest or hashlib.sha256(), threaded=threaded)
    try:
        fetch = _Fetch(
            hashing, offset=offset, size=size, sha256=sha256, on_bytes=on_bytes, fail=fail
        )
        return _fetch(fetch, source, locator, max_retries, policy, fail)
    finally:
        hashing.close()


def _fetch(
    fetch: _Fetch,
    source: Any,
    locator: Locator,
    max_retries: int,
    policy: RetryPolicy,
    fail: FailureFactory,
) -> int:
    location = locator.locate(False)
    failures = 0
    refusals = 0
    while True:
        if fetch.size is not None and fetch.offset == fetch.size and fetch.offset:
            break  # everything arrived before the connection broke
        if location.expired():
            location = locator.locate(True)
        before = fetch.offset
        try:
            fetch.attempt(source, location)
            break
        except (TransferInterrupted, StorageError):
            status, headers = None, None
        except _Retry as retry:
            status, headers = retry.status, retry.headers
        if status == 403:
            # An expired signature: worth one new URL, but only if this one is (nearly) stale.
            refusals += 1
            if not location.expired() and not (location.renew_on_refusal and refusals == 1):
                raise fail("provider_response", 403)
            location = locator.locate(True)
        failures = 0 if fetch.offset > before else failures + 1
        if failures > max_retries:
            raise fail("transport_error" if status is None else "provider_response", status)
        hint = parse_retry_after(headers) if headers is not None else None
        if hint is not None and hint > policy.max_retry_after:
            raise fail("provider_response", status)
        _twins.sleep(hint if hint is not None else policy.backoff(failures or 1))
    fetch.verify()
    return fetch.offset


def download_file(
    source: Any,
    locator: Locator,
    dest: Path,
    *,
    size: int | None,
    sha256: str | None,
    max_retries: int,
    policy: RetryPolicy,
    on_bytes: ByteCallback | None,
    fail: FailureFactory,
) -> bool:
    """Write a verified copy of the bytes to `dest` atomically. Returns False (and sends
    nothing) when `dest` already holds exactly these bytes. Resumes a partial file left by an
    interrupted earlier run."""
    if (
        sha256 is not None
        and size_is(dest, size)
        and Blocking.run(file_matches, dest, size, sha256)
    ):
        return False
    part = partial_path(dest, sha256)
    try:
        if size_is(part, None):  # a partial file to hash before resuming: off the event loop
            handle, offset, digest = Blocking.run(open_partial, dest, sha256, size)
        else:
            handle, offset, digest = open_partial(dest, sha256, size)
    except OSError:
        raise fail("local_storage_error", None) from None
    try:
        if offset and on_bytes is not None:
            on_bytes(offset)
        fetch_into(
            source,
            locator,
            handle,
            offset=offset,
            digest=digest,
            size=size,
            sha256=sha256,
            max_retries=max_retries,
            policy=policy,
            on_bytes=on_bytes,
            fail=fail,
        )
        finish_replace(handle, part, dest)
    except DownloadError as error:
        handle.close()
        if error.reason in _INTEGRITY:
            with suppress(OSError):
                part.unlink()
        raise
    except OSError:
        handle.close()
        raise fail("local_storage_error", None) from None
    except BaseException:
        handle.close()
        _drop_if_empty(part)
        raise
    return True


def _drop_if_empty(part: Path) -> None:
    """A cancelled download that received nothing leaves nothing to resume from."""
    with suppress(OSError):
        if part.stat().st_size == 0:
            part.unlink()
