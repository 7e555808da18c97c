"""A tour of the SDK against the local Avala API: no account, no network.

    python3 dev.py demo          # from a fresh clone
    python examples/demo.py      # with avala[local] installed

It starts the local Avala API on a loopback port (`python -m avala.testing`), runs every flow
of the AsyncClient documentation page with the async client, the same flow with the sync
client, then a second server that fails 20% of requests and drops 5% of connections, to show
retries and idempotency at work.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from avala import AsyncClient, Client, NotFoundError

API_KEY = "demo-key"  # the local API accepts any non-empty key by default


@contextmanager
def local_api(*extra: str) -> Iterator[str]:
    """Serve the local Avala API in a child process; yield its base URL."""
    command = [sys.executable, "-m", "avala.testing", "--port", "0", *extra]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline().strip()
        if not first.startswith("AVALA_BASE_URL="):
            raise SystemExit(f"the local API did not start: {first!r}")
        yield first.split("=", 1)[1]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


def section(title: str) -> None:
    print(f"\n== {title}")


async def async_tour() -> None:
    section("Initialization: AsyncClient(api_key=...)")
    client = AsyncClient(api_key=API_KEY)
    print(client)
    await client.close()

    section("async with: the client closes itself")
    async with AsyncClient(api_key=API_KEY) as client:
        projects = await client.projects.list()
        for project in projects:
            print(f"  project {project.id}: {project.name}")

        section("Basic usage: get, create, list")
        project = await client.projects.get(id="proj_123")
        print(f"  projects.get -> {project.name!r} ({project.status})")
        dataset = await client.datasets.create(name="Training Data", project_id="proj_123")
        print(f"  datasets.create -> {dataset.slug!r}, status {dataset.status!r}")
        tasks = await client.tasks.list(project_id="proj_123")
        print(f"  tasks.list -> {[t.id for t in tasks]}")

        section("Concurrent operations: asyncio.gather")
        projects, datasets, agents = await asyncio.gather(
            client.projects.list(), client.datasets.list(), client.agents.list()
        )
        print(f"  {len(projects)} projects, {len(datasets)} datasets, {len(agents)} agents")

        section("Batch processing: fetch and update tasks concurrently")
        fetched = await asyncio.gather(
            *[client.tasks.get(id=t) for t in ["task_1", "task_2", "task_3"]]
        )
        updated = await asyncio.gather(
            *[client.tasks.update(id=t.id, status="completed") for t in fetched]
        )
        print(f"  {[(t.id, t.status) for t in updated]}")

        section("Error handling: NotFoundError")
        try:
            await client.tasks.get(id="task_missing")
        except NotFoundError as error:
            print(f"  {type(error).__name__}: {error}")

        section("Resource access")
        issues = await client.annotation_issues.list(task_id="task_456")
        for issue in issues:
            print(f"  issue {issue.id[:8]} on task_456: {issue.status}, {issue.description!r}")

        section("Pagination: every task, page by page (limit=2)")
        print(f"  {[t.id async for t in client.tasks.list(project_id='proj_123', limit=2)]}")

        section("Waiting for an export")
        export = await client.exports.create(project="proj_123")
        done = await client.exports.wait(export.id, interval=0.5, timeout=30)
        print(f"  export {done.id[:8]}: {export.status} -> {done.status}, {done.download_url}")

        section("Rate limit information")
        limits = client.rate_limit_info
        print(f"  Limit: {limits.get('x-ratelimit-limit')}")
        print(f"  Remaining: {limits.get('x-ratelimit-remaining')}")
        print(f"  Reset: {limits.get('x-ratelimit-reset')}")

    section("Manual cleanup: await client.close()")
    client = AsyncClient(api_key=API_KEY)
    try:
        print(f"  {len(await client.projects.list())} projects")
    finally:
        await client.close()


def sync_tour() -> None:
    section("The same flow with the sync Client")
    with Client(api_key=API_KEY) as client:
        project = client.projects.get(id="proj_123")
        dataset = client.datasets.create(name="Validation Data", project_id="proj_123")
        tasks = [client.tasks.get(id=t) for t in ["task_1", "task_2", "task_3"]]
        updated = [client.tasks.update(id=t.id, status="pending") for t in tasks]
        print(f"  project {project.name!r}, dataset {dataset.slug!r}")
        print(f"  {[(t.id, t.status) for t in updated]}")
        every = client.tasks.list(project_id="proj_123").auto_paging_iter()
        print(f"  every task: {[t.id for t in every]}")
        try:
            client.tasks.get(id="task_missing")
        except NotFoundError as error:
            print(f"  {type(error).__name__}: {error}")
        print(f"  rate limit remaining: {client.rate_limit_info['x-ratelimit-remaining']}")


async def faults_tour(base_url: str) -> None:
    section("Reliability: 20% of requests fail with 5xx, 5% of connections drop")
    started = time.perf_counter()
    async with AsyncClient(api_key=API_KEY, base_url=base_url, max_retries=6) as client:
        created = await asyncio.gather(
            *[client.agents.create(name=f"agent {n}") for n in range(50)]
        )
        names = [a.name async for a in client.agents.list(limit=100)]
    duplicates = len(names) - len(set(names))
    print(f"  50 creates succeeded in {time.perf_counter() - started:.2f}s")
    print(f"  agents on the server: {len(set(names))} distinct names, {duplicates} duplicates")
    assert len(created) == 50
    assert duplicates == 0


def main() -> None:
    os.environ["AVALA_API_KEY"] = API_KEY
    with local_api("--data", "demo") as base_url:
        print(f"Local Avala API at {base_url}")
        os.environ["AVALA_BASE_URL"] = base_url
        asyncio.run(async_tour())
        sync_tour()
    with local_api("--data", "empty", "--fail-rate", "0.2", "--drop-rate", "0.05") as faulty:
        asyncio.run(faults_tour(faulty))
    print("\nDone.")


if __name__ == "__main__":
    main()
