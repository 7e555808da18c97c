from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ..._twins import AsyncPaginator
from ...types.datasets import Dataset, DatasetDataType, DatasetStatus, DatasetVisibility
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_DATASET = ExpectModel(Dataset)
_DATASETS = ExpectPage(Dataset)


def slugify(name: str) -> str:
    """`"Training Data"` -> `"training-data"`: the slug the API would suggest for a name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise ValueError(f"Cannot derive a slug from name {name!r}; pass slug=...")
    return slug


class AsyncDatasets(AsyncAPIResource):
    """Datasets: addressed by uid, or by owner and slug."""

    def list(
        self,
        *,
        data_type: DatasetDataType | str | None = None,
        name: str | None = None,
        status: DatasetStatus | str | None = None,
        visibility: DatasetVisibility | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Dataset]:
        """List datasets. `GET /datasets/`

        Args:
            data_type: only datasets of this data type (e.g. `"image"`, `"lidar"`).
            name: only datasets whose name contains this text.
            status: only datasets in this status (e.g. `"created"`).
            visibility: `"private"`, `"unlisted"` or `"public"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(
            data_type=data_type,
            name=name,
            status=status,
            visibility=visibility,
            limit=limit,
            cursor=cursor,
        )
        return self._paginate("/datasets/", _DATASETS, params, options)

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Dataset:
        """Fetch one dataset by uid. `GET /datasets/{id}/`

        Args:
            id: the dataset's uid.
        """
        return await self._client.request(
            "GET", path("/datasets/{id}/", id=id), _DATASET, options=options
        )

    async def create(
        self,
        *,
        name: str,
        slug: str | None = None,
        data_type: DatasetDataType | str = "image",
        project_id: str | None = None,
        visibility: DatasetVisibility | str = "private",
        create_metadata: bool = True,
        provider_config: dict[str, Any] | None = None,
        owner_name: str | None = None,
        organization_id: int | None = None,
        organization_uid: str | None = None,
        gpu_texture_format: str | None = None,
        metadata: dict[str, Any] | None = None,
        industry: int | None = None,
        license: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Dataset:
        """Create a dataset. `POST /datasets/`

        The new dataset starts in status `"creating"`; `await client.datasets.wait(uid)`
        returns once it is ready.

        Args:
            name: display name.
            slug: URL name; derived from `name` when omitted (`"Training Data"` ->
                `"training-data"`).
            data_type: kind of data (default `"image"`).
            project_id: attach the dataset to this project (sent as `project`; the official
                SDK had no such argument).
            visibility: `"private"` (default), `"unlisted"` or `"public"`.
            create_metadata: let the API build item metadata (default True).
            provider_config: cloud storage source, e.g. `{"provider": "aws_s3",
                "s3_bucket_name": ..., "s3_bucket_region": ...}`.
            owner_name: create under this user or organization handle.
            organization_id: numeric organization id (legacy).
            organization_uid: create under this organization.
            gpu_texture_format: texture format for GPU viewers.
            metadata: free-form metadata.
            industry: industry id.
            license: license id.
        """
        payload = body(
            {
                "name": name,
                "slug": slug if slug is not None else slugify(name),
                "data_type": data_type,
                "visibility": visibility,
                "create_metadata": create_metadata,
            },
            project=project_id,
            provider_config=provider_config,
            owner_name=owner_name,
            organization_id=organization_id,
            organization_uid=organization_uid,
            gpu_texture_format=gpu_texture_format,
            metadata=metadata,
            industry=industry,
            license=license,
        )
        return await self._client.request(
            "POST", "/datasets/", _DATASET, json=payload, options=options
        )
