from __future__ import annotations

import gc

import httpx

from avala import AsyncClient
from tests.helpers import API_KEY, BASE_URL


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"results": [{"uid": "t"}] * 100, "next": None})


async def test_responses_are_freed_without_the_cycle_collector() -> None:
    """A long walk must hold one page at a time: each response (and its body) is freed by
    reference counting alone, since decoded models do not trigger cycle collections."""
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=http) as client:
        await client.tasks.list()
        gc.collect()
        gc.disable()
        try:
            for _ in range(50):
                await client.tasks.list()
            alive = [o for o in gc.get_objects() if isinstance(o, httpx.Response)]
        finally:
            gc.enable()
    await http.aclose()
    assert alive == []
