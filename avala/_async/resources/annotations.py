from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncAnnotations(AsyncAPIResource):
    """Bulk edits of annotation objects."""
