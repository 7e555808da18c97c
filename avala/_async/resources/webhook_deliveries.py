from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import query
from ..._core._paths import path
from ...types.webhook_deliveries import WebhookDelivery
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_DELIVERY = ExpectModel(WebhookDelivery)
_DELIVERIES = ExpectPage(WebhookDelivery)


class AsyncWebhookDeliveries(AsyncAPIResource):
    """Webhook delivery logs: every event sent to a subscription, with its outcome."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[WebhookDelivery]:
        """List deliveries, across all webhooks. `GET /webhook-deliveries/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            "/webhook-deliveries/", _DELIVERIES, query(limit=limit, cursor=cursor), options
        )

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> WebhookDelivery:
        """Fetch one delivery. `GET /webhook-deliveries/{id}/`

        Args:
            id: the delivery's uid.
        """
        return await self._client.request(
            "GET", path("/webhook-deliveries/{id}/", id=id), _DELIVERY, options=options
        )
