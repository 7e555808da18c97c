from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, NotFoundError
from avala.types.tasks import Task
from tests.helpers import page, url

TASK = {
    "uid": "task_1",
    "type": "annotation",
    "name": "Label frame 1",
    "status": "pending",
    "project": "proj_123",
    "created_at": "2026-01-01T00:00:00Z",
}


async def test_list_sends_project_id_as_project(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).respond(
        200, json=page([TASK], "/tasks/?cursor=c2&project=proj_123")
    )
    first = await client.tasks.list(project_id="proj_123", status="pending", limit=5)
    assert route.calls.last.request.url.params.multi_items() == [
        ("project", "proj_123"),
        ("status", "pending"),
        ("limit", "5"),
    ]
    assert isinstance(first.items[0], Task)
    assert first.items[0].project == "proj_123"
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_list_accepts_the_official_project_spelling(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).respond(200, json=page([TASK]))
    await client.tasks.list(project="proj_123")
    assert route.calls.last.request.url.params.multi_items() == [("project", "proj_123")]
    # Both spellings with the same value are not a conflict.
    await client.tasks.list(project_id="proj_123", project="proj_123")
    assert route.calls.last.request.url.params.multi_items() == [("project", "proj_123")]


async def test_list_refuses_conflicting_project_values(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="Conflicting values"):
        await client.tasks.list(project_id="proj_1", project="proj_2")
    assert respx_mock.calls.call_count == 0


async def test_list_without_filters_walks_every_page(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page([TASK], "/tasks/?cursor=c2")),
            httpx.Response(200, json=page([{**TASK, "uid": "task_2"}])),
        ]
    )
    assert [t.uid async for t in client.tasks.list().auto_paging_iter()] == ["task_1", "task_2"]
    assert route.calls[0].request.url.params.multi_items() == []
    assert route.calls[1].request.url.params.multi_items() == [("cursor", "c2")]


async def test_get_by_keyword_id(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    task = await client.tasks.get(id="task_1")
    assert task.id == "task_1"
    assert task.type == "annotation"
    assert task.created_at is not None


async def test_get_missing_raises_not_found(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        await client.tasks.get("nope")


async def test_create_sends_project_id_as_project(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/tasks/")).respond(201, json=TASK)
    task = await client.tasks.create(name="Label frame 1", project_id="proj_123")
    assert task.uid == "task_1"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Label frame 1",
        "project": "proj_123",
    }
    await client.tasks.create(
        name="Label frame 1", project_id="proj_123", type="annotation", status="pending"
    )
    assert json.loads(route.calls.last.request.content) == {
        "name": "Label frame 1",
        "project": "proj_123",
        "type": "annotation",
        "status": "pending",
    }


async def test_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/tasks/task_1/")).respond(
        200, json={**TASK, "status": "completed"}
    )
    task = await client.tasks.update(id="task_1", status="completed")
    assert task.status == "completed"
    assert json.loads(route.calls.last.request.content) == {"status": "completed"}
    await client.tasks.update("task_1", name="Renamed")
    assert json.loads(route.calls.last.request.content) == {"name": "Renamed"}
    await client.tasks.update("task_1", status="rejected", name="R")
    assert json.loads(route.calls.last.request.content) == {"status": "rejected", "name": "R"}
    await client.tasks.update("task_1")
    assert json.loads(route.calls.last.request.content) == {}


async def test_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/tasks/task_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.tasks.delete("task_1") is None
    assert await client.tasks.delete("task_1") is None


async def test_id_is_percent_encoded_into_one_segment(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/t%231/")).respond(200, json=TASK)
    await client.tasks.get("t#1")
    assert route.called
