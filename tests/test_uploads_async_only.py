"""Upload behaviour only the async client has: cancelling the task, trio."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest

from avala import AsyncClient, gather_local_files
from avala.testing import LocalAvala
from tests.helpers import API_KEY

MiB = 1024 * 1024
SIZE = 23 * MiB  # five 5 MiB parts on the local API


def make_source(root: Path) -> bytes:
    root.mkdir()
    data = os.urandom(SIZE)
    (root / "big.bin").write_bytes(data)
    for i in range(5):
        (root / f"small{i}.txt").write_bytes(b"x" * (i + 1))
    return data


def stored_bytes(api: LocalAvala, rel: str) -> bytes:
    (key,) = [k for k in api.objects.keys(prefix="") if k.endswith("/" + rel)]
    with api.objects.open(key) as handle:
        return handle.read()


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_cancelling_the_task_stops_promptly_and_resumes(
    tmp_path: Path, anyio_backend: str
) -> None:
    api = LocalAvala()
    data = make_source(tmp_path / "src")
    files = gather_local_files(tmp_path / "src")
    async with (
        api.async_httpx_client() as http,
        AsyncClient(api_key=API_KEY, base_url=api.base_url, http_client=http) as client,
    ):
        batch = await client.datasets.prepare_manual_upload_batch("X")
        with anyio.CancelScope() as scope:

            def cancel_after_first_part(rel: str, n: int) -> None:
                if rel == "big.bin" and n > 0:
                    scope.cancel()

            await client.datasets.upload_files(
                dataset_name="X",
                files=files,
                dataset_upload_uid=batch,
                on_bytes=cancel_after_first_part,
            )
        assert scope.cancelled_caught
        sent_before = api.objects.stats.bytes_received
        assert sent_before < SIZE  # stopped part-way
        await client.datasets.upload_files(dataset_name="X", files=files, dataset_upload_uid=batch)
    assert stored_bytes(api, "big.bin") == data
    # Parts in flight when cancelled may go twice: at most one per concurrent part.
    total = SIZE + sum(range(1, 6))
    assert api.objects.stats.bytes_received <= total + 4 * 5 * MiB
