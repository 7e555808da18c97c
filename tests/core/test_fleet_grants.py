"""Checks of presigned PUTs (guarded protocol) and managed part grants, clock skew included."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from avala._core._fleet_grants import GRANT_CLOCK_SKEW, validate_legacy_grants, validate_part_grant
from avala.errors import UnsafeURLError, UploadStateError

API = "https://api.avala.ai/api/v1"
LOCAL = "http://127.0.0.1:8123/api/v1"
PREFIX = "fleet/org/rec-1/"


@dataclass
class Grant:
    path: str
    put_url: str
    s3_key: str
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "application/octet-stream"}
    )


def legacy(path: str, url: str | None = None, key: str | None = None, **headers: str) -> Grant:
    key = key or PREFIX + path
    url = (
        url
        or f"https://bucket.s3.us-east-1.amazonaws.com/{key.replace(' ', '%20')}?X-Amz-Signature=abc"
    )
    grant = Grant(path, url, key)
    if headers:
        grant.headers = {k.replace("_", "-"): v for k, v in headers.items()}
    return grant


def test_legacy_grants_accepted() -> None:
    grants = [legacy("a.bin"), legacy("dir/b c.bin")]
    out = validate_legacy_grants(
        grants, ["a.bin", "dir/b c.bin"], s3_prefix=PREFIX, api_base_url=API
    )
    assert set(out) == {"a.bin", "dir/b c.bin"}
    path_style = legacy("a.bin", url=f"https://s3.amazonaws.com/bucket/{PREFIX}a.bin?sig=1")
    assert validate_legacy_grants([path_style], ["a.bin"], s3_prefix=PREFIX, api_base_url=API)


@pytest.mark.parametrize(
    "grant",
    [
        legacy("a.bin", key="fleet/org/other/a.bin"),
        legacy("a.bin", url="https://evil.example.com/fleet/org/rec-1/a.bin"),
        legacy("a.bin", url="http://bucket.s3.amazonaws.com/fleet/org/rec-1/a.bin"),
        legacy("a.bin", url="https://bucket.s3.amazonaws.com/fleet/org/rec-1/other.bin"),
        legacy("a.bin", url="https://s3.amazonaws.com/x/y/fleet/org/rec-1/a.bin"),
        legacy("a.bin", Authorization="Bearer x"),
        legacy("a.bin", Content_Type="text/plain"),
        legacy("a.bin", Cache_Control="no-cache\r\nX-Evil: 1"),
        legacy("b.bin"),
    ],
)
def test_legacy_grants_refused_without_the_url_in_the_message(grant: Grant) -> None:
    with pytest.raises((UploadStateError, UnsafeURLError)) as refused:
        validate_legacy_grants([grant], ["a.bin"], s3_prefix=PREFIX, api_base_url=API)
    assert grant.put_url not in str(refused.value)
    assert "amazonaws.com/" not in str(refused.value)


def test_legacy_grants_must_cover_every_path_once() -> None:
    with pytest.raises(UploadStateError):
        validate_legacy_grants(
            [legacy("a.bin")], ["a.bin", "b.bin"], s3_prefix=PREFIX, api_base_url=API
        )
    with pytest.raises(UploadStateError):
        validate_legacy_grants(
            [legacy("a.bin"), legacy("a.bin")], ["a.bin"], s3_prefix=PREFIX, api_base_url=API
        )


def test_loopback_shape_only_with_a_loopback_api() -> None:
    local = legacy(
        "a.bin", url=f"http://127.0.0.1:8123/_local/storage/{PREFIX}a.bin?X-Amz-Signature=1"
    )
    assert validate_legacy_grants([local], ["a.bin"], s3_prefix=PREFIX, api_base_url=LOCAL)
    with pytest.raises((UploadStateError, UnsafeURLError)):
        validate_legacy_grants([local], ["a.bin"], s3_prefix=PREFIX, api_base_url=API)


# -- managed ------------------------------------------------------------------------------

NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
SESSION = "5b1f1f5e-8a43-4f0e-9f44-0d2b0c6b3c11"
OWNER = "0f9e0e8a-1b2c-4d3e-8f40-5a6b7c8d9e0f"
HOST = "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com"


def part_grant(*, signed: datetime = NOW, expires: int = 300, **changes: Any) -> dict[str, Any]:
    stamp = signed.strftime("%Y%m%dT%H%M%SZ")
    query = (
        f"uploadId=up1&partNumber=2&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential=KEY%2F{stamp[:8]}%2Fauto%2Fs3%2Faws4_request&X-Amz-Date={stamp}"
        f"&X-Amz-Expires={expires}&X-Amz-SignedHeaders=content-length%3Bhost&X-Amz-Signature={'a' * 64}"
    )
    grant = {
        "grant_uid": "9c0e3d3e-2f5b-4e1a-9d3c-1b2a3c4d5e6f",
        "part_number": 2,
        "offset": 64 * 1024**2,
        "size_bytes": 10,
        "url": f"https://{HOST}/bucket/__o__%3D/{OWNER}/__cloud__/{SESSION}/rides/run%201.mcap?{query}",
        "headers": {"Content-Length": "10"},
        "expires_at": (signed + timedelta(seconds=expires)).isoformat(),
    }
    grant.update(changes)
    return grant


def check(grant: dict[str, Any], *, now: datetime = NOW, api: str = API) -> Any:
    return validate_part_grant(
        grant,
        part_number=2,
        offset=64 * 1024**2,
        size=10,
        object_suffix=f"__cloud__/{SESSION}/rides/run 1.mcap",
        api_base_url=api,
        now=now,
    )


def test_part_grant_accepted_and_pinned() -> None:
    first = check(part_grant())
    again = check(part_grant(grant_uid="1c0e3d3e-2f5b-4e1a-9d3c-1b2a3c4d5e6f"))
    assert first.pin == again.pin
    assert HOST not in repr(first)


@pytest.mark.parametrize(
    "changes",
    [
        {"size_bytes": 11},
        {"part_number": 3},
        {"offset": 0},
        {"headers": {"Content-Length": "10", "X-Extra": "1"}},
        {"grant_uid": "not-a-uuid"},
        {"url": "https://evil.example.com/bucket/x"},
        {"extra": 1},
    ],
)
def test_part_grant_refusals(changes: dict[str, Any]) -> None:
    grant = part_grant(**changes)
    with pytest.raises(UploadStateError) as refused:
        check(grant)
    assert "X-Amz-Signature" not in str(refused.value)


def test_part_grant_for_another_file_or_session_is_refused() -> None:
    grant = part_grant()
    grant["url"] = grant["url"].replace("run%201.mcap", "other.mcap")
    with pytest.raises(UploadStateError):
        check(grant)
    grant = part_grant()
    grant["url"] = grant["url"].replace(SESSION, OWNER)
    with pytest.raises(UploadStateError):
        check(grant)


def test_clock_skew_tolerance_is_explicit() -> None:
    assert GRANT_CLOCK_SKEW == 300
    # Our clock behind the server's by up to the tolerance: the grant looks signed in the future.
    check(part_grant(signed=NOW + timedelta(seconds=290)))
    with pytest.raises(UploadStateError, match="clock"):
        check(part_grant(signed=NOW + timedelta(seconds=301)))
    # Our clock ahead: a fresh 300 s grant looks expired, still accepted within the tolerance.
    check(part_grant(), now=NOW + timedelta(seconds=300 + 290))
    with pytest.raises(UploadStateError, match="expired"):
        check(part_grant(), now=NOW + timedelta(seconds=300 + 301))


def test_part_grant_expiry_must_match_the_signature() -> None:
    grant = part_grant()
    grant["expires_at"] = (NOW + timedelta(seconds=999)).isoformat()
    with pytest.raises(UploadStateError):
        check(grant)
    with pytest.raises(UploadStateError):
        check(part_grant(expires=301))


def test_part_grant_on_loopback_only_with_a_loopback_api() -> None:
    grant = part_grant()
    grant["url"] = grant["url"].replace(f"https://{HOST}/", "http://127.0.0.1:8123/_local/storage/")
    assert check(grant, api=LOCAL).part_number == 2
    with pytest.raises(UploadStateError):
        check(grant, api=API)
