"""Requests to storage hosts (signed upload and download URLs), as opposed to API calls.

They travel through the client's own connection pool and in-flight limiter, and are retried
by the client's retry policy, but:

- they never carry the API key, `Authorization` or cookies (stripped from every request,
  whatever headers the pool adds);
- they go straight to the pool's transport: no redirects are followed, no event hooks run,
  and httpx does not log them (its request log line holds the signed URL);
- every failure is a `StorageError` (or `UnsafeURLError` before anything is sent) whose
  message and cause never contain the URL;
- request bodies stream from disk in chunks (a file range, never read whole into memory),
  and every chunk handed to the network is reported to an optional `on_bytes` callback.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import httpx

from .. import _twins
from .._core._retry import RETRYABLE_STATUSES, parse_retry_after
from .._core._storage_url import validate_storage_url
from .._runner import async_checkpoint
from ..errors import FileChangedError, StorageError, UploadError

if TYPE_CHECKING:
    from ._http import AsyncHTTPClient

__all__ = [
    "CHUNK_SIZE",
    "AsyncStorageResponse",
    "AsyncTransfer",
    "FileSlice",
    "FormUpload",
    "TransferResponse",
]

# Chunk read from disk and handed to the socket at a time: large enough that per-chunk
# overhead vanishes next to the copy, small enough that memory stays flat.
CHUNK_SIZE = 1024 * 1024

# Headers that never reach a storage host, whatever the pool or the caller adds.
_STRIPPED = ("x-avala-api-key", "authorization", "cookie", "proxy-authorization")

ByteCallback = Callable[[int], None]


@dataclass(frozen=True)
class FileSlice:
    """`length` bytes of the file at `path` starting at `offset`, streamed in chunks."""

    path: str | os.PathLike[str]
    offset: int
    length: int


@dataclass(frozen=True)
class FormUpload:
    """A presigned form POST: `fields` as form fields, then the file as the part `file`."""

    fields: Mapping[str, str]
    file: FileSlice
    filename: str
    content_type: str


Body = FileSlice | FormUpload | bytes


@dataclass(frozen=True)
class TransferResponse:
    """What a storage host answered: status and headers (the body is read and dropped)."""

    status_code: int
    headers: httpx.Headers


_S3_CODE = re.compile(rb"<Code>([A-Za-z0-9]{1,64})</Code>")


def _storage_failure(status: int, content: bytes) -> StorageError:
    # S3-style error bodies name the reason (SignatureDoesNotMatch, ...): worth showing, and
    # it is a fixed token, never the URL.
    match = _S3_CODE.search(content[:4096])
    reason = f" ({match.group(1).decode()})" if match else ""
    return StorageError(f"The storage host answered HTTP {status}{reason}.", status)


def _connection_failure(exc: BaseException) -> StorageError:
    # Only the exception's type: httpx messages can embed the request URL.
    return StorageError(f"The storage host could not be reached ({type(exc).__name__}).")


class _Progress:
    """Bytes of the current attempt handed to the network, for `on_bytes` and rollback."""

    __slots__ = ("callback", "sent")

    def __init__(self, callback: ByteCallback | None) -> None:
        self.callback = callback
        self.sent = 0

    def add(self, count: int) -> None:
        self.sent += count
        if self.callback is not None and count:
            self.callback(count)

    def rollback(self) -> None:
        if self.callback is not None and self.sent:
            self.callback(-self.sent)
        self.sent = 0


def _open(path: str | os.PathLike[str]) -> BinaryIO:
    # Plain reads of CHUNK_SIZE from a local file: short enough not to stall an event loop
    # noticeably, and no worker thread per chunk.
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UploadError(
            f"Cannot read {os.fspath(path)!r}: {exc.strerror or type(exc).__name__}"
        ) from None


async def _slice_chunks(
    piece: FileSlice, progress: _Progress, chunk_size: int
) -> AsyncIterator[bytes]:
    """The bytes of `piece`, chunk by chunk; a file shorter than announced is a
    `FileChangedError` (the length was promised to the storage host)."""
    remaining = piece.length
    with _open(piece.path) as handle:
        try:
            handle.seek(piece.offset)
        except OSError as exc:
            raise UploadError(
                f"Cannot read {os.fspath(piece.path)!r}: {exc.strerror or type(exc).__name__}"
            ) from None
        while remaining > 0:
            try:
                chunk = handle.read(min(chunk_size, remaining))
            except OSError as exc:
                raise UploadError(
                    f"Cannot read {os.fspath(piece.path)!r}: {exc.strerror or type(exc).__name__}"
                ) from None
            if not chunk:
                raise FileChangedError(
                    f"{os.fspath(piece.path)!r} became shorter while it was being uploaded."
                )
            remaining -= len(chunk)
            yield chunk
            progress.add(len(chunk))
            await async_checkpoint()


async def _form_chunks(
    form: FormUpload, boundary: bytes, progress: _Progress, chunk_size: int
) -> AsyncIterator[bytes]:
    head, tail = _form_frame(form, boundary)
    yield head
    async for chunk in _slice_chunks(form.file, progress, chunk_size):
        yield chunk
    yield tail


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _form_frame(form: FormUpload, boundary: bytes) -> tuple[bytes, bytes]:
    parts: list[bytes] = []
    for name, value in form.fields.items():
        parts.append(
            b"--" + boundary + b"\r\n"
            b'Content-Disposition: form-data; name="'
            + _quote(name).encode()
            + b'"\r\n\r\n'
            + str(value).encode()
            + b"\r\n"
        )
    parts.append(
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="'
        + _quote(form.filename).encode()
        + b'"\r\nContent-Type: '
        + form.content_type.encode("latin-1", "replace")
        + b"\r\n\r\n"
    )
    return b"".join(parts), b"\r\n--" + boundary + b"--\r\n"


class AsyncStorageResponse:
    """A streamed storage response: `status_code`, `headers`, then the body in chunks."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status_code = response.status_code
        self.headers = response.headers

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        """The body, content-decoded (gzip, ...), chunk by chunk."""
        failure: StorageError | None = None
        try:
            async for chunk in self._response.aiter_bytes():
                yield chunk
        except (httpx.HTTPError, OSError) as exc:
            failure = _connection_failure(exc)
        if failure is not None:
            raise failure

    async def iter_raw(self) -> AsyncIterator[bytes]:
        """The body exactly as sent, chunk by chunk."""
        failure: StorageError | None = None
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except (httpx.HTTPError, OSError) as exc:
            failure = _connection_failure(exc)
        if failure is not None:
            raise failure


