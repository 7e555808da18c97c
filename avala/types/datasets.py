from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ._base import Resource

DatasetVisibility = Literal["private", "unlisted", "public"]
DatasetStatus = Literal["creating", "created", "failed"]
DatasetDataType = Literal["image", "video", "lidar", "mcap", "splat"]


class Dataset(Resource, kw_only=True):
    name: str
    slug: str
    item_count: int = 0
    owner_name: str | None = None
    status: str | None = None
    data_type: str | None = None
    is_sequence: bool | None = None
    project: str | None = None
    visibility: str | None = None
    predefined_labels: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
