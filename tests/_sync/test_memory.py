# Generated from tests/_async/test_memory.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import gc

import httpx

from avala import Client
from tests.helpers import API_KEY, BASE_URL


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"results": [{"uid": "t"}] * 100, "next": None})


def test_responses_are_freed_without_the_cycle_collector() -> None:
    """A long walk must hold one page at a time: each response (and its body) is freed by
    reference counting alone, since decoded models do not trigger cycle collections."""
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with Client(api_key=API_KEY, base_url=BASE_URL, http_client=http) as client:
        client.tasks.list()
        gc.collect()
        gc.disable()
        try:
            for _ in range(50):
                client.tasks.list()
            alive = [o for o in gc.get_objects() if isinstance(o, httpx.Response)]
        finally:
            gc.enable()
    http.close()
    assert alive == []
