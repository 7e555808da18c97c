"""Webhook subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import msgspec

from ._base import Resource


class Webhook(Resource, kw_only=True):
    # The signing secret is returned so the caller can verify deliveries; it must not end
    # up in logs or tracebacks through repr().
    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"secret"})

    target_url: str
    events: list[str] = msgspec.field(default_factory=list)
    is_active: bool = True
    secret: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
