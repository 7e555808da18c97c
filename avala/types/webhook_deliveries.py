"""Webhook delivery logs: one record per event sent (or retried) to a subscription."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Resource


class WebhookDelivery(Resource, kw_only=True):
    subscription: str
    event_type: str
    payload: dict[str, Any] | None = None
    response_status: int | None = None
    response_body: str | None = None
    attempts: int = 0
    next_retry_at: datetime | None = None
    status: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
