"""pytest plugin (entry point `avala`): fixtures backed by `avala.testing`.

It imports only `avala.testing`, never the SDK, so it loads even where the SDK is broken or
absent. `avala_local` is a fresh demo `LocalAvala` per test; `avala_local_server` serves one on
a loopback port (skipped when uvicorn is not installed).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from avala.testing import LocalAvala, RunningServer


@pytest.fixture
def avala_local() -> LocalAvala:
    """A fresh `LocalAvala(data="demo")`; wire a client with `avala_local.httpx_client()`."""
    return LocalAvala(data="demo")


@pytest.fixture
def avala_local_server(avala_local: LocalAvala) -> Iterator[RunningServer]:
    """`avala_local` served on 127.0.0.1 (random port); `.base_url` is the API root."""
    pytest.importorskip("uvicorn", reason="needs the 'local' extra: pip install 'avala[local]'")
    with avala_local.serve() as server:
        yield server
