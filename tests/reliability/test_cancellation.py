"""Cancelled calls never bring a client down.

Thousands of calls are cancelled at random moments (many mid-request, some while the pool
cleans up after a response) on a real loopback socket, alone and while other calls are in
flight; afterwards the client must serve at once. httpcore leaks a pool slot when asyncio
cancels its cleanup (upstream encode/httpcore#1093, #830): with a pool as small as the SDK's
in-flight bound, a handful of leaks used to leave every later call waiting for a slot.
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import trio

from avala import AsyncClient, DefaultAioHttpClient
from avala.testing import FaultConfig, LocalAvala, RunningServer, serve_in_thread
from tests.helpers import API_KEY

# Bounded by both: enough cancellations to leak many slots without the pool's repair.
CALLS = 3_000  # an idle machine cancels them all within BUDGET; a loaded one fewer
BUDGET = 4.0  # seconds of cancelling per test
MAX_DELAY = 0.004  # cancel within 0-4 ms of the call: before, during and after the exchange
AFTERWARDS = 5.0  # seconds a normal call may take afterwards (a leaked pool waits forever)


# A connect cancelled inside anyio can leave its half-made socket to the garbage collector
# (an upstream ResourceWarning, not an SDK leak: the pool state is asserted explicitly).
pytestmark = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)


@pytest.fixture(autouse=True)
def collect_garbage_here() -> Iterator[None]:
    """Such sockets are collected now, so their warnings stay with these tests."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo")) as running:
        yield running


def leftover_pool_state(client: AsyncClient) -> tuple[int, int]:
    """(requests, busy connections) httpcore's pool still holds; (0, 0) for other pools."""
    pool = getattr(client._http.http_client._transport, "_pool", None)
    if pool is None:
        return 0, 0
    busy = sum(1 for c in pool._connections if not c.is_idle() and not c.is_closed())
    return len(pool._requests), busy


async def cancel_many(
    call: Callable[[], Awaitable[Any]],
    run_with_timeout: Callable[[Callable[[], Awaitable[Any]], float], Awaitable[bool]],
    *,
    workers: int,
) -> int:
    """Call `call` again and again, each cancelled after a random delay; returns how many
    calls were cancelled."""
    deadline = time.monotonic() + BUDGET
    per_worker = CALLS // workers
    cancelled = 0

    async def worker() -> None:
        nonlocal cancelled
        for _ in range(per_worker):
            if time.monotonic() > deadline:
                return
            cancelled += await run_with_timeout(call, random.uniform(0, MAX_DELAY))

    await gather_all([worker for _ in range(workers)])
    return cancelled


async def gather_all(functions: list[Callable[[], Awaitable[None]]]) -> None:
    import sniffio

    if sniffio.current_async_library() == "trio":
        async with trio.open_nursery() as nursery:
            for function in functions:
                nursery.start_soon(function)
    else:
        await asyncio.gather(*(function() for function in functions))


async def asyncio_timeout(call: Callable[[], Awaitable[Any]], seconds: float) -> bool:
    try:
        await asyncio.wait_for(call(), timeout=seconds)
    except asyncio.TimeoutError:
        return True
    return False


async def trio_timeout(call: Callable[[], Awaitable[Any]], seconds: float) -> bool:
    with trio.move_on_after(seconds) as scope:
        await call()
    return scope.cancelled_caught


async def serves_normally_afterwards(client: AsyncClient) -> None:
    started = time.monotonic()
    tasks = [client.tasks.get("task_2") for _ in range(3 * 8)]
    results = await asyncio.wait_for(asyncio.gather(*tasks), AFTERWARDS)
    assert {task.uid for task in results} == {"task_2"}
    assert time.monotonic() - started < AFTERWARDS


