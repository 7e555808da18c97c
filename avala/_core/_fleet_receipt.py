"""Receipts of fleet recording uploads: what this machine started, so a later run resumes
it instead of starting over or guessing.

Layout under the state directory (each file mode 0600, replaced atomically):

    fleet/legacy/<scope>.json      receipt of the guarded (legacy) protocol
    fleet/legacy/<scope>.journal   one JSON line per file stored (sha256, ETag, stat)
    fleet/managed/<scope>.json     receipt of the managed MCAP protocol
    fleet/<protocol>/<scope>.lock  held while an upload of that recording runs

`scope` is the SHA-256 of the canonical API URL and the canonical recording uid, so the two
protocols never share a receipt, and neither the API key nor the source directory's location
is part of it: a rotated key or a moved (or restored) directory resumes the same upload. What
the receipt is bound to is the *manifest* (every path and size): a source whose file list or
sizes changed is refused instead of being mixed into the old session.

Nothing here is a credential: no API key (nor its hash), no signed URL, no grant.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from ..errors import UploadStateError
from ._fleet_inventory import SourceInventory
from ._state import atomic_write_json, read_json

__all__ = [
    "JournalEntry",
    "LegacyPhase",
    "LegacyReceipt",
    "UID_PATTERN",
    "canonical_api_url",
    "canonical_uid",
    "check_transition",
    "manifest_digest",
    "read_journal",
    "receipt_paths",
    "scope_of",
]

UID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")
RECEIPT_VERSION = 1
LegacyPhase = Literal["initializing", "active", "finalizing", "completed"]
_PHASES: frozenset[str] = frozenset({"initializing", "active", "finalizing", "completed"})

# Which phase may follow which. `initializing` may be written again: a run that finds its own
# unanswered `init` (no session on the server) sends it again. `active` may go back to
# `initializing` only when the server proves it has no session (the earlier one was lost).
_TRANSITIONS: Mapping[str | None, frozenset[str]] = {
    None: frozenset({"initializing"}),
    "initializing": frozenset({"initializing", "active"}),
    "active": frozenset({"active", "finalizing"}),
    "finalizing": frozenset({"finalizing", "completed"}),
    "completed": frozenset({"completed"}),
}


def canonical_uid(value: str, what: str) -> str:
    """`value` as sent in URLs: a UUID in lowercase hyphenated form, else unchanged.
    ValueError unless it matches `[A-Za-z0-9_-]{1,128}`."""
    if not isinstance(value, str) or not UID_PATTERN.fullmatch(value):
        raise ValueError(f"{what} must be 1-128 letters, digits, '_' or '-'")
    try:
        return str(UUID(value))
    except ValueError:
        return value


def canonical_api_url(base_url: str) -> str:
    """The API base URL as receipts name it: lower-case host, no default port, no trailing
    slash, `server.avala.ai` read as `api.avala.ai`."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host == "server.avala.ai":
        host = "api.avala.ai"
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = (parts.scheme, port) in (("http", 80), ("https", 443))
    authority = host if port is None or default else f"{host}:{port}"
    return urlunsplit((parts.scheme, authority, parts.path.rstrip("/"), "", ""))


def _digest(value: object) -> str:
    encoded = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def scope_of(api_url: str, recording_uid: str) -> str:
    return _digest([canonical_api_url(api_url), recording_uid])


def manifest_digest(inventory: SourceInventory, *, with_hashes: bool = False) -> str:
    """SHA-256 over every (path, size) of the source, plus each file's SHA-256 when asked."""
    if with_hashes:
        return _digest([[f.path, f.size_bytes, f.sha256] for f in inventory.files])
    return _digest([[f.path, f.size_bytes] for f in inventory.files])


def receipt_paths(state_root: Path, protocol: str, scope: str) -> tuple[Path, Path, Path]:
    """(receipt, journal, lock) of one recording's upload under one protocol."""
    folder = state_root / "fleet" / protocol
    return folder / f"{scope}.json", folder / f"{scope}.journal", folder / f"{scope}.lock"


def check_transition(previous: str | None, phase: str) -> None:
    if phase not in _TRANSITIONS.get(previous, frozenset()):
        raise UploadStateError(
            f"Refusing to move the upload receipt from {previous or 'none'!r} to {phase!r}."
        )


def _corrupt(path: Path, why: str) -> UploadStateError:
    return UploadStateError(
        f"The fleet upload receipt {str(path)!r} cannot be used ({why}). It was written by "
        "another SDK version or edited; move it away to start the upload over."
    )


