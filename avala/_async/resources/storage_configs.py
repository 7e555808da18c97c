from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import BodyFields, query
from ..._core._paths import path
from ...types.storage_configs import StorageConfig, StorageConfigSetupInfo, StorageProvider
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_CONFIG = ExpectModel(StorageConfig)
_CONFIGS = ExpectPage(StorageConfig)
_SETUP_INFO = ExpectModel(StorageConfigSetupInfo)
# The body fields `create` and `update` share (`provider` is fixed at creation).
_FIELDS = BodyFields(
    "name",
    "s3_bucket_name",
    "s3_bucket_region",
    "s3_bucket_prefix",
    "s3_auth_method",
    "s3_role_arn",
    "s3_access_key_id",
    "s3_secret_access_key",
    "s3_is_accelerated",
    "gc_storage_bucket_name",
    "gc_storage_prefix",
    "gc_storage_auth_json_content",
)


class AsyncStorageConfigs(AsyncAPIResource):
    """Cloud storage configurations (S3 or Google Cloud Storage buckets).

    Credentials are sent on create/update but never returned by the API.
    """

    def list(
        self,
        *,
        organization: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[StorageConfig]:
        """List storage configurations. `GET /storage-configs/`

        Args:
            organization: an organization's configurations (its slug) instead of yours.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            "/storage-configs/",
            _CONFIGS,
            query(limit=limit, cursor=cursor, organization=organization),
            options,
        )

    async def get(
        self,
        id: str,
        *,
        organization: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> StorageConfig:
        """Fetch one storage configuration. `GET /storage-configs/{id}/`

        Args:
            id: the configuration's uid.
            organization: the organization (slug) it must belong to; the API answers 404
                (`NotFoundError`) for a configuration of another organization.
        """
        return await self._client.request(
            "GET",
            path("/storage-configs/{id}/", id=id),
            _CONFIG,
            # An empty slug pins nothing, as in the official SDK: not sent.
            params=query(organization=organization or None),
            options=options,
        )

    async def create(
        self,
        *,
        name: str,
        provider: StorageProvider | str,
        organization: str | None = None,
        s3_bucket_name: str | None = None,
        s3_bucket_region: str | None = None,
        s3_bucket_prefix: str | None = None,
        s3_auth_method: str | None = None,
        s3_role_arn: str | None = None,
        s3_access_key_id: str | None = None,
        s3_secret_access_key: str | None = None,
        s3_is_accelerated: bool | None = None,
        gc_storage_bucket_name: str | None = None,
        gc_storage_prefix: str | None = None,
        gc_storage_auth_json_content: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> StorageConfig:
        """Register a bucket. `POST /storage-configs/`

        Credentials go in the request body only; the returned configuration never contains
        them.

        Args:
            name: display name.
            provider: `"aws_s3"` or `"gc_storage"`.
            organization: create for this organization (its slug; sent in the query
                string, as the API expects) instead of for your user.
            s3_bucket_name: S3 bucket name.
            s3_bucket_region: S3 bucket region, e.g. `"us-east-1"`.
            s3_bucket_prefix: only use keys under this prefix.
            s3_auth_method: how the platform authenticates to S3 (access keys or an IAM
                role; see `setup_info()` for the role's trust policy).
            s3_role_arn: the IAM role to assume.
            s3_access_key_id: access key id (secret).
            s3_secret_access_key: secret access key (secret).
            s3_is_accelerated: use S3 Transfer Acceleration.
            gc_storage_bucket_name: GCS bucket name.
            gc_storage_prefix: only use objects under this prefix.
            gc_storage_auth_json_content: service-account JSON key, as text (secret).
        """
        payload = _FIELDS.body(locals(), {"provider": provider})
        return await self._client.request(
            "POST",
            "/storage-configs/",
            _CONFIG,
            params=query(organization=organization),
            json=payload,
            options=options,
        )

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        s3_bucket_name: str | None = None,
        s3_bucket_region: str | None = None,
        s3_bucket_prefix: str | None = None,
        s3_auth_method: str | None = None,
        s3_role_arn: str | None = None,
        s3_access_key_id: str | None = None,
        s3_secret_access_key: str | None = None,
        s3_is_accelerated: bool | None = None,
        gc_storage_bucket_name: str | None = None,
        gc_storage_prefix: str | None = None,
        gc_storage_auth_json_content: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> StorageConfig:
        """Change a storage configuration; only the given fields are sent.
        `PATCH /storage-configs/{id}/`

        Use it to rotate credentials or move the prefix; `avala.NULL` clears a field
        (sends `null`), e.g. `s3_bucket_prefix=avala.NULL`. The provider cannot change:
        create a new configuration instead.

        Args:
            id: the configuration's uid.
            name, s3_bucket_name, s3_bucket_region, s3_bucket_prefix, s3_auth_method,
                s3_role_arn, s3_access_key_id, s3_secret_access_key, s3_is_accelerated,
                gc_storage_bucket_name, gc_storage_prefix, gc_storage_auth_json_content:
                as in `create`.
        """
        payload = _FIELDS.body(locals())
        return await self._client.request(
            "PATCH", path("/storage-configs/{id}/", id=id), _CONFIG, json=payload, options=options
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a storage configuration. `DELETE /storage-configs/{id}/`

        Args:
            id: the configuration's uid.
        """
        await self._client.request(
            "DELETE", path("/storage-configs/{id}/", id=id), ExpectNothing(), options=options
        )

    async def setup_info(
        self, *, organization: str | None = None, **options: Unpack[RequestOptions]
    ) -> StorageConfigSetupInfo:
        """The AWS account id and external id to trust in your bucket's IAM role.
        `GET /storage-configs/setup-info/`

        Args:
            organization: the values for this organization (its slug) instead of yours.
        """
        return await self._client.request(
            "GET",
            "/storage-configs/setup-info/",
            _SETUP_INFO,
            params=query(organization=organization),
            options=options,
        )

    async def test(self, id: str, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """Check that the platform can reach the bucket. `POST /storage-configs/{id}/test/`

        Returns the API's report as a dict, e.g. `{"verified": True}`, or
        `{"verified": False, "errors": {"s3_bucket_name": ["..."]}}`.

        Args:
            id: the configuration's uid.
        """
        return await self._client.request(
            "POST", path("/storage-configs/{id}/test/", id=id), ExpectRaw(), options=options
        )
