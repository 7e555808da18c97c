"""What the API's presign answer means for one file: which protocol, which URL, which parts
are still to send. Pure: no I/O."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UploadError

__all__ = [
    "MAX_PART_SIZE",
    "MIN_PART_SIZE",
    "Part",
    "Presign",
    "content_type_for",
    "parse_part_urls",
    "parse_presign",
    "part_groups",
    "storage_headers",
]

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_SIZE = 128 * 1024 * 1024
MAX_PARTS = 10_000

# Headers the SDK sets itself or that must never be dictated by a server answer: the body
# length is the file's, credentials never go to storage, hop-by-hop headers belong to the
# connection.
_FORBIDDEN_HEADERS = frozenset(
    {
        "authorization",
        "connection",
        "content-length",
        "cookie",
        "expect",
        "host",
        "keep-alive",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "x-avala-api-key",
    }
)


@dataclass(frozen=True)
class Part:
    """Part `number` (1-based) covers `length` bytes of the file from `offset`."""

    number: int
    offset: int
    length: int


@dataclass(frozen=True)
class Presign:
    """A parsed presign answer. `method` is "POST" (protocol v1 form), "PUT", "MULTIPART"
    or "COMPLETE" (the server already has the file)."""

    method: str
    url: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    upload_uid: str | None = None
    parts: tuple[Part, ...] = ()
    stored_parts: frozenset[int] = frozenset()


def _bad(rel: str, what: str) -> UploadError:
    return UploadError(f"The API's upload answer for {rel!r} is invalid: {what}.", path=rel)


def storage_headers(raw: Any, rel: str) -> dict[str, str]:
    """The server's headers for a storage request, minus any it may not dictate."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _bad(rel, "headers is not an object")
    out: dict[str, str] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise _bad(rel, "a header is not text")
        if any(c in name + value for c in "\r\n\0"):
            raise _bad(rel, "a header holds a line break")
        if name.lower() not in _FORBIDDEN_HEADERS:
            out[name] = value
    return out


def _upload_uid(raw: Any, rel: str) -> str:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        raise _bad(rel, "upload_uid is not a UUID") from None


def _int(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def _plan_parts(
    answer: Mapping[str, Any], size: int, rel: str
) -> tuple[tuple[Part, ...], frozenset[int]]:
    part_size = _int(answer.get("part_size"))
    part_count = _int(answer.get("part_count"))
    if part_size is None or not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
        raise _bad(rel, "part_size is outside 5 MiB..128 MiB")
    expected = max(1, -(-size // part_size))
    if part_count is None or not 1 <= part_count <= MAX_PARTS or part_count != expected:
        raise _bad(rel, "part_count does not match the file size")
    parts = tuple(
        Part(n, (n - 1) * part_size, min(part_size, size - (n - 1) * part_size))
        for n in range(1, part_count + 1)
    )
    stored: set[int] = set()
    listed = answer.get("uploaded_parts") or []
    if not isinstance(listed, list):
        raise _bad(rel, "uploaded_parts is not a list")
    for entry in listed:
        if not isinstance(entry, Mapping):
            raise _bad(rel, "an uploaded part is not an object")
        number = _int(entry.get("part_number"))
        length = _int(entry.get("size"))
        # A stored part counts only with the size this file's part has now.
        if number is not None and 1 <= number <= part_count and length == parts[number - 1].length:
            stored.add(number)
    return parts, frozenset(stored)


def parse_presign(answer: Any, *, size: int, rel: str, batch: str | None) -> Presign:
    """Interpret the answer of `POST /datasets/manual-upload/file-upload-url/` for a file of
    `size` bytes. Raises `UploadError` for an answer the SDK cannot act on."""
    if not isinstance(answer, Mapping):
        raise _bad(rel, "not an object")
    method = str(answer.get("method") or "POST").upper()
    if method == "POST":
        url = answer.get("url")
        fields = answer.get("fields") or {}
        if not isinstance(url, str) or not isinstance(fields, Mapping):
            raise _bad(rel, "url or fields missing")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
            raise _bad(rel, "a form field is not text")
        return Presign("POST", url=url, fields=dict(fields))
    if batch is None or method not in ("PUT", "MULTIPART"):
        raise _bad(rel, f"unsupported upload method {method!r}")
    upload_uid = _upload_uid(answer.get("upload_uid"), rel)
    if answer.get("complete") is True:
        return Presign("COMPLETE", upload_uid=upload_uid)
    if method == "PUT":
        url = answer.get("url")
        if not isinstance(url, str):
            raise _bad(rel, "url missing")
        return Presign(
            "PUT",
            url=url,
            headers=storage_headers(answer.get("headers"), rel),
            upload_uid=upload_uid,
        )
    parts, stored = _plan_parts(answer, size, rel)
    return Presign("MULTIPART", upload_uid=upload_uid, parts=parts, stored_parts=stored)


def parse_part_urls(
    answer: Any, wanted: list[int], rel: str
) -> dict[int, tuple[str, dict[str, str]]]:
    """The answer of `POST .../uploads/{uid}/parts/`: {part number: (url, headers)} for
    exactly the `wanted` part numbers."""
    if not isinstance(answer, Mapping) or not isinstance(answer.get("parts"), list):
        raise _bad(rel, "the part URLs answer has no parts list")
    out: dict[int, tuple[str, dict[str, str]]] = {}
    for entry in answer["parts"]:
        if not isinstance(entry, Mapping):
            raise _bad(rel, "a part URL entry is not an object")
        number = _int(entry.get("part_number"))
        url = entry.get("url")
        if number is None or not isinstance(url, str):
            raise _bad(rel, "a part URL entry lacks part_number or url")
        out[number] = (url, storage_headers(entry.get("headers"), rel))
    if sorted(out) != sorted(wanted):
        raise _bad(rel, "the part URLs do not match the parts asked for")
    return out


def part_groups(parts: list[Part], concurrency: int, *, most: int = 8) -> list[list[Part]]:
    """`parts` in consecutive groups, each sent by one worker after one request for its
    URLs: enough groups to keep `concurrency` workers busy, at most `most` parts per group
    (URLs are signed for minutes; a group must finish before its URLs expire)."""
    if not parts:
        return []
    size = max(1, min(most, -(-len(parts) // max(1, concurrency))))
    return [parts[i : i + size] for i in range(0, len(parts), size)]


def content_type_for(filename: str, fields: Mapping[str, str]) -> str:
    """The content type of a form upload's file part: the form's own `Content-Type`
    field, else a guess from the name, else `application/octet-stream`."""
    return (
        fields.get("Content-Type")
        or mimetypes.guess_type(filename)[0]
        or "application/octet-stream"
    )
