# Generated from avala/_async/resources/fleet/__init__.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""Fleet management: `client.fleet.devices`, `.recordings`, `.events`, `.rules`, `.alerts`
and `.alert_channels`."""

from __future__ import annotations

from ..._http import HTTPClient
from .._base import APIResource
from ..fleet_uploads import FleetUploads
from .alert_channels import FleetAlertChannels
from .alerts import FleetAlerts
from .devices import FleetDevices
from .events import FleetEvents
from .recordings import FleetRecordings
from .rules import FleetRules

__all__ = [
    "Fleet",
    "FleetAlertChannels",
    "FleetAlerts",
    "FleetDevices",
    "FleetEvents",
    "FleetRecordings",
    "FleetRules",
]


class Fleet(APIResource):
    """Fleet management: devices, recordings, events, rules, alerts and alert channels.

    Only a namespace: every call lives on one of the sub-resources, which share the
    client's connection pool.
    """

    def __init__(self, client: HTTPClient) -> None:
        super().__init__(client)
        self.devices = FleetDevices(client)
        self.recordings = FleetRecordings(client)
        self.events = FleetEvents(client)
        self.rules = FleetRules(client)
        self.alerts = FleetAlerts(client)
        self.alert_channels = FleetAlertChannels(client)
        self.uploads = FleetUploads(client)
