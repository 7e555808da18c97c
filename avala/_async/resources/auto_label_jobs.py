from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncAutoLabelJobs(AsyncAPIResource):
    """Automated labeling jobs."""
