"""Access grants: a short-lived signed URL for one object, checked against the object it must
serve and against the server's clock. Pure; no I/O.

Lifetime = `expires_at` minus the response's `Date` (required), within (0, 300] seconds; a
`Date` more than 30 s ahead of the local clock is refused; what is left is counted on the local
monotonic clock from the moment the grant arrived, so neither a slow response nor a wrong
local wall clock can stretch it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import DatasetIntegrityError
from ._resolver_docs import ManifestObject, Revision
from ._resolver_hosts import PROVIDERS, validate_grant_url

__all__ = ["MIN_REMAINING", "Grant", "latest_date", "parse_grant"]

MAX_LIFETIME = 300.0
CLOCK_SKEW = 30.0
MIN_REMAINING = 5.0


@dataclass(frozen=True)
class Grant:
    """A validated grant. `url` is a credential: kept out of repr, messages and logs."""

    provider: str
    url: str = field(repr=False)
    object_uid: str
    size_bytes: int
    sha256: str
    range_supported: bool
    expires_at: datetime
    lifetime: float
    received_at: float = field(repr=False)
    clock: Callable[[], float] = field(repr=False, compare=False, default=time.monotonic)

    @property
    def remaining(self) -> float:
        """Seconds of validity left, by the local monotonic clock."""
        return self.lifetime - max(0.0, self.clock() - self.received_at)

    @property
    def usable(self) -> bool:
        return self.remaining >= MIN_REMAINING


def _utc(value: object) -> datetime:
    if type(value) is not str:
        raise DatasetIntegrityError("invalid_grant_expiry")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DatasetIntegrityError("invalid_grant_expiry") from None
    if parsed.tzinfo is None or parsed.utcoffset() != timezone.utc.utcoffset(None):
        raise DatasetIntegrityError("invalid_grant_expiry")
    return parsed.astimezone(timezone.utc)


def _server_date(value: str | None) -> datetime:
    if value is None:
        raise DatasetIntegrityError("missing_grant_date")
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        raise DatasetIntegrityError("invalid_grant_date") from None
    if parsed.tzinfo is None:
        raise DatasetIntegrityError("invalid_grant_date")
    return parsed.astimezone(timezone.utc)


def latest_date(values: list[str]) -> str | None:
    """The latest of several `Date` headers (a server framework may add its own next to the
    application's, a second or so older): the latest gives the shortest lifetime."""
    best: tuple[datetime, str] | None = None
    for value in values:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return value  # refused as invalid_grant_date by the grant check
        if parsed.tzinfo is None:
            return value
        if best is None or parsed > best[0]:
            best = (parsed, value)
    return best[1] if best is not None else None


def _field(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if type(value) is not kind:
        raise DatasetIntegrityError("access_grant_identity_mismatch")
    return value


def parse_grant(
    data: Any,
    *,
    date_header: str | None,
    revision: Revision,
    obj: ManifestObject,
    api_base_url: str,
    now: Callable[[], datetime] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Grant:
    """Validate an access-grant answer for `obj`; `DatasetIntegrityError` (never the URL)."""
    if type(data) is not dict:
        raise DatasetIntegrityError("invalid_access_grant")
    expected: tuple[tuple[str, object], ...] = (
        ("schema_version", 1),
        ("method", "GET"),
        ("canonical_reference", revision.canonical_reference),
        ("dataset_uid", revision.dataset_uid),
        ("revision_sha256", revision.revision_sha256),
        ("manifest_sha256", revision.manifest_sha256),
        ("object_uid", obj.object_uid),
        ("size_bytes", obj.size_bytes),
        ("sha256", obj.sha256),
    )
    for key, value in expected:
        if _field(data, key, type(value)) != value:
            raise DatasetIntegrityError("access_grant_identity_mismatch")
    provider = _field(data, "provider", str)
    url = _field(data, "url", str)
    range_supported = _field(data, "range_supported", bool)
    if provider not in PROVIDERS:
        raise DatasetIntegrityError("access_grant_identity_mismatch")
    server_date = _server_date(date_header)
    expires_at = _utc(data.get("expires_at"))
    lifetime = (expires_at - server_date).total_seconds()
    if not 0 < lifetime <= MAX_LIFETIME:
        raise DatasetIntegrityError("invalid_grant_expiry")
    received_wall = (now or (lambda: datetime.now(timezone.utc)))()
    received_at = clock()
    age = (received_wall - server_date).total_seconds()
    if age < -CLOCK_SKEW:
        raise DatasetIntegrityError("invalid_grant_expiry")
    validate_grant_url(
        url,
        provider,
        api_base_url=api_base_url,
        dataset_uid=revision.dataset_uid,
        revision_sha256=revision.revision_sha256,
        manifest_sha256=revision.manifest_sha256,
        object_uid=obj.object_uid,
    )
    # A Date slightly ahead of the local clock is tolerated, but never adds lifetime.
    remaining = min(lifetime, lifetime - max(0.0, age))
    return Grant(
        provider=provider,
        url=url,
        object_uid=obj.object_uid,
        size_bytes=obj.size_bytes,
        sha256=obj.sha256,
        range_supported=range_supported,
        expires_at=expires_at,
        lifetime=remaining,
        received_at=received_at,
        clock=clock,
    )
