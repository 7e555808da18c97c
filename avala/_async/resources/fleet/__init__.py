"""Fleet management: `client.fleet.devices`, `.recordings`, `.events`, `.rules`, `.alerts`
and `.alert_channels`."""

from __future__ import annotations

from ..._http import AsyncHTTPClient
from .._base import AsyncAPIResource
from ..fleet_uploads import AsyncFleetUploads
from .alert_channels import AsyncFleetAlertChannels
from .alerts import AsyncFleetAlerts
from .devices import AsyncFleetDevices
from .events import AsyncFleetEvents
from .recordings import AsyncFleetRecordings
from .rules import AsyncFleetRules

__all__ = [
    "AsyncFleet",
    "AsyncFleetAlertChannels",
    "AsyncFleetAlerts",
    "AsyncFleetDevices",
    "AsyncFleetEvents",
    "AsyncFleetRecordings",
    "AsyncFleetRules",
]


class AsyncFleet(AsyncAPIResource):
    """Fleet management: devices, recordings, events, rules, alerts and alert channels.

    Only a namespace: every call lives on one of the sub-resources, which share the
    client's connection pool.
    """

    def __init__(self, client: AsyncHTTPClient) -> None:
        super().__init__(client)
        self.devices = AsyncFleetDevices(client)
        self.recordings = AsyncFleetRecordings(client)
        self.events = AsyncFleetEvents(client)
        self.rules = AsyncFleetRules(client)
        self.alerts = AsyncFleetAlerts(client)
        self.alert_channels = AsyncFleetAlertChannels(client)
        self.uploads = AsyncFleetUploads(client)
