"""Managed MCAP fleet uploads (`fleet-managed-mcap-v1`): exact, frozen status documents.

Every model refuses unknown fields and inconsistent values: the SDK acts on these documents
(what to upload, what is verified), so a surprising answer stops the upload instead of being
guessed at. Publication of a recording's originals does not mean the recording is ready.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FILES",
    "MAX_TOTAL_BYTES",
    "PART_SIZE",
    "PROTOCOL",
    "ManagedFinalization",
    "ManagedFleetUploadStatus",
    "ManagedGeneration",
    "ManagedOriginal",
]

PROTOCOL = "fleet-managed-mcap-v1"
PART_SIZE = 64 * 1024**2
MAX_FILES = 64
MAX_FILE_BYTES = 8 * 1024**3
MAX_TOTAL_BYTES = 64 * 1024**3
MAX_PARTS = 128

_SHA256 = re.compile(r"[0-9a-f]{64}")

GenerationState = Literal["initializing", "active", "abandoned", "completing", "completed"]
FinalizationState = Literal["pending", "running", "retry_wait", "succeeded", "failed"]
FinalizationCode = Literal[
    "pending",
    "running",
    "capacity_pending",
    "worker_disabled",
    "deadline_exceeded",
    "lease_lost",
    "source_unavailable",
    "attempts_exhausted",
    "published",
    "content_mismatch",
    "invalid_mcap",
]


def require_canonical_uuid(value: object, what: str) -> str:
    """`value` itself when it is a lowercase hyphenated UUID; ValueError otherwise."""
    try:
        if isinstance(value, str) and str(UUID(value)) == value:
            return value
    except ValueError:
        pass
    raise ValueError(f"{what} must be a canonical UUID")


class _Exact(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Strict base: no unknown keys, immutable."""

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = msgspec.to_builtins(self)
        return data


class ManagedGeneration(_Exact, kw_only=True, frozen=True):
    generation_uid: str
    number: int
    state: GenerationState

    def __post_init__(self) -> None:
        require_canonical_uuid(self.generation_uid, "generation_uid")
        if self.number < 1:
            raise ValueError("generation number must be >= 1")


class ManagedOriginal(_Exact, kw_only=True, frozen=True):
    file_uid: str
    path: str
    size_bytes: int
    content_sha256: str
    content_type: Literal["application/octet-stream"]
    content_encoding: Literal[""]
    part_size: int
    part_count: int
    verified: bool
    generation: ManagedGeneration | None

    def __post_init__(self) -> None:
        require_canonical_uuid(self.file_uid, "file_uid")
        if not 0 < self.size_bytes <= MAX_FILE_BYTES:
            raise ValueError("original size must be 1 B to 8 GiB")
        if not _SHA256.fullmatch(self.content_sha256):
            raise ValueError("content_sha256 must be 64 lowercase hex digits")
        if self.part_size != PART_SIZE:
            raise ValueError("part_size must be 64 MiB")
        if self.part_count != -(-self.size_bytes // PART_SIZE) or self.part_count > MAX_PARTS:
            raise ValueError("part_count disagrees with the size")
        if self.verified and (self.generation is None or self.generation.state != "completed"):
            raise ValueError("a verified original needs a completed generation")


class ManagedFinalization(_Exact, kw_only=True, frozen=True):
    uid: str
    state: FinalizationState
    stage: Literal["complete", "verify", "attach", "prepare", "publish"]
    attempts: int
    failures: int
    code: FinalizationCode
    available_at: str
    publication_uid: str | None
    dataset_uid: str | None

    def __post_init__(self) -> None:
        require_canonical_uuid(self.uid, "finalization uid")
        if self.attempts < 0 or not 0 <= self.failures <= 5:
            raise ValueError("finalization counters out of range")
        try:
            when = datetime.fromisoformat(self.available_at.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("available_at must be an ISO 8601 time") from None
        if when.utcoffset() is None:
            raise ValueError("available_at needs a time zone")
        if self.state == "succeeded":
            if self.stage != "publish" or self.code != "published" or self.failures != 0:
                raise ValueError("a succeeded finalization must be published")
            require_canonical_uuid(self.publication_uid, "publication_uid")
            require_canonical_uuid(self.dataset_uid, "dataset_uid")
        elif self.publication_uid is not None or self.dataset_uid is not None:
            raise ValueError("unfinished work cannot claim a publication")

    @property
    def terminal(self) -> bool:
        """Succeeded, or failed for a reason a retry cannot fix."""
        return self.state == "succeeded" or (
            self.state == "failed" and self.code in ("content_mismatch", "invalid_mcap")
        )


class ManagedFleetUploadStatus(_Exact, kw_only=True, frozen=True):
    """A managed upload session: its originals, their generations, and publication work."""

    protocol: Literal["fleet-managed-mcap-v1"]
    session_uid: str
    recording_uid: str
    status: Literal["initiated", "uploading", "completing", "completed"]
    total_files: int
    total_bytes: int
    confirmed_files: int
    confirmed_bytes: int
    files: list[ManagedOriginal]
    finalization: ManagedFinalization | None

    def __post_init__(self) -> None:
        require_canonical_uuid(self.session_uid, "session_uid")
        require_canonical_uuid(self.recording_uid, "recording_uid")
        files = self.files
        if not 1 <= len(files) <= MAX_FILES or not 0 < self.total_bytes <= MAX_TOTAL_BYTES:
            raise ValueError("file count or total size out of range")
        if (
            len(files) != self.total_files
            or len({f.file_uid for f in files}) != len(files)
            or len({f.path for f in files}) != len(files)
            or sum(f.size_bytes for f in files) != self.total_bytes
            or sum(f.verified for f in files) != self.confirmed_files
            or sum(f.size_bytes for f in files if f.verified) != self.confirmed_bytes
        ):
            raise ValueError("counters disagree with the originals")
        if self.status == "completed" and self.confirmed_files != self.total_files:
            raise ValueError("a completed session has unverified originals")
        final = self.finalization
        if final is not None and final.state == "succeeded" and self.status != "completed":
            raise ValueError("publication needs a completed session")
