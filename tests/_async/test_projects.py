from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, NotFoundError
from avala.types.projects import Project
from tests.helpers import page, url

PROJECT = {
    "uid": "proj_123",
    "name": "Parking lots",
    "status": "active",
    "created_at": "2026-01-01T00:00:00Z",
}


async def test_list_uses_the_user_scoped_route(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/users/me/projects/")).respond(
        200, json=page([PROJECT], "/users/me/projects/?cursor=c2&limit=1")
    )
    first = await client.projects.list(limit=1, cursor="c1")
    assert route.calls.last.request.url.params.multi_items() == [("limit", "1"), ("cursor", "c1")]
    assert isinstance(first.items[0], Project)
    assert first.items[0].name == "Parking lots"
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_list_walks_every_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/users/me/projects/")).mock(
        side_effect=[
            httpx.Response(200, json=page([PROJECT], "/users/me/projects/?cursor=c2")),
            httpx.Response(200, json=page([{**PROJECT, "uid": "proj_2", "name": "B"}])),
        ]
    )
    assert [p.uid async for p in client.projects.list().auto_paging_iter()] == [
        "proj_123",
        "proj_2",
    ]
    assert route.calls[1].request.url.params["cursor"] == "c2"


async def test_get_by_keyword_id(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/users/me/projects/proj_123/")).respond(200, json=PROJECT)
    project = await client.projects.get(id="proj_123")
    assert project.id == "proj_123"
    assert project.status == "active"
    assert project.created_at is not None


async def test_get_missing_raises_not_found(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/users/me/projects/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        await client.projects.get("nope")


async def test_create_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/users/me/projects/")).respond(201, json=PROJECT)
    project = await client.projects.create(name="Parking lots")
    assert project.uid == "proj_123"
    assert json.loads(route.calls.last.request.content) == {"name": "Parking lots"}
    await client.projects.create(name="Parking lots", status="active")
    assert json.loads(route.calls.last.request.content) == {
        "name": "Parking lots",
        "status": "active",
    }


async def test_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/users/me/projects/proj_123/")).respond(
        200, json={**PROJECT, "name": "Renamed"}
    )
    project = await client.projects.update("proj_123", name="Renamed")
    assert project.name == "Renamed"
    assert json.loads(route.calls.last.request.content) == {"name": "Renamed"}
    await client.projects.update(id="proj_123", status="archived")
    assert json.loads(route.calls.last.request.content) == {"status": "archived"}
    await client.projects.update("proj_123")
    assert json.loads(route.calls.last.request.content) == {}


async def test_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/users/me/projects/proj_123/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.projects.delete("proj_123") is None
    assert await client.projects.delete("proj_123") is None


async def test_id_is_percent_encoded_and_empty_ids_are_refused(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/users/me/projects/a%2Fb/")).respond(200, json=PROJECT)
    await client.projects.get("a/b")
    assert route.called
    with pytest.raises(ValueError, match="non-empty"):
        await client.projects.delete("")
    assert respx_mock.calls.call_count == 1
