from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, NotFoundError
from avala.types.agents import Agent, AgentExecution
from tests.helpers import page, url

AGENT = {
    "uid": "ag_1",
    "name": "Reviewer",
    "events": ["task.completed"],
    "is_active": True,
    "secret": "whsec_abc",
    "execution_stats": {"total": 5, "failed": 1},
    "created_at": "2026-01-01T00:00:00Z",
}


async def test_list_sends_filters_and_decodes(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/agents/"), params={"limit": "2"}).respond(
        200, json=page([AGENT], "/agents/?cursor=c2&limit=2")
    )
    first = await client.agents.list(limit=2)
    assert route.called
    assert [a.uid for a in first.items] == ["ag_1"]
    assert isinstance(first.items[0], Agent)
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/agents/ag_1/")).respond(200, json=AGENT)
    agent = await client.agents.get("ag_1")
    assert agent.id == "ag_1"
    assert agent.execution_stats == {"total": 5, "failed": 1}
    assert agent.created_at is not None
    assert agent.created_at.year == 2026
    assert "whsec_abc" not in repr(agent)


async def test_create_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/agents/")).respond(201, json=AGENT)
    agent = await client.agents.create(name="Reviewer", events=["task.completed"])
    assert agent.name == "Reviewer"
    request = route.calls.last.request
    assert json.loads(request.content) == {"name": "Reviewer", "events": ["task.completed"]}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"]


async def test_create_rejects_a_bare_string_for_a_list(client: AsyncClient) -> None:
    with pytest.raises(TypeError, match="events must be a list"):
        await client.agents.create(name="x", events="task.completed")  # type: ignore[arg-type]


async def test_update_patches_subset(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/agents/ag_1/")).respond(200, json={**AGENT, "name": "New"})
    agent = await client.agents.update("ag_1", name="New", is_active=False)
    assert agent.name == "New"
    assert json.loads(route.calls.last.request.content) == {"name": "New", "is_active": False}


async def test_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/agents/ag_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.agents.delete("ag_1") is None
    assert await client.agents.delete("ag_1") is None


async def test_delete_missing_raises_not_found(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/agents/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        await client.agents.delete("nope")


async def test_list_executions(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    execution = {"uid": "ex_1", "registration": "ag_1", "event_type": "task.completed"}
    respx_mock.get(url("/agents/ag_1/executions/")).respond(200, json=page([execution]))
    executions = [e async for e in client.agents.list_executions("ag_1").auto_paging_iter()]
    assert executions == [
        AgentExecution(uid="ex_1", registration="ag_1", event_type="task.completed")
    ]


async def test_test_returns_raw_dict(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/agents/ag_1/test/")).respond(
        200, json={"delivered": True, "status_code": 200}
    )
    assert await client.agents.test("ag_1") == {"delivered": True, "status_code": 200}
    assert route.calls.last.request.content == b""


async def test_id_is_percent_encoded_into_one_segment(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/agents/a%2Fb%3Fc%3D1%23d/")).respond(200, json=AGENT)
    await client.agents.get("a/b?c=1#d")
    assert route.called
