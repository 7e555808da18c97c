"""The HTTP side of the object store, free of any server framework (sans-IO).

`begin(store, head)` looks at a storage request's head and returns either a `StorageReply`
(answer now; its body may be a lazy stream of file chunks) or a `StorageUpload` that takes the
request body chunk by chunk (`feed`) and answers at `finish()`. The loopback ASGI server and
the in-process httpx transports drive these with real streams, so large bodies never sit in
memory; `serve_request` drives them with a whole `Request` for direct `LocalAvala.handle()`.

Routes (paths below `/_local/storage/`, or the R2-style host of `presign(host_style="r2")`):
  PUT <key>                          store an object (200 + ETag; 412 on `If-None-Match: *` when
                                     it exists; 400 BadDigest when `Content-MD5` disagrees)
  PUT <key>?uploadId&partNumber      store one part of a multipart upload (200 + ETag)
  POST /_local/storage/              presigned form upload: fields, then the `file` part (204)
  GET / HEAD <key>                   the object, with single `Range` (206 / 416), `If-Range`,
                                     `If-Match`, `If-None-Match`
  DELETE <key>                       204
"""

from __future__ import annotations

import base64
import email.message
import email.utils
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from ._objects import (
    R2_BUCKET,
    STORAGE_PREFIX,
    ObjectInfo,
    ObjectStore,
    ObjectWriter,
    PartTooLarge,
    SignatureError,
    quote_key,
)
from ._wire import Dropped, Outcome, Request, Response

__all__ = [
    "StorageHead",
    "StorageReply",
    "StorageUpload",
    "begin",
    "is_storage",
    "serve_request",
]

_MAX_FIELD = 1024 * 1024
_MAX_PART_HEADERS = 16 * 1024


