from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ...._core._params import body, json_object, query
from ...._core._paths import path
from ....types.fleet import AlertChannel
from ..._paginator import AsyncPaginator
from .._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_CHANNEL = ExpectModel(AlertChannel)
_CHANNELS = ExpectPage(AlertChannel)


class AsyncFleetAlertChannels(AsyncAPIResource):
    """Where alerts are sent (a Slack channel, an email list, a webhook...)."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[AlertChannel]:
        """List alert channels. `GET /fleet/alert-channels/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            "/fleet/alert-channels/", _CHANNELS, query(limit=limit, cursor=cursor), options
        )

    async def create(
        self,
        *,
        name: str,
        type: str,
        config: Mapping[str, Any],
        **options: Unpack[RequestOptions],
    ) -> AlertChannel:
        """Create an alert channel. `POST /fleet/alert-channels/`

        Args:
            name: display name.
            type: channel kind, e.g. `"slack"`.
            config: the channel's settings as a JSON object, e.g. `{"webhook_url": ...}`.
        """
        payload = {"name": name, "type": type, "config": json_object(config, "config")}
        return await self._client.request(
            "POST", "/fleet/alert-channels/", _CHANNEL, json=payload, options=options
        )

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> AlertChannel:
        """Fetch one alert channel. `GET /fleet/alert-channels/{id}/`

        Args:
            id: the channel's uid.
        """
        return await self._client.request(
            "GET", path("/fleet/alert-channels/{id}/", id=id), _CHANNEL, options=options
        )

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        type: str | None = None,
        config: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AlertChannel:
        """Change an alert channel. `PATCH /fleet/alert-channels/{id}/`

        Only the given fields are sent; `avala.NULL` clears one.

        Args:
            id: the channel's uid.
            name: new display name.
            type: new channel kind.
            config: replaces the channel's settings object.
        """
        payload = body(name=name, type=type, config=json_object(config, "config"))
        return await self._client.request(
            "PATCH",
            path("/fleet/alert-channels/{id}/", id=id),
            _CHANNEL,
            json=payload,
            options=options,
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an alert channel. `DELETE /fleet/alert-channels/{id}/`

        Args:
            id: the channel's uid.
        """
        await self._client.request(
            "DELETE", path("/fleet/alert-channels/{id}/", id=id), ExpectNothing(), options=options
        )

    async def test(self, id: str, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """Send a test alert through the channel. `POST /fleet/alert-channels/{id}/test/`

        Returns the API's report as a dict, e.g. `{"ok": True, "delivered": True}`.

        Args:
            id: the channel's uid.
        """
        return await self._client.request(
            "POST", path("/fleet/alert-channels/{id}/test/", id=id), ExpectRaw(), options=options
        )
