from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Resource
from .datasets import DatasetVisibility, _ItemFields

SliceVisibility = DatasetVisibility
"""Slices take the same visibilities as datasets."""


class Slice(Resource, kw_only=True):
    """A saved selection of dataset items, addressed by owner and slug."""

    name: str
    slug: str | None = None
    owner_name: str | None = None
    visibility: str | None = None
    status: str | None = None
    organization: dict[str, Any] | None = None
    item_count: int | None = None
    sub_slices: list[dict[str, Any]] | None = None
    source_data: Any = None
    featured_slice_item_urls: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SliceItem(_ItemFields, kw_only=True):
    """A dataset item as seen through a slice (same fields as `DatasetItem`)."""
