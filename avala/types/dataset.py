"""`avala.types.dataset`: the models of `avala.types.datasets` under the module path
code written for the official SDK imports (`from avala.types.dataset import CameraCalibration`)."""

from __future__ import annotations

from .datasets import (
    CameraCalibration,
    Dataset,
    DatasetCalibration,
    DatasetFrame,
    DatasetHealth,
    DatasetItem,
    DatasetSequence,
    FrameImage,
    Quat,
    SequenceHealth,
    Vec3,
)

__all__ = [
    "CameraCalibration",
    "Dataset",
    "DatasetCalibration",
    "DatasetFrame",
    "DatasetHealth",
    "DatasetItem",
    "DatasetSequence",
    "FrameImage",
    "Quat",
    "SequenceHealth",
    "Vec3",
]