@dataclass
class StorageHead:
    """A storage request without its body. Header names are lower-case."""

    method: str
    path: str  # raw (percent-encoded) path, no query
    query: list[tuple[str, str]]
    headers: dict[str, str]
    host: str = "localhost"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class StorageReply:
    """An answer. `stream` (when set) yields the body lazily, after `body`.

    `drop` closes the connection once the body is sent (`applied`: the request took effect).
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    stream: Iterator[bytes] | None = None
    drop: bool = False
    applied: bool = False

    def chunks(self) -> Iterator[bytes]:
        if self.body:
            yield self.body
        if self.stream is not None:
            yield from self.stream


class StorageUpload(Protocol):
    def feed(self, chunk: bytes) -> bool:
        """Take the next body chunk; False means: stop reading and drop the connection."""

    def finish(self) -> StorageReply:
        """The body ended: answer."""

    def abort(self) -> None:
        """The client went away: keep nothing."""


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_storage(store: ObjectStore, path: str, host: str) -> bool:
    """Whether a request for `path` on `host` is for the object store."""
    return path.startswith(STORAGE_PREFIX) or _host_name(host).lower() == store.r2_host


def _key_of(store: ObjectStore, head: StorageHead) -> str | None:
    if head.path.startswith(STORAGE_PREFIX):
        return unquote(head.path[len(STORAGE_PREFIX) :], errors="strict")
    prefix = f"/{R2_BUCKET}/"
    if _host_name(head.host).lower() == store.r2_host and head.path.startswith(prefix):
        return unquote(head.path[len(prefix) :], errors="strict")
    return None


def _error(
    status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None
) -> StorageReply:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    head = [("content-type", "application/xml"), ("content-length", str(len(body)))]
    return StorageReply(status, head + (headers or []), body)


def _fault_reply(kind: str, retry_after: float | None) -> StorageReply:
    if kind == "http_503":
        wait = [] if retry_after is None else [("retry-after", _seconds(retry_after))]
        return _error(503, "SlowDown", "Please reduce your request rate.", wait)
    return _error(500, "InternalError", "We encountered an internal error. Please try again.")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _content_length(head: StorageHead) -> int | None:
    raw = head.header("content-length")
    return int(raw) if raw is not None and raw.strip().isdigit() else None


def _has_body(head: StorageHead) -> bool:
    return bool(_content_length(head)) or "chunked" in (head.header("transfer-encoding") or "")


class _Drain:
    """Reads and discards a body (counted as received), then gives a prepared answer."""

    def __init__(self, store: ObjectStore, key: str, reply: StorageReply) -> None:
        self.store, self.key, self.reply = store, key, reply

    def feed(self, chunk: bytes) -> bool:
        _received(self.store, self.key, len(chunk))
        return True

    def finish(self) -> StorageReply:
        return self.reply

    def abort(self) -> None:
        pass


def _received(store: ObjectStore, key: str, n: int) -> None:
    if n:
        with store.lock:
            store.stats.bytes_received += n
            if key:
                store.stats._for(key).bytes_received += n


def _answer(
    store: ObjectStore, head: StorageHead, key: str, reply: StorageReply
) -> StorageReply | StorageUpload:
    """`reply`, after draining the request body if there is one (so clients see the answer)."""
    if _has_body(head):
        return _Drain(store, key, reply)
    return reply


class _Upload:
    """A PUT of an object or a part: chunks stream into an `ObjectWriter`."""

    def __init__(
        self,
        store: ObjectStore,
        head: StorageHead,
        key: str,
        writer: ObjectWriter,
        fault: str | None,
    ) -> None:
        self.store, self.head, self.key, self.writer, self.fault = store, head, key, writer, fault
        expected = _content_length(head)
        self._refused: StorageReply | None = None
        self._drop_at: int | None = None
        if fault == "drop":
            fraction = store.faults.drop_fraction
            self._drop_at = math.floor((expected or 0) * fraction) if expected else 0

    def feed(self, chunk: bytes) -> bool:
        _received(self.store, self.key, len(chunk))
        if self._refused is not None:
            return True  # drain the rest, then answer the refusal
        if self._drop_at is not None:
            room = self._drop_at - self.writer.size
            if len(chunk) >= room:
                self.abort()
                return False
        try:
            self.writer.write(chunk)
        except PartTooLarge as exc:
            self.abort()
            self._refused = _error(400, "EntityTooLarge", str(exc))
        return True

    def finish(self) -> StorageReply:
        if self._refused is not None:
            return self._refused
        if self._drop_at is not None:
            self.abort()
            return StorageReply(200, [], drop=True)
        md5, digest = self.head.header("content-md5"), self.writer.md5
        if (
            md5 is not None
            and digest is not None
            and base64.b64encode(digest).decode() != md5.strip()
        ):
            self.abort()
            return _error(
                400, "BadDigest", "The Content-MD5 you specified did not match what we received."
            )
        info = self.writer.commit()
        headers = [("etag", info.etag), ("content-length", "0")]
        return StorageReply(200, headers, drop=self.fault == "drop_after", applied=True)

    def abort(self) -> None:
        self.writer.abort()


def _disposition_name(value: str) -> str | None:
    """The `name` parameter of a form part's Content-Disposition (quoted strings honoured)."""
    message = email.message.Message()
    message["content-disposition"] = value.strip()
    name = message.get_param("name", header="content-disposition")
    if isinstance(name, tuple):  # RFC 2231 form
        return email.utils.collapse_rfc2231_value(name)
    return name if isinstance(name, str) else None


