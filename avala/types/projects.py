from __future__ import annotations

from datetime import datetime

from ._base import Resource


class Project(Resource, kw_only=True):
    name: str
    status: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
