"""What importers decide before any request: data types from suffixes, cloud URIs, the
provider config of a zero-copy dataset, service-account JSON. No network I/O."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_TYPES",
    "INDEXED_SUFFIXES",
    "BucketLocation",
    "check_indexable",
    "csv",
    "detect_data_type",
    "narrow_to_config",
    "parse_cloud_uri",
    "read_gcs_auth",
]

# The suffixes Avala's ingester indexes, per data type: files with other suffixes are not
# indexed, so a dataset made only of them would end up empty.
INDEXED_SUFFIXES: dict[str, tuple[str, ...]] = {
    "image": (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"),
    "video": (".mp4", ".webm", ".mkv", ".mov", ".episode"),
    "lidar": (".alp", ".alp.gz"),
    "mcap": (".mcap",),
    "splat": (".ply", ".compressed.ply", ".splat", ".sog", ".spz", ".ksplat"),
}
DATA_TYPES = tuple(INDEXED_SUFFIXES)

# Longest first: `.compressed.ply` before `.ply`, `.alp.gz` before anything shorter.
_BY_SUFFIX = sorted(
    ((suffix, kind) for kind, suffixes in INDEXED_SUFFIXES.items() for suffix in suffixes),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


def data_type_of(relative: str) -> str | None:
    lower = relative.lower()
    for suffix, kind in _BY_SUFFIX:
        if lower.endswith(suffix):
            return kind
    return None


def detect_data_type(names: Sequence[str]) -> str:
    """The one data type the indexable files among `names` agree on; `ValueError` when
    none is indexable or they mix types."""
    found = {kind for name in names if (kind := data_type_of(name)) is not None}
    if not found:
        raise ValueError(
            "Could not infer data_type from the file suffixes; pass data_type (one of: "
            + ", ".join(DATA_TYPES)
            + ")."
        )
    if len(found) > 1:
        raise ValueError(
            f"The files mix data types ({', '.join(sorted(found))}); pass data_type to choose."
        )
    return found.pop()


def check_indexable(names: Sequence[str], data_type: str) -> None:
    """`ValueError` unless at least one of `names` is indexed as `data_type`."""
    admitted = INDEXED_SUFFIXES.get(data_type)
    if admitted is None:
        raise ValueError(
            f"Unsupported data_type {data_type!r}; expected one of {list(DATA_TYPES)}."
        )
    if not any(name.lower().endswith(admitted) for name in names):
        raise ValueError(
            f"None of the files is indexed as data_type={data_type!r} (Avala indexes "
            f"{', '.join(admitted)} for it): the dataset would be empty."
        )


@dataclass(frozen=True)
class BucketLocation:
    provider: str  # "aws_s3" or "gc_storage"
    bucket: str
    prefix: str


_SCHEMES = (("s3://", "aws_s3"), ("gs://", "gc_storage"), ("gcs://", "gc_storage"))


def parse_cloud_uri(uri: str) -> BucketLocation:
    """`s3://bucket/prefix`, `gs://bucket/prefix` or `gcs://bucket/prefix` (prefix may be
    empty and is kept byte for byte)."""
    for scheme, provider in _SCHEMES:
        if uri.startswith(scheme):
            bucket, _, prefix = uri[len(scheme) :].partition("/")
            if not bucket:
                raise ValueError(f"The cloud URI {uri!r} names no bucket.")
            return BucketLocation(provider, bucket, prefix)
    raise ValueError(
        f"Unsupported cloud URI {uri!r}; expected s3://bucket/prefix or gs://bucket/prefix."
    )


def narrow_to_config(uri: str, config: BucketLocation, config_name: str) -> BucketLocation:
    """The location `uri` names inside a storage config's bucket and prefix.

    It must be the same provider and bucket, and may only narrow the prefix: prefixes are
    compared byte for byte (`x`, `/x`, `x/` and `x//` are different S3 namespaces), and a
    prefix not ending in `/` is a boundary only at `prefix/` (so `runs` does not admit
    `runs-archive/`).
    """
    location = parse_cloud_uri(uri)
    if location.provider != config.provider:
        raise ValueError(
            f"{uri} is a {location.provider} URI but storage config {config_name!r} is "
            f"{config.provider}."
        )
    if location.bucket != config.bucket:
        raise ValueError(
            f"{uri} is in bucket {location.bucket!r}, but storage config {config_name!r} is "
            f"for {config.bucket!r}."
        )
    prefix = config.prefix
    if prefix and location.prefix != prefix:
        boundary = prefix if prefix.endswith("/") else prefix + "/"
        if not location.prefix.startswith(boundary):
            raise ValueError(
                f"{uri} is outside storage config {config_name!r}'s prefix {prefix!r}: a URI "
                "may narrow the prefix, not leave it ('/' is significant in object keys)."
            )
    return location


def csv(value: str | Sequence[str] | None) -> str | None:
    """A list or a comma-separated string as a clean comma-separated string, or None."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    joined = ",".join(str(v).strip() for v in items if str(v).strip())
    return joined or None


