"""Checks on what the server hands out for a fleet upload before any byte is sent: presigned
PUTs of the guarded protocol and part grants of the managed protocol.

Every refusal is an `UploadStateError` or `UnsafeURLError` whose message never contains the
URL (a signed URL is a credential).

Clock skew: a managed part grant carries its signing time (`X-Amz-Date`) and lifetime
(`X-Amz-Expires`, at most 300 s). This machine's clock may disagree with the server's, so the
checks allow `GRANT_CLOCK_SKEW` seconds either way: a grant signed up to that far in the
future, or expired up to that long ago by the local clock, is still accepted. A grant that
really expired is then refused by the storage host (HTTP 403), and the SDK asks for a new one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
from uuid import UUID

from ..errors import UnsafeURLError, UploadStateError
from ._storage_url import is_loopback_base, validate_storage_url

__all__ = [
    "GRANT_CLOCK_SKEW",
    "ManagedGrant",
    "validate_legacy_grants",
    "validate_part_grant",
]

GRANT_CLOCK_SKEW = 300.0
"""Seconds of disagreement tolerated between this machine's clock and the server's."""

_ALLOWED_PUT_HEADERS: Mapping[str, frozenset[str]] = {
    "content-type": frozenset({"application/octet-stream"}),
    "cache-control": frozenset({"no-cache", "private, immutable, max-age=31536000"}),
    "content-encoding": frozenset({"gzip"}),
}


def _refuse(why: str) -> UploadStateError:
    return UploadStateError(f"The server's upload grant was refused: {why}.")


def _quoted(key: str) -> str:
    return quote(key, safe="/~")


def _check_put_headers(headers: object) -> dict[str, str]:
    if not isinstance(headers, dict):
        raise _refuse("headers are not an object")
    seen: set[str] = set()
    clean: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise _refuse("a header is not text")
        lower = name.lower()
        if lower in seen:
            raise _refuse("a header is repeated")
        seen.add(lower)
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise _refuse("a header contains a line break")
        allowed = _ALLOWED_PUT_HEADERS.get(lower)
        if allowed is None or value not in allowed:
            raise _refuse(f"header {name!r} is not one the SDK sends to storage")
        clean[name] = value
    return clean


def validate_legacy_grants(
    grants: Sequence[Any],
    requested: Sequence[str],
    *,
    s3_prefix: str,
    api_base_url: str,
) -> dict[str, tuple[str, dict[str, str]]]:
    """`{path: (put_url, headers)}` for a batch of presigned PUTs, all checked before any is
    used: exactly one grant per requested path, `s3_key` = prefix + path, an allowed storage
    URL whose path is the quoted key (virtual-hosted, or after one bucket segment for
    path-style hosts; any leading segments on the loopback local API), and only the headers
    a storage PUT needs."""
    wanted = set(requested)
    out: dict[str, tuple[str, dict[str, str]]] = {}
    loopback = is_loopback_base(api_base_url)
    for grant in grants:
        path = getattr(grant, "path", None)
        url = getattr(grant, "put_url", None)
        key = getattr(grant, "s3_key", None)
        if not isinstance(path, str) or path not in wanted or path in out:
            raise _refuse("a grant names a file that was not requested, or twice")
        if not isinstance(url, str) or not isinstance(key, str) or key != s3_prefix + path:
            raise _refuse(f"the storage key of {path!r} is not under the session's prefix")
        validate_storage_url(url, api_base_url=api_base_url)
        raw_path = urlsplit(url).path
        suffix = "/" + _quoted(key)
        if not raw_path.endswith(suffix):
            raise _refuse(f"the URL of {path!r} does not address its storage key")
        lead = raw_path[: -len(suffix)]
        if not loopback and lead and (lead.count("/") != 1 or not lead.startswith("/")):
            raise _refuse(f"the URL of {path!r} does not address its storage key")
        out[path] = (url, _check_put_headers(getattr(grant, "headers", None)))
    if set(out) != wanted:
        raise _refuse("the server did not grant every requested file")
    return out


# -- managed part grants ------------------------------------------------------------------

_GRANT_KEYS = frozenset(
    {"grant_uid", "part_number", "offset", "size_bytes", "url", "headers", "expires_at"}
)
_R2_HOST = re.compile(r"[0-9a-f]{32}(?:\.eu)?\.r2\.cloudflarestorage\.com")
_QUERY_KEYS = (
    "uploadId",
    "partNumber",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
)
_CREDENTIAL = re.compile(r"[A-Za-z0-9]{1,128}/(\d{8})/auto/s3/aws4_request")
_AMZ_DATE = re.compile(r"(\d{8})T\d{6}Z")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


class ManagedGrant:
    """A checked part grant: where to PUT part `part_number` and which upload it belongs
    to (`pin`, equal for every part of one file). `repr` never shows the URL."""

    __slots__ = ("expires", "part_number", "pin", "size", "url")

    def __init__(self, url: str, part_number: int, size: int, pin: str, expires: datetime) -> None:
        self.url = url
        self.part_number = part_number
        self.size = size
        self.pin = pin
        self.expires = expires

    def __repr__(self) -> str:
        return f"ManagedGrant(part_number={self.part_number}, size={self.size})"


def _exact_int(value: object) -> int:
    if type(value) is not int:
        raise _refuse("a number field is not an integer")
    return value


def validate_part_grant(
    grant: object,
    *,
    part_number: int,
    offset: int,
    size: int,
    object_suffix: str,
    api_base_url: str,
    now: datetime | None = None,
    skew: float = GRANT_CLOCK_SKEW,
) -> ManagedGrant:
    """Check one managed part grant (see the module docstring for the clock rule).

    `object_suffix` is the end of the object key the grant must address:
    `__cloud__/<session uid>/<file path>`.
    """
    if not isinstance(grant, dict) or set(grant) != _GRANT_KEYS:
        raise _refuse("unexpected grant fields")
    try:
        if str(UUID(grant["grant_uid"])) != grant["grant_uid"]:
            raise ValueError
    except (ValueError, TypeError, AttributeError):
        raise _refuse("grant_uid is not a canonical UUID") from None
    if (
        _exact_int(grant["part_number"]) != part_number
        or _exact_int(grant["offset"]) != offset
        or _exact_int(grant["size_bytes"]) != size
    ):
        raise _refuse("the grant's part geometry is wrong")
    headers = grant["headers"]
    if not isinstance(headers, dict) or headers != {"Content-Length": str(size)}:
        raise _refuse("the grant's headers are not exactly Content-Length")
    url = grant["url"]
    if not isinstance(url, str) or len(url) > 16384 or not url.isascii() or not url.isprintable():
        raise _refuse("the grant URL is malformed")
    try:
        validate_storage_url(url, api_base_url=api_base_url)
    except UnsafeURLError:
        raise _refuse("the grant URL is not an allowed storage URL") from None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    loopback = is_loopback_base(api_base_url)
    if not loopback and (_R2_HOST.fullmatch(host) is None or parts.scheme != "https"):
        raise _refuse("the grant URL is not an R2 endpoint")
    segments = parts.path.split("/")
    suffix = _quoted(object_suffix)
    if "__o__%3D" not in segments or not parts.path.endswith("/" + suffix):
        raise _refuse("the grant URL does not address this file")
    marker = segments.index("__o__%3D")
    if marker < 2 or (not loopback and marker != 2):
        raise _refuse("the grant URL does not address this file")
    key = "/".join(segments[marker:])
    if len(key.encode()) > 1024 + 64:
        raise _refuse("the grant's object key is too long")
    try:
        UUID(segments[marker + 1])
    except (ValueError, IndexError):
        raise _refuse("the grant URL does not name an owner") from None
    if "/".join(segments[marker + 2 :]) != suffix:
        raise _refuse("the grant URL does not address this file")
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in query]
    values = dict(query)
    if len(names) != len(set(names)) or (
        set(names) != set(_QUERY_KEYS) if not loopback else not set(_QUERY_KEYS) <= set(names)
    ):
        raise _refuse("the grant URL's query is not a presigned part upload")
    if values["partNumber"] != str(part_number) or not values["uploadId"]:
        raise _refuse("the grant URL names another part")
    credential = _CREDENTIAL.fullmatch(values["X-Amz-Credential"])
    signed_at = _AMZ_DATE.fullmatch(values["X-Amz-Date"])
    if (
        values["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256"
        or values["X-Amz-SignedHeaders"] != "content-length;host"
        or credential is None
        or signed_at is None
        or credential.group(1) != signed_at.group(1)
        or _SIGNATURE.fullmatch(values["X-Amz-Signature"]) is None
        or not values["X-Amz-Expires"].isdigit()
        or not 1 <= int(values["X-Amz-Expires"]) <= 300
    ):
        raise _refuse("the grant URL's signature parameters are malformed")
    signed = datetime.strptime(values["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    expires = signed + timedelta(seconds=int(values["X-Amz-Expires"]))
    try:
        declared = datetime.fromisoformat(str(grant["expires_at"]).replace("Z", "+00:00"))
    except ValueError:
        raise _refuse("expires_at is not a time") from None
    if declared.utcoffset() is None or declared != expires:
        raise _refuse("expires_at disagrees with the URL's signature time")
    current = now or datetime.now(timezone.utc)
    tolerance = timedelta(seconds=skew)
    if signed > current + tolerance:
        raise _refuse(
            "the grant is signed in the future; this machine's clock is off by more than "
            f"{skew:g} seconds"
        )
    if expires + tolerance < current:
        raise _refuse("the grant has expired")
    pin = hashlib.sha256(json.dumps([host, parts.path, values["uploadId"]]).encode()).hexdigest()
    return ManagedGrant(url, part_number, size, pin, expires)
