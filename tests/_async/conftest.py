from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from avala import AsyncClient, RetryPolicy, _twins
from avala.testing import LocalAvala
from tests.helpers import API_KEY, BASE_URL

# Retries wait 0 s in tests; `sleeps` still records what the SDK asked to wait.
NO_BACKOFF = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep the SDK requests (retry waits, wait() polling), without sleeping."""
    recorded: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_twins, "async_sleep", fake_sleep)
    return recorded


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    """A client for respx-mocked tests against BASE_URL."""
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, retry_policy=NO_BACKOFF) as c:
        yield c


@pytest.fixture
def local_api() -> LocalAvala:
    """A fresh local Avala API with the demo data (in process, no sockets)."""
    return LocalAvala(data="demo", job_steps=1)


@pytest.fixture
async def local(local_api: LocalAvala) -> AsyncIterator[AsyncClient]:
    """A client wired to `local_api` through its in-process httpx transport."""
    async with (
        local_api.async_httpx_client() as http,
        AsyncClient(
            api_key=API_KEY, base_url=local_api.base_url, http_client=http, retry_policy=NO_BACKOFF
        ) as client,
    ):
        yield client
