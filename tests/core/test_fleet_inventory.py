"""Fleet source inventory: stat-only listing, refusals, hashing with change detection."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from avala._core._fleet_inventory import check_relative_path, hash_file, scan_source
from avala._core._fleet_managed import check_managed_inventory
from avala.errors import FileChangedError, UploadError


def test_lists_sorted_regular_files_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.bin").write_bytes(b"22")
    (tmp_path / "a.bin").write_bytes(b"")
    (tmp_path / "b" / "1.bin").write_bytes(b"1")
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(
        os, "open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k)
    )
    inventory = scan_source(tmp_path)
    assert [f.path for f in inventory.files] == ["a.bin", "b/1.bin", "b/2.bin"]
    assert [f.size_bytes for f in inventory.files] == [0, 1, 2]
    assert inventory.total_bytes == 3
    assert opened == []


def test_fifty_thousand_files_are_listed_quickly(tmp_path: Path) -> None:
    for d in range(50):
        folder = tmp_path / f"d{d:02d}"
        folder.mkdir()
        for i in range(1000):
            (folder / f"{i:04d}").touch()
    started = time.perf_counter()
    inventory = scan_source(tmp_path)
    elapsed = time.perf_counter() - started
    assert len(inventory.files) == 50_000
    assert elapsed < 30  # a bound against quadratic work, not a benchmark
    (tmp_path / "d00" / "one-more").touch()
    with pytest.raises(UploadError, match="more than 50000 files"):
        scan_source(tmp_path)


def test_symlinks_are_refused_files_and_directories(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "ok.bin").write_bytes(b"x")
    target = tmp_path / "outside"
    target.mkdir()
    (source / "dirlink").symlink_to(target)
    with pytest.raises(UploadError, match="symlink"):
        scan_source(source)
    (source / "dirlink").unlink()
    (source / "broken").symlink_to(tmp_path / "missing")
    with pytest.raises(UploadError, match="symlink"):
        scan_source(source)
    (source / "broken").unlink()
    link = tmp_path / "link-to-src"
    link.symlink_to(source)
    with pytest.raises(UploadError, match="source directory is a symlink"):
        scan_source(link)


def test_special_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"x")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UploadError, match="special file") as refused:
        scan_source(tmp_path)
    assert refused.value.path == "fifo"


def test_state_dir_inside_or_around_the_source(tmp_path: Path) -> None:
    state = tmp_path / "src" / ".avala"
    state.mkdir(parents=True)
    (state / "receipt.json").write_text("{}")
    (tmp_path / "src" / "data.bin").write_bytes(b"x")
    inventory = scan_source(tmp_path / "src", state_dir=state)
    assert [f.path for f in inventory.files] == ["data.bin"]
    with pytest.raises(UploadError, match="state directory"):
        scan_source(state, state_dir=state)


def test_empty_and_missing_sources(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="no files"):
        scan_source(tmp_path)
    with pytest.raises(UploadError, match="Cannot read"):
        scan_source(tmp_path / "missing")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (" lead.bin", "whitespace"),
        ("trail.bin ", "whitespace"),
        ("a\\b.bin", "backslash"),
        ("a/../b.bin", "'..'"),
        ("x" * 1025, "longer"),
    ],
)
def test_unsafe_relative_paths(name: str, problem: str) -> None:
    reason = check_relative_path(name)
    assert reason is not None
    assert problem in reason


def test_safe_relative_path() -> None:
    assert check_relative_path("camera/front/0001.mcap") is None


def test_hash_file_detects_a_change_since_listing(tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(b"hello")
    inventory = scan_source(tmp_path)
    (file,) = inventory.files
    assert hash_file(tmp_path / "a.bin", file) == hashlib.sha256(b"hello").hexdigest()
    time.sleep(0.01)
    (tmp_path / "a.bin").write_bytes(b"HELLO!")
    with pytest.raises(FileChangedError):
        hash_file(tmp_path / "a.bin", file)


def test_managed_limits_use_sparse_files(tmp_path: Path) -> None:
    with open(tmp_path / "big.mcap", "wb") as handle:
        handle.truncate(8 * 1024**3)  # exactly the limit: allowed
    check_managed_inventory(scan_source(tmp_path))
    with open(tmp_path / "big.mcap", "wb") as handle:
        handle.truncate(8 * 1024**3 + 1)
    with pytest.raises(UploadError, match="8 GiB"):
        check_managed_inventory(scan_source(tmp_path))
    os.unlink(tmp_path / "big.mcap")
    for i in range(9):
        with open(tmp_path / f"{i}.mcap", "wb") as handle:
            handle.truncate(8 * 1024**3)
    with pytest.raises(UploadError, match="64 GiB"):
        check_managed_inventory(scan_source(tmp_path))


def test_managed_names(tmp_path: Path) -> None:
    (tmp_path / "__derived__").mkdir()
    (tmp_path / "__derived__" / "x.mcap").write_bytes(b"x")
    with pytest.raises(UploadError, match="__derived__"):
        check_managed_inventory(scan_source(tmp_path))
    (tmp_path / "__derived__" / "x.mcap").unlink()
    (tmp_path / "__derived__").rmdir()
    (tmp_path / "empty.mcap").write_bytes(b"")
    with pytest.raises(UploadError, match="1 byte"):
        check_managed_inventory(scan_source(tmp_path))
    (tmp_path / "empty.mcap").unlink()
    for i in range(65):
        (tmp_path / f"{i}.mcap").write_bytes(b"x")
    with pytest.raises(UploadError, match="at most 64 files"):
        check_managed_inventory(scan_source(tmp_path))
