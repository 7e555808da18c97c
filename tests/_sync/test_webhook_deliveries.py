# Generated from tests/_async/test_webhook_deliveries.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from datetime import datetime, timezone

import httpx
import respx

from avala import Client
from avala.types.webhook_deliveries import WebhookDelivery
from tests.helpers import page, url

DELIVERY = {
    "uid": "del_1",
    "subscription": "wh_1",
    "event_type": "task.completed",
    "payload": {"task": "task_1"},
    "response_status": 500,
    "response_body": "oops",
    "attempts": 3,
    "next_retry_at": "2026-01-01T00:05:00Z",
    "status": "failed",
}


def test_list_decodes_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/webhook-deliveries/")).respond(
        200, json=page([DELIVERY], "/webhook-deliveries/?cursor=c2&limit=1")
    )
    first = client.webhook_deliveries.list(limit=1, cursor="c1")
    assert route.calls.last.request.url.params.multi_items() == [("limit", "1"), ("cursor", "c1")]
    delivery = first.items[0]
    assert isinstance(delivery, WebhookDelivery)
    assert delivery.subscription == "wh_1"
    assert delivery.payload == {"task": "task_1"}
    assert first.has_more
    assert first.next_cursor == "c2"


def test_list_walks_every_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/webhook-deliveries/")).mock(
        side_effect=[
            httpx.Response(200, json=page([DELIVERY], "/webhook-deliveries/?cursor=c2")),
            httpx.Response(200, json=page([{**DELIVERY, "uid": "del_2"}])),
        ]
    )
    assert [d.uid for d in client.webhook_deliveries.list().auto_paging_iter()] == [
        "del_1",
        "del_2",
    ]
    assert route.calls[1].request.url.params["cursor"] == "c2"


def test_get_decodes_every_field(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/webhook-deliveries/del_1/")).respond(200, json=DELIVERY)
    delivery = client.webhook_deliveries.get(id="del_1")
    assert delivery.response_status == 500
    assert delivery.response_body == "oops"
    assert delivery.attempts == 3
    assert delivery.next_retry_at == datetime(2026, 1, 1, 0, 5, tzinfo=timezone.utc)
    assert delivery.status == "failed"


def test_get_decodes_defaults(client: Client, respx_mock: respx.MockRouter) -> None:
    minimal = {"uid": "del_2", "subscription": "wh_1", "event_type": "export.finished"}
    respx_mock.get(url("/webhook-deliveries/del_2/")).respond(200, json=minimal)
    delivery = client.webhook_deliveries.get("del_2")
    assert delivery == WebhookDelivery(
        uid="del_2", subscription="wh_1", event_type="export.finished"
    )
    assert delivery.attempts == 0
    assert delivery.payload is None
