# Generated from avala/_async/resources/datasets.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._core._datasets import build_calibration, build_frame, check_frame_index, slugify
from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import BodyFields, body, non_negative_int, one_of, query
from ..._core._paths import path
from ..._core._terminal import DATASETS
from ..._core._upload_files import gather_local_files
from ..._core._upload_journal import clear_state, pending_bytes, prepare_batch
from ..._core._wait import poll_callback
from ...errors import (
    AvalaError,
    QuotaExceededError,
    UploadSourceError,
    UploadStateError,
    ValidationError,
)
from ...types.datasets import (
    AllowedMimes,
    Dataset,
    DatasetCalibration,
    DatasetDataType,
    DatasetFrame,
    DatasetHealth,
    DatasetItem,
    DatasetSequence,
    DatasetStatus,
    DatasetVisibility,
    UploadQuota,
)
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import PollOptions, RequestOptions
    from .._uploads import Uploader

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
# instead of spinning until its timeout.
_FAILED_STATUSES = DATASETS.failed


# The fields every new dataset takes, whether created empty (`create`) or from uploaded
# files (`create_from_manual_upload`).
_NEW_DATASET = BodyFields(
    "data_type",
    "visibility",
    "create_metadata",
    "owner_name",
    "metadata",
    "industry",
    "license",
    "organization_uid",
)


def _new_dataset_body(values: Mapping[str, Any], **more: Any) -> dict[str, Any]:
    """A new dataset's body from the creating method's arguments, plus its own `more`."""
    name, slug = values["name"], values["slug"]
    required = {"name": name, "slug": slug if slug is not None else slugify(name)}
    return {**_NEW_DATASET.body(values, required), **body(**more)}


