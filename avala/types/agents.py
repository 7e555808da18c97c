from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import msgspec

from ._base import Resource


class Agent(Resource, kw_only=True):
    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"secret"})

    name: str
    description: str | None = None
    events: list[str] = msgspec.field(default_factory=list)
    callback_url: str | None = None
    is_active: bool = True
    project: str | None = None
    task_types: list[str] = msgspec.field(default_factory=list)
    secret: str | None = None
    execution_stats: dict[str, int] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class AgentExecution(Resource, kw_only=True):
    registration: str
    event_type: str
    task: str | None = None
    result: str | None = None
    status: str | None = None
    action: str | None = None
    error_message: str | None = None
    event_payload: dict[str, Any] | None = None
    response_payload: dict[str, Any] | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
