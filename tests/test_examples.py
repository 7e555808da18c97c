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


def run(*args: str, base_url: str | None = None) -> str:
    env = {**os.environ, "AVALA_API_KEY": "example-key"}
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
    assert "exported: https://" in run(
        str(EXAMPLES / "export_and_wait.py"), base_url=server.base_url
    )


def test_the_pytest_example_passes() -> None:
    example = str(EXAMPLES / "test_with_local_api.py")
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", example)
    assert "2 passed" in out


def test_the_demo_runs() -> None:
    out = run(str(EXAMPLES / "demo.py"))
    assert "NotFoundError" in out
    assert "0 duplicates" in out
    assert out.rstrip().endswith("Done.")
