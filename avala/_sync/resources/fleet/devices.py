# Generated from avala/_async/resources/fleet/devices.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ...._core._params import body, json_object, query, strs
from ...._core._paths import path
from ....types.fleet import Device, DeviceStatus
from ..._paginator import Paginator
from .._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_DEVICE = ExpectModel(Device)
_DEVICES = ExpectPage(Device)


class FleetDevices(APIResource):
    """Devices of the fleet (robots, vehicles, sensors rigs) that produce recordings."""

    def list(
        self,
        *,
        status: DeviceStatus | str | None = None,
        type: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Device]:
        """List devices. `GET /fleet/devices/`

        Args:
            status: only devices in this status: `"online"`, `"offline"` or `"maintenance"`.
            type: only devices of this type.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(status=status, type=type, limit=limit, cursor=cursor)
        return self._paginate("/fleet/devices/", _DEVICES, params, options)

    def register(
        self,
        *,
        name: str,
        type: str,
        firmware_version: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Device:
        """Register a device. `POST /fleet/devices/`

        The returned device carries `device_token`, which the API shows only this once:
        store it. It is masked in `repr()` so it does not leak into logs.

        Args:
            name: display name.
            type: device type, e.g. `"robot"`.
            firmware_version: firmware the device runs.
            tags: free-form labels.
            metadata: any JSON object to keep with the device.
        """
        payload = body(
            {"name": name, "type": type},
            firmware_version=firmware_version,
            tags=strs(tags, "tags"),
            metadata=json_object(metadata, "metadata"),
        )
        return self._client.request(
            "POST", "/fleet/devices/", _DEVICE, json=payload, options=options
        )

    def get(self, id: str, **options: Unpack[RequestOptions]) -> Device:
        """Fetch one device. `GET /fleet/devices/{id}/`

        Args:
            id: the device's uid.
        """
        return self._client.request(
            "GET", path("/fleet/devices/{id}/", id=id), _DEVICE, options=options
        )

    def update(
        self,
        id: str,
        *,
        name: str | None = None,
        status: DeviceStatus | str | None = None,
        firmware_version: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Device:
        """Change a device; only the given fields are sent. `PATCH /fleet/devices/{id}/`

        Args:
            id: the device's uid.
            name: new display name.
            status: new status, e.g. `"maintenance"`.
            firmware_version: new firmware version.
            tags: replaces the device's tags.
            metadata: replaces the device's metadata object.
        """
        payload = body(
            name=name,
            status=status,
            firmware_version=firmware_version,
            tags=strs(tags, "tags"),
            metadata=json_object(metadata, "metadata"),
        )
        return self._client.request(
            "PATCH", path("/fleet/devices/{id}/", id=id), _DEVICE, json=payload, options=options
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a device. `DELETE /fleet/devices/{id}/`

        Args:
            id: the device's uid.
        """
        self._client.request(
            "DELETE", path("/fleet/devices/{id}/", id=id), ExpectNothing(), options=options
        )
