from __future__ import annotations

import pickle

import httpx
import pytest
import respx

from avala import AsyncClient, AvalaError, ResponseValidationError, ServerError
from tests.helpers import page, url


def tasks(*uids: str) -> list[dict[str, str]]:
    return [{"uid": uid} for uid in uids]


async def test_awaiting_gives_the_first_page_only(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).respond(
        200, json=page(tasks("a", "b"), "/tasks/?cursor=c2&limit=2")
    )
    first = await client.tasks.list(limit=2)
    assert route.call_count == 1
    assert [t.uid for t in first.items] == ["a", "b"]
    assert len(first) == 2
    assert first[1].uid == "b"
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_iterating_walks_every_page_lazily_keeping_filters(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a", "b"), "/tasks/?cursor=c2&limit=2")),
            httpx.Response(200, json=page(tasks("c", "d"), "/tasks/?cursor=c3&limit=2")),
            httpx.Response(200, json=page(tasks("e"))),
        ]
    )
    listing = client.tasks.list(project_id="p1", status="pending", limit=2)
    seen = [t.uid async for t in listing.auto_paging_iter()]
    assert seen == ["a", "b", "c", "d", "e"]
    params = [dict(call.request.url.params) for call in route.calls]
    assert params == [
        {"project": "p1", "status": "pending", "limit": "2"},
        {"project": "p1", "status": "pending", "limit": "2", "cursor": "c2"},
        {"project": "p1", "status": "pending", "limit": "2", "cursor": "c3"},
    ]


async def test_auto_paging_from_a_fetched_page_continues_from_it(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a"), "/tasks/?cursor=c2")),
            httpx.Response(200, json=page(tasks("b"))),
        ]
    )
    first = await client.tasks.list()
    assert [t.uid async for t in first.auto_paging_iter()] == ["a", "b"]


async def test_a_page_is_one_page_however_it_is_iterated(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a", "b"), "/tasks/?cursor=c2&limit=2")),
            httpx.Response(200, json=page(tasks("c", "d"))),
        ]
    )
    first = await client.tasks.list(limit=2)
    assert [t.uid for t in first] == ["a", "b"]
    assert [t.uid async for t in first] == ["a", "b"]
    assert [t.uid for t in list(first)] == ["a", "b"]
    assert len(first) == 2
    assert first[-1].uid == "b"
    assert route.call_count == 1  # iterating a page never fetches the next one


async def test_a_page_pickles_as_a_snapshot(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).respond(
        200, json=page(tasks("a", "b"), "/tasks/?cursor=c2&limit=2")
    )
    first = await client.tasks.list(limit=2)
    restored = pickle.loads(pickle.dumps(first))
    assert type(restored) is type(first)
    assert [t.uid for t in restored.items] == ["a", "b"]
    assert restored.next_cursor == "c2"
    assert restored.has_more
    with pytest.raises(AvalaError, match=r"cursor=page\.next_cursor"):
        await restored.get_next_page()


async def test_get_next_page_and_iter_pages(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a"), "/tasks/?cursor=c2")),
            httpx.Response(200, json=page(tasks("b"))),
            httpx.Response(200, json=page(tasks("a"), "/tasks/?cursor=c2")),
            httpx.Response(200, json=page(tasks("b"))),
        ]
    )
    first = await client.tasks.list()
    second = await first.get_next_page()
    assert second is not None
    assert [t.uid for t in second.items] == ["b"]
    assert await second.get_next_page() is None
    sizes = [len(p) async for p in (await client.tasks.list()).iter_pages()]
    assert sizes == [1, 1]


async def test_an_empty_page_that_says_more_follows_is_followed(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page([], "/tasks/?cursor=c2")),
            httpx.Response(200, json=page(tasks("z"))),
        ]
    )
    assert [t.uid async for t in client.tasks.list().auto_paging_iter()] == ["z"]


async def test_a_repeated_cursor_stops_instead_of_looping_forever(
    client: AsyncClient, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = respx_mock.get(url("/tasks/")).respond(
        200, json=page(tasks("a"), "/tasks/?cursor=same")
    )
    seen: list[str] = []
    async for task in client.tasks.list().auto_paging_iter():
        seen.append(task.uid)
        if len(seen) > 10:  # a broken guard must fail this test, not hang it
            break
    assert seen == ["a", "a"]
    assert route.call_count == 2
    assert "repeated page token" in caplog.text


async def test_page_number_pagination_sends_page_back(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a"), "/tasks/?page=2")),
            httpx.Response(200, json=page(tasks("b"), "/tasks/?page=3")),
            httpx.Response(200, json=page(tasks("c"))),
        ]
    )
    assert [t.uid async for t in client.tasks.list().auto_paging_iter()] == ["a", "b", "c"]
    assert [call.request.url.params.get("page") for call in route.calls] == [None, "2", "3"]
    assert "cursor" not in route.calls.last.request.url.params


async def test_a_failure_mid_walk_raises_and_keeps_what_was_yielded(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page(tasks("a"), "/tasks/?cursor=c2")),
            httpx.Response(503, json={"detail": "down"}),
            httpx.Response(503, json={"detail": "down"}),
            httpx.Response(503, json={"detail": "down"}),
        ]
    )
    seen: list[str] = []

    async def walk() -> None:
        async for task in client.tasks.list().auto_paging_iter():
            seen.append(task.uid)

    with pytest.raises(ServerError):
        await walk()
    assert seen == ["a"]


async def test_a_malformed_page_is_a_typed_error(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).respond(200, json={"results": [{"uid": 1}]})
    with pytest.raises(ResponseValidationError) as info:
        await client.tasks.list()
    assert info.value.path == "$.results[0].uid"
