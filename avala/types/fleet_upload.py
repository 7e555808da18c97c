"""Fleet recording uploads (guarded legacy protocol): sessions, grants, status, progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import msgspec

from ._base import Model

__all__ = [
    "UploadConfirmResponse",
    "UploadProgress",
    "UploadSession",
    "UploadStatusResponse",
    "UploadUrlEntry",
    "UploadUrlsResponse",
]


class UploadSession(Model, kw_only=True):
    """One upload session of a recording: what was declared and what the server confirmed.

    `status` is `"initiated"`, `"uploading"`, `"completing"` (queued for processing, not yet
    ready), `"completed"` or `"abandoned"`.
    """

    uid: str
    total_files: int = 0
    total_bytes: int = 0
    confirmed_files: int = 0
    confirmed_bytes: int = 0
    s3_prefix: str | None = None
    status: str | None = None


class UploadUrlEntry(Model, kw_only=True):
    """A presigned PUT for one file. `put_url` is a credential: never log it."""

    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"put_url"})

    path: str
    put_url: str
    s3_key: str
    headers: dict[str, str] = msgspec.field(default_factory=dict)


class UploadUrlsResponse(Model, kw_only=True):
    urls: list[UploadUrlEntry] = msgspec.field(default_factory=list)


class UploadConfirmResponse(Model, kw_only=True):
    confirmed: int = 0
    total_confirmed: int = 0
    total_files: int = 0


class UploadStatusResponse(Model, kw_only=True):
    """Server-side progress of a recording's upload session.

    `pending_paths` may be one page of the pending files (see `get_upload_status`).
    """

    session_uid: str
    status: str
    total_files: int = 0
    confirmed_files: int = 0
    total_bytes: int = 0
    confirmed_bytes: int = 0
    pending_paths: list[str] = msgspec.field(default_factory=list)


@dataclass(frozen=True)
class UploadProgress:
    """Progress snapshot handed to `on_progress`.

    `uploaded_bytes` advances per byte sent (not per finished file); bytes of a failed
    attempt are taken back, so the figure never exceeds `total_bytes`.
    """

    total_files: int
    uploaded_files: int
    total_bytes: int
    uploaded_bytes: int
    failed_files: int = 0
