"""Dataset references (`owner/dataset[@selector]`, `avala://datasets/<uuid>@<sha256>`), the
resolver's API root, and the resolver paths the server hands back. Pure; no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DatasetIntegrityError, DatasetReferenceError
from ._config import resolve_base_url

__all__ = [
    "ParsedReference",
    "has_url_control",
    "is_sha256",
    "is_uuid",
    "join_resolver_path",
    "parse_reference",
    "resolver_base_url",
    "validate_resolver_path",
]

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
_OWNER = r"[a-z0-9][a-z0-9_-]{0,254}"
_DATASET = r"[a-z0-9][a-z0-9._-]{0,99}"
_SELECTOR = r"(?:[0-9a-f]{64}|[a-z][a-z0-9._-]{0,62})"
SELECTOR_RE = re.compile(_SELECTOR)
CANONICAL_RE = re.compile(
    rf"avala://datasets/(?P<uid>{UUID_RE.pattern})@(?P<sha>{SHA256_RE.pattern})"
)
FRIENDLY_RE = re.compile(
    rf"(?P<owner>{_OWNER})/(?P<dataset>{_DATASET})(?:@(?P<selector>{_SELECTOR}))?"
)
_ENCODED_UNSAFE = ("%2e", "%2f", "%5c", "%25")


def is_uuid(value: object) -> bool:
    return type(value) is str and UUID_RE.fullmatch(value) is not None


def is_sha256(value: object) -> bool:
    return type(value) is str and SHA256_RE.fullmatch(value) is not None


_URL_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def has_url_control(value: str) -> bool:
    """Whether `value` holds a space, a control character or DEL (never valid in a URL)."""
    return _URL_CONTROL.search(value) is not None


@dataclass(frozen=True)
class ParsedReference:
    """A reference as the resolver is asked for it.

    `path` is the resolve route; `requested_reference` what the server must echo;
    `dataset_uid` / `revision_sha256` the identity the reference pins (None when it does not).
    """

    path: str
    requested_reference: str
    dataset_uid: str | None
    revision_sha256: str | None
    owner: str | None = None
    dataset: str | None = None

    @property
    def mutable(self) -> bool:
        """An alias such as `@main` may point at another revision tomorrow."""
        return self.revision_sha256 is None


def parse_reference(reference: object, revision: object = None) -> ParsedReference:
    """Parse a friendly or canonical dataset reference; `DatasetReferenceError` otherwise.

    The error's message is a reason code: `invalid_dataset_reference`,
    `selector_and_revision`, `canonical_reference_with_revision`, `invalid_revision`.
    """
    if type(reference) is not str or not reference:
        raise DatasetReferenceError("invalid_dataset_reference")
    if revision is not None and (type(revision) is not str or not SELECTOR_RE.fullmatch(revision)):
        raise DatasetReferenceError("invalid_revision")
    canonical = CANONICAL_RE.fullmatch(reference)
    if canonical is not None:
        if revision is not None:
            raise DatasetReferenceError("canonical_reference_with_revision")
        uid, sha = canonical.group("uid"), canonical.group("sha")
        return ParsedReference(f"/resolve/uid/{uid}/{sha}/", reference, uid, sha)
    friendly = FRIENDLY_RE.fullmatch(reference)
    if friendly is None:
        raise DatasetReferenceError("invalid_dataset_reference")
    selector = friendly.group("selector")
    if selector is not None and revision is not None:
        raise DatasetReferenceError("selector_and_revision")
    selector = selector or revision or "main"
    owner, dataset = friendly.group("owner"), friendly.group("dataset")
    requested = f"{owner}/{dataset}@{selector}"
    pinned = selector if SHA256_RE.fullmatch(selector) else None
    return ParsedReference(f"/resolve/{requested}/", requested, None, pinned, owner, dataset)


def resolver_base_url(base_url: str | None) -> str:
    """The API root the resolver talks to: `base_url`, else `$AVALA_BASE_URL`, else the hosted
    API; https (plain http only to a loopback host), without credentials, query, fragment or
    control characters. `ValueError` otherwise."""
    url = resolve_base_url(base_url)
    if has_url_control(url):
        raise ValueError("base_url contains control characters")
    return url


def validate_resolver_path(path: object) -> str:
    """A server-supplied resolver path (objects, access): under `/resolve/`, no query,
    fragment, backslash, empty or dot segment, encoded separator or nested URL."""
    if type(path) is not str or not path.startswith("/resolve/"):
        raise DatasetIntegrityError("invalid_resolver_path")
    lowered = path.lower()
    if (
        any(ch in path for ch in "?#\\")
        or has_url_control(path)
        or "//" in path
        or any(segment in (".", "..") for segment in path.split("/"))
        or any(code in lowered for code in _ENCODED_UNSAFE)
        or "://" in lowered
    ):
        raise DatasetIntegrityError("invalid_resolver_path")
    return path


def join_resolver_path(base_url: str, path: str) -> str:
    """`base_url` (already validated) + a validated resolver path, joined exactly once."""
    return base_url.rstrip("/") + validate_resolver_path(path)