class Datasets(APIResource):
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
    ) -> Paginator[Dataset]:
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

    def get(self, id: str, **options: Unpack[RequestOptions]) -> Dataset:
        """Fetch one dataset by uid. `GET /datasets/{id}/`

        Args:
            id: the dataset's uid.
        """
        return self._client.request(
            "GET", path("/datasets/{id}/", id=id), _DATASET, options=options
        )

    def get_by_slug(self, owner: str, slug: str, **options: Unpack[RequestOptions]) -> Dataset:
        """Fetch one dataset by owner and slug. `GET /datasets/{owner}/{slug}/`

        Args:
            owner: handle of the owning user or organization (`dataset.owner_name`).
            slug: the dataset's slug.
        """
        return self._client.request(
            "GET",
            path("/datasets/{owner}/{slug}/", owner=owner, slug=slug),
            _DATASET,
            options=options,
        )

    def create(
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

        The new dataset starts in status `"creating"`; `client.datasets.wait(uid)`
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
        payload = _new_dataset_body(
            locals(),
            project=project_id,
            provider_config=provider_config,
            organization_id=organization_id,
            gpu_texture_format=gpu_texture_format,
        )
        return self._client.request("POST", "/datasets/", _DATASET, json=payload, options=options)

    def update(
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
        return self._client.request(
            "PATCH",
            path("/datasets/{id}/", id=id),
            _DATASET,
            json=body(name=name, visibility=visibility),
            options=options,
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a dataset with its items and sequences. `DELETE /datasets/{id}/`

        Args:
            id: the dataset's uid.
        """
        self._client.request(
            "DELETE", path("/datasets/{id}/", id=id), ExpectNothing(), options=options
        )

    def transfer(
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
        return self._client.request(
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
    ) -> Paginator[DatasetItem]:
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

    def get_item(
        self, owner: str, slug: str, item_uid: str, **options: Unpack[RequestOptions]
    ) -> DatasetItem:
        """Fetch one item of a dataset. `GET /datasets/{owner}/{slug}/items/{item_uid}/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            item_uid: the item's uid.
        """
        return self._client.request(
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
    ) -> Paginator[DatasetSequence]:
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

    def get_sequence(
        self, owner: str, slug: str, sequence_uid: str, **options: Unpack[RequestOptions]
    ) -> DatasetSequence:
        """Fetch one sequence with its full `frames` array.
        `GET /datasets/{owner}/{slug}/sequences/{sequence_uid}/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
            sequence_uid: the sequence's uid.
        """
        return self._client.request(
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

    def get_frame(
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
        check_frame_index(frame_idx)
        sequence = self.get_sequence(owner, slug, sequence_uid, **options)
        return build_frame(sequence, frame_idx)

    def get_calibration(
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
        sequence = self.get_sequence(owner, slug, sequence_uid, **options)
        return build_calibration(sequence)

    def get_health(self, owner: str, slug: str, **options: Unpack[RequestOptions]) -> DatasetHealth:
        """A read-only health snapshot (counts, per-sequence calibration, ingest issues).
        `GET /datasets/{owner}/{slug}/health/`

        Args:
            owner: owner handle.
            slug: the dataset's slug.
        """
        return self._client.request(
            "GET",
            path("/datasets/{owner}/{slug}/health/", owner=owner, slug=slug),
            _HEALTH,
            options=options,
        )

    def wait(
        self,
        id: str,
        *,
        status: DatasetStatus | str = "created",
        interval: float = 10.0,
        timeout: float = 3600.0,
        on_poll: Callable[[Dataset], None] | None = None,
        _on_poll: Callable[[Dataset], None] | None = None,
        **options: Unpack[PollOptions],
    ) -> Dataset:
        """Poll a dataset until it reaches `status` or fails. `GET /datasets/{id}/`

        `dataset = client.datasets.wait(dataset.uid)` returns the dataset once ready.
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
            _on_poll: the official SDK's spelling of `on_poll` (called with the dataset).
            options: `max_retries`, `extra_headers`, `extra_query` for each poll.
        """
        return self._wait_until(
            lambda: self.get(id, **options),
            what=f"dataset {id!r} to reach status {status!r}",
            done=lambda dataset: dataset.status == status or dataset.status in _FAILED_STATUSES,
            interval=interval,
            timeout=timeout,
            min_interval=_MIN_WAIT_INTERVAL,
            on_poll=poll_callback(on_poll, _on_poll),
        )

    def manual_upload_quota(
        self, *, organization_uid: str | None = None, **options: Unpack[RequestOptions]
    ) -> UploadQuota:
        """Bytes used and allowed for manual uploads. `GET /datasets/manual-upload/quota/`

        Args:
            organization_uid: the organization's quota instead of your own.
        """
        return self._client.request(
            "GET",
            "/datasets/manual-upload/quota/",
            _QUOTA,
            # An empty uid means "mine", as in the official SDK: not sent.
            params=query(organization_uid=organization_uid or None),
            options=options,
        )

    def manual_upload_allowed_mimes(self, **options: Unpack[RequestOptions]) -> AllowedMimes:
        """MIME types accepted by manual upload.
        `GET /datasets/manual-upload/allowed-mimes/`
        """
        return self._client.request(
            "GET", "/datasets/manual-upload/allowed-mimes/", _MIMES, options=options
        )

    def create_manual_upload_url(
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
                "content_length": non_negative_int(content_length, "content_length"),
            },
            organization_uid=organization_uid,
        )
        if dataset_upload_uid is not None:
            payload["upload_protocol_version"] = 2
            payload["dataset_upload_uid"] = dataset_upload_uid
        return self._client.request(
            "POST",
            "/datasets/manual-upload/file-upload-url/",
            ExpectRaw(),
            json=payload,
            options=options,
        )

    def create_from_manual_upload(
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
        payload = _new_dataset_body(locals(), dataset_upload_uid=dataset_upload_uid)
        return self._client.request(
            "POST", "/datasets/manual-upload/", _DATASET, json=payload, options=options
        )

    # --- Uploading local files -----------------------------------------------------------

    def _uploader(self) -> Uploader:
        from .._uploads import Uploader

        return Uploader(self, self._client)

    def upload_files(
        self,
        *,
        dataset_name: str,
        files: Sequence[tuple[str, str]],
        workers: int = 8,
        on_progress: Callable[[str, int], None] | None = None,
        on_skipped: Callable[[str], None] | None = None,
        organization_uid: str | None = None,
        resume: bool = True,
        state_key: str | None = None,
        clear_state_on_success: bool = False,
        dataset_upload_uid: str | None = None,
        on_bytes: Callable[[str, int], None] | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> int:
        """Upload local files for a dataset you then create with
        `create_from_manual_upload` (or use `create_from_local`, which does both).
        Per file: `POST /datasets/manual-upload/file-upload-url/`, the transfer to storage,
        then (protocol v2) `POST /datasets/manual-upload/uploads/{upload_uid}/complete/`.

        Returns the bytes sent by this call. Resumable: progress is journaled under the
        state directory, and running the same call again sends only what is missing (no
        file already stored, no part the server already has), never skipping a file whose
        size or modification time changed.

        Args:
            dataset_name: name of the dataset the files will belong to.
            files: `(local_path, path_in_dataset)` pairs, e.g. from
                `avala.gather_local_files(folder)`.
            workers: files uploaded at once (requests in flight are also bounded by the
                client's `max_concurrency`).
            on_progress: `on_progress(path_in_dataset, bytes_sent)` after each file sent.
            on_skipped: `on_skipped(path_in_dataset)` for each file already stored (by an
                earlier run, or found on the server).
            organization_uid: upload for an organization-owned dataset.
            resume: use the journal of an earlier run (default); False starts afresh.
            state_key: name of the journal (default: the dataset name).
            clear_state_on_success: delete the journal once every file is stored.
            dataset_upload_uid: the upload batch (protocol v2), from
                `prepare_manual_upload_batch`; None uses protocol v1.
            on_bytes: `on_bytes(path_in_dataset, n)` as bytes go out (n is negative when
                a failed attempt's bytes are taken back before a retry).
            state_dir: where journals live (default `$AVALA_STATE_DIR`, else `~/.avala`).

        Raises:
            UploadError: a file could not be uploaded (`FileChangedError` when it changed
                on disk meanwhile, `StorageError` when the storage host refused it,
                `UploadStateError` for unusable saved state). `.path` names the file.
            QuotaExceededError: the upload would exceed your storage quota.
        """
        from .._uploads import UploadCallbacks

        uploader = self._uploader()
        sent = uploader.upload_files(
            dataset_name=dataset_name,
            files=files,
            workers=workers,
            callbacks=UploadCallbacks(on_progress, on_skipped, on_bytes),
            organization_uid=organization_uid,
            resume=resume,
            state_key=state_key,
            dataset_upload_uid=dataset_upload_uid,
            state_dir=state_dir,
        )
        if clear_state_on_success:
            paths, _ = uploader.paths(dataset_name, organization_uid, state_key, state_dir)
            clear_state(paths, batch=dataset_upload_uid)
        return sent

    def prepare_manual_upload_batch(
        self,
        dataset_name: str,
        *,
        organization_uid: str | None = None,
        resume: bool = True,
        state_key: str | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> str | None:
        """The upload batch (protocol v2) for `upload_files(dataset_upload_uid=...)`: the
        saved one when resuming, else a new one. `None` when an earlier protocol-v1 upload
        of this dataset is half done (it finishes on v1). Sends nothing: the batch goes with
        each `POST /datasets/manual-upload/file-upload-url/` of the upload.

        Args:
            dataset_name: name of the dataset the files will belong to.
            organization_uid: upload for an organization-owned dataset.
            resume: reuse the saved batch (default); False starts a new one.
            state_key: name of the journal (default: the dataset name).
            state_dir: where journals live (default `$AVALA_STATE_DIR`, else `~/.avala`).
        """
        paths, fp = self._uploader().paths(dataset_name, organization_uid, state_key, state_dir)
        return prepare_batch(paths, fp, resume=resume)

    def resolve_storage_root(self, organization_uid: str | None = None) -> str | None:
        """Where the server stores uploads for you (or the organization): `__o__=/<org>`
        or `__u__=/<user uid>`; None when it cannot be determined. `GET /users/me/` (only
        for your own uploads).

        Args:
            organization_uid: the organization whose storage root to give.
        """
        if organization_uid:
            return f"__o__=/{organization_uid}"
        from .users import Users

        try:
            me = Users(self._client).me()
        except AvalaError:
            return None
        uid = getattr(me, "uid", None)
        return f"__u__=/{uid}" if uid else None

    def assert_storage_root_unchanged(
        self, expected: str | None, *, organization_uid: str | None = None
    ) -> None:
        """Raise `UploadStateError` if the storage root moved since `expected` was taken
        (files sent before would not be part of the dataset). Unknown roots pass.
        `GET /users/me/` (only for your own uploads).

        Args:
            expected: the root `resolve_storage_root` gave before the upload.
            organization_uid: the organization the upload is for.
        """
        now = self.resolve_storage_root(organization_uid)
        if now is not None and expected is not None and now != expected:
            raise UploadStateError(
                f"The upload destination moved during this run ({expected!r} -> {now!r}); "
                "run the upload again."
            )

    def create_from_local(
        self,
        *,
        source: str | os.PathLike[str],
        name: str,
        slug: str,
        data_type: DatasetDataType | str,
        visibility: DatasetVisibility | str = "private",
        create_metadata: bool = True,
        owner_name: str | None = None,
        industry: int | None = None,
        license: int | None = None,
        workers: int = 8,
        on_progress: Callable[[str, int], None] | None = None,
        wait: bool = False,
        wait_timeout: float = 3600.0,
        organization_uid: str | None = None,
        metadata: dict[str, Any] | None = None,
        resume: bool = True,
        check_quota: bool = True,
        on_skipped: Callable[[str], None] | None = None,
        on_bytes: Callable[[str, int], None] | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> Dataset:
        """Upload a local file or folder and create a dataset from it: `upload_files`,
        then `POST /datasets/manual-upload/`.

        `dataset = client.datasets.create_from_local(source="photos/", name="Photos",
        slug="photos", data_type="image")`. Resumable: if it fails or is interrupted, the
        same call continues where it stopped.

        Args:
            source: a file or a folder (walked recursively; symlinks leading outside it
                are refused).
            name, slug, data_type, visibility, create_metadata, owner_name, industry,
                license, metadata: as for `create_from_manual_upload`.
            workers: files uploaded at once.
            on_progress, on_skipped, on_bytes: progress hooks, as for `upload_files`.
            wait: wait until the dataset is ready (`status == "created"`).
            wait_timeout: seconds to wait before `WaitTimeoutError`.
            organization_uid: create the dataset under this organization.
            resume: continue an earlier interrupted upload (default); False starts over.
            check_quota: refuse before sending anything if the files exceed the space left
                in your quota (`QuotaExceededError`).
            state_dir: where journals live (default `$AVALA_STATE_DIR`, else `~/.avala`).

        Raises:
            UploadSourceError: `source` is missing or empty, or holds something that is not
                uploaded (a symlink leading outside it, a special file); also a `ValueError`.
            ValidationError: the owner already has a dataset with `slug` (checked before
                any byte is sent, and again when the dataset is created).
            UploadError: a file could not be uploaded; run the same call again to resume.
        """
        files = gather_local_files(source, state_root=state_dir)
        if not files:
            raise UploadSourceError(f"No files found in {os.fspath(source)!r}.")
        self._refuse_taken_slug(slug, owner_name, organization_uid)
        root = self.resolve_storage_root(organization_uid)
        if check_quota:
            self._check_quota(files, name, organization_uid, resume, state_dir)
        batch = self.prepare_manual_upload_batch(
            name, organization_uid=organization_uid, resume=resume, state_dir=state_dir
        )
        self.upload_files(
            dataset_name=name,
            files=files,
            workers=workers,
            on_progress=on_progress,
            on_skipped=on_skipped,
            on_bytes=on_bytes,
            organization_uid=organization_uid,
            resume=resume,
            state_key=name,
            dataset_upload_uid=batch,
            state_dir=state_dir,
        )
        self.assert_storage_root_unchanged(root, organization_uid=organization_uid)
        dataset = self.create_from_manual_upload(
            name=name,
            slug=slug,
            data_type=data_type,
            visibility=visibility,
            create_metadata=create_metadata,
            owner_name=owner_name,
            metadata=metadata,
            industry=industry,
            license=license,
            organization_uid=organization_uid,
            dataset_upload_uid=batch,
        )
        self._forget_upload(name, organization_uid, batch, state_dir)
        if wait:
            dataset = self.wait(dataset.uid, timeout=wait_timeout)
        return dataset

    def _refuse_taken_slug(
        self, slug: str, owner_name: str | None, organization_uid: str | None
    ) -> None:
        """Raise the `ValidationError` creating the dataset would raise when its owner
        already has a dataset with `slug`, before any byte is uploaded. Advisory: when the
        owner or the answer is unknown (network, permissions) the upload goes ahead, and
        creating the dataset checks again."""
        try:
            owner = owner_name or self._owner_handle(organization_uid)
            if owner is None:
                return
            self.get_by_slug(owner, slug, max_retries=0)
        except AvalaError:
            return  # 404 (the slug is free) or the check itself failed
        message = "A dataset with this slug already exists for this owner."
        # The same error, status and body the API gives when the dataset is created.
        raise ValidationError(
            f"slug: {message}",
            400,
            {"slug": [message]},
            details=[{"field": "slug", "message": message}],
        )

    def _owner_handle(self, organization_uid: str | None) -> str | None:
        """The handle that will own a new dataset: the organization's slug, or your
        username. `GET /organizations/` or `GET /users/me/`."""
        if organization_uid:
            from .organizations import Organizations

            for org in Organizations(self._client).list(max_retries=0):
                if org.uid == organization_uid:
                    return org.slug
            return None
        from .users import Users

        me = Users(self._client).me(max_retries=0)
        return me.username

    def _forget_upload(
        self,
        name: str,
        organization_uid: str | None,
        batch: str | None,
        state_dir: str | os.PathLike[str] | None,
    ) -> None:
        """Delete the journal of a finished upload (the dataset exists now)."""
        paths, _ = self._uploader().paths(name, organization_uid, None, state_dir)
        clear_state(paths, batch=batch)

    def _check_quota(
        self,
        files: Sequence[tuple[str, str]],
        name: str,
        organization_uid: str | None,
        resume: bool,
        state_dir: str | os.PathLike[str] | None,
    ) -> None:
        paths, fp = self._uploader().paths(name, organization_uid, None, state_dir)
        needed = pending_bytes(paths, fp, files, resume=resume)
        try:
            quota = self.manual_upload_quota(organization_uid=organization_uid)
        except AvalaError:
            return  # advisory: each presign enforces the quota anyway
        if needed > quota.remaining:
            raise QuotaExceededError(
                f"Uploading {needed} bytes would exceed the storage quota "
                f"({quota.used} of {quota.limit} bytes used).",
                413,
                limit=quota.limit,
                used=quota.used,
            )
