"""The pure side of managed MCAP fleet uploads (`fleet-managed-mcap-v1`): local limits,
the receipt, and checks of the server's envelopes and status documents."""

from __future__ import annotations

import math
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FileChangedError, UploadSourceError, UploadStateError
from ..types.fleet_managed_upload import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    PART_SIZE,
    PROTOCOL,
    ManagedFleetUploadStatus,
    require_canonical_uuid,
)
from ._fleet_inventory import SourceInventory
from ._state import atomic_write_json, read_json

__all__ = [
    "ManagedFile",
    "ManagedReceipt",
    "check_envelope",
    "check_managed_inventory",
    "check_managed_status",
    "check_options",
    "part_geometry",
]

RECEIPT_VERSION = 1
_SAVING = threading.Lock()
POLL_INTERVAL = 2.0
MAX_WAIT = 3600.0


def check_options(recording_uid: object, max_workers: object, wait_timeout: object) -> float:
    """ValueError for a recording uid that is not a canonical UUID, `max_workers` outside
    1-4 or `wait_timeout` outside 0-3600 s; returns the timeout as a float."""
    require_canonical_uuid(recording_uid, "recording_uid")
    if (
        isinstance(max_workers, bool)
        or not isinstance(max_workers, int)
        or not 1 <= max_workers <= 4
    ):
        raise ValueError("max_workers must be an integer from 1 to 4")
    if isinstance(wait_timeout, bool) or not isinstance(wait_timeout, (int, float)):
        raise ValueError("wait_timeout must be a number of seconds")
    timeout = float(wait_timeout)
    if not math.isfinite(timeout) or not 0 <= timeout <= MAX_WAIT:
        raise ValueError("wait_timeout must be between 0 and 3600 seconds")
    return timeout


def check_managed_inventory(inventory: SourceInventory) -> None:
    """The managed protocol's local limits: 1-64 `.mcap` files of 1 B to 8 GiB each, 64 GiB
    in all, NFC names without control characters, none under `__derived__/`."""
    files = inventory.files
    if len(files) > MAX_FILES:
        raise UploadSourceError(
            f"A managed upload takes at most {MAX_FILES} files; the source has {len(files)}."
        )
    for file in files:
        name = file.path
        if not name.lower().endswith(".mcap"):
            raise UploadSourceError(
                f"{name!r} is not an .mcap file; managed uploads take MCAP only.", path=name
            )
        if unicodedata.normalize("NFC", name) != name or any(
            ord(c) < 32 or ord(c) == 127 for c in name
        ):
            raise UploadSourceError(
                f"{name!r} is not an NFC name without control characters.", path=name
            )
        if name.startswith("__derived__/") or name == "__derived__":
            raise UploadSourceError(
                f"{name!r} is under __derived__/, which is reserved.", path=name
            )
        if not 1 <= file.size_bytes <= MAX_FILE_BYTES:
            raise UploadSourceError(
                f"{name!r} must hold 1 byte to 8 GiB (it has {file.size_bytes}).", path=name
            )
    if inventory.total_bytes > MAX_TOTAL_BYTES:
        raise UploadSourceError("A managed upload takes at most 64 GiB in all.")


