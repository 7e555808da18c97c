"""Fleet models: devices, their recordings and events, rules, alerts and alert channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal, TypedDict

import msgspec

from ._base import Resource

DeviceStatus = Literal["online", "offline", "maintenance"]
"""Known device statuses; filters and updates accept any string, since the API may add values."""

RecordingStatus = Literal["uploading", "processing", "ready", "error", "archived"]
"""Known recording statuses."""

FleetSeverity = Literal["info", "warning", "error", "critical"]
"""Known severities of fleet events and alerts."""

AlertStatus = Literal["open", "acknowledged", "resolved"]
"""Known alert statuses."""


class Device(Resource, kw_only=True):
    # The API returns the token once, on registration: keep it on the object (the caller
    # must store it), but out of logs and tracebacks.
    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"device_token"})

    name: str
    type: str | None = None
    status: str | None = None
    firmware_version: str | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    metadata: dict[str, Any] | None = None
    last_seen_at: datetime | None = None
    device_token: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Recording(Resource, kw_only=True):
    device: str | None = None
    status: str | None = None
    duration_seconds: float | None = None
    size_bytes: int | None = None
    topic_count: int = 0
    tags: list[str] = msgspec.field(default_factory=list)
    topics: list[dict[str, Any]] | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class FleetEvent(Resource, kw_only=True):
    recording: str | None = None
    device: str | None = None
    type: str | None = None
    label: str | None = None
    description: str | None = None
    severity: str | None = None
    timestamp: datetime | None = None
    duration_ms: int | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    metadata: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Rule(Resource, kw_only=True):
    name: str
    description: str | None = None
    enabled: bool = True
    condition: dict[str, Any] | None = None
    scope: dict[str, Any] | None = None
    actions: list[dict[str, Any]] = msgspec.field(default_factory=list)
    hit_count: int = 0
    last_hit_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Alert(Resource, kw_only=True):
    rule: str | None = None
    device: str | None = None
    recording: str | None = None
    severity: str | None = None
    status: str | None = None
    message: str | None = None
    acknowledged_by: str | None = None
    resolution_note: str | None = None
    triggered_at: datetime | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class AlertChannel(Resource, kw_only=True):
    name: str
    type: str | None = None
    config: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class _BatchEventRequired(TypedDict):
    recording: str
    device: str
    label: str
    type: str
    timestamp: str | datetime


class BatchEventParams(_BatchEventRequired, total=False):
    """One event of `fleet.events.create_batch`: the keyword arguments of `events.create`.

    `timestamp` may be an ISO 8601 string or a timezone-aware `datetime`.
    """

    severity: FleetSeverity | str
    description: str
    duration_ms: int
    tags: list[str]
    metadata: dict[str, Any]
