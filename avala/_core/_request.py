"""Per-call options and request preparation: everything about a request that is decided
before the first byte is sent, and stays identical across retries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import msgspec

from ._config import ClientConfig, TimeoutTypes, check_timeout
from ._headers import IDEMPOTENCY_HEADER
from ._params import QueryParams, query


class RequestOptions(TypedDict, total=False):
    """Keyword arguments every resource method accepts, to override the client for one call.

    `client.tasks.get("task_1", timeout=5.0, max_retries=0)`
    """

    timeout: TimeoutTypes | None
    """Seconds (or an `httpx.Timeout`) for this call instead of the client's timeout; None
    for no limit."""
    max_retries: int
    """Retries for this call instead of the client's `max_retries` (0 disables)."""
    extra_headers: Mapping[str, str]
    """Headers added to (or overriding) the client's for this call."""
    extra_query: Mapping[str, Any]
    """Query parameters added to this call (for API options the SDK does not model yet)."""
    idempotency_key: str
    """Idempotency-Key for a write, instead of a fresh random one; reuse it to make a retry
    of your own (e.g. after a crash) safe."""


class PollOptions(TypedDict, total=False):
    """The per-call options a `wait()` helper passes to each of its polls: `RequestOptions`
    without `timeout`, which in `wait()` is the deadline of the whole wait."""

    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)
_WRITE_METHODS = frozenset({"POST", "PATCH", "PUT"})
_json_encoder = msgspec.json.Encoder()


def check_options(options: Mapping[str, Any]) -> None:
    """Resource methods collect options as `**options`; a misspelt argument would otherwise
    vanish silently, so unknown names fail exactly like a normal unexpected keyword."""
    unknown = options.keys() - _OPTION_NAMES
    if unknown:
        name = sorted(unknown)[0]
        raise TypeError(f"got an unexpected keyword argument {name!r}")
    max_retries = options.get("max_retries")
    if max_retries is not None and (
        isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
    ):
        raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
    if "timeout" in options:
        check_timeout(options["timeout"])


@dataclass(slots=True)
class PreparedRequest:
    """Fixed for the whole call; never mutated after `prepare_request` (a plain slotted
    class rather than a frozen dataclass: this is on every request's hot path)."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...] | None
    content: bytes | None
    headers: dict[str, str]
    # What httpx gets as `timeout=`: seconds, an `httpx.Timeout`, None (no limit) or httpx's
    # "use the client's own" marker.
    timeout: Any
    max_retries: int


def prepare_request(
    config: ClientConfig,
    base_headers: Mapping[str, str],
    method: str,
    path: str,
    *,
    params: QueryParams | None = None,
    json: Any = None,
    options: Mapping[str, Any] | None = None,
    default_timeout: Any = None,
) -> PreparedRequest:
    """Everything fixed for the whole call, including the one Idempotency-Key every attempt
    of a write reuses (a key minted per attempt would not prevent duplicates).

    `default_timeout` is what httpx gets when the call names no `timeout`."""
    options = options or {}
    if options:
        check_options(options)
    headers = dict(base_headers)
    extra_headers = options.get("extra_headers")
    if extra_headers:
        headers.update(extra_headers)
    content: bytes | None = None
    if json is not None:
        content = _json_encoder.encode(json)
        headers["Content-Type"] = "application/json"
    if method in _WRITE_METHODS:
        headers[IDEMPOTENCY_HEADER] = options.get("idempotency_key") or str(uuid.uuid4())
    params_out = list(params) if params else []
    extra_query = options.get("extra_query")
    if extra_query:
        params_out.extend(query(extra_query))
    return PreparedRequest(
        method=method,
        url=config.base_url + path,
        params=tuple(params_out) if params_out else None,
        content=content,
        headers=headers,
        timeout=options.get("timeout", default_timeout),
        max_retries=options.get("max_retries", config.max_retries),
    )
