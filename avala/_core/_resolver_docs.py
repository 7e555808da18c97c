"""The resolver's documents (revision, object page, withdrawal) parsed and checked against the
identity the SDK asked for. Strict: no type coercion (`"1"` is not 1, `true` is not 1); a
document that breaks a rule raises `DatasetIntegrityError` with a reason code. Pure; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import DatasetIntegrityError
from ._resolver_refs import (
    FRIENDLY_RE,
    ParsedReference,
    has_url_control,
    is_sha256,
    is_uuid,
    validate_resolver_path,
)

__all__ = [
    "MAX_SAFE_INT",
    "ManifestObject",
    "ObjectPage",
    "Revision",
    "Withdrawal",
    "parse_object_page",
    "parse_revision",
    "parse_withdrawal",
]

MAX_SAFE_INT = 9_007_199_254_740_991
MAX_OBJECTS = 100_000
MAX_PAGE = 100
MAX_CURSOR = 8192
_ORIGIN_NAME = re.compile(r"[a-z][a-z0-9._-]{0,62}")
ROLE_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
# Unicode category Cc: C0, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_OBJECT_FIELDS = frozenset(
    {
        "object_uid",
        "logical_path",
        "role",
        "ordinal",
        "episode_ordinal",
        "content_type",
        "origin",
        "size_bytes",
        "sha256",
        "access_path",
    }
)
_RIGHTS_FIELDS = frozenset(
    {"status", "access", "name", "url", "document_sha256", "attestation_sha256"}
)


class _Bad(Exception):
    """A schema violation inside a parser; turned into the caller's reason code."""


def _obj(value: Any) -> Mapping[str, Any]:
    if type(value) is not dict:
        raise _Bad
    return value


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if type(value) is not str:
        raise _Bad
    return value


def _int(data: Mapping[str, Any], key: str, *, low: int = 0, high: int = MAX_SAFE_INT) -> int:
    value = data.get(key)
    if type(value) is not int or not low <= value <= high:
        raise _Bad
    return value


