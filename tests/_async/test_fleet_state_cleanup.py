"""A completed guarded fleet upload leaves only its small receipt under the state directory:
no journal and no lock per recording, and a re-run is still answered without sending."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from avala import AsyncClient, StorageError
from avala.testing import LocalAvala
from avala.testing._storage_faults import StorageFaultConfig
from tests._async.conftest import NO_BACKOFF
from tests.helpers import API_KEY


def make_source(root: Path, count: int) -> Path:
    root.mkdir(parents=True)
    for i in range(count):
        (root / f"f{i:03d}.bin").write_bytes(os.urandom(200 + i))
    return root


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


@pytest.fixture
async def fleet(api: LocalAvala) -> AsyncIterator[AsyncClient]:
    async with (
        api.async_httpx_client() as http,
        AsyncClient(
            api_key=API_KEY, base_url=api.base_url, http_client=http, retry_policy=NO_BACKOFF
        ) as client,
    ):
        yield client


def legacy_state(state: Path) -> list[str]:
    folder = state / "fleet" / "legacy"
    return sorted(p.suffix for p in folder.iterdir()) if folder.exists() else []


async def test_completed_upload_keeps_only_its_receipt(
    api: LocalAvala, fleet: AsyncClient, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    for n in range(3):
        recording = api.add_recording()
        source = make_source(tmp_path / f"src{n}", 4)
        session = await fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
        assert session.status == "completed"
    assert legacy_state(state) == [".json"] * 3
    for receipt in (state / "fleet" / "legacy").iterdir():
        assert json.loads(receipt.read_text())["phase"] == "completed"
    # A re-run is answered from the receipt and the server: nothing sent, nothing left behind.
    before = api.objects.stats.bytes_received
    again = await fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert again.uid == session.uid
    assert again.status == "completed"
    assert api.objects.stats.bytes_received == before
    assert legacy_state(state) == [".json"] * 3


async def test_an_unfinished_upload_keeps_its_journal_until_it_completes(
    api: LocalAvala, fleet: AsyncClient, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    source = make_source(tmp_path / "src", 6)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f004")
    with pytest.raises(StorageError):
        await fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert legacy_state(state) == [".journal", ".json", ".lock"]
    stored = api.objects.stats.objects_stored
    assert stored > 0
    api.storage_faults = StorageFaultConfig()
    session = await fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert session.status == "completed"
    assert api.objects.stats.objects_stored == 6  # the resume used the journal: no re-sends
    assert legacy_state(state) == [".json"]
