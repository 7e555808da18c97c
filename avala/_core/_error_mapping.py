"""Turn a non-2xx HTTP response into the matching typed, redacted `AvalaError`."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import msgspec

from ..errors import (
    APIStatusError,
    AuthenticationError,
    AvalaError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from ._headers import request_id as find_request_id
from ._redact import redact, redact_headers, redact_text
from ._retry import parse_retry_after

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: QuotaExceededError,
    422: ValidationError,
    429: RateLimitError,
}

_MAX_MESSAGE = 500


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown status"


def _decode_body(content: bytes) -> Any:
    if not content:
        return None
    try:
        return msgspec.json.decode(content)
    except (msgspec.DecodeError, RecursionError):  # msgspec gives up past ~1000 levels
        return None


def _field_errors(body: Any) -> list[Any]:
    """DRF error bodies as a list: a list as-is, a field dict flattened to field/message pairs."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        details: list[Any] = []
        for field, problems in body.items():
            if field == "detail":
                continue
            items = problems if isinstance(problems, list) else [problems]
            details.extend({"field": field, "message": str(p)} for p in items)
        return details
    return []


def _message(status: int, body: Any, details: list[Any]) -> str:
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        message = str(body["detail"])
    elif details and all(isinstance(d, dict) and "field" in d for d in details):
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details)
    elif details and all(isinstance(d, str) for d in details):
        message = "; ".join(details)
    else:
        message = f"HTTP {status} {_phrase(status)}"
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return message


def _quota_numbers(body: Any) -> tuple[int | None, int | None]:
    if not isinstance(body, dict):
        return None, None
    limit, used = body.get("limit"), body.get("used")
    return (
        limit if isinstance(limit, int) and not isinstance(limit, bool) else None,
        used if isinstance(used, int) and not isinstance(used, bool) else None,
    )


def error_from_response(
    status: int, headers: Mapping[str, str], content: bytes, *, secrets: tuple[str, ...] = ()
) -> AvalaError:
    """The exception for one non-2xx response. Message and body are redacted of secrets."""
    body = redact(_decode_body(content), *secrets)
    details = _field_errors(body)
    message = redact_text(_message(status, body, details), *secrets)
    common: dict[str, Any] = {
        "headers": redact_headers(headers, *secrets),
        "request_id": find_request_id(headers),
    }
    if 300 <= status < 400:
        location = redact_text(headers.get("location", "an unknown location"), *secrets)
        return AvalaError(
            f"Unexpected redirect to {location}: the SDK never follows redirects, so the API "
            "key is not replayed to another host. Check base_url.",
            status,
            body,
            **common,
        )
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    if cls is ValidationError:
        return ValidationError(message, status, body, details=details, **common)
    if cls is QuotaExceededError:
        limit, used = _quota_numbers(body)
        if limit is None and used is None:
            # A 413 without quota numbers (a proxy's "Payload Too Large") is about this
            # request's size, not an exhausted quota.
            return APIStatusError(message, status, body, **common)
        return QuotaExceededError(message, status, body, limit=limit, used=used, **common)
    if cls is RateLimitError:
        return RateLimitError(
            message, status, body, retry_after=parse_retry_after(headers), **common
        )
    return cls(message, status, body, **common)
