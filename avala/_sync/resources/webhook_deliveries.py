# Generated from avala/_async/resources/webhook_deliveries.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import query
from ..._core._paths import path
from ...types.webhook_deliveries import WebhookDelivery
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_DELIVERY = ExpectModel(WebhookDelivery)
_DELIVERIES = ExpectPage(WebhookDelivery)


class WebhookDeliveries(APIResource):
    """Webhook delivery logs: every event sent to a subscription, with its outcome."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[WebhookDelivery]:
        """List deliveries, across all webhooks. `GET /webhook-deliveries/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            "/webhook-deliveries/", _DELIVERIES, query(limit=limit, cursor=cursor), options
        )

    def get(self, id: str, **options: Unpack[RequestOptions]) -> WebhookDelivery:
        """Fetch one delivery. `GET /webhook-deliveries/{id}/`

        Args:
            id: the delivery's uid.
        """
        return self._client.request(
            "GET", path("/webhook-deliveries/{id}/", id=id), _DELIVERY, options=options
        )
