# Generated from tests/_async/test_fleet_state_cleanup.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""A completed guarded fleet upload leaves only its small receipt under the state directory:
no journal and no lock per recording, and a re-run is still answered without sending."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from avala import Client, StorageError
from avala.testing import LocalAvala
from avala.testing._storage_faults import StorageFaultConfig
from tests._sync.conftest import NO_BACKOFF
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
def fleet(api: LocalAvala) -> Iterator[Client]:
    with (
        api.httpx_client() as http,
        Client(
            api_key=API_KEY, base_url=api.base_url, http_client=http, retry_policy=NO_BACKOFF
        ) as client,
    ):
        yield client


def legacy_state(state: Path) -> list[str]:
    folder = state / "fleet" / "legacy"
    return sorted(p.suffix for p in folder.iterdir()) if folder.exists() else []


def test_completed_upload_keeps_only_its_receipt(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    for n in range(3):
        recording = api.add_recording()
        source = make_source(tmp_path / f"src{n}", 4)
        session = fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
        assert session.status == "completed"
    assert legacy_state(state) == [".json"] * 3
    for receipt in (state / "fleet" / "legacy").iterdir():
        assert json.loads(receipt.read_text())["phase"] == "completed"
    # A re-run is answered from the receipt and the server: nothing sent, nothing left behind.
    before = api.objects.stats.bytes_received
    again = fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert again.uid == session.uid
    assert again.status == "completed"
    assert api.objects.stats.bytes_received == before
    assert legacy_state(state) == [".json"] * 3


def test_an_unfinished_upload_keeps_its_journal_until_it_completes(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    source = make_source(tmp_path / "src", 6)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f004")
    with pytest.raises(StorageError):
        fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert legacy_state(state) == [".journal", ".json", ".lock"]
    stored = api.objects.stats.objects_stored
    assert stored > 0
    api.storage_faults = StorageFaultConfig()
    session = fleet.fleet.uploads.upload_recording(recording, source, state_dir=state)
    assert session.status == "completed"
    assert api.objects.stats.objects_stored == 6  # the resume used the journal: no re-sends
    assert legacy_state(state) == [".json"]
