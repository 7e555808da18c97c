"""The bounded-concurrency twins behind uploads: `Runner` (threads) and `AsyncRunner` (tasks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import anyio
import anyio.lowlevel
import pytest

from avala._runner import AsyncRunner, Runner, checkpoint


class Boom(Exception):
    pass


def test_runner_bounds_concurrency_and_runs_everything() -> None:
    active, peak, done = [0], [0], []
    lock = threading.Lock()

    def job(i: int) -> Callable[[], None]:
        def run() -> None:
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.01)
            with lock:
                active[0] -= 1
                done.append(i)

        return run

    Runner(3).run(job(i) for i in range(20))
    assert sorted(done) == list(range(20))
    assert peak[0] <= 3


def test_runner_raises_the_first_error_itself_and_starts_nothing_more() -> None:
    started: list[int] = []

    def job(i: int) -> Callable[[], None]:
        def run() -> None:
            started.append(i)
            if i == 2:
                raise Boom(i)
            time.sleep(0.01)

        return run

    with pytest.raises(Boom):
        Runner(2).run(job(i) for i in range(100))
    assert len(started) < 10


def test_callbacks_run_on_the_calling_thread() -> None:
    runner = Runner(4)
    seen: set[int] = set()

    def job() -> None:
        runner.call(lambda: seen.add(threading.get_ident()))

    runner.run(job for _ in range(20))
    assert seen == {threading.get_ident()}


def test_an_interrupt_on_the_calling_thread_stops_workers_at_their_next_checkpoint() -> None:
    runner = Runner(2)
    stopped = threading.Event()
    chunks = [0]

    def job() -> None:
        try:
            while True:
                chunks[0] += 1
                runner.call(interrupt)
                checkpoint()
                time.sleep(0.001)
        finally:
            stopped.set()

    def interrupt() -> None:
        if chunks[0] > 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(job for _ in range(2))
    assert stopped.wait(2.0)


def test_a_child_runner_stops_with_its_parent() -> None:
    parent = Runner(1)
    child = Runner(1, parent=parent)
    assert not child.stopping
    parent.stopping = True
    assert child.stopping


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_async_runner_bounds_and_unwraps_errors(anyio_backend: str) -> None:
    active, peak = [0], [0]

    async def ok() -> None:
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        await anyio.sleep(0.001)
        active[0] -= 1

    await AsyncRunner(3).run(ok for _ in range(20))
    assert peak[0] == 3

    async def bad() -> None:
        await anyio.lowlevel.checkpoint()
        raise Boom

    with pytest.raises(Boom):  # the error itself, not an exception group
        await AsyncRunner(4).run([ok, bad, ok, ok, ok, ok])
