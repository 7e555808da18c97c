"""Data exports of a project or dataset."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import Resource

ExportStatus = Literal["pending", "processing", "exported", "completed", "failed"]
"""Statuses seen from the API; `status` stays a plain `str` since the API may add values.
`exported` and `completed` both mean the download is ready."""


class Export(Resource, kw_only=True):
    status: str | None = None
    download_url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
