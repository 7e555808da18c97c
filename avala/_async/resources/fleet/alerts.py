from __future__ import annotations

from typing import TYPE_CHECKING

from ...._core._expect import ExpectModel, ExpectPage
from ...._core._params import query
from ...._core._paths import path
from ....types.fleet import Alert, AlertStatus, FleetSeverity
from ..._paginator import AsyncPaginator
from .._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_ALERT = ExpectModel(Alert)
_ALERTS = ExpectPage(Alert)


class AsyncFleetAlerts(AsyncAPIResource):
    """Alerts raised by rules. The API creates them; callers acknowledge and resolve them."""

    def list(
        self,
        *,
        status: AlertStatus | str | None = None,
        severity: FleetSeverity | str | None = None,
        device_id: str | None = None,
        rule_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Alert]:
        """List alerts. `GET /fleet/alerts/`

        Args:
            status: only alerts in this status: `"open"`, `"acknowledged"` or `"resolved"`.
            severity: only alerts of this severity: `"info"`, `"warning"`, `"error"` or
                `"critical"`.
            device_id: only alerts about this device (uid); sent as `device`.
            rule_id: only alerts raised by this rule (uid); sent as `rule`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(
            status=status,
            severity=severity,
            device=device_id,
            rule=rule_id,
            limit=limit,
            cursor=cursor,
        )
        return self._paginate("/fleet/alerts/", _ALERTS, params, options)

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Alert:
        """Fetch one alert. `GET /fleet/alerts/{id}/`

        Args:
            id: the alert's uid.
        """
        return await self._client.request(
            "GET", path("/fleet/alerts/{id}/", id=id), _ALERT, options=options
        )

    async def acknowledge(self, id: str, **options: Unpack[RequestOptions]) -> Alert:
        """Acknowledge an alert. `POST /fleet/alerts/{id}/acknowledge/`

        Returns the updated alert.

        Args:
            id: the alert's uid.
        """
        return await self._client.request(
            "POST", path("/fleet/alerts/{id}/acknowledge/", id=id), _ALERT, options=options
        )

    async def resolve(
        self,
        id: str,
        *,
        resolution_note: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Alert:
        """Resolve an alert. `POST /fleet/alerts/{id}/resolve/`

        Returns the updated alert. Without a note the request has no body at all.

        Args:
            id: the alert's uid.
            resolution_note: what was done about it.
        """
        payload = None if resolution_note is None else {"resolution_note": resolution_note}
        return await self._client.request(
            "POST",
            path("/fleet/alerts/{id}/resolve/", id=id),
            _ALERT,
            json=payload,
            options=options,
        )