@pytest.mark.parametrize("workers", [1, 4], ids=["one-at-a-time", "four-concurrent"])
@pytest.mark.parametrize("max_concurrency", [2, None], ids=["bound-2", "default-bound"])
async def test_asyncio_cancellations_leave_the_client_serving(
    server: RunningServer, workers: int, max_concurrency: int | None
) -> None:
    async with AsyncClient(
        api_key=API_KEY, base_url=server.base_url, max_concurrency=max_concurrency
    ) as client:
        await client.tasks.get("task_2")
        cancelled = await cancel_many(
            lambda: client.tasks.get("task_2"), asyncio_timeout, workers=workers
        )
        assert cancelled >= 20, "the test did not cancel enough calls to mean anything"
        assert leftover_pool_state(client) == (0, 0)
        await serves_normally_afterwards(client)


async def test_aiohttp_transport_cancellations_leave_the_client_serving(
    server: RunningServer,
) -> None:
    pytest.importorskip("httpx_aiohttp")
    async with AsyncClient(
        api_key=API_KEY, base_url=server.base_url, http_client=DefaultAioHttpClient()
    ) as client:
        await client.tasks.get("task_2")
        cancelled = await cancel_many(
            lambda: client.tasks.get("task_2"), asyncio_timeout, workers=4
        )
        assert cancelled >= 20
        await serves_normally_afterwards(client)


def test_trio_cancellations_leave_the_client_serving(server: RunningServer) -> None:
    async def main() -> None:
        async with AsyncClient(api_key=API_KEY, base_url=server.base_url) as client:
            await client.tasks.get("task_2")
            cancelled = await cancel_many(
                lambda: client.tasks.get("task_2"), trio_timeout, workers=4
            )
            assert cancelled >= 20
            assert leftover_pool_state(client) == (0, 0)
            with trio.fail_after(AFTERWARDS):
                for _ in range(8):
                    assert (await client.tasks.get("task_2")).uid == "task_2"

    trio.run(main)


class LeakedEntry:
    """What a cancelled cleanup leaves in httpcore's pool: an active request nobody owns."""

    connection = None

    def is_queued(self) -> bool:
        return False


def fake_leak(client: AsyncClient) -> Any:
    transport = client._http.http_client._transport
    transport._pool._requests.append(LeakedEntry())  # type: ignore[attr-defined]
    return transport


async def test_a_broken_pool_is_replaced_and_closed_after_a_cancelled_call() -> None:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo", faults=FaultConfig(latency_ms=200))) as slow:
        async with AsyncClient(api_key=API_KEY, base_url=slow.base_url) as client:
            await client.tasks.get("task_2")
            broken = fake_leak(client)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.tasks.get("task_2"), 0.05)
            pool = client._http._pool
            assert pool.renewals == 1
            assert client._http.http_client._transport is not broken
            assert pool._retired == []  # nothing else used it: closed at once
            assert broken._pool.connections == []  # type: ignore[attr-defined]
            assert (await client.tasks.get("task_2")).uid == "task_2"


async def test_a_broken_pool_in_use_is_closed_when_its_last_request_ends() -> None:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo", faults=FaultConfig(latency_ms=200))) as slow:
        async with AsyncClient(api_key=API_KEY, base_url=slow.base_url) as client:
            await client.tasks.get("task_2")
            still_running = asyncio.create_task(client.tasks.get("task_3"))
            await asyncio.sleep(0.05)
            broken = fake_leak(client)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.tasks.get("task_2"), 0.05)
            pool = client._http._pool
            assert pool.renewals == 1
            assert pool._retired == [broken]  # `still_running` still uses it
            assert (await still_running).uid == "task_3"
            assert pool._retired == []
            assert (await client.tasks.get("task_2")).uid == "task_2"


async def test_an_ordinary_failure_does_not_replace_a_healthy_pool() -> None:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo", faults=FaultConfig(latency_ms=200))) as slow:
        async with AsyncClient(api_key=API_KEY, base_url=slow.base_url) as client:
            await client.tasks.get("task_2")
            for _ in range(3):
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(client.tasks.get("task_2"), 0.05)
            assert client._http._pool.renewals == 0
