from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncWebhookDeliveries(AsyncAPIResource):
    """Webhook delivery logs."""
