"""Quality targets: thresholds on a project's quality metrics, and their evaluations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from ._base import Resource

QualityTargetOperator = Literal["gt", "lt", "gte", "lte"]
"""Known comparison operators; any string is accepted, since the API may add values."""

QualityTargetSeverity = Literal["warning", "critical"]
"""Known severities of a breached target."""


class QualityTarget(Resource, kw_only=True):
    name: str
    metric: str
    operator: str
    threshold: float
    severity: str | None = None
    is_active: bool = True
    notify_webhook: bool = True
    notify_emails: list[str] = msgspec.field(default_factory=list)
    last_evaluated_at: datetime | None = None
    last_value: float | None = None
    is_breached: bool = False
    breach_count: int = 0
    last_breached_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class QualityTargetEvaluation(Resource, kw_only=True):
    """The current state of one target (`uid` is the target's) after an evaluation."""

    name: str
    metric: str
    operator: str
    threshold: float
    current_value: float
    is_breached: bool
    severity: str | None = None
