"""Behaviour that exists only in the async client, so it cannot live in tests/_async
(everything there is also generated into a sync test)."""

from __future__ import annotations

import httpx
import respx
import trio

from avala import AsyncClient, AsyncPaginator
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
