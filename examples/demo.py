"""A tour of the SDK against the local Avala API: no account, no network.

    python3 dev.py demo          # from a fresh clone
    python examples/demo.py      # with avala[local] installed

It starts the local Avala API on a loopback port (`python -m avala.testing`), runs every flow
of the AsyncClient documentation page with the async client, the same flow with the sync
client, then the data plane end to end (a folder uploaded as a dataset, interrupted and
resumed, read back, published and loaded with `avala.load`, a fleet recording uploaded, an
export downloaded), then a second server that fails 20% of requests and drops 5% of
connections, to show retries and idempotency at work.

Every file the demo writes, upload journals included, lives in a temporary directory
(`AVALA_STATE_DIR` and `state_dir=` point there), removed at the end.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

import avala
from avala import AsyncClient, Client, NotFoundError
from avala.testing import LocalAvala
from avala.types.fleet_upload import UploadProgress

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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_photos(folder: Path) -> dict[str, Path]:
    """A small folder of files to upload: {path in the dataset: local file}."""
    files = {}
    for n in range(6):
        local = folder / ("day" if n < 3 else "night") / f"{n:04d}.jpg"
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(b"\xff\xd8\xff" + hashlib.sha256(b"%d" % n).digest() * 2000 * (n + 1))
        files[local.relative_to(folder).as_posix()] = local
    return files


class Interrupted(Exception):
    """Stands for Ctrl-C or a lost connection in the middle of an upload."""


def upload_tour(client: Client, workdir: Path, state: Path) -> str:
    section("Upload a folder as a dataset: datasets.create_from_local, interrupted")
    files = write_photos(workdir / "photos")
    stored: list[str] = []

    def stop_after_two(path: str, size: int) -> None:
        stored.append(path)
        if len(stored) == 2:
            raise Interrupted("stopped on purpose after 2 files")

    upload = dict(
        source=workdir / "photos", name="Street photos", slug="street-photos", data_type="image"
    )
    try:
        client.datasets.create_from_local(
            **upload, workers=1, on_progress=stop_after_two, state_dir=state
        )
    except Interrupted as error:
        journal = state / "uploads" / "datasets"
        print(f"  {error}: {stored}")
        print(f"  its journal stays in $AVALA_STATE_DIR: {len(list(journal.iterdir()))} files")

    section("The same call again resumes: stored files are skipped")
    sent: dict[str, int] = {}
    skipped: list[str] = []

    def on_bytes(path: str, n: int) -> None:  # per chunk, on this thread
        sent[path] = sent.get(path, 0) + n

    dataset = client.datasets.create_from_local(
        **upload, on_bytes=on_bytes, on_skipped=skipped.append, state_dir=state
    )
    print(f"  skipped {len(skipped)} {skipped}")
    print(f"  sent {len(sent)} files, {sum(sent.values()):,} bytes: {sorted(sent)}")
    dataset = client.datasets.wait(dataset.uid, interval=1, timeout=30)
    print(f"  {dataset.owner_name}/{dataset.slug}: {dataset.status}, {dataset.item_count} items")

    section("Read the items back: the bytes are the local files' bytes")
    items = list(client.datasets.list_items(dataset.owner_name, dataset.slug))
    for item in items:
        body = httpx.get(item.url).content  # a signed URL: no API key
        local = files[item.key].read_bytes()
        print(f"  {item.key}: {len(body):,} bytes, {'identical' if body == local else 'DIFFERENT'}")
        assert body == local
    assert len(items) == len(files)
    return dataset.uid


def load_tour(api: LocalAvala, base_url: str, dataset_uid: str, workdir: Path) -> None:
    section("Publish the dataset; open the revision with avala.load (no API key)")
    # The hosted API publishes revisions itself; the local API takes it as a call.
    published = api.publish_revision(dataset_uid)
    reference = published["canonical_reference"]
    with avala.load(reference, base_url=base_url) as dataset:
        print(f"  {dataset.canonical_reference[:40]}...: {dataset.object_count} objects")
        for obj in dataset.objects:
            print(f"  {obj.role:>5} {obj.ordinal}  {obj.logical_path}  {obj.size_bytes:,} bytes")
        first = dataset.for_role("file")[0]
        data = first.read()  # verified against the manifest's size and SHA-256
        print(f"  read() {first.logical_path}: {len(data):,} bytes, sha256 {first.sha256[:12]}")
        target = workdir / "street-photos"
        summary = dataset.download(target, concurrency=4)
        print(f"  download(): {summary.downloaded} files, {summary.bytes_received:,} bytes")
        again = dataset.download(target)
        print(f"  download() again: {again.downloaded} fetched, {again.skipped} already verified")
        for obj in dataset.objects:
            assert sha256(target / obj.logical_path) == obj.sha256


async def async_load_tour(base_url: str, workdir: Path) -> None:
    section("avala.async_load: the demo revision demo-org/training-data@main")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = await avala.async_load("demo-org/training-data@main", base_url=base_url)
    for warning in caught:
        print(f"  {warning.category.__name__}: {warning.message}")
    async with dataset:
        print(f"  pin this: {dataset.canonical_reference[:40]}...")
        roles = [obj.role async for obj in dataset.objects]
        counts = ", ".join(f"{roles.count(role)} {role}" for role in sorted(set(roles)))
        print(f"  {len(roles)} objects: {counts}")
        episode = await dataset.episodes[0]
        data = await episode.read()
        print(f"  episode 0 ({episode.logical_path}): {len(data):,} bytes, starts {data[:6]!r}")
        summary = await dataset.download(workdir / "training-data", roles=["episode", "frame"])
        print(f"  downloaded episodes and frames: {summary.downloaded} files, verified")


async def fleet_tour(api: LocalAvala, base_url: str, workdir: Path, state: Path) -> None:
    section("Fleet: client.fleet.uploads.upload_recording (AsyncClient)")
    run = workdir / "run-0001"
    run.mkdir()
    (run / "camera.mcap").write_bytes(b"\x89MCAP0\r\n" + bytes(range(256)) * 800)
    (run / "robot.log").write_text("boot ok\ndock reached\n")
    recording = api.add_recording()  # the hosted API registers recordings from devices
    progress: list[UploadProgress] = []
    async with AsyncClient(api_key=API_KEY, base_url=base_url) as client:
        session = await client.fleet.uploads.upload_recording(
            recording, run, on_progress=progress.append, state_dir=state
        )
        last = progress[-1]
        print(f"  {last.uploaded_files}/{last.total_files} files, {last.uploaded_bytes:,} bytes")
        print(f"  session {session.uid[:8]}: {session.status}")
        before = api.objects.stats.bytes_received
        await client.fleet.uploads.upload_recording(recording, run, state_dir=state)
        print(f"  the same call again: {api.objects.stats.bytes_received - before} bytes sent")
        recording_now = await client.fleet.recordings.get(recording)
        print(f"  recording {recording[:8]}: {recording_now.status}")


def export_tour(client: Client, workdir: Path) -> None:
    section("Exports: create, wait, download (streamed, verified, keyless)")
    export = client.exports.create(project="proj_123")
    client.exports.wait(export.uid, interval=0.5, timeout=30)
    received: list[int] = []
    path = client.exports.download(export.uid, workdir / "export.zip", on_progress=received.append)
    with zipfile.ZipFile(path) as archive:
        print(f"  {path.name}: {sum(received):,} bytes, {archive.namelist()}")


def data_tour() -> None:
    # The local API runs in this process here, so that the demo can do what the hosted API
    # does on its own: publish a dataset revision and register a fleet recording.
    api = LocalAvala(data="demo")
    with tempfile.TemporaryDirectory(prefix="avala-demo-") as tmp, api.serve() as server:
        workdir = Path(tmp)
        state = Path(os.environ["AVALA_STATE_DIR"])
        with Client(api_key=API_KEY, base_url=server.base_url) as client:
            dataset_uid = upload_tour(client, workdir, state)
            load_tour(api, server.base_url, dataset_uid, workdir)
            asyncio.run(async_load_tour(server.base_url, workdir))
            asyncio.run(fleet_tour(api, server.base_url, workdir, state))
            export_tour(client, workdir)
        print(f"  storage requests that carried the API key: {api.objects.stats.api_key_seen}")
        assert api.objects.stats.api_key_seen == 0


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
    with tempfile.TemporaryDirectory(prefix="avala-demo-state-") as state:
        os.environ["AVALA_STATE_DIR"] = state  # never the real ~/.avala
        tours()
    print("\nDone.")


def tours() -> None:
    with local_api("--data", "demo") as base_url:
        print(f"Local Avala API at {base_url}")
        os.environ["AVALA_BASE_URL"] = base_url
        asyncio.run(async_tour())
        sync_tour()
    data_tour()
    with local_api("--data", "empty", "--fail-rate", "0.2", "--drop-rate", "0.05") as faulty:
        asyncio.run(faults_tour(faulty))


if __name__ == "__main__":
    main()
