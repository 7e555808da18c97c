"""The state directory and its crash-safe file primitives."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from avala._core import _state
from avala._core._state import (
    StateBusyError,
    atomic_write_bytes,
    atomic_write_json,
    exclusive_lock,
    read_json,
    state_dir,
)
from avala.errors import UploadStateError


def test_state_dir_comes_from_the_environment_in_tests() -> None:
    assert state_dir() == Path(os.environ["AVALA_STATE_DIR"])
    assert not str(state_dir()).startswith(str(Path.home() / ".avala"))


def test_explicit_argument_beats_the_environment(tmp_path: Path) -> None:
    target = tmp_path / "mine" / "state"
    assert state_dir(target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_default_is_home_dot_avala(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AVALA_STATE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert state_dir() == tmp_path / ".avala"


def test_uncreatable_state_dir_is_a_typed_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UploadStateError, match="state directory"):
        state_dir(blocker / "sub")


def test_atomic_write_replaces_content_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "s" / "state.json"
    atomic_write_bytes(path, b"one")
    atomic_write_json(path, {"a": [1, 2]})
    assert read_json(path) == {"a": [1, 2]}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp file left


def test_a_failed_write_keeps_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.json"
    atomic_write_json(path, {"v": 1})

    def boom(*args: object) -> None:
        raise OSError(28, "disk full")

    monkeypatch.setattr(_state.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_json(path, {"v": 2})
    assert read_json(path) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_corrupt_state_is_an_error_never_empty(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b'{"torn": ')
    with pytest.raises(UploadStateError, match="corrupt"):
        read_json(path)
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "missing.json")


def test_lock_is_exclusive_across_processes(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    with exclusive_lock(lock):
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
        pid = os.fork()
        if pid == 0:  # child: the lock is held by the parent
            try:
                with exclusive_lock(lock):
                    os._exit(1)
            except StateBusyError:
                os._exit(0)
            os._exit(2)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    with exclusive_lock(lock):  # released on exit
        pass
