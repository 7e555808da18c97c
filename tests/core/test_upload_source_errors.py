"""Every unusable upload source, dataset or fleet, is an `UploadSourceError`: an avala
`UploadError` that is also a `ValueError`."""

from __future__ import annotations

from pathlib import Path

import pytest

import avala
from avala._core._fleet_inventory import scan_source
from avala._core._fleet_managed import check_managed_inventory
from avala._core._upload_files import check_manifest, gather_local_files
from avala.errors import UploadError, UploadSourceError


def test_the_error_is_exported_and_both_an_upload_error_and_a_value_error() -> None:
    assert avala.UploadSourceError is UploadSourceError
    assert "UploadSourceError" in avala.__all__
    assert issubclass(UploadSourceError, UploadError)
    assert issubclass(UploadSourceError, ValueError)


def test_dataset_sources(tmp_path: Path) -> None:
    with pytest.raises(UploadSourceError, match="does not exist"):
        gather_local_files(tmp_path / "missing", state_root=tmp_path / "state")
    state = tmp_path / "state"
    (state / "uploads").mkdir(parents=True)
    with pytest.raises(UploadSourceError, match="state directory"):
        gather_local_files(state / "uploads", state_root=state)
    src = tmp_path / "src"
    src.mkdir()
    (tmp_path / "out.txt").write_bytes(b"x")
    (src / "leak.txt").symlink_to(tmp_path / "out.txt")
    with pytest.raises(UploadSourceError, match="outside the source"):
        gather_local_files(src, state_root=state)
    (src / "leak.txt").unlink()
    (src / "dir").symlink_to(tmp_path)
    with pytest.raises(UploadSourceError, match="outside the source"):
        gather_local_files(src, state_root=state)


def test_dataset_manifests(tmp_path: Path) -> None:
    with pytest.raises(UploadSourceError, match="unique") as info:
        check_manifest([("a", "x.txt"), ("b", "x.txt")])
    assert info.value.path == "x.txt"
    with pytest.raises(UploadSourceError, match="relative"):
        check_manifest([("a", "../x.txt")])
    with pytest.raises(UploadSourceError, match="pairs"):
        check_manifest(["abc"])  # type: ignore[list-item]


def test_fleet_sources(tmp_path: Path) -> None:
    with pytest.raises(UploadSourceError, match="no files"):
        scan_source(tmp_path)
    with pytest.raises(UploadSourceError, match="Cannot read"):
        scan_source(tmp_path / "missing")
    with pytest.raises(UploadSourceError, match="state directory"):
        scan_source(tmp_path, state_dir=tmp_path)
    (tmp_path / "outside.bin").write_bytes(b"x")
    src = tmp_path / "src"
    src.mkdir()
    (src / "link.bin").symlink_to(tmp_path / "outside.bin")
    with pytest.raises(UploadSourceError, match="symlink") as info:
        scan_source(src)
    assert isinstance(info.value, ValueError)


def test_managed_fleet_sources(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"x")
    with pytest.raises(UploadSourceError, match="MCAP only"):
        check_managed_inventory(scan_source(tmp_path))
