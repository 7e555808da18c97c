"""Account signup: one anonymous `POST /signup/`. Public as `avala.signup` / `avala.async_signup`."""

from __future__ import annotations

import httpx

from .. import _twins
from .._core._error_mapping import error_from_response
from .._core._signup import EXPECT_SIGNUP, signup_body, signup_url, signup_wait
from ..errors import APIConnectionError, APITimeoutError, AvalaError
from ..types.signup import SignupResponse

__all__ = ["signup"]


async def signup(
    *,
    email: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    base_url: str | None = None,
    timeout: float = 30.0,
    max_retries: int = 2,
    http_client: httpx.AsyncClient | None = None,
) -> SignupResponse:
    """Create an Avala account; no API key needed.

    Returns the new user and their API key (`response.api_key`; `repr()` masks it).
    `base_url` defaults to `AVALA_BASE_URL`, else the hosted API (https, or plain http to a
    loopback host only). A 429 is retried up to `max_retries` times, honouring `Retry-After`
    up to 60 seconds; so is a connection that could not be opened. Other failures raise the
    matching typed error (`ValidationError` for a taken email or weak password,
    `ForbiddenError`, `QuotaExceededError`, `RateLimitError`, `ServerError`, ...), never
    showing the password. `http_client` sends through your own `httpx.AsyncClient` (its
    default headers must not carry credentials); the SDK never follows redirects.
    """
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
    url = signup_url(base_url)
    body = signup_body(email, password, first_name, last_name)
    http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
    try:
        retry_number = 0
        while True:
            try:
                return await _attempt(http, url, body, timeout, password)
            except _Unsent as unsent:
                error: AvalaError = unsent.error
                wait = signup_wait(error, retry_number + 1, unsent=True)
            except AvalaError as exc:
                error = exc
                wait = signup_wait(error, retry_number + 1)
            retry_number += 1
            if wait is None or retry_number > max_retries:
                raise error
            await _twins.async_sleep(wait)
    finally:
        if http_client is None:
            await http.aclose()


class _Unsent(Exception):
    """Connecting failed: the request never reached the server, so retrying is safe."""

    def __init__(self, error: AvalaError) -> None:
        super().__init__(str(error))
        self.error = error


async def _attempt(
    http: httpx.AsyncClient, url: str, body: dict[str, str], timeout: float, password: str
) -> SignupResponse:
    try:
        response = await http.post(url, json=body, timeout=timeout, follow_redirects=False)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise _Unsent(APIConnectionError(f"POST /signup/ failed: {type(exc).__name__}")) from None
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"POST /signup/ timed out ({type(exc).__name__})") from None
    except (httpx.RequestError, OSError) as exc:
        raise APIConnectionError(f"POST /signup/ failed: {type(exc).__name__}") from None
    content = response.content
    if 200 <= response.status_code < 300:
        return EXPECT_SIGNUP.parse(response.status_code, response.headers, content)
    raise error_from_response(response.status_code, response.headers, content, secrets=(password,))
