"""4. Walking a whole listing: every task of a project, pages of 1,000.

- this SDK: auto-pagination,
  `for task in client.tasks.list(project_id=..., limit=1000).auto_paging_iter()`
  (and `async for` on `AsyncClient`, for information),
- the official SDK: its manual cursor loop (`list(cursor=...)` until `has_more` is false),
- raw httpx + msgspec following `next` by hand: the floor for a sequential walk, where each
  page's request needs the previous page's cursor.

Time and memory are measured in separate runs: memory is the `tracemalloc` peak of the walk
(everything allocated from the first request to the last task), for a project of 10,000
tasks and one of 100,000. Flat means the peak does not grow with the number of pages.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from collections.abc import Callable

import httpx

from avala import AsyncClient, Client
from avala._core._decode import PageEnvelope
from avala.types.tasks import Task

from .official_env import OfficialSDK
from .results import Results, Variant, interleave
from .server import API_KEY, Fixture

SECTION = "4. walk a listing"


def _sdk_walk(client: Client, project: str, limit: int) -> int:
    count = 0
    for _task in client.tasks.list(project_id=project, limit=limit).auto_paging_iter():
        count += 1
    return count


def _async_walk(base_url: str, project: str, limit: int, expected: int) -> float:
    """Seconds of an `async for` walk on a fresh AsyncClient (connection already open)."""

    async def main() -> tuple[float, int]:
        async with AsyncClient(api_key=API_KEY, base_url=base_url) as client:
            await client.tasks.list(project_id=project, limit=1)  # connection open first
            start = time.perf_counter()
            count = 0
            listing = client.tasks.list(project_id=project, limit=limit)
            async for _task in listing.auto_paging_iter():
                count += 1
            return time.perf_counter() - start, count

    seconds, count = asyncio.run(main())
    if count != expected:
        raise AssertionError(f"walked {count} tasks, expected {expected}")
    return seconds


def _raw_walk(http: httpx.Client, project: str, limit: int) -> int:
    import msgspec

    decoder = msgspec.json.Decoder(PageEnvelope[Task])
    url: str | None = f"/tasks/?project={project}&limit={limit}"
    count = 0
    while url:
        response = http.get(url)
        response.raise_for_status()
        page = decoder.decode(response.content)
        for _task in page.results:
            count += 1
        url = page.next
    return count


def _timed(
    walk: Callable[[], int],
    expected: int,
    server_cpu: Callable[[], float | None] | None = None,
    server_busy: list[float] | None = None,
) -> Variant:
    """Seconds of one walk; with `server_cpu`, also appends the server's CPU seconds spent
    during it to `server_busy`."""

    def run() -> float:
        before = server_cpu() if server_cpu else None
        start = time.perf_counter()
        count = walk()
        seconds = time.perf_counter() - start
        after = server_cpu() if server_cpu else None
        if count != expected:
            raise AssertionError(f"walked {count} tasks, expected {expected}")
        if server_busy is not None and before is not None and after is not None:
            server_busy.append(after - before)
        return seconds

    return run


def _peak(walk: Callable[[], int], expected: int) -> Variant:
    def run() -> float:
        gc.collect()
        tracemalloc.start()
        try:
            count = walk()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        if count != expected:
            raise AssertionError(f"walked {count} tasks, expected {expected}")
        return float(peak)

    return run


def run(
    results: Results,
    fixture: Fixture,
    official: OfficialSDK | None,
    official_why: str,
    *,
    rounds: int,
    memory_rounds: int,
    limit: int,
    server_cpu: Callable[[], float | None] | None = None,
) -> None:
    base = fixture.base_url
    client = Client(api_key=API_KEY, base_url=base)
    http = httpx.Client(base_url=base, headers={"X-Avala-Api-Key": API_KEY})
    client.tasks.list(project_id=fixture.small_project, limit=1)
    http.get("/users/me/")
    projects = {
        "small": (fixture.small_project, fixture.small_tasks),
        "large": (fixture.large_project, fixture.large_tasks),
    }
    try:
        # time: the large project
        project, n = projects["large"]
        p = f"walk.{n}"
        busy: list[float] = []
        results.sample(f"{p}.sdk", f"walk {n:,}: this SDK, for over Client list()")
        results.sample(f"{p}.sdk.async", f"walk {n:,}: this SDK, async for over AsyncClient list()")
        results.sample(f"{p}.raw", f"walk {n:,}: raw httpx.Client + msgspec, by hand (floor)")
        variants: dict[str, Variant] = {
            f"{p}.sdk": _timed(lambda: _sdk_walk(client, project, limit), n, server_cpu, busy),
            f"{p}.sdk.async": lambda: _async_walk(base, project, limit, n),
            f"{p}.raw": _timed(lambda: _raw_walk(http, project, limit), n),
        }
        if official is None:
            results.unavailable(
                f"{p}.official", f"walk {n:,}: official SDK, manual cursor loop", official_why
            )
        else:
            results.sample(f"{p}.official", f"walk {n:,}: official SDK, manual cursor loop")

            def official_walk() -> float:
                answer = official.call("walk", base_url=base, project=project, limit=limit)
                if answer["items"] != n:
                    raise AssertionError(f"official SDK walked {answer['items']} of {n}")
                return float(answer["seconds"])

            variants[f"{p}.official"] = official_walk
        interleave(results, variants, rounds)
        if busy:
            server = results.sample(f"{p}.server", f"walk {n:,}: server CPU during this SDK's walk")
            server.values = busy
        results.check(
            SECTION, f"{n:,} tasks: official / SDK", f"{p}.sdk", f"{p}.official", "faster_by", 2.5
        )
        results.check(SECTION, f"{n:,} tasks: SDK / raw floor", f"{p}.sdk", f"{p}.raw", "at_most")

        # memory: both projects
        for size in ("small", "large"):
            project, n = projects[size]
            m = f"walk.mem.{n}"
            results.sample(f"{m}.sdk", f"walk {n:,}: this SDK, tracemalloc peak", "bytes")

            def sdk_walk(project: str = project) -> int:
                return _sdk_walk(client, project, limit)

            mem: dict[str, Variant] = {f"{m}.sdk": _peak(sdk_walk, n)}
            if official is None:
                results.unavailable(
                    f"{m}.official",
                    f"walk {n:,}: official SDK, tracemalloc peak",
                    official_why,
                    "bytes",
                )
            else:
                results.sample(
                    f"{m}.official", f"walk {n:,}: official SDK, tracemalloc peak", "bytes"
                )

                def official_peak(project: str = project) -> float:
                    answer = official.call(
                        "walk", base_url=base, project=project, limit=limit, memory=True
                    )
                    return float(answer["peak"])

                mem[f"{m}.official"] = official_peak
            interleave(results, mem, memory_rounds)
        small_n, large_n = fixture.small_tasks, fixture.large_tasks
        results.check(
            SECTION,
            f"SDK memory peak: {large_n:,} / {small_n:,} tasks",
            f"walk.mem.{large_n}.sdk",
            f"walk.mem.{small_n}.sdk",
            "at_most",
            1.25,
        )
        results.check(
            SECTION,
            f"official memory peak: {large_n:,} / {small_n:,} tasks",
            f"walk.mem.{large_n}.official",
            f"walk.mem.{small_n}.official",
            "at_most",
        )
    finally:
        client.close()
        http.close()
