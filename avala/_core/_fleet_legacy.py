"""Checks of the guarded (legacy) fleet upload protocol's answers: the server's word decides
what is skipped and what is declared done, so every answer is checked against the local
manifest before the SDK acts on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import NotFoundError, UploadStateError
from ..types.fleet_upload import UploadSession, UploadStatusResponse
from ._fleet_inventory import SourceInventory
from ._fleet_receipt import UID_PATTERN, valid_prefix

__all__ = [
    "BATCH_SIZE",
    "NO_SESSION",
    "PENDING_PAGE",
    "SESSION_STATUSES",
    "check_confirm",
    "check_etag",
    "check_pending",
    "check_session",
    "check_status",
    "is_no_session",
    "prefix_from_key",
]

BATCH_SIZE = 100
"""Files per `urls` request and per `confirm` request."""
PENDING_PAGE = 1000
"""Most pending paths one status answer lists."""
NO_SESSION = {"detail": "No upload session found for this recording."}
SESSION_STATUSES = frozenset({"initiated", "uploading", "completing", "completed", "abandoned"})


def _refuse(why: str) -> UploadStateError:
    return UploadStateError(f"The server's upload answer was refused: {why}.")


def is_no_session(error: BaseException) -> bool:
    """Whether `error` is the exact 404 meaning "this recording has no upload session"
    (any other 404, e.g. an unknown recording, is not)."""
    return isinstance(error, NotFoundError) and error.body == NO_SESSION


def check_session(session: UploadSession, inventory: SourceInventory, recording_uid: str) -> None:
    """The answer to `init`: a usable session for exactly this manifest."""
    if not UID_PATTERN.fullmatch(session.uid):
        raise _refuse("the session uid is malformed")
    if session.total_files != len(inventory.files) or session.total_bytes != inventory.total_bytes:
        raise _refuse("the session's totals differ from the files sent")
    if session.status != "initiated":
        raise _refuse(f"a new session has status {session.status!r}")
    if not valid_prefix(session.s3_prefix, recording_uid):
        raise _refuse("the session's storage prefix is not under this recording")


def check_status(
    status: UploadStatusResponse, *, session_uid: str | None, inventory: SourceInventory
) -> None:
    """A status answer: the expected session (when known), a known state, totals equal to
    the manifest and counters that add up."""
    if session_uid is not None and status.session_uid != session_uid:
        raise UploadStateError(
            "The server's upload session for this recording is not the one this machine "
            "started (it was replaced). Upload to a new recording, or move the receipt away "
            "to adopt nothing and start over."
        )
    if status.status not in SESSION_STATUSES:
        raise _refuse(f"unknown session status {status.status!r}")
    counters = (
        status.total_files,
        status.total_bytes,
        status.confirmed_files,
        status.confirmed_bytes,
    )
    if any(type(value) is not int or value < 0 for value in counters):
        raise _refuse("negative or non-integer counters")
    if status.total_files != len(inventory.files) or status.total_bytes != inventory.total_bytes:
        raise _refuse("the session's totals differ from the local files")
    if status.confirmed_files > status.total_files or status.confirmed_bytes > status.total_bytes:
        raise _refuse("more confirmed than declared")
    if status.status == "abandoned":
        raise UploadStateError(
            "The server abandoned this recording's upload session; upload to a new recording."
        )
    if (
        status.status in ("completing", "completed")
        and status.confirmed_files != status.total_files
    ):
        raise _refuse("a finished session with unconfirmed files")


def check_pending(
    pending: Iterable[str], inventory: SourceInventory, confirmed_bytes: int
) -> set[str]:
    """The complete pending set: unique manifest paths whose sizes add up with the
    confirmed bytes to the total."""
    sizes = {f.path: f.size_bytes for f in inventory.files}
    found: set[str] = set()
    for path in pending:
        if path not in sizes or path in found:
            raise _refuse("a pending path is unknown or repeated")
        found.add(path)
    if sum(sizes[p] for p in found) + confirmed_bytes != inventory.total_bytes:
        raise _refuse("pending and confirmed bytes do not add up to the total")
    return found


def check_confirm(
    data: Mapping[str, Any], *, session_uid: str, inventory: SourceInventory, at_least: int
) -> tuple[int, int]:
    """(confirmed_files, confirmed_bytes) of a `confirm` answer."""
    if not isinstance(data, Mapping) or data.get("session_uid") != session_uid:
        raise _refuse("the confirmation names another session")
    names = ("total_files", "total_bytes", "confirmed_files", "confirmed_bytes")
    values = [data.get(name) for name in names]
    if any(type(value) is not int or value < 0 for value in values):
        raise _refuse("the confirmation's counters are missing")
    total_files, total_bytes, files, size = values
    assert isinstance(files, int)
    assert isinstance(size, int)
    if total_files != len(inventory.files) or total_bytes != inventory.total_bytes:
        raise _refuse("the confirmation's totals differ from the local files")
    if not at_least <= files <= len(inventory.files) or size > inventory.total_bytes:
        raise _refuse("the confirmation's counters do not add up")
    return files, size


def check_etag(raw: str | None) -> str:
    """The storage host's ETag without quotes (an opaque receipt, never an MD5 to check)."""
    value = (raw or "").strip().strip('"')
    if not 1 <= len(value) <= 128 or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise UploadStateError("The storage host did not answer a usable ETag for a stored file.")
    return value


def prefix_from_key(s3_key: str, path: str, recording_uid: str) -> str:
    """The session's storage prefix, read from a grant's key (when `init`'s answer was lost)."""
    if not s3_key.endswith(path):
        raise _refuse("a storage key does not end with its file's path")
    prefix = s3_key[: len(s3_key) - len(path)]
    if not valid_prefix(prefix, recording_uid):
        raise _refuse("a storage key is not under this recording")
    return prefix
