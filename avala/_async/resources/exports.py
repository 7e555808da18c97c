from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncExports(AsyncAPIResource):
    """Data exports."""
