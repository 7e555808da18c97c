from __future__ import annotations

from datetime import datetime

from ._base import Resource


class User(Resource, kw_only=True):
    """The user an API key belongs to."""

    username: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    picture: str | None = None
    created_at: datetime | None = None
