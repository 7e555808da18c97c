"""Signup without an API key: the request body, the URL and the retry decision. No I/O."""

from __future__ import annotations

from ..errors import APIConnectionError, APIStatusError, AvalaError
from ..types.signup import SignupResponse
from ._config import resolve_base_url
from ._expect import ExpectModel
from ._retry import RetryPolicy, parse_retry_after

EXPECT_SIGNUP = ExpectModel(SignupResponse)

# Creating an account is not idempotent: only answers that prove the server did nothing
# (429, or a connection that never got an answer) are retried; a 5xx may have created it.
SIGNUP_POLICY = RetryPolicy(initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)


def signup_url(base_url: str | None) -> str:
    """`<base>/signup/` for the argument, else `AVALA_BASE_URL`, else the hosted API."""
    return f"{resolve_base_url(base_url)}/signup/"


def signup_body(
    email: str, password: str, first_name: str | None, last_name: str | None
) -> dict[str, str]:
    if not isinstance(email, str) or not email.strip():
        raise ValueError("email must be a non-empty string")
    if not isinstance(password, str) or not password:
        raise ValueError("password must be a non-empty string")
    body = {"email": email.strip(), "password": password}
    if first_name is not None:
        body["first_name"] = first_name
    if last_name is not None:
        body["last_name"] = last_name
    return body


def signup_wait(
    exc: AvalaError, retry_number: int, *, unsent: bool = False, policy: RetryPolicy = SIGNUP_POLICY
) -> float | None:
    """Seconds to wait before retry `retry_number`, or None when `exc` must be raised.

    `unsent` says a connection error happened before the request left (connecting failed).
    A server-requested wait longer than `policy.max_retry_after` is raised at once rather
    than honoured: signup is interactive, and nobody waits an hour for a form.
    """
    if isinstance(exc, APIConnectionError) and unsent:
        return policy.backoff(retry_number)
    if isinstance(exc, APIStatusError) and exc.status_code == 429:
        hint = parse_retry_after(exc.headers)
        if hint is None:
            return policy.backoff(retry_number)
        return hint if hint <= policy.max_retry_after else None
    return None
