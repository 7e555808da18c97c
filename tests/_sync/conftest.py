# Generated from tests/_async/conftest.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Iterator

import pytest

from avala import Client, RetryPolicy, _twins
from avala.testing import LocalAvala
from tests.helpers import API_KEY, BASE_URL

# Retries wait 0 s in tests; `sleeps` still records what the SDK asked to wait.
NO_BACKOFF = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep the SDK requests (retry waits, wait() polling), without sleeping."""
    recorded: list[float] = []

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_twins, "sleep", fake_sleep)
    return recorded


@pytest.fixture
def client() -> Iterator[Client]:
    """A client for respx-mocked tests against BASE_URL."""
    with Client(api_key=API_KEY, base_url=BASE_URL, retry_policy=NO_BACKOFF) as c:
        yield c


@pytest.fixture
def local_api() -> LocalAvala:
    """A fresh local Avala API with the demo data (in process, no sockets)."""
    return LocalAvala(data="demo", job_steps=1)


@pytest.fixture
def local(local_api: LocalAvala) -> Iterator[Client]:
    """A client wired to `local_api` through its in-process httpx transport."""
    with (
        local_api.httpx_client() as http,
        Client(
            api_key=API_KEY, base_url=local_api.base_url, http_client=http, retry_policy=NO_BACKOFF
        ) as client,
    ):
        yield client
