from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from avala import AsyncClient, RetryPolicy, _twins
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
