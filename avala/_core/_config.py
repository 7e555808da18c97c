"""Client configuration: resolving the API key and base URL, validating them, and holding
the settings both clients share. Pure data; no I/O."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Union
from urllib.parse import urlsplit

from ._logs import setup_logging_from_env
from ._retry import RetryPolicy

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://api.avala.ai/api/v1"
DEFAULT_MAX_RETRIES = 2

API_KEY_ENV = "AVALA_API_KEY"
BASE_URL_ENV = "AVALA_BASE_URL"

TimeoutTypes = Union[float, "httpx.Timeout"]


class Unset(Enum):
    """The type of `UNSET`: an argument not given (where None has a meaning of its own)."""

    UNSET = "UNSET"


UNSET = Unset.UNSET

# Longest accepted timeout in seconds: larger values overflow the socket layer's clocks, and
# `None` already means "no limit".
MAX_TIMEOUT = 86_400.0


class _DefaultTimeout(float):
    """30 seconds, marked as the SDK's default rather than the caller's choice: a client
    given its own `http_client` then keeps that client's timeout."""

    __slots__ = ()


DEFAULT_TIMEOUT: float = _DefaultTimeout(30.0)


def is_default_timeout(timeout: object) -> bool:
    """Whether `timeout` is the SDK's default (the caller chose none)."""
    return type(timeout) is _DefaultTimeout


def _check_seconds(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{what} must be a number of seconds, an httpx.Timeout or None, got {value!r}"
        )
    seconds = float(value)
    if seconds != seconds or seconds <= 0 or seconds > MAX_TIMEOUT:
        raise ValueError(
            f"{what} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} "
            f"(or None for no limit), got {value!r}"
        )
    return seconds


def check_timeout(timeout: object, what: str = "timeout") -> TimeoutTypes | None:
    """`timeout` validated: seconds (> 0, finite, at most a day), an `httpx.Timeout` whose
    every phase is such a number or None, or None for no limit at all (the same meaning at
    construction and per call). Raises `TypeError`/`ValueError` before any request."""
    if is_default_timeout(timeout):
        return timeout  # type: ignore[return-value]
    if type(timeout).__name__ == "Timeout" and hasattr(timeout, "connect"):
        for phase in ("connect", "read", "write", "pool"):
            _check_seconds(getattr(timeout, phase), f"{what}.{phase}")
        return timeout  # type: ignore[return-value]
    return _check_seconds(timeout, what)


def resolve_api_key(api_key: str | None) -> str:
    """The explicit key, else `AVALA_API_KEY`; a clear `ValueError` when neither is set."""
    key = api_key or os.environ.get(API_KEY_ENV, "")
    key = key.strip()
    if not key:
        raise ValueError(
            "No API key provided: pass api_key=... or set the AVALA_API_KEY environment "
            "variable. Create a key in the Avala dashboard under Settings > API keys."
        )
    if any(c in key for c in "\r\n"):
        raise ValueError("The API key contains a line break; check how it was loaded.")
    return key


def _is_loopback(host: str) -> bool:
    # Only the name itself: whether `*.localhost` resolves to loopback depends on the resolver
    # (glibc asks DNS), and the key must not travel in clear to wherever it points.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_base_url(base_url: str | None) -> str:
    """The explicit URL, else `AVALA_BASE_URL`, else the hosted API; validated and without a
    trailing slash.

    https is required, except plain http to a loopback host (localhost, 127.0.0.0/8, ::1) so
    the local Avala API and other local development servers work. The key is sent on every
    request, so anything else over http is refused rather than leaked.
    """
    url = (base_url or os.environ.get(BASE_URL_ENV, "") or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"Invalid base_url {url!r}: expected https://host[/path].")
    if parts.username or parts.password:
        raise ValueError("base_url must not contain credentials; pass api_key instead.")
    if parts.query or parts.fragment:
        raise ValueError(f"Invalid base_url {url!r}: it must not have a query or fragment.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"Refusing plain http to {parts.hostname!r}: the API key would travel unencrypted. "
            "Use https, or http only to a loopback host (localhost, 127.0.0.1, ::1)."
        )
    return url


def check_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
    return max_retries


def _headers(default_headers: Mapping[str, str]) -> dict[str, str]:
    headers = dict(default_headers)
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("default_headers must map str to str")
    return headers


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client was constructed with, after resolution and validation."""

    api_key: str = field(repr=False)
    base_url: str
    # None: no limit. `DEFAULT_TIMEOUT` (30 s): the caller chose none (see `is_default_timeout`).
    timeout: TimeoutTypes | None
    max_retries: int
    retry_policy: RetryPolicy
    # Callers put proxy credentials here too (`Proxy-Authorization`): never in repr().
    default_headers: Mapping[str, str] = field(repr=False)
    max_concurrency: int | None

    @classmethod
    def create(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutTypes | None,
        max_retries: int,
        retry_policy: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
        max_concurrency: int | None,
    ) -> ClientConfig:
        max_retries = check_max_retries(max_retries)
        timeout = check_timeout(timeout)
        if max_concurrency is not None and (
            isinstance(max_concurrency, bool)
            or not isinstance(max_concurrency, int)
            or max_concurrency < 1
        ):
            raise ValueError(f"max_concurrency must be a positive int, got {max_concurrency!r}")
        setup_logging_from_env()
        headers = _headers(default_headers or {})
        return cls(
            api_key=resolve_api_key(api_key),
            base_url=resolve_base_url(base_url),
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy or RetryPolicy(),
            default_headers=headers,
            max_concurrency=max_concurrency,
        )

    def with_changes(
        self,
        *,
        timeout: TimeoutTypes | Unset | None = UNSET,
        max_retries: int | Unset = UNSET,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> ClientConfig:
        """This configuration with the given settings changed (validated like `create`);
        `default_headers` are merged over the current ones."""
        changes: dict[str, object] = {}
        if not isinstance(timeout, Unset):
            changes["timeout"] = check_timeout(timeout)
        if not isinstance(max_retries, Unset):
            changes["max_retries"] = check_max_retries(max_retries)
        if default_headers:
            changes["default_headers"] = {**self.default_headers, **_headers(default_headers)}
        if retry_policy is not None:
            changes["retry_policy"] = retry_policy
        return replace(self, **changes)  # type: ignore[arg-type]
