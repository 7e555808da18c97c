from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, ValidationError
from avala.types.inference_providers import InferenceProvider
from tests.helpers import page, url

PROVIDER = {
    "uid": "ip_1",
    "name": "GPT",
    "provider_type": "openai",
    "config": {"api_key": "sk-live-abcdefghijklmnopqrstuvwxyz", "model": "gpt-4o"},
    "is_active": True,
    "last_test_at": "2026-01-01T00:00:00Z",
    "last_test_success": True,
}


async def test_list_pages(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/inference-providers/")).respond(
        200, json=page([PROVIDER], "/inference-providers/?cursor=c2&limit=1")
    )
    first = await client.inference_providers.list(limit=1, cursor="c1")
    assert dict(route.calls.last.request.url.params) == {"limit": "1", "cursor": "c1"}
    assert isinstance(first.items[0], InferenceProvider)
    assert first.next_cursor == "c2"


async def test_list_walks_every_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/inference-providers/")).mock(
        side_effect=[
            httpx.Response(200, json=page([PROVIDER], "/inference-providers/?cursor=c2")),
            httpx.Response(200, json=page([{**PROVIDER, "uid": "ip_2"}])),
        ]
    )
    assert [p.uid async for p in client.inference_providers.list().auto_paging_iter()] == [
        "ip_1",
        "ip_2",
    ]


async def test_get_masks_config_in_repr(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/inference-providers/ip_1/")).respond(200, json=PROVIDER)
    provider = await client.inference_providers.get("ip_1")
    assert provider.id == "ip_1"
    assert provider.config == PROVIDER["config"]
    assert provider.last_test_success is True
    assert provider.last_test_at is not None
    assert "sk-live" not in repr(provider)
    assert "config='***'" in repr(provider)


async def test_create_sends_required_and_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/inference-providers/")).respond(201, json=PROVIDER)
    provider = await client.inference_providers.create(
        name="GPT",
        provider_type="openai",
        config={"model": "gpt-4o"},
        is_active=False,
    )
    assert provider.name == "GPT"
    assert json.loads(route.calls.last.request.content) == {
        "name": "GPT",
        "provider_type": "openai",
        "config": {"model": "gpt-4o"},
        "is_active": False,
    }


async def test_create_server_validation_error(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(url("/inference-providers/")).respond(
        400, json={"config": ["This field is required."]}
    )
    with pytest.raises(ValidationError):
        await client.inference_providers.create(name="x", provider_type="custom", config={})


async def test_update_patches_subset(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/inference-providers/ip_1/")).respond(
        200, json={**PROVIDER, "description": "Main"}
    )
    provider = await client.inference_providers.update("ip_1", description="Main", project="proj_1")
    assert provider.description == "Main"
    assert json.loads(route.calls.last.request.content) == {
        "description": "Main",
        "project": "proj_1",
    }


async def test_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.delete(url("/inference-providers/ip_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.inference_providers.delete("ip_1") is None
    assert await client.inference_providers.delete(id="ip_1") is None


async def test_test_returns_raw_dict(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/inference-providers/ip_1/test/")).respond(
        200, json={"success": True, "latency_ms": 120}
    )
    assert await client.inference_providers.test("ip_1") == {"success": True, "latency_ms": 120}
    assert route.calls.last.request.content == b""


async def test_id_is_percent_encoded(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/inference-providers/a%3Fb%3D1/")).respond(200, json=PROVIDER)
    await client.inference_providers.get("a?b=1")
    assert route.called
