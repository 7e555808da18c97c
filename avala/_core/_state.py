"""Where the SDK keeps state between runs (upload journals, download caches), and how it
writes it so that a crash at any moment leaves either the old or the new content, never a
torn file.

The state directory is, in order: the `state_dir=` argument of the call, `$AVALA_STATE_DIR`,
or `~/.avala`. It is created with mode 0700 and every file in it is written with mode 0600:
state files name the user's files and datasets.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UploadStateError

STATE_DIR_ENV = "AVALA_STATE_DIR"

# Distinguishes temporary files of concurrent writers within one process.
_TMP_SEQ = itertools.count()

__all__ = [
    "STATE_DIR_ENV",
    "StateBusyError",
    "atomic_write_bytes",
    "atomic_write_json",
    "exclusive_lock",
    "read_json",
    "state_dir",
]


class StateBusyError(UploadStateError):
    """Another process holds the lock of this state (the same upload is running elsewhere)."""


def state_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The state directory (argument, else `$AVALA_STATE_DIR`, else `~/.avala`), created
    with mode 0700 if missing."""
    if explicit is not None:
        root = Path(explicit)
    else:
        env = os.environ.get(STATE_DIR_ENV, "").strip()
        root = Path(env) if env else Path.home() / ".avala"
    root = root.expanduser()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise UploadStateError(
            f"Cannot create the state directory {str(root)!r}: {exc.strerror or exc}. "
            f"Pass state_dir=... or set {STATE_DIR_ENV} to a writable directory."
        ) from None
    return root


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; some platforms cannot open a directory (Windows).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: a temporary file in the same directory,
    written, fsynced, renamed over `path`, then the directory fsynced. Mode 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_TMP_SEQ)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def atomic_write_json(path: Path, obj: object) -> None:
    """`atomic_write_bytes` of `obj` as compact UTF-8 JSON."""
    atomic_write_bytes(path, json.dumps(obj, separators=(",", ":")).encode())


def read_json(path: Path) -> Any:
    """The JSON document at `path`. Raises `FileNotFoundError` when it does not exist and
    `UploadStateError` when it cannot be read or parsed: corrupt state is never silently
    taken for empty state."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UploadStateError(
            f"Cannot read the state file {str(path)!r}: {exc.strerror or exc}"
        ) from None
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise UploadStateError(
            f"The state file {str(path)!r} is corrupt. Delete it to start over."
        ) from None


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created with mode 0600) for the block.

    Never waits: if another process holds it, raises `StateBusyError` at once. Where
    `fcntl` does not exist (Windows), an `O_EXCL` lock file is used instead.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _exclusive_file(path):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StateBusyError(
                    f"Another process is using the state at {str(path)!r} (the same upload "
                    "running elsewhere?). Wait for it to finish."
                ) from None
            raise UploadStateError(f"Cannot lock {str(path)!r}: {exc.strerror or exc}") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def _exclusive_file(path: Path) -> Iterator[None]:  # pragma: no cover - Windows
    marker = path.with_name(path.name + ".held")
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StateBusyError(
            f"Another process is using the state at {str(path)!r}. If none is, delete "
            f"{str(marker)!r}."
        ) from None
    os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()
