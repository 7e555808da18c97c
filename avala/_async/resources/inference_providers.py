from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncInferenceProviders(AsyncAPIResource):
    """AI model provider configuration."""
