"""Dataset uploads end to end against the local Avala API (both protocols, resume, faults)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from avala import (
    AsyncClient,
    FileChangedError,
    QuotaExceededError,
    StorageError,
    UploadError,
    UploadStateError,
    gather_local_files,
)
from avala._async._uploads import PART_CONCURRENCY
from avala.testing import LocalAvala, StorageFaultConfig
from tests.helpers import API_KEY

MiB = 1024 * 1024
BIG = 12 * MiB + 12345  # three 5 MiB parts on the local API (multipart above 8 MiB)


class Interrupted(Exception):
    """Raised from a progress hook: the caller stops the upload mid-file."""


def make_tree(root: Path, *, big: bool = False) -> dict[str, bytes]:
    """A source tree with awkward names; returns {path in dataset: content}."""
    files = {
        "a.txt": b"hello",
        "sub dir/b c.bin": os.urandom(70_000),
        "unicodé/ファイル.json": b'{"x": 1}',
        ".hidden": b"h",
        "empty.dat": b"",
    }
    if big:
        files["large/video.mp4"] = os.urandom(BIG)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def stored(api: LocalAvala, name: str) -> dict[str, bytes]:
    """{path in dataset: bytes} of everything the store holds for dataset `name`."""
    out = {}
    for key in api.objects.keys(prefix=""):
        _, _, dataset, rel = key.split("/", 3)  # __u__=/<owner uid>/<dataset name>/<path>
        if dataset == name:
            with api.objects.open(key) as handle:
                out[rel] = handle.read()
    return out


def journal_files(state: Path) -> list[Path]:
    return sorted((state / "uploads" / "datasets").glob("*"))


def remote_paths(state: Path) -> list[str]:
    """Paths the journal records as possibly stored: the snapshot's, plus the lines since."""
    found = journal_files(state)
    snapshot = json.loads(next(p for p in found if p.suffix == ".json").read_text())
    remote = set(snapshot["remote"])
    for line in next(p for p in found if p.suffix == ".journal").read_text().splitlines():
        remote.add(json.loads(line)["r"])
    return sorted(remote)


def size_of(path: str) -> int:
    return os.path.getsize(path)


def write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path / "source"
    return root, make_tree(root)


@pytest.fixture
def big_tree(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path / "source"
    return root, make_tree(root, big=True)


@pytest.fixture
def state() -> Path:
    return Path(os.environ["AVALA_STATE_DIR"])


async def test_create_from_local_stores_every_byte_protocol_v2(
    local: AsyncClient, local_api: LocalAvala, big_tree: tuple[Path, dict[str, bytes]], state: Path
) -> None:
    root, files = big_tree
    progress: dict[str, int] = {}
    skipped: list[str] = []
    streamed: dict[str, int] = {}

    def on_bytes(rel: str, n: int) -> None:
        streamed[rel] = streamed.get(rel, 0) + n

    dataset = await local.datasets.create_from_local(
        source=root,
        name="Robots",
        slug="robots",
        data_type="image",
        on_progress=progress.__setitem__,
        on_skipped=skipped.append,
        on_bytes=on_bytes,
    )
    assert dataset.item_count == len(files)
    assert stored(local_api, "Robots") == files
    assert dataset.owner_name is not None
    items = [item.key async for item in local.datasets.list_items(dataset.owner_name, "robots")]
    assert sorted(items) == sorted(files)
    assert progress == {rel: len(data) for rel, data in files.items() if data}
    assert skipped == ["empty.dat"]
    assert streamed == {rel: len(data) for rel, data in files.items() if data}
    stats = local_api.objects.stats
    assert stats.api_key_seen == 0
    assert stats.parts_stored == 3
    assert stats.bytes_received == sum(map(len, files.values()))  # nothing sent twice
    assert journal_files(state) == []  # state cleared once the dataset exists


async def test_protocol_v1_form_post(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]]
) -> None:
    local_api.settings.upload_protocol = 1
    root, files = tree
    dataset = await local.datasets.create_from_local(
        source=root, name="Old", slug="old", data_type="image"
    )
    assert dataset.item_count == len(files)
    assert stored(local_api, "Old") == files
    assert local_api.objects.stats.methods["POST"] == len(files)


