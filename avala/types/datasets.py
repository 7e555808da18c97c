from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from ._base import Model, Resource

DatasetVisibility = Literal["private", "unlisted", "public"]
DatasetStatus = Literal["creating", "created", "failed"]
DatasetDataType = Literal["image", "video", "lidar", "mcap", "splat"]


class Dataset(Resource, kw_only=True):
    name: str
    slug: str
    item_count: int = 0
    owner_name: str | None = None
    """Handle of the owning user or organization; changes when the dataset is transferred."""
    status: str | None = None
    """`"creating"` until ingest finishes, then `"created"` (or `"failed"`)."""
    data_type: str | None = None
    is_sequence: bool | None = None
    project: str | None = None
    visibility: str | None = None
    predefined_labels: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class _ItemFields(Model, kw_only=True):
    """Fields shared by dataset items and slice items (the API serialises both alike).

    The API gives items a numeric database `id` next to their `uid`, so these models
    subclass `Model` and expose `id` as that number, not as an alias of `uid`.
    """

    uid: str
    id: int | None = None
    is_hidden: bool = False
    key: str | None = None
    dataset: str | None = None
    dataset_owner_name: str | None = None
    dataset_slug: str | None = None
    url: str | None = None
    gpu_texture_url: str | None = None
    video_thumbnail: str | None = None
    related_sequence_uid: str | None = None
    thumbnails: list[str] | None = None
    metadata: dict[str, Any] | None = None
    export_snippet: dict[str, Any] | None = None
    annotations: dict[str, Any] | None = None
    crop_data: dict[str, Any] | None = None
    related_items: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class DatasetItem(_ItemFields, kw_only=True):
    """One item (image, point cloud, frame file...) of a dataset."""


class DatasetSequence(Resource, kw_only=True):
    """A sequence of frames. The detail route includes the full `frames` array and
    `camera_calibration`; the listing leaves them out."""

    is_hidden: bool = False
    key: str | None = None
    custom_uuid: str | None = None
    status: str | None = None
    featured_image: str | None = None
    dataset_uid: str | None = None
    dataset_data_type: str | None = None
    device_id: str | None = None
    number_of_frames: int | None = None
    views: list[dict[str, Any]] | None = None
    predefined_labels: list[dict[str, Any]] | None = None
    frames: list[dict[str, Any]] | None = None
    camera_calibration: list[dict[str, Any]] | None = None
    coc_timeline: list[dict[str, Any]] | None = None
    crop_data: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    sequence_status_workflow: dict[str, Any] | None = None
    sequence_deliverable_workflow: dict[str, Any] | None = None
    allow_lidar_calibration: bool | None = None
    lidar_calibration_enabled: bool | None = None
    camera_calibration_enabled: bool | None = None
    is_workflow_terminal: bool | None = None


class SequenceHealth(Resource, kw_only=True):
    key: str | None = None
    status: str | None = None
    frame_count: int = 0
    has_lidar_calibration: bool = False
    has_camera_calibration: bool = False


class DatasetHealth(Model, kw_only=True):
    """Post-ingest health snapshot of a dataset."""

    dataset_uid: str
    dataset_slug: str
    dataset_status: str | None = None
    # Required in the official SDK 0.10.0, but older servers omit them: optional here.
    data_type: str | None = None
    is_sequence: bool | None = None
    item_count: int = 0
    sequence_count: int = 0
    total_frames: int = 0
    s3_prefix: str | None = None
    """Only shown to the dataset's owner and staff."""
    gc_storage_prefix: str | None = None
    """Only shown to the dataset's owner and staff."""
    last_updated_at: datetime | None = None
    sequences: list[SequenceHealth] = msgspec.field(default_factory=list)
    ingest_ok: bool = False
    issues: list[str] = msgspec.field(default_factory=list)


class Vec3(Model, kw_only=True):
    x: float
    y: float
    z: float


class Quat(Model, kw_only=True):
    x: float
    y: float
    z: float
    w: float


class CameraOptics(Model, kw_only=True):
    """Where a camera sits and how it projects: shared by frame images and calibrations."""

    model: str | None = None
    """Camera projection model, e.g. `"pinhole"` or `"doublesphere"`."""
    position: Vec3 | None = None
    heading: Quat | None = None
    width: int | None = None
    height: int | None = None
    fx: float | None = None
    fy: float | None = None
    cx: float | None = None
    cy: float | None = None
    xi: float | None = None
    alpha: float | None = None


class FrameImage(CameraOptics, kw_only=True):
    """One camera's view inside a frame (an entry of the frame JSON's `images`)."""

    image_url: str | None = None
    camera_model: str | None = None


class CameraCalibration(CameraOptics, kw_only=True):
    """One camera of a sequence's rig, as found in its first frame."""

    camera_id: str | None = None


class FrameFields(Model, kw_only=True):
    """The frame JSON keys the SDK reads (an entry of a sequence detail's `frames`)."""

    key: str | None = None
    model: str | None = None
    camera_model: str | None = None
    xi: float | None = None
    alpha: float | None = None
    device_position: Vec3 | None = None
    device_heading: Quat | None = None
    images: list[FrameImage] | None = None


class DatasetFrame(FrameFields, kw_only=True):
    """One frame of a sequence, built client-side from the sequence's `frames` array."""

    frame_index: int
    raw: dict[str, Any] = msgspec.field(default_factory=dict)
    """The whole frame JSON as the API sent it, including keys not modelled here."""


class DatasetCalibration(Model, kw_only=True):
    """A sequence's camera rig, built client-side (the API has no calibration route)."""

    sequence_uid: str
    cameras: list[CameraCalibration] = msgspec.field(default_factory=list)
    dataset_level_camera_calibration: list[dict[str, Any]] | None = None
    """The sequence's `camera_calibration` entries as the API sent them, or None when the
    API gave none. (The official SDK declared this field but never filled it.)"""


class UploadQuota(Model, kw_only=True):
    """Manual-upload storage quota, in bytes."""

    used: int
    limit: int

    @property
    def remaining(self) -> int:
        """Bytes still available (never negative, even when over quota)."""
        return max(0, self.limit - self.used)


class AllowedMimes(Model, kw_only=True):
    """MIME types accepted by manual upload."""

    mime_types: list[str] = msgspec.field(default_factory=list)
    video_prefix: str = ""
