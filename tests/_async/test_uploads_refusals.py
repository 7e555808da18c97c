"""Uploads refused before any byte moves: unusable sources and a slug already taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from avala import AsyncClient, UploadError, UploadSourceError, ValidationError
from avala.testing import LocalAvala


def source_with(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


async def test_an_empty_source_is_an_upload_source_error(
    local: AsyncClient, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UploadSourceError, match="No files") as info:
        await local.datasets.create_from_local(source=empty, name="E", slug="e", data_type="image")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, UploadError)


async def test_a_missing_source_is_an_upload_source_error(
    local: AsyncClient, tmp_path: Path
) -> None:
    with pytest.raises(UploadSourceError, match="does not exist"):
        await local.datasets.create_from_local(
            source=tmp_path / "nope", name="M", slug="m", data_type="image"
        )
    # official-compatible code catching ValueError keeps working
    with pytest.raises(ValueError, match="does not exist"):
        await local.datasets.create_from_local(
            source=tmp_path / "nope", name="M", slug="m", data_type="image"
        )


async def test_a_symlink_leading_out_is_an_upload_source_error(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    root = source_with(tmp_path / "src", {"ok.txt": b"ok"})
    (tmp_path / "secret.txt").write_bytes(b"do not upload")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(UploadSourceError, match="outside the source") as info:
        await local.datasets.create_from_local(source=root, name="S", slug="s", data_type="image")
    assert isinstance(info.value, ValueError)
    assert info.value.path == "link.txt"
    assert local_api.objects.stats.bytes_received == 0


async def test_duplicate_paths_are_an_upload_source_error(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    root = source_with(tmp_path / "src", {"a.txt": b"a", "b.txt": b"b"})
    files = [(str(root / "a.txt"), "x.txt"), (str(root / "b.txt"), "x.txt")]
    with pytest.raises(UploadSourceError, match="unique") as info:
        await local.datasets.upload_files(dataset_name="D", files=files)
    assert isinstance(info.value, ValueError)
    assert local_api.objects.stats.bytes_received == 0


async def test_a_source_inside_the_state_dir_is_an_upload_source_error(
    local: AsyncClient, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    source_with(state / "uploads", {"x.json": b"{}"})
    with pytest.raises(UploadSourceError, match="state directory"):
        await local.datasets.create_from_local(
            source=state / "uploads", name="T", slug="t", data_type="image", state_dir=state
        )


async def test_a_taken_slug_is_refused_before_any_byte_is_sent(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    await local.datasets.create(name="First", slug="taken", data_type="image")
    root = source_with(tmp_path / "src", {"a.bin": b"x" * 70_000, "b.bin": b"y" * 1000})
    with pytest.raises(ValidationError, match="slug already exists") as info:
        await local.datasets.create_from_local(
            source=root, name="Second", slug="taken", data_type="image"
        )
    assert info.value.details == [
        {"field": "slug", "message": "A dataset with this slug already exists for this owner."}
    ]
    assert local_api.objects.stats.bytes_received == 0
    assert local_api.objects.stats.objects_stored == 0


async def test_a_taken_slug_of_an_explicit_owner_is_refused_first(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    first = await local.datasets.create(name="First", slug="taken", data_type="image")
    assert first.owner_name is not None
    root = source_with(tmp_path / "src", {"a.bin": b"x" * 5000})
    with pytest.raises(ValidationError, match="slug already exists"):
        await local.datasets.create_from_local(
            source=root, name="Second", slug="taken", data_type="image", owner_name=first.owner_name
        )
    assert local_api.objects.stats.bytes_received == 0


async def test_a_failing_slug_check_never_blocks_the_upload(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    root = source_with(tmp_path / "src", {"a.bin": b"x" * 5000})
    # The owner look-up of the check fails; the check is skipped, the upload goes ahead.
    local_api.queue_faults("http_503")
    dataset = await local.datasets.create_from_local(
        source=root, name="Free", slug="free", data_type="image"
    )
    assert dataset.slug == "free"
    assert local_api.objects.stats.bytes_received == 5000


async def test_a_free_slug_uploads_normally(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    await local.datasets.create(name="Other", slug="other", data_type="image")
    root = source_with(tmp_path / "src", {"a.bin": b"x" * 5000})
    dataset = await local.datasets.create_from_local(
        source=root, name="Mine", slug="mine", data_type="image"
    )
    assert dataset.slug == "mine"
    assert local_api.objects.stats.bytes_received == 5000