async def test_a_second_run_sends_nothing_and_reports_skips(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, files = tree
    pairs = gather_local_files(root)
    first = await local.datasets.upload_files(dataset_name="D", files=pairs)
    assert first == sum(map(len, files.values()))
    received = local_api.objects.stats.bytes_received
    skipped: list[str] = []
    again = await local.datasets.upload_files(
        dataset_name="D", files=pairs, on_skipped=skipped.append
    )
    assert again == 0
    assert sorted(skipped) == sorted(files)
    assert local_api.objects.stats.bytes_received == received


async def test_a_file_changed_between_runs_is_sent_again(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, _ = tree
    pairs = gather_local_files(root)
    await local.datasets.upload_files(dataset_name="D", files=pairs)
    write(root / "a.txt", b"HELLO, again")
    progress: dict[str, int] = {}
    sent = await local.datasets.upload_files(
        dataset_name="D", files=pairs, on_progress=progress.__setitem__
    )
    assert progress == {"a.txt": 12}
    assert sent == 12
    assert stored(local_api, "D")["a.txt"] == b"HELLO, again"


async def test_multipart_resume_sends_only_missing_parts(
    local: AsyncClient, local_api: LocalAvala, big_tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, files = big_tree
    data = files["large/video.mp4"]
    pairs = [(str(root / "large/video.mp4"), "large/video.mp4")]
    batch = await local.datasets.prepare_manual_upload_batch("V")
    # An earlier run stored part 2 (of three 5 MiB parts) before it died.
    presign = await local.datasets.create_manual_upload_url(
        dataset_name="V",
        file_path_in_dataset="large/video.mp4",
        content_length=BIG,
        dataset_upload_uid=batch,
    )
    assert presign["method"] == "MULTIPART"
    async with local_api.async_httpx_client() as http:
        answer = await http.post(
            f"{local_api.base_url}/datasets/manual-upload/uploads/{presign['upload_uid']}/parts/",
            json={"part_numbers": [2]},
            headers={"X-Avala-Api-Key": API_KEY},
        )
        part = answer.json()["parts"][0]
        stored_part = await http.put(part["url"], content=data[5 * MiB : 10 * MiB])
    assert stored_part.status_code == 200
    received = local_api.objects.stats.bytes_received
    sent = await local.datasets.upload_files(
        dataset_name="V", files=pairs, dataset_upload_uid=batch
    )
    assert sent == BIG - 5 * MiB
    assert local_api.objects.stats.bytes_received - received == BIG - 5 * MiB
    assert local_api.objects.stats.parts_stored == 3
    assert stored(local_api, "V") == {"large/video.mp4": data}


async def test_a_failed_part_fails_the_file_with_its_progress(
    local: AsyncClient, local_api: LocalAvala, big_tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, files = big_tree
    pairs = [(str(root / "large/video.mp4"), "large/video.mp4")]
    batch = await local.datasets.prepare_manual_upload_batch("V")
    local_api.storage_faults = StorageFaultConfig(fail_rate=1.0, fail_statuses=(503,))
    with pytest.raises(StorageError) as info:
        await local.datasets.upload_files(dataset_name="V", files=pairs, dataset_upload_uid=batch)
    assert info.value.path == "large/video.mp4"
    assert info.value.status_code == 503
    assert info.value.bytes_done == 0
    local_api.storage_faults = StorageFaultConfig()
    await local.datasets.upload_files(dataset_name="V", files=pairs, dataset_upload_uid=batch)
    assert stored(local_api, "V") == {"large/video.mp4": files["large/video.mp4"]}


async def test_transient_storage_failures_are_retried(
    local: AsyncClient,
    local_api: LocalAvala,
    tree: tuple[Path, dict[str, bytes]],
    sleeps: list[float],
) -> None:
    root, files = tree
    # The first file's body is cut mid-way, then stored with its answer lost: the third
    # attempt finds it stored (412 on If-None-Match) and the upload goes on.
    local_api.queue_storage_faults("drop", "drop_after")
    batch = await local.datasets.prepare_manual_upload_batch("F")
    await local.datasets.upload_files(
        dataset_name="F", files=gather_local_files(root), workers=1, dataset_upload_uid=batch
    )
    assert stored(local_api, "F") == files
    assert len(sleeps) == 2
    assert local_api.objects.stats.faults_total == 2
    assert local_api.objects.stats.statuses[412] == 1


async def test_quota_is_checked_before_sending(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, _ = tree
    local_api.settings.upload_quota_bytes = 1000
    with pytest.raises(QuotaExceededError) as info:
        await local.datasets.create_from_local(source=root, name="Q", slug="q", data_type="image")
    assert info.value.limit == 1000
    assert info.value.used == 0
    assert local_api.objects.stats.requests == 0


async def test_quota_exceeded_at_presign_is_typed(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, _ = tree
    local_api.settings.upload_quota_bytes = 1000
    with pytest.raises(QuotaExceededError) as info:
        await local.datasets.create_from_local(
            source=root, name="Q", slug="q", data_type="image", check_quota=False, workers=1
        )
    assert info.value.limit == 1000
    assert info.value.used is not None


async def test_a_file_changed_mid_upload_is_a_typed_error_and_resent_later(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    local_api.settings.upload_protocol = 1
    path = tmp_path / "grow.bin"
    write(path, os.urandom(3 * MiB))

    def touch_once(rel: str, n: int) -> None:
        if n > 0 and path.stat().st_size == 3 * MiB:
            with path.open("ab") as handle:
                handle.write(b"more")

    with pytest.raises(FileChangedError) as info:
        await local.datasets.upload_files(
            dataset_name="C", files=[(str(path), "grow.bin")], on_bytes=touch_once
        )
    assert info.value.path == "grow.bin"
    assert isinstance(info.value, UploadError)
    sent = await local.datasets.upload_files(dataset_name="C", files=[(str(path), "grow.bin")])
    assert sent == 3 * MiB + 4
    assert stored(local_api, "C") == {"grow.bin": path.read_bytes()}


async def test_duplicate_and_hostile_paths_are_refused(local: AsyncClient, tmp_path: Path) -> None:
    path = tmp_path / "f"
    write(path, b"x")
    with pytest.raises(ValueError, match="unique"):
        await local.datasets.upload_files(
            dataset_name="D", files=[(str(path), "a"), (str(path), "a")]
        )
    for rel in ("../escape", "/abs", "a/../b", "a//b", "a\\b", "nul\x00"):
        with pytest.raises(ValueError, match="path"):
            await local.datasets.upload_files(dataset_name="D", files=[(str(path), rel)])


async def test_an_empty_source_is_refused(local: AsyncClient, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="No files"):
        await local.datasets.create_from_local(source=empty, name="E", slug="e", data_type="image")
    assert await local.datasets.upload_files(dataset_name="E", files=[]) == 0


async def test_a_symlink_out_of_the_source_is_refused(local: AsyncClient, tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    write(secret, b"do not upload")
    (root / "link.txt").symlink_to(secret)
    with pytest.raises(UploadError, match="outside the source"):
        await local.datasets.create_from_local(source=root, name="S", slug="s", data_type="image")


async def test_interrupting_leaves_a_resumable_journal(
    local: AsyncClient, local_api: LocalAvala, big_tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, files = big_tree
    pairs = gather_local_files(root)
    batch = await local.datasets.prepare_manual_upload_batch("K")

    def interrupt(rel: str, n: int) -> None:
        if rel == "large/video.mp4" and n > 0:
            raise Interrupted

    with pytest.raises(Interrupted):
        await local.datasets.upload_files(
            dataset_name="K", files=pairs, workers=1, dataset_upload_uid=batch, on_bytes=interrupt
        )
    await local.datasets.upload_files(dataset_name="K", files=pairs, dataset_upload_uid=batch)
    assert stored(local_api, "K") == files
    total = sum(map(len, files.values()))
    stats = local_api.objects.stats
    # Nothing was stored twice; what went out twice is at most the parts that were in flight
    # when the upload stopped (their unfinished bodies are discarded by the store).
    assert stats.bytes_stored == total
    assert stats.bytes_received <= total + PART_CONCURRENCY * 5 * MiB


async def test_a_file_removed_after_a_run_blocks_the_next_one(
    local: AsyncClient, tree: tuple[Path, dict[str, bytes]]
) -> None:
    root, _ = tree
    pairs = gather_local_files(root)
    batch = await local.datasets.prepare_manual_upload_batch("R")
    await local.datasets.upload_files(dataset_name="R", files=pairs, dataset_upload_uid=batch)
    with pytest.raises(UploadStateError, match="no longer"):
        await local.datasets.upload_files(
            dataset_name="R", files=pairs[1:], dataset_upload_uid=batch
        )


async def test_a_presign_that_fails_never_counts_as_uploaded(
    local: AsyncClient, local_api: LocalAvala, tree: tuple[Path, dict[str, bytes]], state: Path
) -> None:
    root, _ = tree
    pairs = gather_local_files(root)
    batch = await local.datasets.prepare_manual_upload_batch("P")
    local_api.settings.upload_quota_bytes = 10  # every presign but the tiny ones fails (413)
    with pytest.raises(QuotaExceededError):
        await local.datasets.upload_files(
            dataset_name="P", files=pairs, workers=1, dataset_upload_uid=batch
        )
    local_api.settings.upload_quota_bytes = 10 * MiB
    # The files whose presign failed may be dropped from the upload: nothing of theirs is stored.
    kept = [(local_path, rel) for local_path, rel in pairs if size_of(local_path) <= 10]
    await local.datasets.upload_files(dataset_name="P", files=kept, dataset_upload_uid=batch)
    assert remote_paths(state) == sorted(rel for _, rel in kept)


async def test_state_files_are_private_and_hold_no_secrets(
    local: AsyncClient, tree: tuple[Path, dict[str, bytes]], state: Path
) -> None:
    root, _ = tree
    batch = await local.datasets.prepare_manual_upload_batch("M")
    await local.datasets.upload_files(
        dataset_name="M", files=gather_local_files(root), dataset_upload_uid=batch
    )
    found = journal_files(state)
    assert found
    for path in found:
        assert path.stat().st_mode & 0o777 == 0o600
        text = path.read_bytes()
        assert b"avk_" not in text
        assert b"_local/storage" not in text
        assert b"sig" not in text.lower() or b"signature" not in text.lower()


async def test_a_state_dir_argument_relocates_the_journal(
    local: AsyncClient, tree: tuple[Path, dict[str, bytes]], tmp_path: Path, state: Path
) -> None:
    root, _ = tree
    elsewhere = tmp_path / "elsewhere"
    batch = await local.datasets.prepare_manual_upload_batch("L", state_dir=elsewhere)
    await local.datasets.upload_files(
        dataset_name="L",
        files=gather_local_files(root),
        dataset_upload_uid=batch,
        state_dir=elsewhere,
    )
    assert journal_files(elsewhere)
    assert journal_files(state) == []


async def test_resume_false_starts_a_new_batch(local: AsyncClient) -> None:
    first = await local.datasets.prepare_manual_upload_batch("B")
    assert await local.datasets.prepare_manual_upload_batch("B") == first
    fresh = await local.datasets.prepare_manual_upload_batch("B", resume=False)
    assert fresh != first
    with pytest.raises(UploadStateError, match="another upload batch"):
        await local.datasets.upload_files(
            dataset_name="B", files=[(__file__, "x.py")], dataset_upload_uid=first
        )
