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
    "ClientClosedError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "QuotaExceededError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
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

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle (Celery, multiprocessing) rebuilds an exception as `cls(*args)`, which breaks
        # for every subclass with keyword-only arguments; restore the attributes instead.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


def _rebuild(cls: type[AvalaError], args: tuple[Any, ...], state: dict[str, Any]) -> AvalaError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class APIConnectionError(AvalaError):
    """The request never got an HTTP answer: DNS, refused connection, reset, protocol error."""


class APITimeoutError(APIConnectionError):
    """Connecting, sending or reading took longer than the configured timeout."""


class ClientClosedError(APIConnectionError):
    """The client was closed (`close()`, or the end of its `with` block) before this call.

    A programming error, so it is raised at once and never retried: create a new client.
    """


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
