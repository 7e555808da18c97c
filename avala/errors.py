"""The exceptions every `avala` call can raise.

Everything the SDK raises on purpose derives from `AvalaError`, so `except avala.AvalaError`
is a complete safety net: transport failures are wrapped (never a raw httpx exception) and a
malformed success body is a `ResponseValidationError` (never a bare msgspec or JSON error).
The one deliberate exception is `ValueError`/`TypeError` for invalid arguments, raised before
any request is sent.

Every error redacts itself: its message and the response headers it keeps pass through
`avala._core._redact` (credential headers by name, known secret shapes such as `avk_...` keys,
JWTs and AWS keys by pattern), whoever raised it and whatever the server echoed.

This module imports nothing heavy: `import avala.errors` stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AvalaError",
    "ConflictError",
    "DatasetDownloadError",
    "DatasetIntegrityError",
    "DatasetReferenceError",
    "DatasetResolverError",
    "DatasetRevisionWithdrawnError",
    "DownloadError",
    "ExportDownloadError",
    "ForbiddenError",
    "MediaError",
    "MissingExtraError",
    "MutableDatasetAliasWarning",
    "NotFoundError",
    "QuotaExceededError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "UnsupportedDatasetModeError",
    "StorageError",
    "UnsafeURLError",
    "UploadError",
    "UploadSourceError",
    "UploadStateError",
    "FileChangedError",
    "ValidationError",
    "WaitTimeoutError",
]


class AvalaError(Exception):
    """Base class of every error the SDK raises.

    `message` is human readable and redacted; `status_code`, `body`, `headers` and
    `request_id` are set when the error comes from an HTTP response. `headers` are the
    response's, names lower-cased, credential values replaced by `[redacted]`.
    """

    message: str
    status_code: int | None
    body: Any
    headers: Mapping[str, str]
    request_id: str | None

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
    ) -> None:
        # Imported here, not at module level: `import avala.errors` must not load `_core`.
        from ._core._redact import redact_headers, redact_text

        message = redact_text(message)
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.headers = redact_headers(headers) if headers else {}
        self.request_id = request_id

    def __str__(self) -> str:
        parts = [self.message]
        if self.status_code is not None:
            parts.append(f"(HTTP {self.status_code})")
        if self.request_id:
            parts.append(f"[request id {self.request_id}]")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"request_id={self.request_id!r})"
        )


class APIConnectionError(AvalaError):
    """The request never got an HTTP answer: DNS, refused connection, reset, protocol error."""


class APITimeoutError(APIConnectionError):
    """Connecting, sending or reading took longer than the configured timeout."""


class ResponseValidationError(AvalaError):
    """A 2xx response whose body is not what the API promises (bad JSON, wrong types,
    missing required fields). `model` names the expected type and `path` the offending field
    (msgspec's `$.results[3].uid` notation) when known."""

    model: str
    path: str | None

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        body: Any = None,
        *,
        model: str,
        path: str | None = None,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status_code, body, headers=headers, request_id=request_id)
        self.model = model
        self.path = path


class APIStatusError(AvalaError):
    """The API answered with a non-2xx status. Subclasses name the common statuses."""

    status_code: int