class AsyncTransfer:
    """Storage requests for one client (see the module docstring)."""

    def __init__(self, http: AsyncHTTPClient, *, chunk_size: int = CHUNK_SIZE) -> None:
        self._pool = http.pool
        self._limiter = http.pool.limiter
        self._config = http.config
        self.chunk_size = chunk_size

    def check_url(self, url: str) -> str:
        """`url` if storage requests may go there, else `UnsafeURLError` (no URL inside)."""
        return validate_storage_url(url, api_base_url=self._config.base_url)

    def _build(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        content: AsyncIterator[bytes] | bytes | None,
    ) -> httpx.Request:
        try:
            request = self._pool.http.build_request(
                method, url, headers=dict(headers or {}), content=content
            )
        except (httpx.InvalidURL, ValueError, TypeError):
            raise StorageError("The storage URL or its headers are malformed.") from None
        for name in _STRIPPED:
            request.headers.pop(name, None)
        return request

    async def _send_once(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        transport = self._pool.http._transport_for_url(request.url)
        failure: StorageError | None = None
        try:
            response = await transport.handle_async_request(request)
            if not stream:
                await response.aread()
        except UploadError:
            raise
        except (httpx.HTTPError, OSError) as exc:
            # Raised outside the handler: the original (whose message may hold the URL)
            # must not survive as __context__ either.
            failure = _connection_failure(exc)
        if failure is not None:
            raise failure
        response.request = request
        return response

    async def send_once(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        content: AsyncIterator[bytes] | bytes | None,
    ) -> httpx.Response:
        """One storage request, sent once (the caller decides about retries), its response
        read whole. Holds an in-flight slot while it runs."""
        request = self._build(method, url, headers, content)
        async with self._limiter, self._pool.borrow():
            return await self._send_once(request, stream=False)

    def _retry_wait(self, error: StorageError, retry_number: int) -> float | None:
        """Seconds to wait before retrying `error`, or None when it must not be retried."""
        status = error.status_code
        policy = self._config.retry_policy
        if status is not None and status not in RETRYABLE_STATUSES and status < 500:
            return None
        hint = parse_retry_after(error.headers)
        if hint is not None:
            if hint > policy.max_retry_after:
                return None
            return hint
        return policy.backoff(retry_number)

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: Body | None = None,
        on_bytes: ByteCallback | None = None,
        accept: Iterable[int] = (),
        max_retries: int | None = None,
    ) -> TransferResponse:
        """Send `body` to the (already validated) storage `url`, retrying transient
        failures. Returns the response for a 2xx or a status in `accept`; raises
        `StorageError` otherwise. `on_bytes(n)` sees every chunk sent; a failed attempt's
        bytes are taken back with one negative call before the retry."""
        accepted = frozenset(accept)
        retries = self._config.max_retries if max_retries is None else max_retries
        progress = _Progress(on_bytes)
        retry_number = 0
        while True:
            try:
                return await self._attempt(method, url, headers, body, progress, accepted)
            except StorageError as error:
                progress.rollback()
                retry_number += 1
                wait = self._retry_wait(error, retry_number) if retry_number <= retries else None
                if wait is None:
                    raise
            except BaseException:
                progress.rollback()
                raise
            await _twins.async_sleep(wait)

    async def _attempt(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: Body | None,
        progress: _Progress,
        accepted: frozenset[int],
    ) -> TransferResponse:
        progress.sent = 0
        request_headers = {k: v for k, v in (headers or {}).items() if k.lower() not in _STRIPPED}
        content: AsyncIterator[bytes] | bytes | None
        if isinstance(body, FileSlice):
            content = _slice_chunks(body, progress, self.chunk_size)
            request_headers["Content-Length"] = str(body.length)
        elif isinstance(body, FormUpload):
            boundary = os.urandom(16).hex().encode()
            head, tail = _form_frame(body, boundary)
            content = _form_chunks(body, boundary, progress, self.chunk_size)
            request_headers["Content-Length"] = str(len(head) + body.file.length + len(tail))
            request_headers["Content-Type"] = "multipart/form-data; boundary=" + boundary.decode()
        else:
            content = body
        request = self._build(method, url, request_headers, content)
        async with self._limiter, self._pool.borrow():
            response = await self._send_once(request, stream=False)
        if isinstance(body, bytes):
            progress.add(len(body))
        status = response.status_code
        if 200 <= status < 300 or status in accepted:
            return TransferResponse(status, response.headers)
        error = _storage_failure(status, response.content)
        error.headers = {"retry-after": response.headers.get("retry-after", "")}
        if not error.headers["retry-after"]:
            error.headers = {}
        raise error

    @asynccontextmanager
    async def stream(
        self, method: str, url: str, *, headers: Mapping[str, str] | None = None
    ) -> AsyncIterator[AsyncStorageResponse]:
        """One storage request whose response body is streamed (no retry: a download
        resumes with a Range request of its own). Any status is returned; the caller
        decides. Holds one in-flight slot until the block exits."""
        request = self._build(method, url, headers, None)
        async with self._limiter, self._pool.borrow():
            response = await self._send_once(request, stream=True)
            try:
                yield AsyncStorageResponse(response)
            finally:
                await response.aclose()
