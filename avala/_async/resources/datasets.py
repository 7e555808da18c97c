from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import body, one_of, query
from ..._core._paths import path
from ..._core._redact import redact_text
from ..._twins import AsyncPaginator
from ...errors import ResponseValidationError
from ...types.datasets import (
    AllowedMimes,
    CameraCalibration,
    Dataset,
    DatasetCalibration,
    DatasetDataType,
    DatasetFrame,
    DatasetHealth,
    DatasetItem,
    DatasetSequence,
    DatasetStatus,
    DatasetVisibility,
    FrameImage,
    Quat,
    UploadQuota,
    Vec3,
)
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import PollOptions, RequestOptions

T = TypeVar("T")


_DATASET = ExpectModel(Dataset)
_DATASETS = ExpectPage(Dataset)
_ITEM = ExpectModel(DatasetItem)
_ITEMS = ExpectPage(DatasetItem)
_SEQUENCE = ExpectModel(DatasetSequence)
_SEQUENCES = ExpectPage(DatasetSequence)
_HEALTH = ExpectModel(DatasetHealth)
_QUOTA = ExpectModel(UploadQuota)
_MIMES = ExpectModel(AllowedMimes)

# Polling a dataset faster than this only loads the API; ingest takes minutes.
_MIN_WAIT_INTERVAL = 1.0
# Statuses after which a dataset never reaches another target: `wait()` returns on them
# instead of spinning until its timeout (the official SDK did; contract 5 #12).
_FAILED_STATUSES = frozenset({"failed", "error"})


def slugify(name: str) -> str:
    """`"Training Data"` -> `"training-data"`: the slug the API would suggest for a name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise ValueError(f"Cannot derive a slug from name {name!r}; pass slug=...")
    return slug


# -- Client-side views of a sequence's frame JSON ----------------------------------------------
# The API has no frame or calibration route: both are read from the `frames` array that the
# sequence detail embeds. These private structs are the frame JSON keys the SDK reads.


class _FrameJSON(msgspec.Struct, kw_only=True):
    key: str | None = None
    model: str | None = None
    camera_model: str | None = None
    xi: float | None = None
    alpha: float | None = None
    device_position: Vec3 | None = None
    device_heading: Quat | None = None
    images: list[FrameImage] | None = None


class _CameraJSON(FrameImage, kw_only=True):
    # Rigs name their cameras under any of these keys, as a string or a number.
    camera: str | int | None = None
    camera_id: str | int | None = None
    sensor_id: str | int | None = None


class _Frame0JSON(_FrameJSON, kw_only=True):
    images: list[_CameraJSON] | None = None  # type: ignore[assignment]


def _convert(raw: Any, target: type[T], where: str, model: str) -> T:
    """`raw` (part of an already decoded response) as `target`, failing like a decode."""
    try:
        return msgspec.convert(raw, target)
    except msgspec.ValidationError as exc:
        text = str(exc)
        detail, _, at = text.partition(" - at `")
        field = where + at.rstrip("`").removeprefix("$") if at else where
        raise ResponseValidationError(
            f"Response does not match {model}: {redact_text(detail)} - at `{field}`",
            model=model,
            path=field,
        ) from None


def _check_frame_index(frame_idx: int) -> None:
    if isinstance(frame_idx, bool) or not isinstance(frame_idx, int):
        raise TypeError(f"frame_idx must be an int, got {type(frame_idx).__name__}")
    if frame_idx < 0:
        raise IndexError(
            f"frame_idx must be >= 0 (negative indexes are not supported), got {frame_idx}"
        )


def build_frame(sequence: DatasetSequence, frame_idx: int) -> DatasetFrame:
    """Frame `frame_idx` of a sequence detail. `IndexError` when out of range."""
    _check_frame_index(frame_idx)
    frames = sequence.frames or []
    if frame_idx >= len(frames):
        valid = f"valid indexes are 0-{len(frames) - 1}" if frames else "it has no frames"
        raise IndexError(
            f"frame_idx {frame_idx} is out of range for sequence {sequence.uid!r} "
            f"with {len(frames)} frames ({valid})"
        )
    raw = frames[frame_idx]
    frame = _convert(raw, _FrameJSON, f"$.frames[{frame_idx}]", "DatasetFrame")
    return DatasetFrame(
        frame_index=frame_idx,
        key=frame.key,
        # Frame JSON spells the projection model either way; fill both from whichever is set.
        model=frame.model or frame.camera_model,
        camera_model=frame.camera_model or frame.model,
        xi=frame.xi,
        alpha=frame.alpha,
        device_position=frame.device_position,
        device_heading=frame.device_heading,
        images=list(frame.images or []),
        raw=raw,
    )


def _camera_id(image: _CameraJSON) -> str | None:
    for value in (image.camera, image.camera_id, image.sensor_id):
        if value is not None and value != "":
            return str(value)
    return None


def build_calibration(sequence: DatasetSequence) -> DatasetCalibration:
    """The camera rig of a sequence detail, from its first frame's `images`."""
    cameras: list[CameraCalibration] = []
    if sequence.frames:
        frame = _convert(sequence.frames[0], _Frame0JSON, "$.frames[0]", "DatasetCalibration")
        frame_model = frame.model or frame.camera_model
        for image in frame.images or []:
            cameras.append(
                CameraCalibration(
                    camera_id=_camera_id(image),
                    # Per-camera values win; the frame's apply to every camera otherwise.
                    model=image.model or image.camera_model or frame_model,
                    position=image.position,
                    heading=image.heading,
                    width=image.width,
                    height=image.height,
                    fx=image.fx,
                    fy=image.fy,
                    cx=image.cx,
                    cy=image.cy,
                    xi=image.xi if image.xi is not None else frame.xi,
                    alpha=image.alpha if image.alpha is not None else frame.alpha,
                )
            )
    return DatasetCalibration(
        sequence_uid=sequence.uid,
        cameras=cameras,
        dataset_level_camera_calibration=sequence.camera_calibration or None,
    )


