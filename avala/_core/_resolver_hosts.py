"""Where a dataset access grant may send the SDK: the provider host allow-list and the URL
rules of each provider. Pure; no I/O.

A grant URL must be https without userinfo, port, fragment or control characters, on a host
of its provider (S3, GCS, Azure Blob, R2 account endpoints, the API host itself for
`avala_proxy`, Avala's edge for `avala_edge`). The one exception: when the API root itself is
a loopback host (the local Avala API, a development server), a grant on a loopback host may
use plain http and a port, so a local server can serve downloads.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlsplit

from ..errors import DatasetIntegrityError
from ._resolver_refs import SHA256_RE, has_url_control

__all__ = [
    "PROVIDERS",
    "edge_host_for",
    "is_loopback_base",
    "is_provider_host_allowed",
    "validate_grant_url",
]

PROVIDERS = frozenset({"aws_s3", "gcs", "azure_blob", "cloudflare_r2", "avala_proxy", "avala_edge"})

# Avala's edge serves the hosted APIs only; a self-hosted API root has no edge.
_EDGE_HOSTS = {
    "https://api.avala.ai/api/v1": "data.avala.ai",
    "https://server.avala.ai/api/v1": "data.avala.ai",
    "https://server.dev.alala.ai/api/v1": "data-development.avala.ai",
}
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])")
_REGION = re.compile(r"(?!us-gov-)[a-z]{2}(?:-[a-z0-9]+)+-[0-9]")
_R2 = re.compile(r"[0-9a-f]{32}(?:\.eu)?\.r2\.cloudflarestorage\.com")
_AZURE = re.compile(r"[a-z0-9]{3,24}\.blob\.core\.windows\.net")
_S3_DUALSTACK = re.compile(r"s3\.dualstack\.([a-z0-9-]{1,63})\.amazonaws\.com")
_S3_DIRECT = re.compile(r"s3[.-]([a-z0-9-]{1,63})\.amazonaws\.com")
_GRANT_TOKEN = re.compile(r"[A-Za-z0-9_.:-]{1,4096}")
_ENCODED_UNSAFE = ("%2e", "%2f", "%5c", "%25")


def _loopback_host(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_base(api_base_url: str) -> bool:
    """Whether the API root is on a loopback host (the only case plain http is allowed)."""
    try:
        return _loopback_host(urlsplit(api_base_url).hostname)
    except ValueError:
        return False


def edge_host_for(api_base_url: str) -> str | None:
    return _EDGE_HOSTS.get(api_base_url.rstrip("/"))


def _ascii_host(host: str | None) -> str | None:
    if not host or host.endswith("."):
        return None
    try:
        return host.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return None


def _region(value: str) -> bool:
    return len(value) <= 63 and _REGION.fullmatch(value) is not None


def _s3_host(host: str) -> bool:
    if host == "s3.amazonaws.com":
        return True
    for pattern in (_S3_DUALSTACK, _S3_DIRECT):
        match = pattern.fullmatch(host)
        if match is not None:
            return _region(match.group(1))
    suffix = ".amazonaws.com"
    if not host.endswith(suffix):
        return False
    labels = host[: -len(suffix)].split(".")
    if len(labels) < 2 or _LABEL.fullmatch(labels[0]) is None:
        return False
    service = labels[1:]
    if service in (["s3"], ["s3-accelerate"], ["s3-accelerate", "dualstack"]):
        return True
    if len(service) == 2 and service[0] == "s3":
        return _region(service[1])
    if len(service) == 3 and service[:2] == ["s3", "dualstack"]:
        return _region(service[2])
    if len(service) == 1 and service[0].startswith("s3-"):
        return _region(service[0][3:])
    return False


def is_provider_host_allowed(provider: str, hostname: str, *, api_base_url: str) -> bool:
    """Whether `hostname` belongs to `provider` (the strict resolver allow-list)."""
    host = _ascii_host(hostname)
    if host is None:
        return False
    if provider == "aws_s3":
        return _s3_host(host)
    if provider == "gcs":
        suffix = ".storage.googleapis.com"
        if host == "storage.googleapis.com":
            return True
        return host.endswith(suffix) and _LABEL.fullmatch(host[: -len(suffix)]) is not None
    if provider == "azure_blob":
        return _AZURE.fullmatch(host) is not None
    if provider == "cloudflare_r2":
        return _R2.fullmatch(host) is not None
    if provider == "avala_edge":
        return host == edge_host_for(api_base_url)
    if provider == "avala_proxy":
        return host == _ascii_host(urlsplit(api_base_url).hostname)
    return False


def _unsafe_path(path: str) -> bool:
    lowered = path.lower()
    return (
        "\\" in path
        or any(code in lowered for code in _ENCODED_UNSAFE)
        or "//" in path[1:]
        or any(segment in (".", "..") for segment in path.split("/"))
    )


def validate_grant_url(
    url: str,
    provider: str,
    *,
    api_base_url: str,
    dataset_uid: str,
    revision_sha256: str,
    manifest_sha256: str,
    object_uid: str,
) -> None:
    """Refuse a grant URL the SDK must not fetch (`DatasetIntegrityError`, never the URL)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except (TypeError, ValueError):
        raise DatasetIntegrityError("invalid_access_grant_url") from None
    if (
        not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.fragment
        or "#" in url
        or has_url_control(url)
    ):
        raise DatasetIntegrityError("invalid_access_grant_url")
    if is_loopback_base(api_base_url) and _loopback_host(parts.hostname):
        # A local API serving its own downloads: http and a port are fine on loopback.
        if parts.scheme not in ("http", "https"):
            raise DatasetIntegrityError("invalid_access_grant_url")
        return
    if parts.scheme != "https" or port is not None:
        raise DatasetIntegrityError("invalid_access_grant_url")
    if not is_provider_host_allowed(provider, parts.hostname, api_base_url=api_base_url):
        raise DatasetIntegrityError("untrusted_download_host")
    if provider == "avala_proxy":
        prefix = urlsplit(api_base_url).path.rstrip("/") + "/resolve/download/"
        if not parts.path.startswith(prefix) or _unsafe_path(parts.path):
            raise DatasetIntegrityError("untrusted_download_path")
    elif provider == "avala_edge":
        prefix = (
            f"/v1/datasets/{dataset_uid}/{revision_sha256}/{manifest_sha256}/objects/{object_uid}/"
        )
        if (
            not parts.path.startswith(prefix)
            or SHA256_RE.fullmatch(parts.path[len(prefix) :]) is None
        ):
            raise DatasetIntegrityError("access_grant_identity_mismatch")
        query = parts.query
        if not query.startswith("grant=") or "&" in query or len(query) > 6 + 3 * 4096:
            raise DatasetIntegrityError("invalid_access_grant_url")
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise DatasetIntegrityError("invalid_access_grant_url") from None
        if len(pairs) != 1 or _GRANT_TOKEN.fullmatch(pairs[0][1]) is None:
            raise DatasetIntegrityError("invalid_access_grant_url")
