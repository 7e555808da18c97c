from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, NotFoundError
from avala.types.webhooks import Webhook
from tests.helpers import page, url

WEBHOOK = {
    "uid": "wh_1",
    "target_url": "https://example.test/hook",
    "events": ["task.completed"],
    "is_active": True,
    "secret": "whsec_topsecret",
    "created_at": "2026-01-01T00:00:00Z",
}


async def test_list_decodes_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/webhooks/")).respond(
        200, json=page([WEBHOOK], "/webhooks/?cursor=c2&limit=1")
    )
    first = await client.webhooks.list(limit=1)
    assert route.calls.last.request.url.params.multi_items() == [("limit", "1")]
    assert isinstance(first.items[0], Webhook)
    assert first.items[0].events == ["task.completed"]
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_list_walks_every_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/webhooks/")).mock(
        side_effect=[
            httpx.Response(200, json=page([WEBHOOK], "/webhooks/?cursor=c2")),
            httpx.Response(200, json=page([{**WEBHOOK, "uid": "wh_2"}])),
        ]
    )
    assert [w.uid async for w in client.webhooks.list().auto_paging_iter()] == ["wh_1", "wh_2"]
    assert route.calls[1].request.url.params["cursor"] == "c2"


async def test_get_masks_the_secret_in_repr(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/webhooks/wh_1/")).respond(200, json=WEBHOOK)
    webhook = await client.webhooks.get(id="wh_1")
    assert webhook.secret == "whsec_topsecret"
    assert "whsec_topsecret" not in repr(webhook)
    assert "secret='***'" in repr(webhook)
    assert webhook.created_at is not None


async def test_get_decodes_defaults(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/webhooks/wh_2/")).respond(
        200, json={"uid": "wh_2", "target_url": "https://example.test/h"}
    )
    webhook = await client.webhooks.get("wh_2")
    assert webhook == Webhook(uid="wh_2", target_url="https://example.test/h")
    assert webhook.events == []
    assert webhook.is_active is True
    assert webhook.secret is None


async def test_create_sends_body(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/webhooks/")).respond(201, json=WEBHOOK)
    webhook = await client.webhooks.create(
        target_url="https://example.test/hook",
        events=("task.completed", "export.finished"),
        is_active=False,
        secret="whsec_mine",
    )
    assert webhook.uid == "wh_1"
    assert json.loads(route.calls.last.request.content) == {
        "target_url": "https://example.test/hook",
        "events": ["task.completed", "export.finished"],
        "is_active": False,
        "secret": "whsec_mine",
    }


async def test_create_sends_only_required_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/webhooks/")).respond(201, json=WEBHOOK)
    await client.webhooks.create(target_url="https://example.test/hook", events=[])
    assert json.loads(route.calls.last.request.content) == {
        "target_url": "https://example.test/hook",
        "events": [],
    }


async def test_create_rejects_a_bare_string_for_events(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="events must be a list"):
        await client.webhooks.create(target_url="https://x.test", events="task.completed")
    assert respx_mock.calls.call_count == 0


async def test_update_can_rotate_the_secret(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/webhooks/wh_1/")).respond(
        200, json={**WEBHOOK, "secret": "whsec_new"}
    )
    webhook = await client.webhooks.update("wh_1", secret="whsec_new")
    assert webhook.secret == "whsec_new"
    assert json.loads(route.calls.last.request.content) == {"secret": "whsec_new"}


async def test_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/webhooks/wh_1/")).respond(200, json=WEBHOOK)
    await client.webhooks.update(
        "wh_1", target_url="https://example.test/v2", events=["a"], is_active=True
    )
    assert json.loads(route.calls.last.request.content) == {
        "target_url": "https://example.test/v2",
        "events": ["a"],
        "is_active": True,
    }
    await client.webhooks.update("wh_1")
    assert json.loads(route.calls.last.request.content) == {}


async def test_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/webhooks/wh_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.webhooks.delete("wh_1") is None
    assert await client.webhooks.delete("wh_1") is None


async def test_delete_missing_raises_not_found(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/webhooks/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        await client.webhooks.delete("nope")


async def test_test_returns_raw_dict_and_sends_no_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/webhooks/wh_1/test/")).respond(200, json={"delivered": True})
    assert await client.webhooks.test("wh_1") == {"delivered": True}
    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_id_is_percent_encoded_into_one_segment(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/webhooks/a%2F..%2Fb/")).respond(200, json=WEBHOOK)
    await client.webhooks.get("a/../b")
    assert route.called