def part_geometry(size: int) -> list[tuple[int, int, int]]:
    """[(part number, offset, size)] of a file cut into 64 MiB parts."""
    count = max(1, -(-size // PART_SIZE))
    return [(n + 1, n * PART_SIZE, min(PART_SIZE, size - n * PART_SIZE)) for n in range(count)]


def _refuse(why: str) -> UploadStateError:
    return UploadStateError(f"The server's managed upload answer was refused: {why}.")


def check_envelope(
    data: Mapping[str, Any], keys: Iterable[str], *, session_uid: str, **echo: object
) -> None:
    """An answer with exactly `keys`, echoing the protocol, the session and `echo`."""
    wanted = {"protocol", "session_uid", *keys, *echo}
    if not isinstance(data, Mapping) or set(data) != wanted:
        raise _refuse("unexpected fields")
    if data["protocol"] != PROTOCOL or data["session_uid"] != session_uid:
        raise _refuse("it names another protocol or session")
    for name, value in echo.items():
        if data[name] != value:
            raise _refuse(f"it names another {name}")


@dataclass
class ManagedFile:
    """What the receipt keeps per original."""

    size: int
    mtime_ns: int
    sha256: str
    file_uid: str | None = None
    generation_uid: str | None = None
    pin: str | None = None


@dataclass
class ManagedReceipt:
    path: Path
    api: str
    recording_uid: str
    session_uid: str = field(default_factory=lambda: str(uuid.uuid4()))
    files: dict[str, ManagedFile] = field(default_factory=dict)
    finalizing: bool = False

    def document(self) -> dict[str, Any]:
        return {
            "version": RECEIPT_VERSION,
            "protocol": PROTOCOL,
            "api": self.api,
            "recording_uid": self.recording_uid,
            "session_uid": self.session_uid,
            "finalizing": self.finalizing,
            "files": {
                name: [f.size, f.mtime_ns, f.sha256, f.file_uid, f.generation_uid, f.pin]
                for name, f in self.files.items()
            },
        }

    def save(self) -> None:
        with _SAVING:  # the sync client's worker threads share one receipt
            atomic_write_json(self.path, self.document())

    @classmethod
    def load(cls, path: Path, *, api: str, recording_uid: str) -> ManagedReceipt | None:
        try:
            data = read_json(path)
        except FileNotFoundError:
            return None
        try:
            if (
                not isinstance(data, dict)
                or set(data)
                != {
                    "version",
                    "protocol",
                    "api",
                    "recording_uid",
                    "session_uid",
                    "finalizing",
                    "files",
                }
                or data["version"] != RECEIPT_VERSION
                or data["protocol"] != PROTOCOL
            ):
                raise ValueError("unknown version")
            if data["api"] != api or data["recording_uid"] != recording_uid:
                raise ValueError("another recording")
            session = require_canonical_uuid(data["session_uid"], "session_uid")
            files = {}
            for name, row in data["files"].items():
                size, mtime, sha, file_uid, generation, pin = row
                files[str(name)] = ManagedFile(
                    int(size), int(mtime), str(sha), file_uid, generation, pin
                )
            return cls(path, api, recording_uid, session, files, bool(data["finalizing"]))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise UploadStateError(
                f"The managed upload receipt {str(path)!r} cannot be used ({exc}). Move it away "
                "to start over."
            ) from None

    def check_manifest(self, inventory: SourceInventory) -> None:
        mine = {name: f.size for name, f in self.files.items()}
        theirs = {f.path: f.size_bytes for f in inventory.files}
        if mine != theirs:
            raise FileChangedError(
                "The source's .mcap files changed since this managed upload started. Restore "
                "them to resume, or upload to a new recording."
            )


def check_managed_status(status: ManagedFleetUploadStatus, receipt: ManagedReceipt) -> None:
    """The status names our session and recording, exactly our files (sizes and SHA-256),
    and file uids and generations that never changed."""
    if status.session_uid != receipt.session_uid or status.recording_uid != receipt.recording_uid:
        raise _refuse("the status names another session or recording")
    by_path = {f.path: f for f in status.files}
    if set(by_path) != set(receipt.files):
        raise _refuse("the session's files differ from the local ones")
    for name, local in receipt.files.items():
        remote = by_path[name]
        if remote.size_bytes != local.size or remote.content_sha256 != local.sha256:
            raise _refuse(f"the server's size or SHA-256 of {name!r} differs")
        if local.file_uid is not None and remote.file_uid != local.file_uid:
            raise _refuse(f"the file uid of {name!r} changed")
        gen = remote.generation
        if local.generation_uid is not None and (
            gen is None or gen.generation_uid != local.generation_uid
        ):
            raise _refuse(f"the upload generation of {name!r} changed")
        if (
            local.generation_uid is None
            and gen is not None
            and gen.state not in ("active", "initializing")
        ):
            raise _refuse(f"{name!r} has a generation this machine did not start")
