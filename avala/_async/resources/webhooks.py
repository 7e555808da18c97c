from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncWebhooks(AsyncAPIResource):
    """Webhook subscriptions."""