def _content_length(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"content_length must be an int (bytes), got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"content_length must be >= 0, got {value}")
    return value


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

    async def get_by_slug(
        self, owner: str, slug: str, **options: Unpack[RequestOptions]
    ) -> Dataset:
        """Fetch one dataset by owner and slug. `GET /datasets/{owner}/{slug}/`

        Args:
            owner: handle of the owning user or organization (`dataset.owner_name`).
            slug: the dataset's slug.
        """
        return await self._client.request(
            "GET",
            path("/datasets/{owner}/{slug}/", owner=owner, slug=slug),
            _DATASET,
            options=options,
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

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        visibility: DatasetVisibility | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Dataset:
        """Rename a dataset or change its visibility; only the given fields are sent.
        `PATCH /datasets/{id}/`

        Args:
            id: the dataset's uid.
            name: the new display name (the slug does not change).
            visibility: `"private"`, `"unlisted"` or `"public"`.
        """
        return await self._client.request(
            "PATCH",
            path("/datasets/{id}/", id=id),
            _DATASET,
            json=body(name=name, visibility=visibility),
            options=options,
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a dataset with its items and sequences. `DELETE /datasets/{id}/`

        Args:
            id: the dataset's uid.
        """
        await self._client.request(
            "DELETE", path("/datasets/{id}/", id=id), ExpectNothing(), options=options
        )

    async def transfer(
        self,
        owner: str,
        slug: str,
        *,
        organization_uid: str | None = None,
        owner_username: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Dataset:
        """Move a dataset to an organization or to a user.
        `POST /datasets/{owner}/{slug}/transfer/`

        Pass exactly one destination; anything else is a `ValueError` and nothing is sent.
        The returned dataset's `owner_name` is the new owner (its owner/slug address changes).

        Args:
            owner: current owner handle.
            slug: the dataset's slug.
            organization_uid: transfer to this organization.
            owner_username: transfer to this user.
        """
        key, value = one_of(organization_uid=organization_uid, owner_username=owner_username)
        return await self._client.request(
            "POST",
            path("/datasets/{owner}/{slug}/transfer/", owner=owner, slug=slug),
            _DATASET,
            json={key: value},
            options=options,
        )

    def list_items(
        self,
        owner: str,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[DatasetItem]:
        """List a dataset's items. `GET /datasets/{owner}/{slug}/items/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/datasets/{owner}/{slug}/items/", owner=owner, slug=slug),
            _ITEMS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def get_item(
        self, owner: str, slug: str, item_uid: str, **options: Unpack[RequestOptions]
    ) -> DatasetItem:
        """Fetch one item of a dataset. `GET /datasets/{owner}/{slug}/items/{item_uid}/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            item_uid: the item's uid.
        """
        return await self._client.request(
            "GET",
            path(
                "/datasets/{owner}/{slug}/items/{item_uid}/",
                owner=owner,
                slug=slug,
                item_uid=item_uid,
            ),
            _ITEM,
            options=options,
        )

    def list_sequences(
        self,
        owner: str,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[DatasetSequence]:
        """List a dataset's sequences (without their frames).
        `GET /datasets/{owner}/{slug}/sequences/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/datasets/{owner}/{slug}/sequences/", owner=owner, slug=slug),
            _SEQUENCES,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def get_sequence(
        self, owner: str, slug: str, sequence_uid: str, **options: Unpack[RequestOptions]
    ) -> DatasetSequence:
        """Fetch one sequence with its full `frames` array.
        `GET /datasets/{owner}/{slug}/sequences/{sequence_uid}/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            sequence_uid: the sequence's uid.
        """
        return await self._client.request(
            "GET",
            path(
                "/datasets/{owner}/{slug}/sequences/{sequence_uid}/",
                owner=owner,
                slug=slug,
                sequence_uid=sequence_uid,
            ),
            _SEQUENCE,
            options=options,
        )

    async def get_frame(
        self,
        owner: str,
        slug: str,
        sequence_uid: str,
        frame_idx: int,
        **options: Unpack[RequestOptions],
    ) -> DatasetFrame:
        """One frame of a sequence, read from the sequence detail.
        `GET /datasets/{owner}/{slug}/sequences/{sequence_uid}/`

        The API has no frame route: this fetches the sequence and picks `frames[frame_idx]`,
        so fetch the sequence once (`get_sequence`) when reading many frames.

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            sequence_uid: the sequence's uid.
            frame_idx: zero-based frame index. Negative indexes are refused (`IndexError`,
                before any request), as is an index past the last frame.
        """
        _check_frame_index(frame_idx)
        sequence = await self.get_sequence(owner, slug, sequence_uid, **options)
        return build_frame(sequence, frame_idx)

    async def get_calibration(
        self, owner: str, slug: str, sequence_uid: str, **options: Unpack[RequestOptions]
    ) -> DatasetCalibration:
        """A sequence's camera rig, read from the sequence detail.
        `GET /datasets/{owner}/{slug}/sequences/{sequence_uid}/`

        The API has no calibration route: `cameras` come from the first frame's `images`
        (every frame carries the rig), and `dataset_level_camera_calibration` holds the
        sequence's `camera_calibration` entries when the API sends any.

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            sequence_uid: the sequence's uid.
        """
        sequence = await self.get_sequence(owner, slug, sequence_uid, **options)
        return build_calibration(sequence)

    async def get_health(
        self, owner: str, slug: str, **options: Unpack[RequestOptions]
    ) -> DatasetHealth:
        """A read-only health snapshot (counts, per-sequence calibration, ingest issues).
        `GET /datasets/{owner}/{slug}/health/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
        """
        return await self._client.request(
            "GET",
            path("/datasets/{owner}/{slug}/health/", owner=owner, slug=slug),
            _HEALTH,
            options=options,
        )

    async def wait(
        self,
        id: str,
        *,
        status: DatasetStatus | str = "created",
        interval: float = 10.0,
        timeout: float = 3600.0,
        on_poll: Callable[[Dataset], None] | None = None,
        **options: Unpack[PollOptions],
    ) -> Dataset:
        """Poll a dataset until it reaches `status` or fails. `GET /datasets/{id}/`

        `dataset = await client.datasets.wait(dataset.uid)` returns the dataset once ready.
        A dataset that ends `"failed"` or `"error"` is returned at once (check its
        `status`); nothing is raised for it.

        Args:
            id: the dataset's uid.
            status: the status to wait for (default `"created"`, i.e. ready).
            interval: seconds between polls (at least 1).
            timeout: seconds before giving up with `WaitTimeoutError` (a `TimeoutError`
                whose `.last` is the last dataset seen).
            on_poll: called with the dataset after every poll (a plain function, also in
                the async client).
            options: `max_retries`, `extra_headers`, `extra_query` for each poll.
        """
        return await self._wait_until(
            lambda: self.get(id, **options),
            what=f"dataset {id!r} to reach status {status!r}",
            done=lambda dataset: dataset.status == status or dataset.status in _FAILED_STATUSES,
            interval=interval,
            timeout=timeout,
            min_interval=_MIN_WAIT_INTERVAL,
            on_poll=on_poll,
        )

    async def manual_upload_quota(
        self, *, organization_uid: str | None = None, **options: Unpack[RequestOptions]
    ) -> UploadQuota:
        """Bytes used and allowed for manual uploads. `GET /datasets/manual-upload/quota/`

        Args:
            organization_uid: the organization's quota instead of your own.
        """
        return await self._client.request(
            "GET",
            "/datasets/manual-upload/quota/",
            _QUOTA,
            # An empty uid means "mine", as in the official SDK: not sent.
            params=query(organization_uid=organization_uid or None),
            options=options,
        )

    async def manual_upload_allowed_mimes(self, **options: Unpack[RequestOptions]) -> AllowedMimes:
        """MIME types accepted by manual upload.
        `GET /datasets/manual-upload/allowed-mimes/`
        """
        return await self._client.request(
            "GET", "/datasets/manual-upload/allowed-mimes/", _MIMES, options=options
        )

    async def create_manual_upload_url(
        self,
        *,
        dataset_name: str,
        file_path_in_dataset: str,
        content_length: int,
        organization_uid: str | None = None,
        dataset_upload_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> dict[str, Any]:
        """Get a presigned target to upload one file into a future dataset.
        `POST /datasets/manual-upload/file-upload-url/`

        Returns the API's presign as a dict, e.g. `{"method": "POST", "url": ...,
        "fields": {...}}`. Over quota, raises `QuotaExceededError` (with `limit`/`used`).

        Args:
            dataset_name: name of the dataset the file will belong to.
            file_path_in_dataset: the file's path inside the dataset, e.g. `"img/0001.jpg"`.
            content_length: the file's size in bytes.
            organization_uid: count the upload against this organization's quota.
            dataset_upload_uid: group files of one upload (upload protocol v2); when given,
                `upload_protocol_version: 2` is sent too.
        """
        payload = body(
            {
                "dataset_name": dataset_name,
                "file_path_in_dataset": file_path_in_dataset,
                "content_length": _content_length(content_length),
            },
            organization_uid=organization_uid,
        )
        if dataset_upload_uid is not None:
            payload["upload_protocol_version"] = 2
            payload["dataset_upload_uid"] = dataset_upload_uid
        return await self._client.request(
            "POST",
            "/datasets/manual-upload/file-upload-url/",
            ExpectRaw(),
            json=payload,
            options=options,
        )

    async def create_from_manual_upload(
        self,
        *,
        name: str,
        data_type: DatasetDataType | str,
        slug: str | None = None,
        visibility: DatasetVisibility | str = "private",
        create_metadata: bool = True,
        owner_name: str | None = None,
        metadata: dict[str, Any] | None = None,
        industry: int | None = None,
        license: int | None = None,
        organization_uid: str | None = None,
        dataset_upload_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Dataset:
        """Create a dataset from files uploaded with `create_manual_upload_url`.
        `POST /datasets/manual-upload/`

        Args:
            name: display name (the `dataset_name` the files were uploaded under).
            data_type: kind of data uploaded, e.g. `"image"` or `"lidar"`.
            slug: URL name; derived from `name` when omitted.
            visibility: `"private"` (default), `"unlisted"` or `"public"`.
            create_metadata: let the API build item metadata (default True).
            owner_name: create under this user or organization handle.
            metadata: free-form metadata.
            industry: industry id.
            license: license id.
            organization_uid: create under this organization.
            dataset_upload_uid: the upload (protocol v2) whose files make up the dataset.
        """
        payload = body(
            {
                "name": name,
                "slug": slug if slug is not None else slugify(name),
                "data_type": data_type,
                "visibility": visibility,
                "create_metadata": create_metadata,
            },
            owner_name=owner_name,
            metadata=metadata,
            industry=industry,
            license=license,
            organization_uid=organization_uid,
            dataset_upload_uid=dataset_upload_uid,
        )
        return await self._client.request(
            "POST", "/datasets/manual-upload/", _DATASET, json=payload, options=options
        )
