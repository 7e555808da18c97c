"""`avala.types.quality_target`: the models of `avala.types.quality_targets`, under the module
path code written for the official SDK imports
(`from avala.types.quality_target import QualityTarget`)."""

from __future__ import annotations

from .quality_targets import (
    QualityTarget,
    QualityTargetEvaluation,
)

__all__ = [
    "QualityTarget",
    "QualityTargetEvaluation",
]
