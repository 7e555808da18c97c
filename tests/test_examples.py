"""The scripts in examples/ run as users would run them: against the local Avala API served on
loopback, configured only through AVALA_BASE_URL and AVALA_API_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from avala.testing import LocalAvala, RunningServer, StorageFaultConfig, serve_in_thread

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo")) as running:
        yield running


def run(*args: str, base_url: str | None = None, **extra_env: str) -> str:
    env = {**os.environ, "AVALA_API_KEY": "example-key", **extra_env}
    if "HOME" in extra_env:  # the script alone decides where its state goes
        env.pop("AVALA_STATE_DIR", None)
    if base_url:
        env["AVALA_BASE_URL"] = base_url
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("script", ["quickstart_async.py", "quickstart_sync.py"])
def test_quickstarts(server: RunningServer, script: str) -> None:
    out = run(str(EXAMPLES / script), base_url=server.base_url)
    assert "Demo Project: " in out


def test_bulk_update_then_export(server: RunningServer, tmp_path: Path) -> None:
    assert "updated" in run(str(EXAMPLES / "bulk_update_tasks.py"), base_url=server.base_url)
    dest = tmp_path / "export.zip"
    out = run(str(EXAMPLES / "export_and_wait.py"), "proj_123", str(dest), base_url=server.base_url)
    # The local API stores the export file in its object store, on its own origin; the
    # signed download URL is a credential and never printed.
    assert "exported: ready on 127.0.0.1" in out
    assert "/_local/storage/" not in out
    assert "?" not in out
    assert f"saved {dest} ({dest.stat().st_size:,} bytes)" in out
    assert dest.stat().st_size > 0


def test_the_pytest_example_passes() -> None:
    example = str(EXAMPLES / "test_with_local_api.py")
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", example)
    assert "2 passed" in out


def test_the_demo_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    out = run(str(EXAMPLES / "demo.py"), HOME=str(home))
    assert "NotFoundError" in out
    assert "0 duplicates" in out
    assert out.rstrip().endswith("Done.")
    # The data plane, end to end: an interrupted upload resumed without re-sending...
    assert "stopped on purpose after 2 files" in out
    assert "skipped 2 ['day/0000.jpg', 'day/0001.jpg']" in out
    assert "sent 4 files, 1,152,012 bytes" in out
    assert out.count(", identical") == 6
    assert "DIFFERENT" not in out
    # ...published, loaded, read and downloaded (a second download fetches nothing)...
    assert "download(): 6 files, 1,344,018 bytes" in out
    assert "download() again: 0 fetched, 6 already verified" in out
    assert "MutableDatasetAliasWarning" in out
    assert "7 objects: 1 calibration, 2 episode, 4 frame" in out
    # ...a fleet recording uploaded, then not sent twice, and an export downloaded.
    assert "2/2 files, 204,829 bytes" in out
    assert "the same call again: 0 bytes sent" in out
    assert "export.zip: " in out
    assert "manifest.json" in out
    assert "storage requests that carried the API key: 0" in out
    # Upload journals and receipts went to a temporary state directory, never to $HOME.
    assert list(home.iterdir()) == []


# -- the data plane examples ------------------------------------------------------------------


@pytest.fixture
def local() -> Iterator[tuple[LocalAvala, RunningServer]]:
    """A fresh demo instance per test, served on loopback, and its `LocalAvala` to inspect."""
    pytest.importorskip("uvicorn")
    api = LocalAvala(data="demo")
    with serve_in_thread(api) as running:
        yield api, running


def run_failing(*args: str, base_url: str) -> str:
    env = {**os.environ, "AVALA_API_KEY": "example-key", "AVALA_BASE_URL": base_url}
    result = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stderr


def test_upload_and_load(local: tuple[LocalAvala, RunningServer], tmp_path: Path) -> None:
    api, server = local
    state_dir = Path(os.environ["AVALA_STATE_DIR"])  # a temporary one (tests/conftest.py)
    out = run(
        str(EXAMPLES / "upload_and_load.py"),
        "--out",
        str(tmp_path / "out"),
        base_url=server.base_url,
    )
    assert out.count(": verified") == 4
    assert "DIFFERS" not in out
    uploaded = [key for key in api.objects.keys("__u__=") if "/Example photos/" in key]
    assert len(uploaded) == 4
    assert "demo-org/training-data@main -> avala://datasets/" in out
    assert "downloaded to " in out
    assert "7 files, 0 up to date" in out
    copied = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*")
    )
    assert copied == [
        "calibration.json",
        *[f"episodes/{n:04d}.mcap" for n in range(2)],
        *[f"frames/{n:04d}.jpg" for n in range(4)],
    ]
    assert api.objects.stats.api_key_seen == 0
    # The journal went to $AVALA_STATE_DIR, and was deleted once the dataset existed.
    assert list((state_dir / "uploads" / "datasets").iterdir()) == []


def test_fleet_upload_resumes_after_a_failure(
    local: tuple[LocalAvala, RunningServer], tmp_path: Path
) -> None:
    api, server = local
    state_dir = Path(os.environ["AVALA_STATE_DIR"])  # a temporary one (tests/conftest.py)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "drive.mcap").write_bytes(b"\x89MCAP0\r\n" + b"\x01" * 100_000)
    (run_dir / "notes.txt").write_bytes(b"x" * 5_000)
    recording = api.add_recording()
    script = str(EXAMPLES / "fleet_upload.py")

    # The storage host refuses every request for one file: the run stops, the other file stays.
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="notes.txt")
    err = run_failing(script, recording, str(run_dir), base_url=server.base_url)
    assert "StorageError" in err
    assert "Run the same command again to resume." in err
    assert api.objects.stats.objects_stored == 1
    assert list((state_dir / "fleet" / "legacy").glob("*.json"))  # the receipt

    api.storage_faults = StorageFaultConfig()
    stored_before = api.objects.stats.bytes_stored
    out = run(script, recording, str(run_dir), base_url=server.base_url)
    assert "completed, 2 files / 105,008 bytes stored" in out
    assert f"recording {recording}: ready" in out
    assert api.objects.stats.bytes_stored - stored_before == 5_000  # only the missing file

    out = run(script, recording, str(run_dir), base_url=server.base_url)
    assert "2 files / 105,008 bytes stored" in out
    assert api.objects.stats.bytes_stored - stored_before == 5_000  # nothing sent twice
    assert api.objects.stats.api_key_seen == 0


def test_download_async(local: tuple[LocalAvala, RunningServer], tmp_path: Path) -> None:
    _, server = local
    out = run(str(EXAMPLES / "download_async.py"), "--out", str(tmp_path), base_url=server.base_url)
    assert "episode 0 starts with b'\\x89MCAP0\\r\\n'" in out
    assert "7 files downloaded, 0 already up to date" in out
    (export,) = tmp_path.glob("export-*.zip")
    with zipfile.ZipFile(export) as archive:
        assert "manifest.json" in archive.namelist()
    assert len(list((tmp_path / "dataset").rglob("*.*"))) == 7


def test_the_data_pytest_example_passes() -> None:
    example = str(EXAMPLES / "test_data_with_local_api.py")
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", example)
    assert "4 passed" in out
