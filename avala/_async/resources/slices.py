from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncSlices(AsyncAPIResource):
    """Dataset slices."""
