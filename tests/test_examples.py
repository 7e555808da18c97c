"""The scripts in examples/ run as users would run them: against the local Avala API served on
loopback, configured only through AVALA_BASE_URL and AVALA_API_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from avala.testing import LocalAvala, RunningServer, serve_in_thread

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


def test_bulk_update_then_export(server: RunningServer) -> None:
    assert "updated" in run(str(EXAMPLES / "bulk_update_tasks.py"), base_url=server.base_url)
    # The local API stores the export file in its object store, on its own origin.
    origin = server.base_url.removesuffix("/api/v1")
    assert f"exported: {origin}/_local/storage/exports/" in run(
        str(EXAMPLES / "export_and_wait.py"), base_url=server.base_url
    )


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
