from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import Model, Resource

StorageProvider = Literal["aws_s3", "gc_storage"]


class StorageConfig(Resource, kw_only=True):
    """A cloud bucket the platform reads data from.

    Credentials (`s3_access_key_id`, `s3_secret_access_key`, `s3_role_arn`,
    `gc_storage_auth_json_content`) are write-only: the API never returns them, and this
    model has no field for them.
    """

    name: str
    provider: str
    s3_bucket_name: str | None = None
    s3_bucket_region: str | None = None
    s3_bucket_prefix: str | None = None
    s3_auth_method: str | None = None
    s3_is_accelerated: bool = False
    gc_storage_bucket_name: str | None = None
    gc_storage_prefix: str | None = None
    is_verified: bool = False
    last_verified_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class StorageConfigSetupInfo(Model, kw_only=True):
    """What to put in your AWS role's trust policy so the platform can assume it."""

    avala_aws_account_id: str
    external_id: str