class ValidationError(APIStatusError):
    """400 or 422: the API rejected the request's content.

    `details` holds the field errors: a list body as-is, or a DRF field dict
    (`{"name": ["This field is required."]}`) flattened to `[{"field": ..., "message": ...}]`.
    """

    details: list[Any]

    def __init__(self, *args: Any, details: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.details = details if details is not None else []


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class ForbiddenError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such object (or it is not visible to this key)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state of the object."""


class QuotaExceededError(APIStatusError):
    """413: an upload or storage quota is exhausted. `limit`/`used` are bytes when known."""

    limit: int | None
    used: int | None

    def __init__(
        self, *args: Any, limit: int | None = None, used: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.used = used


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` is the server's hint in seconds, if it gave one
    (both the delta-seconds and HTTP-date forms of `Retry-After` are understood)."""

    retry_after: float | None

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: the API failed. Retried automatically up to `max_retries` times before raising."""


class WaitTimeoutError(AvalaError, TimeoutError):
    """A `wait()` helper gave up: the object did not reach a terminal state in time.

    `last` is the last object seen, so nothing fetched is lost.
    """

    last: Any

    def __init__(self, message: str, *, last: Any = None) -> None:
        super().__init__(message)
        self.last = last


# --- Uploads -------------------------------------------------------------------------------


class UnsafeURLError(AvalaError, ValueError):
    """A storage or download URL the server handed out is not one the SDK will send bytes to
    (not https, not an allowed storage host, or carrying credentials, a port or a fragment).
    The message never contains the URL: a signed URL is a credential."""


class UploadError(AvalaError):
    """An upload failed. `path` is the file (its path in the dataset) when one file is at
    fault, and `bytes_done` the bytes of that file already stored when it failed. Completed
    work is recorded: running the same upload again resumes it."""

    path: str | None
    bytes_done: int

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        body: Any = None,
        *,
        path: str | None = None,
        bytes_done: int = 0,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status_code, body, headers=headers, request_id=request_id)
        self.path = path
        self.bytes_done = bytes_done


class UploadSourceError(UploadError, ValueError):
    """The local source of an upload cannot be uploaded as given: it is missing or empty,
    holds a symlink leading outside it or a special file, would upload two files under one
    path, or lies inside the SDK's state directory. Nothing was sent. Also a `ValueError`."""


class UploadStateError(UploadError):
    """The saved upload state cannot be used: unreadable or corrupt state files, state that
    belongs to a different upload batch, or another process running the same upload."""


class FileChangedError(UploadError):
    """A local file changed (size or modification time) while it was being uploaded. Run the
    upload again: the changed file is sent afresh."""


class StorageError(UploadError):
    """The storage host refused or failed a transfer, or could not be reached.
    `status_code` is its HTTP status (`None` when no answer arrived)."""


# --- Dataset resolver and downloads --------------------------------------------------------


class DatasetReferenceError(AvalaError, ValueError):
    """A dataset reference (or `revision=`) is malformed or ambiguous. The message is a reason
    code: `invalid_dataset_reference`, `invalid_revision`, `selector_and_revision`,
    `canonical_reference_with_revision`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedDatasetModeError(AvalaError, ValueError):
    """A loading mode this SDK does not offer (`streaming=False`, or `read()` of an object
    larger than its `max_bytes`)."""


class MutableDatasetAliasWarning(UserWarning):
    """The reference names an alias (`@main`) that may point at another revision later; keep
    the resolved `canonical_reference` for reproducible inputs."""


class DatasetResolverError(AvalaError):
    """The dataset resolver could not answer safely. `reason` is a stable code such as
    `not_found`, `rate_limited`, `service_unavailable`, `request_rejected`, `transport_error`."""

    reason: str

    def __init__(self, reason: str, status_code: int | None = None) -> None:
        super().__init__(f"Dataset resolver failed ({reason}).", status_code)
        self.reason = reason


class DatasetRevisionWithdrawnError(DatasetResolverError):
    """The revision was withdrawn (HTTP 410); its identity is kept on the error."""

    def __init__(self, canonical_reference: str, dataset_uid: str, revision_sha256: str) -> None:
        super().__init__("revision_withdrawn", 410)
        self.canonical_reference = canonical_reference
        self.dataset_uid = dataset_uid
        self.revision_sha256 = revision_sha256


class DatasetIntegrityError(DatasetResolverError):
    """Resolver metadata broke one of its identity, ordering, count or grant rules
    (`reason` names which)."""


class DownloadError(AvalaError):
    """A download failed. `reason` is a stable code (`transport_error`, `provider_response`,
    `redirect_rejected`, `size_mismatch`, `sha256_mismatch`, `local_storage_error`, ...); the
    message never contains the signed URL. A partial file that failed verification is removed."""

    reason: str

    def __init__(self, message: str, reason: str, status_code: int | None = None) -> None:
        super().__init__(message, status_code)
        self.reason = reason


class DatasetDownloadError(DownloadError):
    """Downloading one dataset object failed (`provider`, `object_uid`, `reason`)."""

    def __init__(
        self, provider: str, object_uid: str, reason: str, status_code: int | None = None
    ) -> None:
        super().__init__(
            f"Dataset object download failed (provider={provider}, object_uid={object_uid}, "
            f"reason={reason}).",
            reason,
            status_code,
        )
        self.provider = provider
        self.object_uid = object_uid


class ExportDownloadError(DownloadError):
    """Downloading an export's file failed (`export_uid`, `reason`)."""

    def __init__(self, export_uid: str, reason: str, status_code: int | None = None) -> None:
        super().__init__(
            f"Export download failed (export={export_uid}, reason={reason}).", reason, status_code
        )
        self.export_uid = export_uid


class MissingExtraError(AvalaError, ModuleNotFoundError):
    """An optional integration's libraries are not installed; the message names the
    `pip install "avala[...]"` command that installs them."""


class MediaError(DownloadError):
    """Fetching an item's media (an image for a training sample) failed: `reason`,
    `status_code` when the host answered. The message never contains the signed URL."""
