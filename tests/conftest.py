"""Fixtures for every test in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps SDK state (upload journals, caches) in its own temporary directory:
    no test may touch the real `~/.avala`."""
    path = tmp_path_factory.mktemp("avala-state")
    monkeypatch.setenv("AVALA_STATE_DIR", str(path))
    return path
