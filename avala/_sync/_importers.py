# Generated from avala/_async/_importers.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""Importers that are API calls and uploads only: a local folder, and a bucket in place.

Public as `avala.importers.import_folder` / `import_cloud` (and `async_import_folder` /
`async_import_cloud`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._core._importers import (
    BucketLocation,
    check_indexable,
    csv,
    detect_data_type,
    gcs_provider_config,
    narrow_to_config,
    parse_cloud_uri,
    s3_provider_config,
)
from .._core._upload_files import gather_local_files
from ..types.datasets import Dataset

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["import_cloud", "import_folder"]


def import_folder(
    client: Client,
    *,
    source: str | os.PathLike[str],
    name: str,
    slug: str,
    data_type: str | None = None,
    visibility: str = "private",
    owner_name: str | None = None,
    industry: int | None = None,
    license: int | None = None,
    workers: int = 8,
    on_progress: Callable[[str, int], None] | None = None,
    wait: bool = False,
    wait_timeout: float = 3600.0,
    organization_uid: str | None = None,
    resume: bool = True,
    state_dir: str | os.PathLike[str] | None = None,
) -> Dataset:
    """Create a dataset from a local file or folder (images, videos, LiDAR, MCAP, splats).

    `data_type` is inferred from the file suffixes when omitted (`ValueError` when none is
    indexable or they mix types). The upload resumes like any `create_from_local`: run the
    same call again after an interruption and only what is missing is sent.
    """
    files = gather_local_files(source, state_root=state_dir)
    if not files:
        raise ValueError(f"No files found in {os.fspath(source)!r}.")
    names = [relative for _, relative in files]
    resolved = data_type or detect_data_type(names)
    check_indexable(names, resolved)
    return client.datasets.create_from_local(
        source=source,
        name=name,
        slug=slug,
        data_type=resolved,
        visibility=visibility,
        owner_name=owner_name,
        industry=industry,
        license=license,
        workers=workers,
        on_progress=on_progress,
        wait=wait,
        wait_timeout=wait_timeout,
        organization_uid=organization_uid,
        resume=resume,
        state_dir=state_dir,
    )


def _from_storage_config(
    client: Client,
    storage_config_uid: str,
    uri: str | None,
    region: str | None,
    organization_uid: str | None,
) -> tuple[BucketLocation, str | None, bool]:
    # Storage configs belong to an organization, and the lookup is scoped by its slug: the
    # dataset must be created in that same organization, never unscoped or personal.
    if not organization_uid:
        raise ValueError(
            "organization_uid is required with a storage config: configs belong to an "
            "organization, and the dataset is created in it."
        )
    org_slug = client.organizations.slug_for_uid(organization_uid)
    if org_slug is None:
        raise ValueError(
            f"Organization {organization_uid} was not found among your organizations; you "
            "must be a member of the organization that owns the storage config."
        )
    config = client.storage_configs.get(storage_config_uid, organization=org_slug)
    if not config.is_verified:
        raise ValueError(
            f"Storage config {config.name!r} is not verified yet; run `avala storage-configs "
            f"test {storage_config_uid}` and fix the access it reports."
        )
    if config.provider == "aws_s3":
        location = BucketLocation(
            "aws_s3", config.s3_bucket_name or "", config.s3_bucket_prefix or ""
        )
        # The config's region wins: it is the one its access was verified against.
        resolved_region = config.s3_bucket_region or region
        accelerated = config.s3_is_accelerated
    else:
        location = BucketLocation(
            config.provider, config.gc_storage_bucket_name or "", config.gc_storage_prefix or ""
        )
        resolved_region, accelerated = region, False
    if not location.bucket:
        raise ValueError(f"Storage config {config.name!r} has no bucket.")
    if uri:
        location = narrow_to_config(uri, location, config.name)
    return location, resolved_region, accelerated


def import_cloud(
    client: Client,
    *,
    uri: str | None = None,
    name: str,
    slug: str,
    data_type: str,
    storage_config_uid: str | None = None,
    region: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    role_arn: str | None = None,
    accelerated: bool = False,
    cloudfront_domain: str | None = None,
    cloudfront_public_key_id: str | None = None,
    gcs_auth_json: str | os.PathLike[str] | None = None,
    included_extensions: str | Sequence[str] | None = None,
    ignored_paths: str | Sequence[str] | None = None,
    visibility: str = "private",
    create_metadata: bool = True,
    owner_name: str | None = None,
    organization_id: int | None = None,
    organization_uid: str | None = None,
    industry: int | None = None,
    license: int | None = None,
    wait: bool = False,
    wait_timeout: float = 3600.0,
) -> Dataset:
    """Create a dataset over objects already in an S3 or GCS bucket; nothing is uploaded.

    `uri` is `s3://bucket/prefix` or `gs://bucket/prefix`; or pass `storage_config_uid`
    (with `organization_uid`) to take the bucket, prefix, region and acceleration from a
    verified storage config, and optionally a `uri` narrowing its prefix. S3 needs `region`
    and credentials (`role_arn`, or `access_key_id` + `secret_access_key`); GCS needs
    `gcs_auth_json`: the service-account key JSON, or the path of its file (anything else is
    refused, so a wrong path never sends another file). `wait=True` returns once the
    server has indexed the objects.
    """
    if data_type not in ("image", "video", "lidar", "mcap", "splat"):
        raise ValueError(
            f"Invalid data_type {data_type!r}; expected one of image, video, lidar, mcap, splat."
        )
    if not uri and not storage_config_uid:
        raise ValueError("Pass a cloud uri (s3://... or gs://...) or a storage_config_uid.")
    if role_arn and organization_id is None and organization_uid is None:
        raise ValueError(
            "Keyless S3 imports (role_arn) need an owning organization: pass organization_uid "
            "(the server reads the cross-account external id from it)."
        )
    if storage_config_uid and organization_id is not None and organization_uid is None:
        raise ValueError(
            "storage_config_uid needs organization_uid (an organization_id cannot scope the "
            "storage config lookup)."
        )
    if storage_config_uid:
        location, region, accelerated = _from_storage_config(
            client, storage_config_uid, uri, region, organization_uid
        )
    else:
        assert uri is not None
        location = parse_cloud_uri(uri)
    provider_config: dict[str, Any]
    if location.provider == "aws_s3":
        provider_config = s3_provider_config(
            location,
            region=region,
            accelerated=accelerated,
            role_arn=role_arn,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            from_storage_config=storage_config_uid is not None,
            cloudfront_domain=cloudfront_domain,
            cloudfront_public_key_id=cloudfront_public_key_id,
        )
    else:
        provider_config = gcs_provider_config(location, gcs_auth_json)
    included = csv(included_extensions)
    if included:
        provider_config["included_extensions"] = included
    ignored = csv(ignored_paths)
    if ignored:
        provider_config["ignored_paths"] = ignored
    dataset = client.datasets.create(
        name=name,
        slug=slug,
        data_type=data_type,
        visibility=visibility,
        create_metadata=create_metadata,
        provider_config=provider_config,
        owner_name=owner_name,
        organization_id=organization_id,
        organization_uid=organization_uid,
        industry=industry,
        license=license,
    )
    if wait:
        client.datasets.wait(dataset.uid, status="created", timeout=wait_timeout)
        dataset = client.datasets.get(dataset.uid)
    return dataset
