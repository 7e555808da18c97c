"""The official SDK's side of the benchmarks: a worker run by the official SDK's own venv.

    .bench/official-venv/bin/python -I benchmarks/official.py

It must not import anything from this repository (the official SDK has the same import name,
`avala`), so it is self-contained: stdlib, `avala` 0.10.0 and what that depends on. `-I` keeps
the repository off `sys.path`.

Protocol: one JSON request per stdin line, one JSON answer per stdout line. The benchmark
process sends one request per sample, so samples of the official SDK interleave with ours
(same machine, same moment, same server). Every op mirrors one in the `bench_*` modules:

    {"op": "versions"}
    {"op": "decode", "path": FILE, "model": "task"|"dataset", "repeat": K}  -> seconds per page
    {"op": "get_seq", "base_url": URL, "ids": [...]}                         -> seconds
    {"op": "gather", "base_url": URL, "ids": [...], "bound": N|null}         -> seconds, errors
    {"op": "walk", "base_url": URL, "project": UID, "limit": N, "memory": B} -> seconds, items, peak
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import platform
import sys
import time
import tracemalloc
from importlib.metadata import version
from typing import Any

# The official SDK refuses plain-http base URLs unless this is set (loopback only).
os.environ["AVALA_ALLOW_INSECURE_BASE_URL"] = "true"

import httpx

API_KEY = "avk_bench_0123456789"

_clients: dict[str, Any] = {}


def _client(base_url: str) -> Any:
    """One sync `Client` per server, reused (its connection pool stays warm, as ours does)."""
    from avala import Client

    if base_url not in _clients:
        _clients[base_url] = Client(api_key=API_KEY, base_url=base_url)
    return _clients[base_url]


def op_versions(req: dict[str, Any]) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "avala": version("avala"),
        "httpx": version("httpx"),
        "pydantic": version("pydantic"),
    }


def op_decode(req: dict[str, Any]) -> dict[str, Any]:
    """The official transport's own page parsing (`SyncHTTPTransport.request_page`), with the
    network replaced by a prebuilt response holding the same bytes as our decode benchmark."""
    # The official SDK's modules: type checkers of this repository cannot see them.
    from avala._config import ClientConfig  # type: ignore[import-not-found]
    from avala._http import SyncHTTPTransport  # type: ignore[import-not-found]
    from avala.types.dataset import Dataset  # type: ignore[import-not-found]
    from avala.types.task import Task  # type: ignore[import-not-found]

    model = {"task": Task, "dataset": Dataset}[req["model"]]
    with open(req["path"], "rb") as f:
        body = f.read()
    config = ClientConfig(
        api_key=API_KEY, base_url="http://127.0.0.1:9/api/v1", timeout=30.0, max_retries=0
    )
    transport = SyncHTTPTransport(config)
    request = httpx.Request("GET", "http://127.0.0.1:9/api/v1/x/")
    headers = {"content-type": "application/json"}

    def get(path: str, params: Any = None) -> httpx.Response:
        return httpx.Response(200, content=body, headers=headers, request=request)

    transport._client.get = get
    repeat = int(req["repeat"])
    items = len(transport.request_page("/x/", model).items)  # warm-up, and a count check
    gc.collect()
    start = time.perf_counter()
    for _ in range(repeat):
        transport.request_page("/x/", model)
    seconds = (time.perf_counter() - start) / repeat
    transport.close()
    return {"seconds": seconds, "items": items}


def op_get_seq(req: dict[str, Any]) -> dict[str, Any]:
    client = _client(req["base_url"])
    ids = req["ids"]
    client.tasks.get(ids[0])  # the connection is open before the clock starts
    gc.collect()
    start = time.perf_counter()
    for uid in ids:
        client.tasks.get(uid)
    return {"seconds": time.perf_counter() - start}


async def _gather(base_url: str, ids: list[str], bound: int | None) -> tuple[float, int]:
    from avala import AsyncClient

    async with AsyncClient(api_key=API_KEY, base_url=base_url) as client:
        semaphore = asyncio.Semaphore(bound) if bound else None

        async def one(uid: str) -> Any:
            if semaphore is None:
                return await client.tasks.get(uid)
            async with semaphore:
                return await client.tasks.get(uid)

        start = time.perf_counter()
        results = await asyncio.gather(*(one(uid) for uid in ids), return_exceptions=True)
        seconds = time.perf_counter() - start
    return seconds, sum(isinstance(r, BaseException) for r in results)


def op_gather(req: dict[str, Any]) -> dict[str, Any]:
    gc.collect()
    seconds, errors = asyncio.run(_gather(req["base_url"], req["ids"], req.get("bound")))
    return {"seconds": seconds, "errors": errors}


def op_walk(req: dict[str, Any]) -> dict[str, Any]:
    """The official SDK's manual cursor loop (it has no auto-pagination)."""
    client = _client(req["base_url"])
    project, limit, memory = req["project"], int(req["limit"]), bool(req.get("memory"))
    gc.collect()
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    items = 0
    cursor = None
    while True:
        page = client.tasks.list(project=project, limit=limit, cursor=cursor)
        for _task in page.items:
            items += 1
        if not page.has_more:
            break
        cursor = page.next_cursor
    seconds = time.perf_counter() - start
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"seconds": seconds, "items": items, "peak": peak}


OPS = {
    "versions": op_versions,
    "decode": op_decode,
    "get_seq": op_get_seq,
    "gather": op_gather,
    "walk": op_walk,
}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            answer = OPS[req["op"]](req)
        except Exception as exc:  # reported to the benchmark, which marks the cell
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    for client in _clients.values():
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
