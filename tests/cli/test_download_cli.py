"""`avala datasets resolve|download` (no key) and `avala exports download` / `create
--download`, against the local API on a loopback port."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from avala.testing._h_resolver import PublishedFile
from tests.cli.conftest import KEY, Run, Served


def _publish(served: Served) -> dict[str, str]:
    files = [
        PublishedFile(f"episodes/{i}.mcap", "episode", i, data=bytes([i]) * 5000) for i in range(3)
    ]
    files.append(PublishedFile("frames/0.jpg", "frame", 0, 1, "image/jpeg", b"\xff\xd8" * 100))
    info = served.api.publish_revision(owner="acme", name="navigation", files=files)
    return {k: str(v) for k, v in info.items()}


def test_resolve_needs_no_key(cli: Run, fresh: Served) -> None:
    info = _publish(fresh)
    result = cli(
        "--base-url", fresh.base_url, "-o", "json", "datasets", "resolve", "acme/navigation"
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["canonical_reference"] == info["canonical_reference"]
    assert data["object_count"] == 4
    assert data["requested_reference"] == "acme/navigation@main"
    assert set(data) == {
        "canonical_reference",
        "requested_reference",
        "display_reference",
        "dataset_uid",
        "revision_uid",
        "revision_sha256",
        "manifest_sha256",
        "object_count",
        "total_size_bytes",
        "rights",
    }
    assert "MutableDatasetAliasWarning" not in result.stderr
    assert all("x-avala-api-key" not in e.headers for e in fresh.api.log)


def test_resolve_with_revision_and_errors(cli: Run, fresh: Served, monkeypatch: object) -> None:
    info = _publish(fresh)
    base = ("--base-url", fresh.base_url, "-o", "json", "datasets", "resolve")
    pinned = cli(*base, "acme/navigation", "--revision", info["revision_sha256"])
    assert pinned.code == 0, pinned.stderr
    assert pinned.json()["revision_sha256"] == info["revision_sha256"]
    missing = cli(*base, "acme/missing")
    assert missing.code != 0
    assert "not_found" in missing.stderr
    bad = cli(*base, "Not A Reference")
    assert bad.code == 2
    assert "invalid_dataset_reference" in bad.stderr
    fresh.api.withdraw_revision(info["canonical_reference"])
    gone = cli(*base, "acme/navigation")
    assert gone.code != 0
    assert "revision_withdrawn" in gone.stderr


def test_dataset_download(cli: Run, fresh: Served, tmp_path: Path) -> None:
    _publish(fresh)
    out = tmp_path / "out"
    args = ("--base-url", fresh.base_url, "-o", "json", "datasets", "download", "acme/navigation")
    result = cli(*args, str(out), "--concurrency", "2")
    assert result.code == 0, result.stderr
    assert result.json()["downloaded"] == 4
    assert (out / "episodes" / "2.mcap").read_bytes() == bytes([2]) * 5000
    again = cli(*args, str(out), "--role", "episode")
    assert again.code == 0, again.stderr
    assert (again.json()["downloaded"], again.json()["skipped"]) == (0, 3)
    assert fresh.api.objects.stats.api_key_seen == 0


def test_dataset_download_reports_corruption(cli: Run, fresh: Served, tmp_path: Path) -> None:
    _publish(fresh)
    fresh.api.queue_storage_faults("corrupt")
    result = cli(
        "--base-url",
        fresh.base_url,
        "datasets",
        "download",
        "acme/navigation",
        str(tmp_path),
        "--role",
        "frame",
    )
    assert result.code == 1
    assert "sha256_mismatch" in result.stderr
    assert "/_local/storage/" not in result.stderr
    assert not list(tmp_path.rglob("*.jpg"))


def test_export_create_wait_download(cli: Run, fresh: Served, tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    result = cli(
        "--base-url",
        fresh.base_url,
        "--api-key",
        KEY,
        "-o",
        "json",
        "exports",
        "create",
        "--project",
        "proj_123",
        "--wait",
        "--wait-interval",
        "0.5",
        "--download",
        str(target),
    )
    assert result.code == 0, result.stderr
    uid = result.json()["uid"]
    with zipfile.ZipFile(target) as archive:
        assert "manifest.json" in archive.namelist()
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    second = tmp_path / "again.zip"
    again = cli(
        "--base-url",
        fresh.base_url,
        "--api-key",
        KEY,
        "-o",
        "json",
        "exports",
        "download",
        uid,
        str(second),
        "--sha256",
        digest,
    )
    assert again.code == 0, again.stderr
    assert again.json()["path"] == str(second)
    assert second.read_bytes() == target.read_bytes()
    wrong = cli(
        "--base-url",
        fresh.base_url,
        "--api-key",
        KEY,
        "exports",
        "download",
        uid,
        str(tmp_path / "x.zip"),
        "--sha256",
        "0" * 64,
    )
    assert wrong.code == 1
    assert "sha256_mismatch" in wrong.stderr


def test_download_flag_needs_wait(cli: Run, fresh: Served, tmp_path: Path) -> None:
    result = cli(
        "--base-url",
        fresh.base_url,
        "--api-key",
        KEY,
        "exports",
        "create",
        "--project",
        "proj_123",
        "--download",
        str(tmp_path / "e.zip"),
    )
    assert result.code == 2
    assert "--wait" in result.stderr
