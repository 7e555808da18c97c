"""Each client's import graph is its own: the async client never loads generated sync code,
and the sync client never loads the async source (nor anyio)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("avala._async._client", "avala._sync"), ("avala._sync._client", "avala._async")],
)
def test_a_client_imports_nothing_of_the_other(module: str, forbidden: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"print(sorted(m for m in sys.modules if m.startswith({forbidden!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
