"""8b. What `sniffio` being importable is worth to the async path.

httpcore runs `import sniffio` on every async lock, semaphore and event it creates, and a
failed import is not cached: without sniffio installed, every request pays for a module
search and an ImportError. The SDK declares sniffio as a dependency (and `avala._twins`
imports it), so its async path always takes the fast branch.

Each run is a fresh interpreter doing one gather of N `GET /tasks/{id}/` (the parent process
passes base URL and ids on stdin):

- `raw`: raw `httpx.AsyncClient`, `Semaphore(20)`, sniffio importable,
- `raw-nosniffio`: the same with sniffio made unimportable the way a missing package is (a
  meta-path finder that does the real module search, then raises `ModuleNotFoundError`),
- `sdk`: the SDK's plain gather on a fresh `AsyncClient`, sniffio importable,
- `sdk-nosniffio`: the SDK with sniffio unimportable: it does not import (recorded as such).
"""

from __future__ import annotations

import asyncio
import importlib.abc
import importlib.machinery
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from .results import Results, Variant, interleave

SECTION = "8. sniffio importable"
ROOT = Path(__file__).resolve().parent.parent
MODES = ("raw", "raw-nosniffio", "sdk", "sdk-nosniffio")
BOUND = 20


class _NotInstalled(importlib.abc.MetaPathFinder):
    """Makes `sniffio` fail to import like a package that is not installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "sniffio" or fullname.startswith("sniffio."):
            importlib.machinery.PathFinder.find_spec(fullname, path)  # the search a miss costs
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


async def _raw(base_url: str, api_key: str, ids: list[str]) -> tuple[float, int]:
    import httpx
    import msgspec

    from avala.types.tasks import Task  # models only: no sniffio behind them

    decoder = msgspec.json.Decoder(Task)
    async with httpx.AsyncClient(base_url=base_url, headers={"X-Avala-Api-Key": api_key}) as http:
        semaphore = asyncio.Semaphore(BOUND)

        async def one(uid: str) -> Task:
            async with semaphore:
                response = await http.get(f"/tasks/{uid}/")
            response.raise_for_status()
            return decoder.decode(response.content)

        start = time.perf_counter()
        outcomes = await asyncio.gather(*(one(u) for u in ids), return_exceptions=True)
        seconds = time.perf_counter() - start
    return seconds, sum(isinstance(o, BaseException) for o in outcomes)


async def _sdk(base_url: str, api_key: str, ids: list[str]) -> tuple[float, int]:
    from avala import AsyncClient

    async with AsyncClient(api_key=api_key, base_url=base_url) as client:
        start = time.perf_counter()
        outcomes = await asyncio.gather(*(client.tasks.get(u) for u in ids), return_exceptions=True)
        seconds = time.perf_counter() - start
    return seconds, sum(isinstance(o, BaseException) for o in outcomes)


def child(mode: str) -> int:
    """`python -m benchmarks.bench_sniffio MODE` with {"base_url", "api_key", "ids"} on stdin;
    prints {"seconds", "errors"} or {"error"}."""
    job: dict[str, Any] = json.loads(sys.stdin.read())
    if mode.endswith("-nosniffio"):
        sys.meta_path.insert(0, _NotInstalled())
    run = _sdk if mode.startswith("sdk") else _raw
    try:
        seconds, errors = asyncio.run(run(job["base_url"], job["api_key"], job["ids"]))
    except ImportError as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 0
    print(json.dumps({"seconds": seconds, "errors": errors}))
    return 0


def _spawn(mode: str, base_url: str, api_key: str, ids: list[str]) -> Variant:
    def run() -> tuple[float, int]:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_sniffio", mode],
            input=json.dumps({"base_url": base_url, "api_key": api_key, "ids": ids}),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            check=True,
        )
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return float(answer["seconds"]), int(answer["errors"])

    return run


def run(results: Results, base_url: str, api_key: str, ids: list[str], *, rounds: int) -> None:
    n = len(ids)
    labels = {
        "raw": f"gather {n:,}: raw httpx.AsyncClient, Semaphore({BOUND}), sniffio importable",
        "raw-nosniffio": f"gather {n:,}: raw httpx.AsyncClient, Semaphore({BOUND}), sniffio NOT importable",
        "sdk": f"gather {n:,}: this SDK, plain gather, sniffio importable",
        "sdk-nosniffio": f"gather {n:,}: this SDK, sniffio NOT importable",
    }
    variants: dict[str, Variant] = {}
    for mode in MODES:
        key = f"sniffio.{n}.{mode}"
        results.sample(key, labels[mode])
        variants[key] = _spawn(mode, base_url, api_key, ids)
    interleave(results, variants, rounds, collect=False)
    p = f"sniffio.{n}"
    results.check(
        SECTION, "raw: without / with sniffio", f"{p}.raw-nosniffio", f"{p}.raw", "at_most"
    )
    results.check(
        SECTION,
        "SDK (has sniffio) / raw without sniffio",
        f"{p}.sdk",
        f"{p}.raw-nosniffio",
        "at_most",
    )


if __name__ == "__main__":
    sys.exit(child(sys.argv[1]))
