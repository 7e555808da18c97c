"""The resume journal of a dataset upload: which files are stored, which may be.

Layout, under `<state dir>/uploads/datasets/`, per upload (`<name>` = the dataset name made
file-safe plus 12 hex of a hash of the destination):

- `<name>.json`: snapshot `{"version": 1, "fingerprint": ..., "completed": {rel: [size,
  mtime_ns]}, "started": {rel: [size, mtime_ns]}, "remote": [rel, ...]}`, written atomically;
- `<name>.journal`: JSON lines appended since the snapshot, one per event:
  `{"r": rel, "k": "start"|"done"|"bad", "s": [size, mtime_ns] | null}`;
- `<name>.batch`: the upload batch (protocol v2) the state belongs to;
- `<name>.lock`: held by the process running the upload.

Lines are written with one `write` each, so a killed process (even `kill -9`) loses nothing
it wrote; they are fsynced when the run ends, never on the transfer path (a slow disk must
not stall the uploads). A power cut can lose the last lines, or tear the last one (skipped):
that costs a check with the server (which lists what it stores), never a wrong skip, since a
file is journaled as stored only after the server has it. Replaying lines on top of a
snapshot that already holds them changes nothing, so compaction (snapshot, then truncate)
is safe at any point; it happens when a run starts. Every file has mode 0600. No URL and no key is stored: the
fingerprint holds only a hash of the API key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UploadStateError
from ._state import atomic_write_bytes, atomic_write_json, exclusive_lock, read_json, state_dir
from ._upload_files import Stamp, file_stamp

__all__ = [
    "Journal",
    "StatePaths",
    "UploadState",
    "clear_state",
    "fingerprint",
    "pending_bytes",
    "prepare_batch",
    "replay",
    "state_paths",
]

VERSION = 1
_COMPACT_EVERY = 50_000  # lines: keeps replay of a huge run's journal short


def fingerprint(
    base_url: str, organization_uid: str | None, dataset_name: str, api_key: str
) -> str:
    """Who uploads what where: API base, organization, dataset name and (for personal
    uploads) a short hash of the key, never the key."""
    base = base_url.rstrip("/").replace("://server.avala.ai", "://api.avala.ai")
    org = (organization_uid or "").strip().lower()
    account = "" if org else "k:" + hashlib.sha256(api_key.encode()).hexdigest()[:16]
    return f"{base}|{org}|{dataset_name}|{account}"


@dataclass(frozen=True)
class StatePaths:
    snapshot: Path
    journal: Path
    batch: Path
    lock: Path


def state_paths(
    state_key: str, fp: str, *, root: str | os.PathLike[str] | None = None
) -> StatePaths:
    directory = state_dir(root) / "uploads" / "datasets"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", state_key).strip("._ ")[:64] or "upload"
    name = f"{safe}-{hashlib.sha256((fp + chr(0) + state_key).encode()).hexdigest()[:12]}"
    return StatePaths(
        snapshot=directory / f"{name}.json",
        journal=directory / f"{name}.journal",
        batch=directory / f"{name}.batch",
        lock=directory / f"{name}.lock",
    )


@dataclass
class UploadState:
    """What the journal knows: `completed` files (with the stamp they were stored with),
    `started` files (the stamp they had when bytes began to flow) and `remote`, every file
    whose bytes may have reached storage."""

    completed: dict[str, Stamp] = field(default_factory=dict)
    started: dict[str, Stamp] = field(default_factory=dict)
    remote: set[str] = field(default_factory=set)

    def apply(self, rel: str, kind: str, stamp: Stamp | None) -> None:
        self.remote.add(rel)
        if kind == "done" and stamp is not None:
            self.completed[rel] = stamp
        elif kind == "start" and stamp is not None:
            self.completed.pop(rel, None)
            self.started[rel] = stamp
        else:
            self.completed.pop(rel, None)

    def to_json(self, fp: str) -> dict[str, Any]:
        return {
            "version": VERSION,
            "fingerprint": fp,
            "completed": {rel: list(s) for rel, s in sorted(self.completed.items())},
            "started": {rel: list(s) for rel, s in sorted(self.started.items())},
            "remote": sorted(self.remote),
        }


def _stamp(raw: Any) -> Stamp | None:
    if (
        isinstance(raw, list)
        and len(raw) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
    ):
        return (raw[0], raw[1])
    return None


def _from_snapshot(doc: Any, fp: str, where: Path) -> UploadState:
    def corrupt(why: str) -> UploadStateError:
        return UploadStateError(
            f"The upload state {str(where)!r} is corrupt ({why}). Delete it, or run with "
            "resume=False, to start over."
        )

    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        raise corrupt("unknown format")
    if doc.get("fingerprint") != fp:
        raise corrupt("it belongs to another upload")
    state = UploadState()
    for name in ("completed", "started"):
        entries = doc.get(name)
        if not isinstance(entries, dict):
            raise corrupt(f"{name} is not an object")
        target = getattr(state, name)
        for rel, raw in entries.items():
            stamp = _stamp(raw)
            if not isinstance(rel, str) or stamp is None:
                raise corrupt(f"bad entry in {name}")
            target[rel] = stamp
    remote = doc.get("remote")
    if not isinstance(remote, list) or not all(isinstance(r, str) for r in remote):
        raise corrupt("remote is not a list of paths")
    state.remote = set(remote) | set(state.completed) | set(state.started)
    return state


def replay(snapshot: Any, journal: bytes, fp: str, where: Path) -> UploadState:
    """The state from a snapshot document (None when there is none) and journal bytes.
    A line that does not parse is skipped (a torn write); a snapshot that does not parse
    is an `UploadStateError`."""
    state = UploadState() if snapshot is None else _from_snapshot(snapshot, fp, where)
    for line in journal.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        rel, kind = record.get("r"), record.get("k")
        if isinstance(rel, str) and kind in ("start", "done", "bad"):
            state.apply(rel, kind, _stamp(record.get("s")))
    return state


def _load(paths: StatePaths, fp: str) -> UploadState:
    try:
        snapshot = read_json(paths.snapshot)
    except FileNotFoundError:
        snapshot = None
    try:
        journal = paths.journal.read_bytes()
    except FileNotFoundError:
        journal = b""
    except OSError as exc:
        raise UploadStateError(
            f"Cannot read the upload journal {str(paths.journal)!r}: {exc.strerror or exc}"
        ) from None
    return replay(snapshot, journal, fp, paths.snapshot)


def read_batch(paths: StatePaths) -> str | None:
    try:
        text = paths.batch.read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UploadStateError(
            f"Cannot read the upload batch {str(paths.batch)!r}: {exc.strerror or exc}"
        ) from None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise UploadStateError(
            f"The upload batch file {str(paths.batch)!r} is corrupt. Delete it, or run with "
            "resume=False, to start over."
        ) from None


def _reset(paths: StatePaths) -> None:
    for path in (paths.snapshot, paths.journal, paths.batch):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def prepare_batch(paths: StatePaths, fp: str, *, resume: bool) -> str | None:
    """The upload batch to use: the saved one when resuming, `None` when a protocol-v1
    upload is half done (it finishes on v1), else a fresh one (state of any previous batch
    is dropped: nothing stored under it belongs to the new one)."""
    with exclusive_lock(paths.lock):
        current = read_batch(paths)
        if resume and current is not None:
            return current
        if resume and current is None and _load(paths, fp).remote:
            return None
        _reset(paths)
        batch = str(uuid.uuid4())
        atomic_write_bytes(paths.batch, batch.encode())
        return batch


def pending_bytes(
    paths: StatePaths, fp: str, files: Sequence[tuple[str, str]], *, resume: bool
) -> int:
    """Bytes of the `files` an upload would still send (those not stored unchanged)."""
    completed = _load(paths, fp).completed if resume else {}
    total = 0
    for local, rel in files:
        stamp = file_stamp(local)
        if completed.get(rel) != stamp:
            total += stamp[0]
    return total


def clear_state(paths: StatePaths, *, batch: str | None) -> None:
    """Forget a finished upload (only if its state still belongs to `batch`)."""
    with exclusive_lock(paths.lock):
        if read_batch(paths) != batch:
            return
        _reset(paths)
        # Removed while held: a process that opened it meanwhile holds a lock on a file
        # nobody else will open, and finds no state, which is what a finished upload is.
        with contextlib.suppress(FileNotFoundError):
            paths.lock.unlink()


class Journal:
    """The open journal of one running upload. Holds the upload's lock from `open` to
    `close`; `start`, `done` and `bad` are thread-safe and never block on the network."""

    def __init__(self, paths: StatePaths, fp: str) -> None:
        self.paths = paths
        self.fp = fp
        self.state = UploadState()
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._lines = 0
        self._dirty = False
        self._held: contextlib.ExitStack | None = None

    def open(self, *, batch: str | None) -> UploadState:
        """Lock, load, compact, and check the state belongs to `batch`."""
        stack = contextlib.ExitStack()
        stack.enter_context(exclusive_lock(self.paths.lock))
        try:
            saved = read_batch(self.paths)
            if saved is not None and saved != batch:
                raise UploadStateError(
                    "The saved upload state belongs to another upload batch. Run with "
                    "resume=False to start over, or pass the batch it was started with."
                )
            self.state = _load(self.paths, self.fp)
            if saved is None and batch is not None:
                if self.state.remote:
                    raise UploadStateError(
                        "A protocol-v1 upload of this dataset is half done; finish it without "
                        "a batch, or run with resume=False to start over."
                    )
                atomic_write_bytes(self.paths.batch, batch.encode())
            self._compact()
        except BaseException:
            stack.close()
            raise
        self._held = stack
        return self.state

    def _compact(self) -> None:
        atomic_write_json(self.paths.snapshot, self.state.to_json(self.fp))
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
        else:
            fd = os.open(self.paths.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.ftruncate(fd, 0)
            self._fd = fd
        self._lines = 0

    def _append(self, rel: str, kind: str, stamp: Stamp | None) -> None:
        line = json.dumps({"r": rel, "k": kind, "s": list(stamp) if stamp else None})
        with self._lock:
            self.state.apply(rel, kind, stamp)
            if self._fd is None:
                raise UploadStateError("The upload journal is closed.")
            try:
                os.write(self._fd, line.encode() + b"\n")
                self._lines += 1
                self._dirty = True
                if self._lines >= _COMPACT_EVERY:
                    self._compact()
            except OSError as exc:
                raise UploadStateError(
                    f"Cannot write the upload journal {str(self.paths.journal)!r}: "
                    f"{exc.strerror or exc}",
                    path=rel,
                ) from None

    def start(self, rel: str, stamp: Stamp) -> None:
        """Bytes of `rel` (with `stamp`) are about to go to storage."""
        self._append(rel, "start", stamp)

    def done(self, rel: str, stamp: Stamp) -> None:
        """`rel` is stored, with the content it had at `stamp`."""
        self._append(rel, "done", stamp)

    def bad(self, rel: str) -> None:
        """What storage holds for `rel` is not vouched for (the file changed meanwhile)."""
        self._append(rel, "bad", None)

    def close(self) -> None:
        """Flush the journal to disk and unlock. Safe to call twice."""
        with self._lock:
            if self._fd is not None:
                try:
                    if self._dirty:
                        os.fsync(self._fd)
                except OSError:
                    pass  # every line is written already; durability across a power cut only
                finally:
                    os.close(self._fd)
                    self._fd = None
                    self._dirty = False
            if self._held is not None:
                self._held.close()
                self._held = None

    @contextlib.contextmanager
    def opened(self, *, batch: str | None) -> Iterator[UploadState]:
        state = self.open(batch=batch)
        try:
            yield state
        finally:
            self.close()