_MAX_AUTH_FILE = 1024 * 1024


def read_gcs_auth(value: str | os.PathLike[str]) -> str:
    """Service-account JSON: `value` itself when it is JSON, else the contents of the file
    it names. Either way it must be a Google service-account key (a JSON object with
    `"type": "service_account"` and a `private_key`), so a mistyped path can never send
    some other file's contents to the API. Messages never include the value."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not text.lstrip().startswith("{"):
        path = Path(text).expanduser()
        try:
            if not path.is_file():
                raise ValueError(
                    "gcs_auth_json is neither service-account JSON nor the path of a file."
                )
            if path.stat().st_size > _MAX_AUTH_FILE:
                raise ValueError(
                    "gcs_auth_json names a file too large to be a service-account key."
                )
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValueError(
                f"gcs_auth_json names a file that cannot be read ({exc.strerror or type(exc).__name__})."
            ) from None
        except UnicodeDecodeError:
            raise ValueError(
                "gcs_auth_json names a file that is not a service-account key."
            ) from None
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        raise ValueError("gcs_auth_json is not valid JSON.") from None
    if (
        not isinstance(parsed, dict)
        or parsed.get("type") != "service_account"
        or not isinstance(parsed.get("private_key"), str)
    ):
        raise ValueError(
            "gcs_auth_json is not a Google service-account key (a JSON object with "
            '"type": "service_account" and a "private_key").'
        )
    return text


def s3_provider_config(
    location: BucketLocation,
    *,
    region: str | None,
    accelerated: bool,
    role_arn: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    from_storage_config: bool,
    cloudfront_domain: str | None,
    cloudfront_public_key_id: str | None,
) -> dict[str, Any]:
    if not region:
        raise ValueError("region is required for S3 imports (e.g. us-west-2).")
    config: dict[str, Any] = {
        "provider": "aws_s3",
        "s3_bucket_name": location.bucket,
        "s3_bucket_prefix": location.prefix,
        "s3_bucket_region": region,
        "s3_is_accelerated": accelerated,
    }
    if role_arn:
        config.update(s3_auth_method="iam_role", s3_role_arn=role_arn)
    elif access_key_id and secret_access_key:
        config.update(
            s3_auth_method="access_key",
            s3_access_key_id=access_key_id,
            s3_secret_access_key=secret_access_key,
        )
    elif from_storage_config:
        raise ValueError(
            "A storage config gives the bucket, region and prefix but no credentials (the API "
            "never returns them): pass role_arn, or access_key_id and secret_access_key."
        )
    else:
        raise ValueError(
            "S3 imports need credentials: role_arn (keyless IAM role), or access_key_id and "
            "secret_access_key."
        )
    if cloudfront_domain:
        config["s3_cloudfront_domain"] = cloudfront_domain
    if cloudfront_public_key_id:
        config["s3_cloudfront_public_key_id"] = cloudfront_public_key_id
    return config


def gcs_provider_config(
    location: BucketLocation, gcs_auth_json: str | os.PathLike[str] | None
) -> dict[str, Any]:
    if not gcs_auth_json:
        raise ValueError(
            "gcs_auth_json (service-account JSON, or the path of its file) is required for GCS."
        )
    return {
        "provider": "gc_storage",
        "gc_storage_bucket_name": location.bucket,
        "gc_storage_prefix": location.prefix,
        "gc_storage_auth_json_content": read_gcs_auth(gcs_auth_json),
    }
