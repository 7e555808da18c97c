"""Exit codes, and the one line on stderr that explains a failure.

| code | meaning                                                          |
|------|------------------------------------------------------------------|
| 0    | success                                                          |
| 1    | any other Avala error (409 conflict, 413 quota, a wait that gave |
|      | up or ended `failed`, an unreadable response, ...)               |
| 2    | usage: bad option or argument, unknown profile, bad config file  |
| 3    | authentication: no key, wrong key (401) or not allowed (403)     |
| 4    | not found (404)                                                  |
| 5    | validation: the API rejected the request (400, 422)              |
| 6    | rate limited (429), after the retries                            |
| 7    | server error (5xx) or network error, after the retries           |
| 130  | interrupted (Ctrl-C)                                             |
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import (
    APIConnectionError,
    AuthenticationError,
    AvalaError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)

__all__ = [
    "EXIT_AUTH",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_RATE_LIMITED",
    "EXIT_SERVER",
    "EXIT_USAGE",
    "EXIT_VALIDATION",
    "CliError",
    "describe",
    "one_line",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_VALIDATION = 5
EXIT_RATE_LIMITED = 6
EXIT_SERVER = 7
EXIT_INTERRUPTED = 130

_KEY_HINT = "check the key (--api-key, AVALA_API_KEY or `avala configure`)"


class CliError(Exception):
    """A failure the CLI itself detects (no API key, unknown profile, ...)."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """Collapse whitespace and drop control characters (a server's message must not be able
    to move the cursor or recolor the terminal)."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _details(exc: ValidationError) -> str:
    parts: list[str] = []
    for item in exc.details[:5]:
        if isinstance(item, dict):
            field: Any = item.get("field") or item.get("loc")
            message: Any = item.get("message") or item.get("msg") or item
            parts.append(f"{field}: {message}" if field else str(message))
        else:
            parts.append(str(item))
    if len(exc.details) > 5:
        parts.append(f"... ({len(exc.details) - 5} more)")
    return "; ".join(parts)


def describe(exc: AvalaError) -> tuple[int, str]:
    """(exit code, message) for an SDK error. The SDK already redacted the key from it."""
    text = str(exc)
    command = getattr(exc, "cli_command", None)
    if command:
        text = f"{command}: {text}"
    if isinstance(exc, (AuthenticationError, ForbiddenError)):
        what = "authentication failed" if isinstance(exc, AuthenticationError) else "forbidden"
        return EXIT_AUTH, f"{what}: {text}; {_KEY_HINT}"
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND, f"not found: {text}"
    if isinstance(exc, ValidationError):
        details = _details(exc)
        suffix = f": {details}" if details and details not in text else ""
        return EXIT_VALIDATION, f"rejected: {text}{suffix}"
    if isinstance(exc, RateLimitError):
        after = f"; retry after {exc.retry_after:g}s" if exc.retry_after is not None else ""
        return EXIT_RATE_LIMITED, f"rate limited: {text}{after}"
    if isinstance(exc, ServerError):
        return EXIT_SERVER, f"server error: {text}"
    if isinstance(exc, APIConnectionError):
        return EXIT_SERVER, f"network error: {text}"
    return EXIT_ERROR, text
