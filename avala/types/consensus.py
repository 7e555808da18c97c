"""Consensus scoring of a project's annotations: agreement between annotators per item."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, Resource


class ConsensusConfig(Resource, kw_only=True):
    iou_threshold: float = 0.5
    min_agreement_ratio: float = 0.5
    min_annotations: int = 2
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ConsensusScore(Resource, kw_only=True):
    dataset_item_uid: str
    task_name: str
    score_type: str | None = None
    score: float
    annotator_count: int
    details: dict[str, Any] | None = None
    created_at: datetime | None = None


class ConsensusSummary(Model, kw_only=True):
    mean_score: float
    median_score: float
    min_score: float
    max_score: float
    total_items: int
    items_with_consensus: int
    score_distribution: dict[str, Any] | None = None
    by_task_name: list[Any] | None = None


class ConsensusComputeResult(Model, kw_only=True):
    status: str
    message: str
