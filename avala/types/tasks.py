from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import Resource

TaskStatus = Literal["pending", "in_progress", "completed", "rejected", "skipped"]
"""Known task statuses; filters accept any string, since the API may add values."""


class Task(Resource, kw_only=True):
    type: str | None = None
    name: str | None = None
    status: str | None = None
    project: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
