"""Automated labeling jobs run by a project's configured model."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from ._base import Resource

AutoLabelJobStatus = Literal["pending", "running", "completed", "failed", "cancelled"]
"""Known job statuses; `status` stays a plain `str` since the API may add values."""


class AutoLabelJob(Resource, kw_only=True):
    status: str | None = None
    model_type: str | None = None
    confidence_threshold: float | None = None
    labels: list[str] = msgspec.field(default_factory=list)
    dry_run: bool = False
    total_items: int = 0
    processed_items: int = 0
    successful_items: int = 0
    failed_items: int = 0
    skipped_items: int = 0
    progress_pct: float | None = None
    error_message: str | None = None
    summary: dict[str, Any] | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
