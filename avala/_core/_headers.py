"""Header bookkeeping: what every request carries, and what we read back from responses."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from functools import lru_cache

from .._version import __version__

API_KEY_HEADER = "X-Avala-Api-Key"
IDEMPOTENCY_HEADER = "Idempotency-Key"

# The seed documentation reads `client.rate_limit_info.get("x-ratelimit-limit")` and code
# written for the official SDK reads `["limit"]`: the dict answers both spellings.
RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
_SHORT_KEYS = tuple(name.removeprefix("x-ratelimit-") for name in RATE_LIMIT_HEADERS)

# Different gateways spell it differently; the first present wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-cloud-trace-context")


@lru_cache(maxsize=2)
def user_agent(flavor: str) -> str:
    """`avala-python/<version> (async|sync; CPython 3.11.7; Linux)`.

    Cached at module level: `lru_cache` on a method would keep every client alive.
    """
    implementation = platform.python_implementation()
    python = ".".join(str(part) for part in sys.version_info[:3])
    return f"avala-python/{__version__} ({flavor}; {implementation} {python}; {platform.system()})"


def base_headers(api_key: str, flavor: str, extra: Mapping[str, str]) -> dict[str, str]:
    """The headers sent on every request; `extra` (the caller's `default_headers`) wins."""
    headers = {
        API_KEY_HEADER: api_key,
        "Accept": "application/json",
        "User-Agent": user_agent(flavor),
    }
    headers.update(extra)
    return headers


def empty_rate_limit_info() -> dict[str, str | None]:
    return dict.fromkeys(RATE_LIMIT_HEADERS + _SHORT_KEYS)


def rate_limit_info(headers: Mapping[str, str]) -> dict[str, str | None]:
    """The `X-RateLimit-*` values of one response as raw strings, `None` when absent, under
    both the lower-case header names and the short keys `limit`, `remaining`, `reset`.

    `headers` must do case-insensitive lookups on lower-case names (httpx.Headers does).
    """
    values = [headers.get(name) for name in RATE_LIMIT_HEADERS]
    return dict(zip(RATE_LIMIT_HEADERS + _SHORT_KEYS, values + values, strict=True))


def request_id(headers: Mapping[str, str]) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None
