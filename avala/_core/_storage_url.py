"""Which storage URLs the SDK sends bytes to or fetches bytes from.

The API hands out signed storage URLs; a compromised or mistaken response could point them
anywhere. Only https URLs to the known storage providers are accepted (Avala's own
`data.avala.ai`, Cloudflare R2 account endpoints, Amazon S3, Google Cloud Storage, Azure
Blob), without userinfo, explicit port or fragment. Plain http (and ports) are accepted only
when the API itself is on a loopback address and the storage URL is too: that is the local
Avala API serving its own object store.

A signed URL is a credential, so no error raised here contains the URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import UnsafeURLError
from ._config import _is_loopback

__all__ = ["is_loopback_base", "validate_storage_url"]

_EXACT_HOSTS = frozenset({"data.avala.ai", "storage.googleapis.com", "blob.core.windows.net"})
_SUFFIXES = (".storage.googleapis.com", ".blob.core.windows.net")
_R2_HOST = re.compile(r"[0-9a-f]{32}(?:\.eu)?\.r2\.cloudflarestorage\.com")
_S3_HOST = re.compile(r"(?:^|\.)s3(?:[-.][a-z0-9-]+)*\.amazonaws\.com$")


def is_loopback_base(api_base_url: str) -> bool:
    """Whether the API base URL points at this machine (localhost or a loopback IP)."""
    try:
        host = urlsplit(api_base_url).hostname
    except ValueError:
        return False
    return bool(host) and _is_loopback(host or "")


def _allowed_provider(host: str) -> bool:
    return (
        host in _EXACT_HOSTS
        or host.endswith(_SUFFIXES)
        or _R2_HOST.fullmatch(host) is not None
        or _S3_HOST.search(host) is not None
    )


def validate_storage_url(url: str, *, api_base_url: str) -> str:
    """`url` unchanged if the SDK may transfer bytes with it; else `UnsafeURLError`."""
    if not isinstance(url, str) or not url:
        raise UnsafeURLError("The server returned an empty or non-text storage URL.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURLError("The server returned a malformed storage URL.") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURLError("The server returned a storage URL without a host.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURLError("The server returned a storage URL carrying credentials.")
    if parts.fragment:
        raise UnsafeURLError("The server returned a storage URL with a fragment.")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise UnsafeURLError("The server returned a storage URL with control characters.")
    local = is_loopback_base(api_base_url) and _is_loopback(host)
    if local:
        if parts.scheme not in ("http", "https"):
            raise UnsafeURLError(f"The server returned a storage URL with scheme {parts.scheme!r}.")
        return url
    if parts.scheme != "https":
        raise UnsafeURLError("The server returned a storage URL that is not https; refused.")
    if port is not None:
        raise UnsafeURLError("The server returned a storage URL with an explicit port; refused.")
    if not _allowed_provider(host):
        raise UnsafeURLError(
            f"The server returned a storage URL on host {host!r}, which is not a known "
            "storage provider (data.avala.ai, R2, S3, Google Cloud Storage, Azure Blob); "
            "refused."
        )
    return url
