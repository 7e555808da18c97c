from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncFleet(AsyncAPIResource):
    """Fleet management: devices, recordings, events, rules, alerts."""
