"""`avala fleet recordings upload` against the local API on a loopback port."""

from __future__ import annotations

import os
from pathlib import Path

from avala.testing._storage_faults import StorageFaultConfig
from tests.cli.conftest import KEY, Result, Run, Served


def _source(root: Path, count: int, suffix: str = ".bin") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"f{i:03d}{suffix}").write_bytes(os.urandom(500 + i))
    return root


def _run(cli: Run, served: Served, *args: str) -> Result:
    return cli("--base-url", served.base_url, "--api-key", KEY, "-o", "json", *args)


def test_upload_and_wait(cli: Run, fresh: Served, tmp_path: Path) -> None:
    recording = fresh.api.add_recording()
    source = _source(tmp_path / "src", 25)
    result = _run(
        cli,
        fresh,
        "fleet",
        "recordings",
        "upload",
        "--source",
        str(source),
        "--recording",
        recording,
        "--wait",
        "--wait-timeout",
        "30",
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["status"] == "completed"
    assert data["confirmed_files"] == 25
    assert "Uploaded 25/25 files" in result.stderr
    assert fresh.api.objects.stats.objects_stored == 25


def test_dry_run_sends_nothing(cli: Run, fresh: Served, tmp_path: Path) -> None:
    recording = fresh.api.add_recording()
    source = _source(tmp_path / "src", 30)
    before = fresh.api.stats.requests
    result = _run(
        cli,
        fresh,
        "fleet",
        "recordings",
        "upload",
        "--source",
        str(source),
        "--recording",
        recording,
        "--dry-run",
    )
    assert result.code == 0, result.stderr
    assert "[DRY RUN] Would upload 30 files" in result.stderr
    assert "and 10 more" in result.stderr
    assert fresh.api.stats.requests == before


def test_failure_says_how_to_resume_and_the_rerun_finishes(
    cli: Run, fresh: Served, tmp_path: Path
) -> None:
    recording = fresh.api.add_recording()
    source = _source(tmp_path / "src", 10)
    fresh.api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f005")
    args = ("fleet", "recordings", "upload", "--source", str(source), "--recording", recording)
    failed = _run(cli, fresh, *args)
    assert failed.code != 0
    assert "run the same command again to resume" in failed.stderr
    assert "X-Amz-Signature" not in failed.stderr
    fresh.api.storage_faults = StorageFaultConfig()
    done = _run(cli, fresh, *args)
    assert done.code == 0, done.stderr
    assert fresh.api.objects.stats.objects_stored == 10


def test_managed_upload(cli: Run, fresh: Served, tmp_path: Path) -> None:
    recording = fresh.api.add_recording()
    source = _source(tmp_path / "src", 2, ".mcap")
    result = _run(
        cli,
        fresh,
        "fleet",
        "recordings",
        "upload",
        "--source",
        str(source),
        "--recording",
        recording,
        "--managed",
        "--workers",
        "2",
        "--wait",
        "--wait-timeout",
        "30",
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["finalization"]["state"] == "succeeded"
    assert "finalization=succeeded" in result.stderr


def test_option_errors(cli: Run, fresh: Served, tmp_path: Path) -> None:
    source = _source(tmp_path / "src", 1, ".mcap")
    recording = fresh.api.add_recording()
    base = ("fleet", "recordings", "upload", "--source", str(source))
    assert _run(cli, fresh, *base, "--device", "dev_1").code == 2
    assert _run(cli, fresh, *base, "--recording", recording, "--wait-timeout", "-1").code == 2
    assert (
        _run(cli, fresh, *base, "--recording", recording, "--managed", "--storage-config", "s").code
        == 2
    )
    assert _run(cli, fresh, *base, "--recording", "not-a-uuid", "--managed").code == 2