def _uuid(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not is_uuid(value):
        raise _Bad
    return str(value)


def _sha(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not is_sha256(value):
        raise _Bad
    return str(value)


def _one(data: Mapping[str, Any], key: str, expected: object) -> None:
    value = data.get(key)
    if type(value) is not type(expected) or value != expected:
        raise _Bad


@dataclass(frozen=True)
class Origin:
    name: str
    kind: str
    canonical_ref: str
    external_revision: str


@dataclass(frozen=True)
class Revision:
    """A resolved, published revision: identities, manifest summary and declared rights."""

    requested_reference: str
    display_reference: str
    canonical_reference: str
    dataset_uid: str
    revision_uid: str
    revision_sha256: str
    manifest_sha256: str
    object_count: int
    total_size_bytes: int
    origins: tuple[Origin, ...]
    objects_path: str
    rights: dict[str, str]

    def summary(self) -> dict[str, Any]:
        """What `avala datasets resolve` prints."""
        return {
            "canonical_reference": self.canonical_reference,
            "requested_reference": self.requested_reference,
            "display_reference": self.display_reference,
            "dataset_uid": self.dataset_uid,
            "revision_uid": self.revision_uid,
            "revision_sha256": self.revision_sha256,
            "manifest_sha256": self.manifest_sha256,
            "object_count": self.object_count,
            "total_size_bytes": self.total_size_bytes,
            "rights": dict(self.rights),
        }


def _valid_logical_path(value: str) -> bool:
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        return False
    return (
        1 <= size <= 1024
        and unicodedata.normalize("NFC", value) == value
        and not value.startswith("/")
        and not value.endswith("/")
        and "\\" not in value
        and "%2f" not in value.lower()
        and all(segment not in ("", ".", "..") for segment in value.split("/"))
        and _CONTROL.search(value) is None
    )


def _rights(value: Any) -> dict[str, str]:
    data = _obj(value)
    if set(data) != _RIGHTS_FIELDS:
        raise _Bad
    _one(data, "status", "declared")
    _one(data, "access", "open_download")
    name = _str(data, "name")
    url = _str(data, "url")
    if not 1 <= len(name) <= 1024 or not 1 <= len(url) <= 2048 or has_url_control(url):
        raise _Bad
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise _Bad from None
    if parts.scheme.lower() != "https" or not parts.hostname or parts.username or parts.password:
        raise _Bad
    return {
        "status": "declared",
        "access": "open_download",
        "name": name,
        "url": url,
        "document_sha256": _sha(data, "document_sha256"),
        "attestation_sha256": _sha(data, "attestation_sha256"),
    }


def _origin(value: Any) -> Origin:
    data = _obj(value)
    name = _str(data, "name")
    if _ORIGIN_NAME.fullmatch(name) is None:
        raise _Bad
    return Origin(
        name, _str(data, "kind"), _str(data, "canonical_ref"), _str(data, "external_revision")
    )


def parse_revision(data: Any, requested: ParsedReference) -> Revision:
    """Parse a resolve answer and check it is the revision `requested` names."""
    try:
        doc = _obj(data)
        _one(doc, "schema_version", 1)
        _one(doc, "state", "published")
        manifest = _obj(doc.get("manifest"))
        _one(manifest, "schema_version", 1)
        raw_origins = manifest.get("origins")
        if type(raw_origins) is not list:
            raise _Bad
        revision = Revision(
            requested_reference=_str(doc, "requested_reference"),
            display_reference=_str(doc, "display_reference"),
            canonical_reference=_str(doc, "canonical_reference"),
            dataset_uid=_uuid(doc, "dataset_uid"),
            revision_uid=_uuid(doc, "revision_uid"),
            revision_sha256=_sha(doc, "revision_sha256"),
            manifest_sha256=_sha(manifest, "sha256"),
            object_count=_int(manifest, "object_count", high=MAX_OBJECTS),
            total_size_bytes=_int(manifest, "total_size_bytes"),
            origins=tuple(_origin(item) for item in raw_origins),
            objects_path=_str(manifest, "objects_path"),
            rights=_rights(doc.get("rights")),
        )
    except _Bad:
        raise DatasetIntegrityError("invalid_resolver_response") from None
    _check_revision(revision, requested)
    return revision


def _check_revision(revision: Revision, requested: ParsedReference) -> None:
    uid, sha = revision.dataset_uid, revision.revision_sha256
    display = FRIENDLY_RE.fullmatch(revision.display_reference)
    if (
        display is None
        or display.group("selector") != sha
        or (requested.owner is not None and display.group("owner") != requested.owner)
        or (requested.dataset is not None and display.group("dataset") != requested.dataset)
        or revision.requested_reference != requested.requested_reference
        or revision.canonical_reference != f"avala://datasets/{uid}@{sha}"
        or revision.objects_path != f"/resolve/uid/{uid}/{sha}/objects/"
        or requested.dataset_uid not in (None, uid)
        or requested.revision_sha256 not in (None, sha)
    ):
        raise DatasetIntegrityError("resolver_identity_mismatch")
    validate_resolver_path(revision.objects_path)
    names = [origin.name for origin in revision.origins]
    if not 1 <= len(names) <= 32 or names != sorted(names) or len(set(names)) != len(names):
        # Origin names are ASCII (pattern above), so str order is byte order.
        raise DatasetIntegrityError("invalid_manifest_origins")


@dataclass(frozen=True)
class ManifestObject:
    """One manifest entry: an immutable file of the revision and where to ask for it."""

    object_uid: str
    logical_path: str
    role: str
    ordinal: int
    episode_ordinal: int | None
    content_type: str
    origin: str
    size_bytes: int
    sha256: str
    access_path: str
    extra_fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def order_key(self) -> tuple[str, int, str]:
        return (self.role, self.ordinal, self.logical_path)


def _manifest_object(value: Any) -> ManifestObject:
    data = _obj(value)
    logical_path = _str(data, "logical_path")
    role = _str(data, "role")
    origin = _str(data, "origin")
    episode = data.get("episode_ordinal", _Bad)
    if episode is not None and (type(episode) is not int or not 0 <= episode <= MAX_SAFE_INT):
        raise _Bad
    if (
        not _valid_logical_path(logical_path)
        or ROLE_RE.fullmatch(role) is None
        or _ORIGIN_NAME.fullmatch(origin) is None
        or (role == "episode" and episode is not None)
    ):
        raise _Bad
    return ManifestObject(
        object_uid=_uuid(data, "object_uid"),
        logical_path=logical_path,
        role=role,
        ordinal=_int(data, "ordinal"),
        episode_ordinal=episode,
        content_type=_str(data, "content_type"),
        origin=origin,
        size_bytes=_int(data, "size_bytes"),
        sha256=_sha(data, "sha256"),
        access_path=_str(data, "access_path"),
        extra_fields={k: v for k, v in data.items() if k not in _OBJECT_FIELDS},
    )


@dataclass(frozen=True)
class ObjectPage:
    next_cursor: str | None
    previous_cursor: str | None
    results: tuple[ManifestObject, ...]


def _cursor(data: Mapping[str, Any], key: str) -> str | None:
    if key not in data:
        raise _Bad
    value = data[key]
    if value is None:
        return None
    if type(value) is not str:
        raise _Bad
    return value


def parse_object_page(
    data: Any,
    revision: Revision,
    *,
    role: str | None = None,
    ordinal: int | None = None,
    ordinals: tuple[int, ...] | None = None,
    cursor: str | None = None,
) -> ObjectPage:
    """Parse one object page and check it belongs to `revision` and answers the query."""
    try:
        doc = _obj(data)
        _one(doc, "schema_version", 1)
        canonical = _str(doc, "canonical_reference")
        revision_sha = _sha(doc, "revision_sha256")
        manifest_sha = _sha(doc, "manifest_sha256")
        raw = doc.get("results")
        if type(raw) is not list or len(raw) > MAX_PAGE:
            raise _Bad
        page = ObjectPage(
            _cursor(doc, "next_cursor"),
            _cursor(doc, "previous_cursor"),
            tuple(_manifest_object(item) for item in raw),
        )
    except _Bad:
        raise DatasetIntegrityError("invalid_object_page") from None
    exact = ordinal is not None or ordinals is not None
    nxt, prev = page.next_cursor, page.previous_cursor
    if (
        canonical != revision.canonical_reference
        or revision_sha != revision.revision_sha256
        or manifest_sha != revision.manifest_sha256
        or (nxt is not None and not 0 < len(nxt) <= MAX_CURSOR)
        or (prev is not None and not 0 < len(prev) <= MAX_CURSOR)
        or (ordinal is not None and len(page.results) > 1)
        or (ordinals is not None and len(page.results) > len(ordinals))
        or (exact and (nxt is not None or prev is not None))
        or (not exact and cursor is None and prev is not None)
        or (not exact and cursor is not None and (prev is None or not page.results))
    ):
        raise DatasetIntegrityError("object_page_identity_mismatch")
    origins = {origin.name for origin in revision.origins}
    wanted = set(ordinals) if ordinals is not None else None
    for item in page.results:
        if (
            item.access_path != f"{revision.objects_path}{item.object_uid}/access/"
            or item.origin not in origins
            or role not in (None, item.role)
            or ordinal not in (None, item.ordinal)
            or (wanted is not None and item.ordinal not in wanted)
        ):
            raise DatasetIntegrityError("object_identity_mismatch")
    # No per-object path check needed: each access path equals the validated objects path
    # plus a UUID and `access/`.
    return page


@dataclass(frozen=True)
class Withdrawal:
    canonical_reference: str
    dataset_uid: str
    revision_sha256: str


def parse_withdrawal(
    data: Any, *, dataset_uid: str | None, revision_sha256: str | None
) -> Withdrawal:
    """Parse a 410 tombstone. Its identity must be self-consistent and match whatever the
    request pinned; an alias request (`@main`) pins nothing, so any consistent tombstone is
    the revision the alias pointed at."""
    try:
        doc = _obj(data)
        _one(doc, "schema_version", 1)
        _one(doc, "code", "dataset_revision_withdrawn")
        withdrawal = Withdrawal(
            _str(doc, "canonical_reference"),
            _uuid(doc, "dataset_uid"),
            _sha(doc, "revision_sha256"),
        )
    except _Bad:
        raise DatasetIntegrityError("invalid_withdrawal") from None
    expected = f"avala://datasets/{withdrawal.dataset_uid}@{withdrawal.revision_sha256}"
    if (
        withdrawal.canonical_reference != expected
        or dataset_uid not in (None, withdrawal.dataset_uid)
        or revision_sha256 not in (None, withdrawal.revision_sha256)
    ):
        raise DatasetIntegrityError("withdrawal_identity_mismatch")
    return withdrawal
