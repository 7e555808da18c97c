# Generated from avala/_async/resources/fleet/events.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...._core._expect import ExpectField, ExpectModel, ExpectNothing, ExpectPage
from ...._core._params import batch_event, body, event_time, json_object, query, strs
from ...._core._paths import path
from ....types.fleet import BatchEventParams, FleetEvent, FleetSeverity
from ..._paginator import Paginator
from .._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_EVENT = ExpectModel(FleetEvent)
_EVENTS = ExpectPage(FleetEvent)
_CREATED = ExpectField("created", int)


class FleetEvents(APIResource):
    """Events marked on recordings (a collision, a disengagement, an operator note...)."""

    def list(
        self,
        *,
        recording_id: str | None = None,
        device_id: str | None = None,
        type: str | None = None,
        severity: FleetSeverity | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[FleetEvent]:
        """List events. `GET /fleet/events/`

        Args:
            recording_id: only events of this recording (uid); sent as `recording`.
            device_id: only events of this device (uid); sent as `device`.
            type: only events of this type.
            severity: only events of this severity: `"info"`, `"warning"`, `"error"` or
                `"critical"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(
            recording=recording_id,
            device=device_id,
            type=type,
            severity=severity,
            limit=limit,
            cursor=cursor,
        )
        return self._paginate("/fleet/events/", _EVENTS, params, options)

    def create(
        self,
        *,
        recording: str,
        device: str,
        label: str,
        type: str,
        timestamp: datetime | str,
        severity: FleetSeverity | str | None = None,
        description: str | None = None,
        duration_ms: int | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> FleetEvent:
        """Create an event on a recording. `POST /fleet/events/`

        Args:
            recording: the recording's uid.
            device: the device's uid.
            label: short human-readable label.
            type: event type, e.g. `"collision"`.
            timestamp: when it happened: a timezone-aware `datetime` (sent as RFC 3339) or
                an ISO 8601 string (sent as is). A naive `datetime` raises `ValueError`.
            severity: `"info"`, `"warning"`, `"error"` or `"critical"`.
            description: free text.
            duration_ms: how long the event lasted, in milliseconds.
            tags: free-form labels.
            metadata: any JSON object to keep with the event.
        """
        payload = body(
            {
                "recording": recording,
                "device": device,
                "label": label,
                "type": type,
                "timestamp": event_time(timestamp),
            },
            severity=severity,
            description=description,
            duration_ms=duration_ms,
            tags=strs(tags, "tags"),
            metadata=json_object(metadata, "metadata"),
        )
        return self._client.request("POST", "/fleet/events/", _EVENT, json=payload, options=options)

    def create_batch(
        self, *, events: Iterable[BatchEventParams], **options: Unpack[RequestOptions]
    ) -> int:
        """Create many events in one request. `POST /fleet/events/batch/`

        Returns how many events the API created.

        Args:
            events: dicts with the keyword arguments of `create` (`recording`, `device`,
                `label`, `type`, `timestamp` required; `severity`, `description`,
                `duration_ms`, `tags`, `metadata` optional). Timestamps may be
                timezone-aware datetimes, as in `create`.
        """
        if isinstance(events, (Mapping, str, bytes)):
            raise TypeError("events must be a list of event dicts, not a single one")
        payload = {"events": [batch_event(event) for event in events]}
        return self._client.request(
            "POST", "/fleet/events/batch/", _CREATED, json=payload, options=options
        )

    def get(self, id: str, **options: Unpack[RequestOptions]) -> FleetEvent:
        """Fetch one event. `GET /fleet/events/{id}/`

        Args:
            id: the event's uid.
        """
        return self._client.request(
            "GET", path("/fleet/events/{id}/", id=id), _EVENT, options=options
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an event. `DELETE /fleet/events/{id}/`

        Args:
            id: the event's uid.
        """
        self._client.request(
            "DELETE", path("/fleet/events/{id}/", id=id), ExpectNothing(), options=options
        )