@dataclass
class LegacyReceipt:
    """The state of one guarded upload (see the module docstring)."""

    path: Path
    api: str
    recording_uid: str
    storage_config_uid: str | None
    manifest: str
    total_files: int
    total_bytes: int
    phase: LegacyPhase = "initializing"
    session_uid: str | None = None
    s3_prefix: str | None = None
    source: str = ""

    def document(self) -> dict[str, Any]:
        return {
            "version": RECEIPT_VERSION,
            "protocol": "fleet-legacy",
            "api": self.api,
            "recording_uid": self.recording_uid,
            "storage_config_uid": self.storage_config_uid,
            "manifest": self.manifest,
            "total_files": self.total_files,
            "total_bytes": self.total_bytes,
            "phase": self.phase,
            "session_uid": self.session_uid,
            "s3_prefix": self.s3_prefix,
            "source": self.source,
        }

    def save(
        self, phase: LegacyPhase, *, session_uid: str | None = None, s3_prefix: str | None = None
    ) -> None:
        """Move to `phase` (checked) and write the receipt atomically. A session and a
        storage prefix, once recorded, never change."""
        check_transition(self.phase if self.path.exists() else None, phase)
        if phase == "initializing":
            self.session_uid = None
            self.s3_prefix = None
        else:
            if session_uid is not None:
                if self.session_uid not in (None, session_uid):
                    raise UploadStateError("The receipt's upload session cannot change.")
                self.session_uid = session_uid
            if s3_prefix is not None:
                if self.s3_prefix not in (None, s3_prefix):
                    raise UploadStateError("The receipt's storage prefix cannot change.")
                if not valid_prefix(s3_prefix, self.recording_uid):
                    raise UploadStateError("The storage prefix is not under this recording.")
                self.s3_prefix = s3_prefix
            if self.session_uid is None:
                raise UploadStateError("An upload receipt past 'initializing' needs a session.")
        self.phase = phase
        atomic_write_json(self.path, self.document())

    @classmethod
    def load(cls, path: Path, *, expected: LegacyReceipt) -> LegacyReceipt | None:
        """The receipt at `path`, None when there is none. A receipt for different inputs or
        in a shape this SDK did not write raises `UploadStateError`; a changed source raises
        it too, naming what changed."""
        try:
            data = read_json(path)
        except FileNotFoundError:
            return None
        keys = set(expected.document())
        if not isinstance(data, dict) or set(data) != keys:
            raise _corrupt(path, "unexpected fields")
        if data["version"] != RECEIPT_VERSION or data["protocol"] != "fleet-legacy":
            raise _corrupt(path, "unknown version")
        for name in ("api", "recording_uid", "storage_config_uid"):
            if data[name] != getattr(expected, name):
                raise _corrupt(path, f"it belongs to another {name}")
        phase = data["phase"]
        session = data["session_uid"]
        prefix = data["s3_prefix"]
        if phase not in _PHASES:
            raise _corrupt(path, "unknown phase")
        if phase == "initializing":
            if session is not None or prefix is not None:
                raise _corrupt(path, "a session before initialization")
        elif not isinstance(session, str) or not UID_PATTERN.fullmatch(session):
            raise _corrupt(path, "invalid session uid")
        elif prefix is not None and not valid_prefix(prefix, expected.recording_uid):
            raise _corrupt(path, "invalid storage prefix")
        if not isinstance(data["total_files"], int) or not isinstance(data["total_bytes"], int):
            raise _corrupt(path, "invalid totals")
        receipt = cls(
            path,
            expected.api,
            expected.recording_uid,
            expected.storage_config_uid,
            str(data["manifest"]),
            data["total_files"],
            data["total_bytes"],
            phase,
            session,
            prefix,
            str(data["source"]),
        )
        if receipt.manifest != expected.manifest:
            from ..errors import FileChangedError

            raise FileChangedError(
                "The source changed since this recording's upload started (now "
                f"{expected.total_files} files / {expected.total_bytes} bytes, then "
                f"{receipt.total_files} files / {receipt.total_bytes} bytes). Restore the "
                "original files to resume, or upload to a new recording."
            )
        return receipt


def valid_prefix(prefix: object, recording_uid: str) -> bool:
    """Whether `prefix` is a storage prefix the server may hand out for this recording."""
    return (
        isinstance(prefix, str)
        and 0 < len(prefix) <= 1024
        and prefix.startswith("fleet/")
        and prefix.endswith(f"/{recording_uid}/")
        and "\\" not in prefix
        and not any(ord(c) < 32 or ord(c) == 127 for c in prefix)
        and ".." not in prefix.split("/")
    )


@dataclass(frozen=True)
class JournalEntry:
    """A file whose bytes reached storage: its size, mtime, SHA-256 and the ETag the
    storage host answered. `session` ties it to one upload session."""

    session: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    etag: str

    def line(self) -> bytes:
        data = {
            "v": self.session,
            "p": self.path,
            "s": self.size,
            "m": self.mtime_ns,
            "h": self.sha256,
            "e": self.etag,
        }
        return json.dumps(data, separators=(",", ":")).encode() + b"\n"


def read_journal(path: Path, session: str) -> dict[str, JournalEntry]:
    """The journal's entries for `session`, the last one per path winning. A torn last line
    (a crash mid-write) is skipped; any other malformed line raises `UploadStateError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UploadStateError(f"Cannot read the upload journal: {exc.strerror or exc}") from None
    lines = raw.split(b"\n")
    entries: dict[str, JournalEntry] = {}
    for number, line in enumerate(lines):
        if not line:
            continue
        try:
            data = json.loads(line)
            entry = JournalEntry(
                str(data["v"]),
                str(data["p"]),
                int(data["s"]),
                int(data["m"]),
                str(data["h"]),
                str(data["e"]),
            )
        except (ValueError, KeyError, TypeError):
            if number == len(lines) - 1:
                break  # torn tail: the write was interrupted
            raise UploadStateError(
                f"The upload journal {str(path)!r} is corrupt (line {number + 1})."
            ) from None
        if entry.session == session:
            entries[entry.path] = entry
    return entries


class Journal:
    """Appends `JournalEntry` lines (from any thread); `sync()` makes everything written so
    far durable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None
        self._lock = threading.Lock()

    def append(self, entries: Iterable[JournalEntry]) -> None:
        data = b"".join(entry.line() for entry in entries)
        with self._lock:
            if self._handle is None:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                self._handle = os.fdopen(fd, "ab")
            self._handle.write(data)
            self._handle.flush()

    def sync(self) -> None:
        with self._lock:
            if self._handle is not None:
                os.fsync(self._handle.fileno())

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def reset(self) -> None:
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
