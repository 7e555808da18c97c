"""`ObjectStore`: the disk-backed object storage behind the local API's presigned URLs.

Objects live as files in a private temporary directory (created on first write, removed with
the store), never in memory: a 1 GiB upload costs 1 GiB of disk and a few chunks of RAM.
Metadata (size, ETag, content type) stays in memory. Writes go to a temporary file that is
renamed into place on success, so a dropped upload never leaves a partial object behind.

URLs are signed like S3/R2 query-signed URLs (`X-Amz-Algorithm`, `X-Amz-Credential`,
`X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, plus `uploadId` and
`partNumber` for multipart parts), with an HMAC of a per-store secret: a forged, altered or
expired URL is refused with 403, and storage never needs (nor wants) the API key.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
import uuid
import weakref
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal
from urllib.parse import quote, urlencode

from ._storage_faults import StorageFaultConfig, StorageFaultInjector

__all__ = [
    "STORAGE_PREFIX",
    "KeyStats",
    "ObjectInfo",
    "ObjectStore",
    "PartInfo",
    "PartTooLarge",
    "SignatureError",
    "StorageStats",
    "quote_key",
]

STORAGE_PREFIX = "/_local/storage/"
R2_BUCKET = "avala-local"
_CHUNK = 1024 * 1024
_ALGORITHM = "AWS4-HMAC-SHA256"
_ACCESS_KEY = "LOCALAVALAACCESSKEY"


def quote_key(key: str) -> str:
    """Percent-encode an object key for a URL path the way boto does (`/` kept).

    Dot segments (`.`, `..`) are encoded too, so no HTTP client resolves them away.
    """
    segments = quote(key, safe="/-_.~").split("/")
    return "/".join(s.replace(".", "%2E") if s in (".", "..") else s for s in segments)


class PartTooLarge(ValueError):
    """A part of a fixed-geometry multipart upload got more bytes than its part size."""


class SignatureError(Exception):
    """A storage request whose signature is missing, wrong or expired (answered 403)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class KeyStats:
    """Counters of one object key."""

    requests: int = 0
    bytes_received: int = 0
    bytes_stored: int = 0
    bytes_served: int = 0
    writes: int = 0
    parts_stored: int = 0
    reads: int = 0


