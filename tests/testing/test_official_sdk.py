"""Opt-in: the OFFICIAL avala 0.10.0 SDK (pydantic models) against the local API.

Set `AVALA_OFFICIAL_SDK_PYTHON` to an interpreter whose environment holds `avala==0.10.0`, e.g.
`python -m venv /tmp/official && /tmp/official/bin/pip install avala==0.10.0`, then
`AVALA_OFFICIAL_SDK_PYTHON=/tmp/official/bin/python pytest tests/testing/test_official_sdk.py`.
The SDK runs in that separate process (it is also named `avala`), driven by
`official_sdk_compat.py` over two loopback servers: an open one and a key-restricted one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from avala.testing import LocalAvala, serve_in_thread

OFFICIAL_PYTHON = os.environ.get("AVALA_OFFICIAL_SDK_PYTHON")

pytestmark = pytest.mark.skipif(
    not OFFICIAL_PYTHON, reason="set AVALA_OFFICIAL_SDK_PYTHON to run the official SDK check"
)


def test_official_sdk_every_method(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn")
    script = Path(__file__).with_name("official_sdk_compat.py")
    with (
        serve_in_thread(LocalAvala()) as server,
        serve_in_thread(LocalAvala(api_key="right")) as restricted,
    ):
        result = subprocess.run(
            [str(OFFICIAL_PYTHON), str(script), server.base_url, restricted.base_url],
            cwd=tmp_path,  # keep this repository's `avala` off the official SDK's sys.path
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "0 failures" in result.stdout
