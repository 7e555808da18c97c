"""Datasets logic with no I/O: slugs, and the frame and calibration views the SDK builds from
a sequence detail (the API has no route for either). Shared by both clients."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar

import msgspec

from ..errors import ResponseValidationError
from ..types.datasets import (
    CameraCalibration,
    DatasetCalibration,
    DatasetFrame,
    DatasetSequence,
    FrameFields,
    FrameImage,
)
from ._redact import redact_text

T = TypeVar("T")


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


class _CameraJSON(FrameImage, kw_only=True):
    # Rigs name their cameras under any of these keys, as a string or a number.
    camera: str | int | None = None
    camera_id: str | int | None = None
    sensor_id: str | int | None = None


class _Frame0JSON(FrameFields, kw_only=True):
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


def check_frame_index(frame_idx: int) -> None:
    if isinstance(frame_idx, bool) or not isinstance(frame_idx, int):
        raise TypeError(f"frame_idx must be an int, got {type(frame_idx).__name__}")
    if frame_idx < 0:
        raise IndexError(
            f"frame_idx must be >= 0 (negative indexes are not supported), got {frame_idx}"
        )


def build_frame(sequence: DatasetSequence, frame_idx: int) -> DatasetFrame:
    """Frame `frame_idx` of a sequence detail. `IndexError` when out of range."""
    check_frame_index(frame_idx)
    frames = sequence.frames or []
    if frame_idx >= len(frames):
        valid = f"valid indexes are 0-{len(frames) - 1}" if frames else "it has no frames"
        raise IndexError(
            f"frame_idx {frame_idx} is out of range for sequence {sequence.uid!r} "
            f"with {len(frames)} frames ({valid})"
        )
    raw = frames[frame_idx]
    frame = _convert(raw, FrameFields, f"$.frames[{frame_idx}]", "DatasetFrame")
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