@dataclass
class StorageStats:
    """Counters of every storage request (`api.objects.stats`).

    bytes_received: request body bytes that reached the store, including bodies of uploads that
                    failed, were dropped or were refused (412): what the client really sent
    bytes_stored:   bytes of uploads that were committed (objects and parts)
    bytes_served:   response body bytes handed to clients (GET, including ranges and faults)
    api_key_seen:   storage requests that carried an `X-Avala-Api-Key` header (must stay 0)
    """

    requests: int = 0
    bytes_received: int = 0
    bytes_stored: int = 0
    bytes_served: int = 0
    objects_stored: int = 0
    parts_stored: int = 0
    api_key_seen: int = 0
    rejected: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    per_key: dict[str, KeyStats] = field(default_factory=dict)

    def reset(self) -> None:
        """Zero every counter in place (e.g. between the phases of a test)."""
        fresh = StorageStats()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    def key(self, key: str) -> KeyStats:
        """Counters of `key` (zeros when the key was never touched)."""
        return self.per_key.get(key) or KeyStats()

    def _for(self, key: str) -> KeyStats:
        found = self.per_key.get(key)
        if found is None:
            found = self.per_key[key] = KeyStats()
        return found

    @property
    def faults_total(self) -> int:
        return sum(self.faults.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready copy (what `GET /api/v1/_local/stats/` answers)."""
        return {
            "requests": self.requests,
            "bytes_received": self.bytes_received,
            "bytes_stored": self.bytes_stored,
            "bytes_served": self.bytes_served,
            "objects_stored": self.objects_stored,
            "parts_stored": self.parts_stored,
            "api_key_seen": self.api_key_seen,
            "rejected": self.rejected,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "faults": dict(sorted(self.faults.items())),
            "methods": dict(sorted(self.methods.items())),
            "per_key": {k: asdict(v) for k, v in self.per_key.items()},
        }


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str  # quoted, as in the `ETag` header
    content_type: str
    last_modified: float


@dataclass(frozen=True)
class PartInfo:
    part_number: int
    size: int
    etag: str  # quoted


@dataclass
class _Multipart:
    key: str
    part_size: int | None = None  # fixed geometry: parts are written in place, see below
    parts: dict[int, PartInfo] = field(default_factory=dict)
    completed: ObjectInfo | None = None


@dataclass(frozen=True)
class SignedTarget:
    """What a verified signature allows: the method, object key and multipart coordinates."""

    method: str
    key: str
    upload_id: str | None
    part_number: int | None
    content_length: int | None


def _append(src: BinaryIO, out: BinaryIO) -> None:
    """Copy `src` to the end of `out`, inside the kernel where the platform allows it."""
    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is not None:
        out.flush()
        start = os.lseek(out.fileno(), 0, os.SEEK_CUR)
        try:
            while copy_range(src.fileno(), out.fileno(), 64 * _CHUNK):
                pass
            return
        except OSError:  # not supported here: copy through user space from the start
            os.ftruncate(out.fileno(), start)
            os.lseek(out.fileno(), start, os.SEEK_SET)
            src.seek(0)
    shutil.copyfileobj(src, out, _CHUNK)


def _etag(size: int, crc: int) -> str:
    # CRC-32 plus size, not S3's MD5: MD5 would make the store the bottleneck of upload
    # benchmarks (about 200 MiB/s on small machines against 1.4 GiB/s for CRC-32).
    return f'"{size:024x}{crc:08x}"'


class ObjectWriter:
    """One upload in progress: chunks go to a temporary file; `commit` renames it into place.

    `md5=True` also computes the MD5 of the bytes (to check a `Content-MD5` header).
    """

    def __init__(
        self,
        store: ObjectStore,
        key: str,
        final: Path,
        on_commit: Callable[..., Any],
        *,
        md5: bool = False,
        region: tuple[int, int] | None = None,
    ):
        self.store = store
        self.key = key
        self.size = 0
        self.crc = 0
        self._final = final
        self._on_commit = on_commit
        self._md5 = hashlib.md5(usedforsecurity=False) if md5 else None
        self._limit: int | None = None
        self._tmp: Path | None = None
        if region is None:
            fd, name = tempfile.mkstemp(dir=store._dir("tmp"), prefix="up-")
            self._tmp = Path(name)
        else:  # write in place into `final` at `offset`, at most `limit` bytes
            offset, self._limit = region
            final.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(final, os.O_WRONLY | os.O_CREAT, 0o600)
            os.lseek(fd, offset, os.SEEK_SET)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            raise ValueError("write to a closed upload")
        if self._limit is not None and self.size + len(chunk) > self._limit:
            raise PartTooLarge(f"a part of this upload holds at most {self._limit} bytes")
        self._file.write(chunk)
        self.crc = zlib.crc32(chunk, self.crc)
        if self._md5 is not None:
            self._md5.update(chunk)
        self.size += len(chunk)

    @property
    def etag(self) -> str:
        """Quoted ETag of the bytes written so far."""
        return _etag(self.size, self.crc)

    @property
    def md5(self) -> bytes | None:
        """MD5 digest of the bytes written so far (None unless asked for)."""
        return self._md5.digest() if self._md5 is not None else None

    def commit(self) -> Any:
        if self._file is None:
            raise ValueError("commit of a closed upload")
        self._file.close()
        self._file = None
        if self._tmp is not None:
            self._final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._tmp, self._final)
        return self._on_commit(self)

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            if self._tmp is not None:
                self._tmp.unlink(missing_ok=True)


class ObjectStore:
    """Objects by key, multipart uploads, signed URLs, counters and storage faults.

    root:    directory to keep objects in (default: a private temporary directory, created on
             first write and removed when the store is garbage-collected or `close()`d)
    origin:  scheme and host of presigned URLs when no origin is given (the loopback server
             sets its own; handlers pass the origin the client used)
    clock:   wall-clock source of URL signing and expiry (tests may move it)
    """

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        *,
        origin: str = "http://localhost",
        clock: Callable[[], float] = time.time,
        secret: bytes | None = None,
    ) -> None:
        self.origin = origin.rstrip("/")
        self.clock = clock
        self.stats = StorageStats()
        self.lock = threading.RLock()
        self._secret = secret or secrets.token_bytes(32)
        account = hashlib.md5(self._secret, usedforsecurity=False).hexdigest()
        self.r2_host = f"{account}.r2.cloudflarestorage.com"
        self._root: Path | None = Path(root) if root is not None else None
        self._owns_root = root is None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._objects: dict[str, ObjectInfo] = {}
        self._uploads: dict[str, _Multipart] = {}
        self._sha256: dict[tuple[str, str], str] = {}
        self._faults = StorageFaultInjector(StorageFaultConfig())

    # -- configuration ---------------------------------------------------------------------------

    @property
    def faults(self) -> StorageFaultConfig:
        return self._faults.config

    @faults.setter
    def faults(self, config: StorageFaultConfig) -> None:
        """Swap the storage fault configuration (restarts its random sequence)."""
        with self.lock:
            self._faults = StorageFaultInjector(config)

    def queue_faults(self, *kinds: str) -> None:
        """Force faults on the next storage requests they apply to, in order.

        `truncate` and `corrupt` wait for the next GET; the other kinds hit the next request.
        """
        with self.lock:
            self._faults.queue(kinds)

    def decide_fault(self, method: str, key: str) -> str | None:
        with self.lock:
            kind = self._faults.decide(method, key)
            if kind is not None:
                self.stats.faults[kind] += 1
            return kind

    # -- files -----------------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        """The directory holding the objects (created on first use)."""
        with self.lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="avala-local-objects-"))
                self._finalizer = weakref.finalize(
                    self, shutil.rmtree, str(self._root), ignore_errors=True
                )
            else:
                self._root.mkdir(parents=True, exist_ok=True)
            return self._root

    def _dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _object_path(self, key: str) -> Path:
        return self.root / "objects" / hashlib.sha256(key.encode("utf-8")).hexdigest()

    def _assembly_path(self, upload_id: str) -> Path:
        return self.root / "parts" / upload_id / "assembly"

    def _part_path(self, upload_id: str, part_number: int) -> Path:
        return self.root / "parts" / upload_id / f"{part_number:05d}"

    def close(self) -> None:
        """Forget every object and remove the directory this store created."""
        with self.lock:
            self._objects.clear()
            self._uploads.clear()
            self._sha256.clear()
            if self._finalizer is not None:
                self._finalizer()
                self._finalizer = None
                self._root = None

    # -- objects ---------------------------------------------------------------------------------

    def begin_write(
        self, key: str, *, content_type: str | None = None, md5: bool = False
    ) -> ObjectWriter:
        """A streaming write of `key`: `write(chunk)...`, then `commit() -> ObjectInfo`."""
        ctype = content_type or "application/octet-stream"

        def commit(writer: ObjectWriter) -> ObjectInfo:
            info = ObjectInfo(key, writer.size, writer.etag, ctype, self.clock())
            with self.lock:
                self._objects[key] = info
                self._count_stored(key, writer.size)
                self.stats.objects_stored += 1
                self.stats._for(key).writes += 1
            return info

        return ObjectWriter(self, key, self._object_path(key), commit, md5=md5)

    def _count_stored(self, key: str, size: int) -> None:
        self.stats.bytes_stored += size
        self.stats._for(key).bytes_stored += size

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> ObjectInfo:
        """Store `data` under `key` directly (no request, counted as stored)."""
        writer = self.begin_write(key, content_type=content_type)
        try:
            writer.write(data)
        except BaseException:
            writer.abort()
            raise
        info: ObjectInfo = writer.commit()
        return info

    def info(self, key: str) -> ObjectInfo:
        """Metadata of `key`; `KeyError` when it is not stored."""
        with self.lock:
            return self._objects[key]

    def exists(self, key: str) -> bool:
        with self.lock:
            return key in self._objects

    def size(self, key: str) -> int:
        return self.info(key).size

    def open(self, key: str) -> BinaryIO:
        """A binary file object reading the stored bytes of `key` (close it)."""
        self.info(key)
        return self._object_path(key).open("rb")

    def path(self, key: str) -> Path:
        """Where the bytes of `key` are on disk (read-only use)."""
        self.info(key)
        return self._object_path(key)

    def sha256(self, key: str) -> str:
        """Hex SHA-256 of the stored bytes (computed by streaming the file, then cached)."""
        info = self.info(key)
        cached = self._sha256.get((key, info.etag))
        if cached is not None:
            return cached
        digest = hashlib.sha256()
        with self.open(key) as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                digest.update(chunk)
        value = digest.hexdigest()
        with self.lock:
            self._sha256[(key, info.etag)] = value
        return value

    def read_back(self, key: str, *, limit: int = 64 * 1024 * 1024) -> bytes:
        """The whole stored object as bytes, for tests on small objects (`ValueError` above `limit`)."""
        size = self.size(key)
        if size > limit:
            raise ValueError(
                f"object {key!r} has {size} bytes, more than read_back's limit {limit}"
            )
        with self.open(key) as fh:
            return fh.read()

    def keys(self, prefix: str = "") -> list[str]:
        """Stored keys starting with `prefix`, sorted."""
        with self.lock:
            return sorted(k for k in self._objects if k.startswith(prefix))

    def delete(self, key: str) -> bool:
        """Remove `key`; True when it existed."""
        with self.lock:
            existed = self._objects.pop(key, None) is not None
            if existed:
                self._object_path(key).unlink(missing_ok=True)
            return existed

    def iter_range(
        self, key: str, start: int, length: int, chunk_size: int = _CHUNK
    ) -> Iterator[bytes]:
        """Chunks of `length` stored bytes of `key` from `start` (read lazily from disk)."""
        with self.open(key) as fh:
            fh.seek(start)
            left = length
            while left > 0:
                chunk = fh.read(min(chunk_size, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    # -- multipart -------------------------------------------------------------------------------

    def create_multipart(self, key: str, *, part_size: int | None = None) -> str:
        """Start a multipart upload of `key`; returns its upload id.

        With `part_size`, every part but the last must have exactly that size (the last at most
        that): parts are then written in place into the final file, so completing is a rename
        instead of a copy. A part larger than `part_size` is refused (400 `EntityTooLarge`).
        """
        if part_size is not None and part_size < 1:
            raise ValueError("part_size must be positive")
        upload_id = uuid.uuid4().hex
        with self.lock:
            self._uploads[upload_id] = _Multipart(key, part_size)
        return upload_id

    def multipart_key(self, upload_id: str) -> str:
        """Object key of a multipart upload; `KeyError` for an unknown upload id."""
        with self.lock:
            return self._uploads[upload_id].key

    def list_parts(self, upload_id: str) -> list[PartInfo]:
        """Parts stored so far, by part number (`KeyError` for an unknown upload id)."""
        with self.lock:
            upload = self._uploads[upload_id]
            return [upload.parts[n] for n in sorted(upload.parts)]

    def begin_part(self, upload_id: str, part_number: int, *, md5: bool = False) -> ObjectWriter:
        """A streaming write of one part; `commit() -> PartInfo` (replaces an earlier copy)."""
        if not 1 <= part_number <= 10_000:
            raise ValueError("part_number must be within [1, 10000]")
        with self.lock:
            upload = self._uploads[upload_id]
            if upload.completed is not None:
                raise KeyError(upload_id)
            if upload.part_size is not None:
                # The bytes of an earlier copy are about to be overwritten in place.
                upload.parts.pop(part_number, None)

        def commit(writer: ObjectWriter) -> PartInfo:
            info = PartInfo(part_number, writer.size, writer.etag)
            with self.lock:
                upload.parts[part_number] = info
                self._count_stored(upload.key, writer.size)
                self.stats.parts_stored += 1
                self.stats._for(upload.key).parts_stored += 1
            return info

        if upload.part_size is not None:
            region = ((part_number - 1) * upload.part_size, upload.part_size)
            return ObjectWriter(
                self, upload.key, self._assembly_path(upload_id), commit, md5=md5, region=region
            )
        return ObjectWriter(
            self, upload.key, self._part_path(upload_id, part_number), commit, md5=md5
        )

    def complete_multipart(self, upload_id: str, *, content_type: str | None = None) -> ObjectInfo:
        """Join the stored parts, in order, into the object (idempotent once completed).

        `ValueError` when parts are missing (numbers must run 1..N without gaps).
        """
        with self.lock:
            upload = self._uploads[upload_id]
            if upload.completed is not None:
                return upload.completed
            numbers = sorted(upload.parts)
            if not numbers or numbers != list(range(1, len(numbers) + 1)):
                raise ValueError("multipart upload has missing parts")
            parts = [upload.parts[n] for n in numbers]
        ctype = content_type or "application/octet-stream"
        final = self._object_path(upload.key)
        size = sum(part.size for part in parts)
        final.parent.mkdir(parents=True, exist_ok=True)
        if upload.part_size is not None:
            *full, last = parts
            wrong = [p.part_number for p in full if p.size != upload.part_size]
            if wrong or not 0 < last.size <= upload.part_size:
                raise ValueError("every part but the last must have the upload's part size")
            assembly = self._assembly_path(upload_id)
            os.truncate(assembly, size)  # a shorter re-sent last part leaves stale bytes
            os.replace(assembly, final)
        else:
            fd, name = tempfile.mkstemp(dir=self._dir("tmp"), prefix="join-")
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    with self._part_path(upload_id, part.part_number).open("rb") as src:
                        _append(src, out)
            os.replace(name, final)
        joined = zlib.crc32("".join(p.etag for p in parts).encode("ascii"))
        etag = f'"{size:024x}{joined:08x}-{len(parts)}"'
        info = ObjectInfo(upload.key, size, etag, ctype, self.clock())
        with self.lock:
            self._objects[upload.key] = info
            upload.completed = info
            self.stats.objects_stored += 1
            self.stats._for(upload.key).writes += 1
        shutil.rmtree(self.root / "parts" / upload_id, ignore_errors=True)
        return info

    def abort_multipart(self, upload_id: str) -> None:
        with self.lock:
            self._uploads.pop(upload_id, None)
        shutil.rmtree(self.root / "parts" / upload_id, ignore_errors=True)

    # -- signed URLs -----------------------------------------------------------------------------

    def presign(
        self,
        method: str,
        key: str,
        *,
        expires_in: int = 300,
        headers: dict[str, str] | None = None,
        part_number: int | None = None,
        upload_id: str | None = None,
        origin: str | None = None,
        host_style: Literal["path", "r2"] = "path",
    ) -> str:
        """A signed URL allowing `method` on `key` until `expires_in` seconds from now.

        headers:     a `Content-Length` here is signed too (a body of another length gets 403)
        part_number, upload_id: sign one part PUT of a multipart upload
        origin:      `scheme://host[:port]` of the URL (default: the store's `origin`)
        host_style:  "path" = `<origin>/_local/storage/<key>`; "r2" = the R2 shape
                     `https://<32 hex>.r2.cloudflarestorage.com/<bucket>/<key>`, answered by
                     the in-process transports only (route that host to this store yourself
                     when using another HTTP stack)
        """
        method = method.upper()
        if (part_number is None) != (upload_id is None):
            raise ValueError("part_number and upload_id go together")
        if not 1 <= expires_in <= 7 * 24 * 3600:
            raise ValueError("expires_in must be within [1, 604800] seconds")
        length = None
        for name, value in (headers or {}).items():
            if name.lower() == "content-length":
                length = int(value)
        now = self.clock()
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        signed_headers = "content-length;host" if length is not None else "host"
        query: list[tuple[str, str]] = []
        if upload_id is not None:
            query += [("uploadId", upload_id), ("partNumber", str(part_number))]
        query += [
            ("X-Amz-Algorithm", _ALGORITHM),
            ("X-Amz-Credential", f"{_ACCESS_KEY}/{amz_date[:8]}/auto/s3/aws4_request"),
            ("X-Amz-Date", amz_date),
            ("X-Amz-Expires", str(expires_in)),
            ("X-Amz-SignedHeaders", signed_headers),
        ]
        signed_method = "GET" if method == "HEAD" else method  # one signature serves both
        target = SignedTarget(signed_method, key, upload_id, part_number, length)
        query.append(("X-Amz-Signature", self._sign(target, amz_date, expires_in)))
        encoded = urlencode(query, quote_via=quote, safe="-_.~")
        if host_style == "r2":
            return f"https://{self.r2_host}/{R2_BUCKET}/{quote_key(key)}?{encoded}"
        base = (origin or self.origin).rstrip("/")
        return f"{base}{STORAGE_PREFIX}{quote_key(key)}?{encoded}"

    def _sign(self, target: SignedTarget, amz_date: str, expires: int) -> str:
        message = "\n".join(
            [
                target.method,
                target.key,
                target.upload_id or "",
                str(target.part_number or ""),
                str(target.content_length if target.content_length is not None else ""),
                amz_date,
                str(expires),
            ]
        )
        return hmac.new(self._secret, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def verify(
        self, method: str, key: str, query: dict[str, str], content_length: int | None
    ) -> SignedTarget:
        """Check a request's query signature; raises `SignatureError` (403) when it fails."""
        method = "GET" if method.upper() == "HEAD" else method.upper()
        try:
            amz_date = query["X-Amz-Date"]
            expires = int(query["X-Amz-Expires"])
            signature = query["X-Amz-Signature"]
            signed_headers = query["X-Amz-SignedHeaders"]
        except (KeyError, ValueError):
            raise SignatureError("AccessDenied", "Query-string authentication required.") from None
        upload_id = query.get("uploadId")
        part_raw = query.get("partNumber")
        part_number = int(part_raw) if part_raw and part_raw.isdigit() else None
        signed_length = content_length if "content-length" in signed_headers.split(";") else None
        target = SignedTarget(method, key, upload_id, part_number, signed_length)
        expected = self._sign(target, amz_date, expires)
        if not hmac.compare_digest(expected, signature):
            raise SignatureError(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        try:
            signed_at = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
        except ValueError:
            raise SignatureError("AccessDenied", "X-Amz-Date is malformed.") from None
        if self.clock() > signed_at + expires:
            raise SignatureError("AccessDenied", "Request has expired")
        return target

    def presign_post(
        self,
        key: str,
        *,
        expires_in: int = 300,
        max_size: int | None = None,
        content_type: str | None = None,
        origin: str | None = None,
    ) -> dict[str, Any]:
        """A presigned form POST (protocol v1): `{"url": ..., "fields": {...}}`.

        Post every field, then the bytes as the form part named `file` (S3's rules); the
        store answers 204. `max_size` bounds the file (400 `EntityTooLarge` above it).
        """
        expiration = self.clock() + expires_in
        conditions: list[Any] = [{"key": key}]
        if max_size is not None:
            conditions.append(["content-length-range", 0, max_size])
        policy_doc = {"expiration": expiration, "conditions": conditions}
        policy = base64.b64encode(json.dumps(policy_doc).encode("utf-8")).decode("ascii")
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.clock()))
        fields = {
            "key": key,
            "Content-Type": content_type or "application/octet-stream",
            "x-amz-algorithm": _ALGORITHM,
            "x-amz-credential": f"{_ACCESS_KEY}/{amz_date[:8]}/auto/s3/aws4_request",
            "x-amz-date": amz_date,
            "policy": policy,
            "x-amz-signature": self._sign_policy(policy),
        }
        base = (origin or self.origin).rstrip("/")
        return {"url": f"{base}{STORAGE_PREFIX}", "fields": fields}

    def _sign_policy(self, policy: str) -> str:
        return hmac.new(self._secret, policy.encode("ascii"), hashlib.sha256).hexdigest()

    def verify_policy(self, fields: dict[str, str]) -> tuple[str, int | None]:
        """Check a form POST's policy and signature: (key, max size) or `SignatureError`."""
        policy = fields.get("policy", "")
        signature = fields.get("x-amz-signature", "")
        if not policy or not hmac.compare_digest(self._sign_policy(policy), signature):
            raise SignatureError(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        document = json.loads(base64.b64decode(policy))
        if self.clock() > float(document["expiration"]):
            raise SignatureError("AccessDenied", "Invalid according to Policy: Policy expired.")
        key = fields.get("key", "")
        max_size = None
        for condition in document["conditions"]:
            if isinstance(condition, dict) and condition.get("key") != key:
                raise SignatureError(
                    "AccessDenied", "Invalid according to Policy: Policy Condition failed: key"
                )
            if isinstance(condition, list) and condition[0] == "content-length-range":
                max_size = int(condition[2])
        return key, max_size

    def __repr__(self) -> str:
        return f"ObjectStore(objects={len(self._objects)}, origin={self.origin!r})"
