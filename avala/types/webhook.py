"""The webhook models, under the module path code written for the official SDK imports
(`from avala.types.webhook import Webhook, WebhookDelivery`)."""

from __future__ import annotations

from .webhook_deliveries import WebhookDelivery
from .webhooks import Webhook

__all__ = ["Webhook", "WebhookDelivery"]
