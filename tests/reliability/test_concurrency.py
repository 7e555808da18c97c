"""Concurrency on one `AsyncClient` against the local Avala API served on a loopback socket.

- 10,000 calls through one `asyncio.gather` complete with no pool timeout (the pool timeout
  is tight and retries are off, so any wait for a connection would fail the run), the pool
  never holds more connections than its limit, and none is left after `close()`;
- `rate_limit_info` read from any coroutine at any moment is one response's three headers,
  never a mix of two responses;
- concurrent creates through injected 5xx and dropped connections (real sockets closed
  mid-response) create every object exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from avala import AsyncClient, RetryPolicy
from avala.testing import FaultConfig, LocalAvala
from tests.reliability._serve import App, serve

API_KEY = "avk_concurrency_0123456789"
CALLS = 10_000
RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
RATE_LIMIT_KEYS = (*RATE_LIMIT_HEADERS, "limit", "remaining", "reset")  # with the short keys
NO_BACKOFF = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)


class StampRateLimitHeaders:
    """ASGI middleware: the three rate-limit headers of response n all carry the value n, so
    a dict mixing two responses is recognisable (its values differ)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.count = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def stamped(message: Any) -> None:
            if message["type"] == "http.response.start":
                with self._lock:
                    self.count += 1
                    stamp = str(self.count).encode()
                headers = [
                    (name, value)
                    for name, value in message["headers"]
                    if name.decode().lower() not in RATE_LIMIT_HEADERS
                ]
                headers += [(name.encode(), stamp) for name in RATE_LIMIT_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)


@dataclass
class Served:
    api: LocalAvala
    base_url: str
    app: StampRateLimitHeaders


@pytest.fixture
def served() -> Iterator[Served]:
    api = LocalAvala(data="demo", api_key=API_KEY)
    apps: list[StampRateLimitHeaders] = []

    def wrap(app: App) -> App:
        apps.append(StampRateLimitHeaders(app))
        return apps[0]

    with serve(api, wrap) as base_url:
        yield Served(api, base_url, apps[0])


def pool_connections(client: AsyncClient) -> list[Any]:
    return list(client._http.http_client._transport._pool.connections)  # type: ignore[attr-defined]


def check_rate_limit_info(info: dict[str, str | None]) -> str:
    assert set(info) == set(RATE_LIMIT_KEYS), info
    values = set(info.values())
    assert len(values) == 1, f"rate_limit_info mixes responses: {info}"
    stamp = values.pop()
    assert stamp is not None
    return stamp


async def test_ten_thousand_gathered_calls_on_one_client(served: Served) -> None:
    task_ids = ["task_1", "task_2", "task_3", "task_456"]
    seen_stamps: Counter[str] = Counter()
    peak = 0
    client = AsyncClient(
        api_key=API_KEY,
        base_url=served.base_url,
        max_retries=0,  # any pool timeout or dropped connection fails the run
        timeout=httpx.Timeout(30.0, pool=1.0),
    )
    # A copy, not a view: later responses must not change a dict already handed out.
    before = client.rate_limit_info
    assert before == dict.fromkeys(RATE_LIMIT_KEYS)

    async def one(n: int) -> str:
        nonlocal peak
        task = await client.tasks.get(task_ids[n % len(task_ids)])
        seen_stamps[check_rate_limit_info(client.rate_limit_info)] += 1
        if n % 50 == 0:
            peak = max(peak, len(pool_connections(client)))
        return task.uid

    async def watch() -> None:  # reads from outside the calls, at arbitrary moments
        while True:
            info = client.rate_limit_info
            if info["x-ratelimit-limit"] is not None:
                check_rate_limit_info(info)
            await asyncio.sleep(0)

    watcher = asyncio.ensure_future(watch())
    started = time.perf_counter()
    try:
        async with asyncio.timeout(90):
            uids = await asyncio.gather(*(one(n) for n in range(CALLS)))
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher  # re-raises what the watcher found, if anything
        await client.close()
    elapsed = time.perf_counter() - started

    assert uids == [task_ids[n % len(task_ids)] for n in range(CALLS)]
    assert served.app.count == CALLS  # every call one request: nothing failed, nothing retried
    assert served.api.stats.statuses == Counter({200: CALLS})
    assert before == dict.fromkeys(RATE_LIMIT_KEYS)
    assert 0 < peak <= 32  # the client's in-flight bound (max_concurrency default)
    assert pool_connections(client) == []
    assert len(seen_stamps) > CALLS // 10  # the reads did follow the responses along
    print(f"{CALLS} gathered calls in {elapsed:.1f}s, peak pool {peak} connections")


async def test_concurrent_writes_through_faults_on_real_sockets(served: Served) -> None:
    """Creates and updates through 20% 5xx and 5% dropped connections (half after the write
    was applied), all in flight together: every object exists exactly once, updated."""
    api = served.api
    api.faults = FaultConfig(fail_rate=0.2, drop_rate=0.05, drop_phase="both", seed=7)
    n_objects = 600
    async with AsyncClient(
        api_key=API_KEY,
        base_url=served.base_url,
        max_retries=12,
        retry_policy=NO_BACKOFF,
        max_concurrency=16,
    ) as client:

        async def lifecycle(n: int) -> tuple[str, str]:
            project = await client.projects.create(name=f"concurrent-{n}")
            await asyncio.sleep((n % 7) / 1000)
            renamed = await client.projects.update(project.id, name=f"concurrent-{n}-v2")
            return project.id, renamed.name

        async with asyncio.timeout(90):
            results = await asyncio.gather(*(lifecycle(n) for n in range(n_objects)))
        pool_after_run = pool_connections(client)
        assert len(pool_after_run) <= 16
    assert pool_connections(client) == []

    stored = [p for p in api.store.objects("projects") if p["name"].startswith("concurrent-")]
    names = Counter(p["name"] for p in stored)
    assert len(stored) == n_objects
    assert names == Counter(f"concurrent-{n}-v2" for n in range(n_objects))
    assert {uid for uid, _ in results} == {p["uid"] for p in stored}
    # Every write whose answer was lost was replayed from the idempotency record, never re-run.
    assert api.stats.faults["drop_after"] > 0
    assert api.stats.replays == api.stats.faults["drop_after"]
