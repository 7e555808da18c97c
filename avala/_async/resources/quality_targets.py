from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncQualityTargets(AsyncAPIResource):
    """Quality metrics and targets of a project."""