class _FormUpload:
    """A presigned form POST (multipart/form-data), parsed as it streams."""

    def __init__(self, store: ObjectStore, boundary: bytes, fault: str | None) -> None:
        self.store = store
        self.fault = fault
        self.fields: dict[str, str] = {}
        self.key = ""
        self._delimiter = b"--" + boundary
        self._separator = b"\r\n--" + boundary
        self._buf = bytearray()
        self._state = "preamble"
        self._part_name = ""
        self._part_type: str | None = None
        self._field = bytearray()
        self._writer: ObjectWriter | None = None
        self._max_size: int | None = None
        self._failure: StorageReply | None = None
        self._file_seen = False
        self._received = 0

    def feed(self, chunk: bytes) -> bool:
        self._received += len(chunk)
        _received(self.store, self.key, len(chunk))
        if self.fault == "drop" and self._received >= 64 * 1024:
            self.abort()
            return False
        if self._state != "epilogue" and self._failure is None:
            self._buf += chunk
            self._parse()
        return True

    def _parse(self) -> None:
        buf = self._buf
        while True:
            if self._state == "preamble":
                index = buf.find(self._delimiter)
                if index < 0:
                    del buf[: max(0, len(buf) - len(self._delimiter))]
                    return
                del buf[: index + len(self._delimiter)]
                self._state = "boundary"
            elif self._state == "boundary":
                if len(buf) < 2:
                    return
                if buf[:2] == b"--":
                    self._state = "epilogue"
                    buf.clear()
                    return
                if buf[:2] != b"\r\n":
                    return self._fail(
                        400,
                        "MalformedPOSTRequest",
                        "The body of your POST request is not well-formed multipart/form-data.",
                    )
                del buf[:2]
                self._state = "headers"
            elif self._state == "headers":
                index = buf.find(b"\r\n\r\n")
                if index < 0:
                    if len(buf) > _MAX_PART_HEADERS:
                        return self._fail(
                            400, "MalformedPOSTRequest", "Form part headers are too large."
                        )
                    return
                self._start_part(bytes(buf[:index]).decode("utf-8", "replace"))
                del buf[: index + 4]
                if self._failure is not None:
                    return
            else:  # inside a part's content
                index = buf.find(self._separator)
                if index < 0:
                    keep = len(self._separator) - 1
                    if len(buf) > keep:
                        self._content(bytes(buf[: len(buf) - keep]))
                        del buf[: len(buf) - keep]
                    return
                self._content(bytes(buf[:index]))
                del buf[: index + len(self._separator)]
                self._end_part()
                if self._failure is not None:
                    return
                self._state = "boundary"

    def _start_part(self, raw_headers: str) -> None:
        name = None
        self._part_type = None
        for line in raw_headers.split("\r\n"):
            header, _, value = line.partition(":")
            if header.strip().lower() == "content-disposition":
                name = _disposition_name(value)
            elif header.strip().lower() == "content-type":
                self._part_type = value.strip()
        self._part_name = name or ""
        if self._part_name != "file":
            self._state = "field"
            self._field = bytearray()
            return
        self._state = "file"
        self._file_seen = True
        try:
            self.key, self._max_size = self.store.verify_policy(self.fields)
        except (SignatureError, ValueError, KeyError, TypeError) as exc:
            if isinstance(exc, SignatureError):
                self._fail(403, exc.code, exc.message)
            else:
                self._fail(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
            return
        content_type = self.fields.get("Content-Type") or self._part_type
        self._writer = self.store.begin_write(self.key, content_type=content_type)

    def _content(self, data: bytes) -> None:
        if self._state == "file":
            if self._writer is not None:
                self._writer.write(data)
        else:
            self._field += data
            if len(self._field) > _MAX_FIELD:
                self._fail(400, "MalformedPOSTRequest", "A form field is too large.")

    def _end_part(self) -> None:
        if self._state == "field":
            self.fields.setdefault(self._part_name, self._field.decode("utf-8", "replace"))
        elif self._state == "file":
            self._state = "epilogue"  # S3 ignores everything after the file

    def _fail(self, status: int, code: str, message: str) -> None:
        self._failure = _error(status, code, message)
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        self._buf.clear()

    def finish(self) -> StorageReply:
        if self._failure is not None:
            return self._failure
        if self.fault == "drop":
            self.abort()
            return StorageReply(200, [], drop=True)
        writer = self._writer
        if writer is None or self._state != "epilogue":
            self.abort()
            if not self._file_seen:
                return _error(
                    400, "InvalidArgument", "POST requires exactly one file upload per request."
                )
            return _error(
                400,
                "MalformedPOSTRequest",
                "The body of your POST request is not well-formed multipart/form-data.",
            )
        if self._max_size is not None and writer.size > self._max_size:
            self.abort()
            return _error(
                400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            )
        info: ObjectInfo = writer.commit()
        self._writer = None
        status = 204
        wanted = self.fields.get("success_action_status")
        if wanted in ("200", "201"):
            status = int(wanted)
        headers = [
            ("etag", info.etag),
            ("location", f"{self.store.origin}{STORAGE_PREFIX}{quote_key(info.key)}"),
        ]
        return StorageReply(
            status,
            [*headers, ("content-length", "0")],
            drop=self.fault == "drop_after",
            applied=True,
        )

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()
            self._writer = None


def _http_date(stamp: float) -> str:
    return email.utils.formatdate(stamp, usegmt=True)


def _parse_range(value: str, size: int) -> tuple[int, int] | str | None:
    """(start, end inclusive), None (ignore the header) or "unsatisfiable"."""
    unit, _, spec = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start > end and last:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def _etag_matches(condition: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in condition.split(",")]
    return "*" in tags or etag in tags


def _counted(store: ObjectStore, key: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        with store.lock:
            store.stats.bytes_served += len(chunk)
            store.stats._for(key).bytes_served += len(chunk)
        yield chunk


def _corrupted(chunks: Iterator[bytes], at: int) -> Iterator[bytes]:
    position = 0
    for chunk in chunks:
        if position <= at < position + len(chunk):
            flipped = bytearray(chunk)
            flipped[at - position] ^= 0xFF
            chunk = bytes(flipped)
        position += len(chunk)
        yield chunk


def _download(store: ObjectStore, head: StorageHead, key: str, fault: str | None) -> StorageReply:
    try:
        info = store.info(key)
    except KeyError:
        return _error(404, "NoSuchKey", "The specified key does not exist.")
    base = [
        ("etag", info.etag),
        ("last-modified", _http_date(info.last_modified)),
        ("accept-ranges", "bytes"),
        ("content-type", info.content_type),
    ]
    if_match = head.header("if-match")
    if if_match is not None and not _etag_matches(if_match, info.etag):
        return _error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
    if_none = head.header("if-none-match")
    if if_none is not None and _etag_matches(if_none, info.etag):
        return StorageReply(304, base)
    start, end, status = 0, info.size - 1, 200
    wanted = head.header("range")
    if_range = head.header("if-range")
    if wanted is not None and (if_range is None or if_range.strip() == info.etag):
        parsed = _parse_range(wanted, info.size)
        if parsed == "unsatisfiable":
            return _error(
                416,
                "InvalidRange",
                "The requested range is not satisfiable",
                [("content-range", f"bytes */{info.size}")],
            )
        if isinstance(parsed, tuple):
            start, end = parsed
            status = 206
            base.append(("content-range", f"bytes {start}-{end}/{info.size}"))
    length = end - start + 1
    with store.lock:
        store.stats._for(key).reads += 1
    if head.method.upper() == "HEAD":
        return StorageReply(status, [*base, ("content-length", str(length))])
    fraction = store.faults.drop_fraction
    sent = length
    if fault in ("drop", "drop_after", "truncate"):
        sent = math.floor(length * fraction)
    announced = sent if fault == "truncate" else length
    chunks = store.iter_range(key, start, sent) if sent > 0 else iter(())
    if fault == "corrupt" and length > 0:
        chunks = _corrupted(chunks, length // 2)
    reply = StorageReply(
        status,
        [*base, ("content-length", str(announced))],
        stream=_counted(store, key, chunks),
        drop=fault in ("drop", "drop_after"),
        applied=True,
    )
    return reply


def begin(store: ObjectStore, head: StorageHead) -> StorageReply | StorageUpload:
    """Start answering a storage request (see the module help for the routes)."""
    started = _begin(store, head)
    if isinstance(started, StorageReply):
        return _tally(store, started)
    return _Tallied(store, started)


def _tally(store: ObjectStore, reply: StorageReply) -> StorageReply:
    with store.lock:
        if not reply.drop:  # a dropped answer has no status
            store.stats.statuses[reply.status] += 1
    return reply


class _Tallied:
    """Counts the status of an upload's answer."""

    def __init__(self, store: ObjectStore, upload: StorageUpload) -> None:
        self.store, self.upload = store, upload

    def feed(self, chunk: bytes) -> bool:
        return self.upload.feed(chunk)

    def finish(self) -> StorageReply:
        return _tally(self.store, self.upload.finish())

    def abort(self) -> None:
        self.upload.abort()


def _begin(store: ObjectStore, head: StorageHead) -> StorageReply | StorageUpload:
    method = head.method.upper()
    try:
        key = _key_of(store, head)
    except UnicodeDecodeError:
        key = None
    with store.lock:
        store.stats.requests += 1
        store.stats.methods[method] += 1
        if head.header("x-avala-api-key") is not None:
            store.stats.api_key_seen += 1
        if key:
            store.stats._for(key).requests += 1
    if key is None:
        return _answer(
            store, head, "", _error(400, "InvalidURI", "Couldn't parse the specified URI.")
        )
    fault = store.decide_fault(method, key)
    if fault in ("http_500", "http_503"):
        return _answer(store, head, key, _fault_reply(fault, store.faults.retry_after))
    if method == "POST" and key == "":
        ctype = head.header("content-type") or ""
        boundary = None
        for param in ctype.split(";")[1:]:
            name, _, value = param.strip().partition("=")
            if name.lower() == "boundary":
                boundary = value.strip('"')
        if not ctype.lower().startswith("multipart/form-data") or not boundary:
            return _answer(
                store,
                head,
                key,
                _error(
                    412,
                    "PreconditionFailed",
                    "Bucket POST must be of the enclosure-type multipart/form-data",
                ),
            )
        return _FormUpload(store, boundary.encode("latin-1"), fault)
    if not key:
        return _answer(
            store,
            head,
            key,
            _error(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            ),
        )
    query = dict(head.query)
    try:
        target = store.verify(method, key, query, _content_length(head))
    except SignatureError as exc:
        with store.lock:
            store.stats.rejected += 1
        return _answer(store, head, key, _error(403, exc.code, exc.message))
    if method == "PUT":
        wants_md5 = head.header("content-md5") is not None
        if target.upload_id is not None and target.part_number is not None:
            try:
                if store.multipart_key(target.upload_id) != key:
                    raise KeyError(target.upload_id)
                writer = store.begin_part(target.upload_id, target.part_number, md5=wants_md5)
            except (KeyError, ValueError):
                return _answer(
                    store,
                    head,
                    key,
                    _error(404, "NoSuchUpload", "The specified upload does not exist."),
                )
            return _Upload(store, head, key, writer, fault)
        if (head.header("if-none-match") or "").strip() == "*" and store.exists(key):
            return _answer(
                store,
                head,
                key,
                _error(
                    412,
                    "PreconditionFailed",
                    "At least one of the pre-conditions you specified did not hold",
                ),
            )
        writer = store.begin_write(key, content_type=head.header("content-type"), md5=wants_md5)
        return _Upload(store, head, key, writer, fault)
    if method in ("GET", "HEAD"):
        return _download(store, head, key, fault)
    if method == "DELETE":
        store.delete(key)
        return StorageReply(204, [])
    return _answer(
        store,
        head,
        key,
        _error(
            405, "MethodNotAllowed", "The specified method is not allowed against this resource."
        ),
    )


def serve_request(store: ObjectStore, request: Request) -> Outcome:
    """Answer a storage request whose body is already in memory (direct `handle()` calls)."""
    head = StorageHead(
        request.method, request.path, list(request.query), dict(request.headers), request.host
    )
    started = begin(store, head)
    if isinstance(started, StorageReply):
        reply = started
    else:
        if request.body and not started.feed(request.body):
            return Dropped(applied=False)
        reply = started.finish()
    if reply.drop:
        for _ in reply.chunks():  # count what a real server would have sent before the drop
            pass
        return Dropped(applied=reply.applied)
    return Response(reply.status, reply.headers, b"".join(reply.chunks()))
