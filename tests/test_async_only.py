"""Behaviour that exists only in the async client, so it cannot live in tests/_async
(everything there is also generated into a sync test)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import respx
import trio

from avala import AsyncClient, AsyncPaginator
from avala.testing import FaultConfig, LocalAvala, RunningServer, serve_in_thread
from tests.helpers import API_KEY, BASE_URL, page, url


async def test_list_sends_nothing_until_awaited_or_iterated(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/")).respond(200, json=page([{"uid": "a"}]))
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        listing = client.tasks.list()
        assert isinstance(listing, AsyncPaginator)
        assert not route.called
        assert "/tasks/" in repr(listing)
        first = await listing
        assert [t.uid for t in first] == ["a"]  # plain `for` walks the fetched page only
        assert route.call_count == 1


async def test_async_for_over_the_listing_itself_walks_every_page(
    respx_mock: respx.MockRouter,
) -> None:
    """The un-awaited listing is not a page: `async for` over it is `.auto_paging_iter()`
    (its sync spelling is `for t in client.tasks.list().auto_paging_iter()`)."""
    respx_mock.get(url("/tasks/")).mock(
        side_effect=[
            httpx.Response(200, json=page([{"uid": "a"}], "/tasks/?cursor=c2")),
            httpx.Response(200, json=page([{"uid": "b"}])),
            httpx.Response(200, json=page([{"uid": "a"}], "/tasks/?cursor=c2")),
            httpx.Response(200, json=page([{"uid": "b"}])),
        ]
    )
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        assert [t.uid async for t in client.tasks.list()] == ["a", "b"]
        assert [len(p) async for p in client.tasks.list().iter_pages()] == [1, 1]


def test_the_async_client_runs_under_trio() -> None:
    """Retries sleep and the concurrency limit waits through anyio, not asyncio."""

    async def main() -> list[str]:
        with respx.mock(base_url=BASE_URL) as mock:
            mock.get("/tasks/t1/").mock(
                side_effect=[
                    httpx.Response(503, json={"detail": "busy"}, headers={"Retry-After": "0"}),
                    httpx.Response(200, json={"uid": "t1"}),
                ]
            )
            mock.get("/tasks/").respond(200, json=page([{"uid": "a"}, {"uid": "b"}]))
            async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
                task = await client.tasks.get("t1")
                return [task.uid] + [t.uid async for t in client.tasks.list()]

    assert trio.run(main) == ["t1", "a", "b"]


@pytest.fixture
def slow_server() -> Iterator[RunningServer]:
    """The local API on loopback, answering every request after 100 ms."""
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(faults=FaultConfig(latency_ms=100))) as running:
        yield running


async def test_time_queued_in_the_sdk_does_not_count_against_the_timeout(
    slow_server: RunningServer,
) -> None:
    """20 calls through one slot take ~2 s in all, each well under its 1 s timeout."""
    async with AsyncClient(
        api_key=API_KEY,
        base_url=slow_server.base_url,
        timeout=1.0,
        max_concurrency=1,
        max_retries=0,
    ) as client:
        tasks = await asyncio.gather(*[client.tasks.get("task_1") for _ in range(20)])
    assert len(tasks) == 20


async def test_a_cancelled_waiting_call_releases_nothing_it_never_took(
    slow_server: RunningServer,
) -> None:
    async with AsyncClient(
        api_key=API_KEY, base_url=slow_server.base_url, max_concurrency=1
    ) as client:
        running = asyncio.create_task(client.tasks.get("task_1"))
        await asyncio.sleep(0.02)  # `running` holds the only slot
        waiting = asyncio.create_task(client.tasks.get("task_2"))
        await asyncio.sleep(0.02)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert (await running).uid == "task_1"
        semaphore = client._http._pool.limiter._impl
        assert semaphore.value == 1  # back to one free slot: not two, not zero
        assert (await client.tasks.get("task_3")).uid == "task_3"


async def test_with_raw_response_is_per_call_under_gather(respx_mock: respx.MockRouter) -> None:
    """Each gathered call sees its own response, whatever order they finish in."""

    async def answer(request: httpx.Request) -> httpx.Response:
        uid = request.url.path.rstrip("/").rsplit("/", 1)[1]
        await asyncio.sleep(0.001 * (hash(uid) % 7))
        return httpx.Response(200, json={"uid": uid}, headers={"X-Request-Id": f"req-{uid}"})

    respx_mock.get(url("/tasks/")).mock(side_effect=answer)
    respx_mock.route(method="GET", path__regex=r"/api/v1/tasks/[^/]+/$").mock(side_effect=answer)
    uids = [f"t{i}" for i in range(40)]
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        responses = await asyncio.gather(*(client.tasks.with_raw_response.get(uid) for uid in uids))
    assert [r.request_id for r in responses] == [f"req-{uid}" for uid in uids]
    assert [r.parse().uid for r in responses] == uids
