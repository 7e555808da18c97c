"""Fixtures for every test in the repository."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Code that runs while tests are collected (module-level tables of calls) runs before any
    # fixture: it gets a throwaway state directory too, never the real `~/.avala`.
    if "AVALA_STATE_DIR" not in os.environ:
        os.environ["AVALA_STATE_DIR"] = tempfile.mkdtemp(prefix="avala-collect-state-")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps SDK state (upload journals, caches) in its own temporary directory:
    no test may touch the real `~/.avala`."""
    path = tmp_path_factory.mktemp("avala-state")
    monkeypatch.setenv("AVALA_STATE_DIR", str(path))
    return path
