from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncStorageConfigs(AsyncAPIResource):
    """Cloud storage configuration."""
