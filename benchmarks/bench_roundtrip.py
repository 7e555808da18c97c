"""3. Round trips (`tasks.get`) against the local API on loopback, and issue 8's gathers.

Raw httpx does what the SDK does for one call, by hand: GET the same URL with the same key
header, check the status, decode the body into the same `Task` Struct with msgspec.

- sequential: `Client.tasks.get` vs raw `httpx.Client` vs the official `Client` (each client
  made once and reused: the pool is warm, as in any real loop),
- concurrent: one `asyncio.gather` of N calls on a fresh client (new pool, no connection
  open yet), unbounded and with a caller-side `asyncio.Semaphore(20)`; the raw baseline is
  `httpx.AsyncClient` bounded to 20 in flight by hand (unbounded raw httpx is measured once,
  for the README: it runs into `PoolTimeout`),
- warm: the same `AsyncClient` for a second gather of the same size.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec

from avala import AsyncClient, Client
from avala.types.tasks import Task

from .official_env import OfficialSDK
from .results import Results, Variant, interleave
from .server import API_KEY, Fixture

SEQ = "3. round trips: sequential"
CONC = "3. round trips: 1,000 concurrent"
ISSUE8 = "8. one plain gather"
BOUND = 20
_task_decoder = msgspec.json.Decoder(Task)


def _raw_headers() -> dict[str, str]:
    return {"X-Avala-Api-Key": API_KEY}


# -- sequential ---------------------------------------------------------------------------------


def sequential_variants(
    fixture: Fixture, ids: list[str], official: OfficialSDK | None
) -> tuple[dict[str, Variant], Callable[[], None]]:
    """Variants returning seconds per call, and a function closing their clients."""
    sdk = Client(api_key=API_KEY, base_url=fixture.base_url)
    raw = httpx.Client(base_url=fixture.base_url, headers=_raw_headers())
    sdk.tasks.get(ids[0])
    raw.get(f"/tasks/{ids[0]}/")

    def run_sdk() -> float:
        start = time.perf_counter()
        for uid in ids:
            sdk.tasks.get(uid)
        return (time.perf_counter() - start) / len(ids)

    def run_raw() -> float:
        start = time.perf_counter()
        for uid in ids:
            response = raw.get(f"/tasks/{uid}/")
            response.raise_for_status()
            _task_decoder.decode(response.content)
        return (time.perf_counter() - start) / len(ids)

    variants: dict[str, Variant] = {"rt.seq.sdk": run_sdk, "rt.seq.raw": run_raw}
    if official is not None:

        def run_official() -> float:
            answer = official.call("get_seq", base_url=fixture.base_url, ids=ids)
            return float(answer["seconds"]) / len(ids)

        variants["rt.seq.official"] = run_official

    def close() -> None:
        sdk.close()
        raw.close()

    return variants, close


# -- concurrent ---------------------------------------------------------------------------------


async def _gather(calls: list[Awaitable[Any]]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    return time.perf_counter() - start, outcomes


def _errors(outcomes: list[Any], tally: Counter[str] | None = None) -> int:
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    if tally is not None:
        tally.update(type(o).__name__ for o in failed)
    return len(failed)


def sdk_gather(
    base_url: str,
    ids: list[str],
    *,
    bound: int | None = None,
    warm: bool = False,
    aiohttp: bool = False,
) -> tuple[float, int]:
    """One gather on a fresh `AsyncClient` (after one untimed gather when `warm`); over the
    optional aiohttp transport (`DefaultAioHttpClient()`) when `aiohttp`."""

    async def main() -> tuple[float, int]:
        http_client = None
        if aiohttp:
            from avala import DefaultAioHttpClient

            http_client = DefaultAioHttpClient()
        async with AsyncClient(
            api_key=API_KEY, base_url=base_url, http_client=http_client
        ) as client:
            semaphore = asyncio.Semaphore(bound) if bound else None

            async def one(uid: str) -> Task:
                if semaphore is None:
                    return await client.tasks.get(uid)
                async with semaphore:
                    return await client.tasks.get(uid)

            if warm:
                await _gather([one(uid) for uid in ids])
            seconds, outcomes = await _gather([one(uid) for uid in ids])
            return seconds, _errors(outcomes)

    return asyncio.run(main())


def raw_gather(
    base_url: str, ids: list[str], *, bound: int | None, tally: Counter[str] | None = None
) -> tuple[float, int]:
    """One gather on a fresh `httpx.AsyncClient` (httpx defaults), by hand."""

    async def main() -> tuple[float, int]:
        async with httpx.AsyncClient(base_url=base_url, headers=_raw_headers()) as http:
            semaphore = asyncio.Semaphore(bound) if bound else None

            async def fetch(uid: str) -> Task:
                response = await http.get(f"/tasks/{uid}/")
                response.raise_for_status()
                return _task_decoder.decode(response.content)

            async def one(uid: str) -> Task:
                if semaphore is None:
                    return await fetch(uid)
                async with semaphore:
                    return await fetch(uid)

            seconds, outcomes = await _gather([one(uid) for uid in ids])
            return seconds, _errors(outcomes, tally)

    return asyncio.run(main())


def _official_gather(
    official: OfficialSDK, base_url: str, ids: list[str], bound: int | None
) -> Variant:
    def run() -> tuple[float, int]:
        answer = official.call("gather", base_url=base_url, ids=ids, bound=bound)
        return float(answer["seconds"]), int(answer["errors"])

    return run


def _declare(results: Results, key: str, label: str, why: str | None) -> None:
    """A sample that will be measured (why is None) or is unavailable (why says why)."""
    if why is None:
        results.sample(key, label)
    else:
        results.unavailable(key, label, why)


def run(
    results: Results,
    fixture: Fixture,
    official: OfficialSDK | None,
    official_why: str,
    *,
    rounds: int,
    seq_calls: int,
    seq_rounds: int,
    gather_small: int,
    gather_large: int,
    rounds_large: int,
    rounds_slow: int,
) -> None:
    ids = fixture.task_ids
    base = fixture.base_url
    no_official = None if official else official_why

    # sequential
    _declare(results, "rt.seq.sdk", "tasks.get sequential: this SDK (Client)", None)
    _declare(results, "rt.seq.raw", "tasks.get sequential: raw httpx.Client + msgspec", None)
    _declare(results, "rt.seq.official", "tasks.get sequential: official SDK (Client)", no_official)
    variants, close = sequential_variants(fixture, ids[:seq_calls], official)
    try:
        interleave(results, variants, seq_rounds)
    finally:
        close()
    results.check(SEQ, "SDK / raw httpx", "rt.seq.sdk", "rt.seq.raw", "at_most", 1.05)
    results.check(SEQ, "official / SDK", "rt.seq.sdk", "rt.seq.official", "faster_by")

    # concurrent, 1,000: every variant (the official plain gather, 10-20x slower, fewer times)
    n = gather_small
    small = ids[:n]
    p = f"rt.gather.{n}"
    sem = f"Semaphore({BOUND})"
    _declare(results, f"{p}.sdk", f"gather {n:,}: this SDK, fresh AsyncClient, plain gather", None)
    _declare(results, f"{p}.sdk.bound", f"gather {n:,}: this SDK, fresh AsyncClient, {sem}", None)
    _declare(
        results, f"{p}.sdk.warm", f"gather {n:,}: this SDK, warm AsyncClient, plain gather", None
    )
    _declare(
        results,
        f"{p}.sdk.aiohttp",
        f"gather {n:,}: this SDK over DefaultAioHttpClient(), fresh, plain gather",
        None,
    )
    _declare(results, f"{p}.raw.bound", f"gather {n:,}: raw httpx.AsyncClient, {sem}", None)
    _declare(
        results, f"{p}.official.bound", f"gather {n:,}: official AsyncClient, {sem}", no_official
    )
    _declare(
        results, f"{p}.official", f"gather {n:,}: official AsyncClient, plain gather", no_official
    )
    conc: dict[str, Variant] = {
        f"{p}.sdk": lambda: sdk_gather(base, small),
        f"{p}.sdk.bound": lambda: sdk_gather(base, small, bound=BOUND),
        f"{p}.sdk.warm": lambda: sdk_gather(base, small, warm=True),
        f"{p}.sdk.aiohttp": lambda: sdk_gather(base, small, aiohttp=True),
        f"{p}.raw.bound": lambda: raw_gather(base, small, bound=BOUND),
    }
    if official is not None:
        conc[f"{p}.official.bound"] = _official_gather(official, base, small, BOUND)
    interleave(results, conc, rounds)
    if official is not None:
        slow = {f"{p}.official": _official_gather(official, base, small, None)}
        interleave(results, slow, rounds_slow)

    results.check(
        CONC, f"SDK, {sem} / raw, {sem}", f"{p}.sdk.bound", f"{p}.raw.bound", "at_most", 1.05
    )
    results.check(
        CONC, f"SDK plain gather / raw, {sem}", f"{p}.sdk", f"{p}.raw.bound", "at_most", 1.05
    )
    results.check(
        CONC, f"official / SDK, both {sem}", f"{p}.sdk.bound", f"{p}.official.bound", "faster_by"
    )
    results.check(
        CONC, "official plain gather / SDK plain gather", f"{p}.sdk", f"{p}.official", "faster_by"
    )
    results.check(
        CONC,
        f"SDK over aiohttp, plain gather / raw, {sem}",
        f"{p}.sdk.aiohttp",
        f"{p}.raw.bound",
        "at_most",
    )
    results.check(ISSUE8, f"{n:,} fresh: errors", f"{p}.sdk", None, "no_errors")
    results.check(
        ISSUE8, f"{n:,} fresh: SDK / raw {sem}", f"{p}.sdk", f"{p}.raw.bound", "at_most", 1.2
    )
    results.check(
        ISSUE8, f"{n:,} warm: SDK / raw {sem}", f"{p}.sdk.warm", f"{p}.raw.bound", "at_most", 1.0
    )

    # raw httpx with no bound at all: once, for the README (PoolTimeout expected)
    tally: Counter[str] = Counter()
    unbounded = results.sample(
        f"{p}.raw.unbounded", f"gather {n:,}: raw httpx.AsyncClient, no bound (once)"
    )
    interleave(
        results, {unbounded.key: lambda: raw_gather(base, small, bound=None, tally=tally)}, 1
    )
    if tally:
        unbounded.note = "errors: " + ", ".join(
            f"{name} x{count}" for name, count in tally.most_common()
        )

    # issue 8, 10,000: fresh and warm SDK vs the bounded raw baseline
    n = gather_large
    large = ids[:n]
    p = f"rt.gather.{n}"
    _declare(results, f"{p}.sdk", f"gather {n:,}: this SDK, fresh AsyncClient, plain gather", None)
    _declare(
        results, f"{p}.sdk.warm", f"gather {n:,}: this SDK, warm AsyncClient, plain gather", None
    )
    _declare(
        results,
        f"{p}.sdk.aiohttp",
        f"gather {n:,}: this SDK over DefaultAioHttpClient(), fresh, plain gather",
        None,
    )
    _declare(results, f"{p}.raw.bound", f"gather {n:,}: raw httpx.AsyncClient, {sem}", None)
    large_variants: dict[str, Variant] = {
        f"{p}.sdk": lambda: sdk_gather(base, large),
        f"{p}.sdk.warm": lambda: sdk_gather(base, large, warm=True),
        f"{p}.sdk.aiohttp": lambda: sdk_gather(base, large, aiohttp=True),
        f"{p}.raw.bound": lambda: raw_gather(base, large, bound=BOUND),
    }
    interleave(results, large_variants, rounds_large)
    results.check(ISSUE8, f"{n:,} fresh: errors", f"{p}.sdk", None, "no_errors")
    results.check(
        ISSUE8, f"{n:,} fresh: SDK / raw {sem}", f"{p}.sdk", f"{p}.raw.bound", "at_most", 1.2
    )
    results.check(
        ISSUE8, f"{n:,} warm: SDK / raw {sem}", f"{p}.sdk.warm", f"{p}.raw.bound", "at_most", 1.0
    )
    results.check(
        ISSUE8,
        f"{n:,} over aiohttp: SDK / raw {sem}",
        f"{p}.sdk.aiohttp",
        f"{p}.raw.bound",
        "at_most",
    )
