"""`AsyncClient(http_client=DefaultAioHttpClient())`: the same behaviour over aiohttp, against
the local Avala API on a real loopback socket (respx cannot mock aiohttp)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest

from avala import (
    APIConnectionError,
    AsyncClient,
    DefaultAioHttpClient,
    NotFoundError,
    RetryPolicy,
    ServerError,
)
from avala.testing import FaultConfig, LocalAvala, RunningServer, serve_in_thread

pytest.importorskip("httpx_aiohttp")
FAST = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="demo")


@pytest.fixture
def server(api: LocalAvala) -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve_in_thread(api) as running:
        yield running


def client_for(server: RunningServer, **kwargs: object) -> AsyncClient:
    return AsyncClient(
        api_key="k",
        base_url=server.base_url,
        http_client=DefaultAioHttpClient(),
        retry_policy=FAST,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_crud_pagination_and_errors(server: RunningServer) -> None:
    async with client_for(server) as client:
        agent = await client.agents.create(name="over aiohttp")
        assert (await client.agents.get(agent.id)).name == "over aiohttp"
        await client.agents.delete(agent.id)
        with pytest.raises(NotFoundError):
            await client.agents.get(agent.id)
        assert [t.id async for t in client.tasks.list(project_id="proj_123", limit=1)] == [
            "task_1",
            "task_2",
            "task_3",
            "task_456",
        ]
        assert client.rate_limit_info["x-ratelimit-limit"] is not None


async def test_a_gather_of_thousands_completes(server: RunningServer) -> None:
    async with client_for(server) as client:
        tasks = await asyncio.gather(*[client.tasks.get("task_1") for _ in range(2000)])
    assert {t.id for t in tasks} == {"task_1"}


async def test_faults_and_drops_are_retried_and_writes_land_once(
    api: LocalAvala, server: RunningServer
) -> None:
    api.faults = FaultConfig(fail_rate=0.2, drop_rate=0.1, seed=3)
    async with client_for(server, max_retries=8) as client:
        created = await asyncio.gather(*[client.agents.create(name=f"a{n}") for n in range(60)])
    api.faults = FaultConfig()
    names = [a["name"] for a in api.store.objects("agents") if a["name"].startswith("a")]
    assert sorted(names) == sorted(a.name for a in created)
    assert len(names) == 60
    assert api.stats.faults["drop_after"] > 0
    assert api.stats.faults["drop_before"] > 0


async def test_a_dropped_connection_is_a_connection_error(
    api: LocalAvala, server: RunningServer
) -> None:
    api.queue_faults("drop_before")
    async with client_for(server, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.tasks.get("task_1")
    assert "timed out" not in str(info.value)


async def test_5xx_is_a_server_error(api: LocalAvala, server: RunningServer) -> None:
    api.queue_faults("http_502")
    async with client_for(server, max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.tasks.get("task_1")


async def test_an_unreachable_host_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AsyncClient(
        api_key="k",
        base_url=f"http://127.0.0.1:{port}/api/v1",
        http_client=DefaultAioHttpClient(),
        retry_policy=FAST,
    ) as client:
        with pytest.raises(APIConnectionError):
            await client.tasks.get("task_1")


async def test_the_sdk_owns_and_closes_the_factory_client(server: RunningServer) -> None:
    http = DefaultAioHttpClient(max_connections=40)
    client = AsyncClient(api_key="k", base_url=server.base_url, http_client=http)
    await client.tasks.get("task_1")
    assert client._http._pool.max_concurrency == 40
    await client.close()
    assert http.is_closed


@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_the_callers_client_timeout_is_kept(transport: str) -> None:
    """A client created with `timeout=0.05` times out after 0.05 s, not the SDK's 30 s."""
    import time

    import httpx

    from avala import APITimeoutError

    pytest.importorskip("uvicorn")
    slow = LocalAvala(data="demo", faults=FaultConfig(latency_ms=1000))
    with serve_in_thread(slow) as running:
        http = (
            DefaultAioHttpClient(timeout=0.05)
            if transport == "aiohttp"
            else httpx.AsyncClient(timeout=0.05)
        )
        async with AsyncClient(
            api_key="k", base_url=running.base_url, http_client=http, max_retries=0
        ) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.tasks.get("task_1")
            assert time.monotonic() - started < 0.8
        await http.aclose()
