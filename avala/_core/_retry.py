"""Retry policy: what is retried, how long to wait, and the tenacity wiring.

What is retried: transport failures (connect, read, write, protocol errors and timeouts),
408, 429 and every 5xx. Nothing else: a 4xx will fail the same way again. A server may force
the decision either way with `x-should-retry: true|false`.

How long: the server's `retry-after-ms` / `Retry-After` (seconds or HTTP-date) when it gives
one no longer than `max_retry_after`; a 429 asking for longer is raised at once rather than
blocking the caller for minutes. Otherwise exponential backoff with jitter.

POST/PATCH/PUT are retried safely because every attempt carries the same Idempotency-Key
(minted once per call in `_request.prepare_request`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from ..errors import APIConnectionError, APIStatusError, ClientClosedError

if TYPE_CHECKING:
    from tenacity import RetryCallState

logger = logging.getLogger("avala")

RETRYABLE_STATUSES = frozenset({408, 429})


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, or None when it gave no usable hint.

    Understands `retry-after-ms`, then `Retry-After` as (fractional) seconds or an HTTP-date.
    Negative, non-finite and unparseable values are ignored (the caller falls back to backoff).
    `headers` must look up lower-case names case-insensitively (httpx.Headers does).
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000.0
        except ValueError:
            value = -1.0
        if 0.0 <= value < float("inf"):
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        value = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        current = time.time() if now is None else now
        return max(0.0, when.timestamp() - current)
    if not (0.0 <= value < float("inf")):
        return None
    return value


@dataclass(frozen=True)
class RetryPolicy:
    """How the SDK retries. Pass one as `AsyncClient(retry_policy=...)` to tune backoff.

    The attempt count is `max_retries` (client or per call); this only shapes the waits.
    """

    initial_delay: float = 0.5
    """First backoff in seconds; doubled on every further retry."""
    max_delay: float = 8.0
    """Upper bound of one backoff wait."""
    max_retry_after: float = 60.0
    """Longest server-requested wait we honour; a 429 asking for more is raised at once."""
    jitter: float = 0.25
    """Each backoff is shortened by a random fraction up to this, so clients spread out."""

    def __post_init__(self) -> None:
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"RetryPolicy.{name} must be >= 0")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("RetryPolicy.jitter must be between 0 and 1")

    def should_retry(self, exc: BaseException) -> bool:
        if isinstance(exc, ClientClosedError):
            return False
        if isinstance(exc, APIConnectionError):
            return True
        if not isinstance(exc, APIStatusError):
            return False
        forced = exc.headers.get("x-should-retry")
        if forced == "true":
            return True
        if forced == "false":
            return False
        if exc.status_code in RETRYABLE_STATUSES or exc.status_code >= 500:
            hint = parse_retry_after(exc.headers)
            return hint is None or hint <= self.max_retry_after
        return False

    def backoff(self, retry_number: int) -> float:
        """Wait before retry `retry_number` (1 for the first retry) absent a server hint."""
        exponent = min(retry_number - 1, 60)  # 2**60 s is already "forever"; avoids overflow
        delay = min(self.initial_delay * (2.0**exponent), self.max_delay)
        return delay * (1.0 - self.jitter * random.random())

    def wait_for(self, exc: BaseException | None, retry_number: int) -> float:
        if isinstance(exc, APIStatusError):
            hint = parse_retry_after(exc.headers)
            if hint is not None and hint <= self.max_retry_after:
                return hint
        return self.backoff(retry_number)

    def first_retry_wait(self, exc: BaseException, what: str) -> float:
        """The wait before retry 1, logged like tenacity's later ones."""
        wait = self.wait_for(exc, 1)
        log_retry(what, wait, 1, exc)
        return wait


def log_retry(what: str, wait: float, failed_attempt: int, exc: BaseException | None) -> None:
    logger.info(
        "Retrying %s in %.2fs (attempt %d failed: %s)",
        what,
        wait,
        failed_attempt,
        type(exc).__name__ if exc is not None else "unknown",
    )


def tenacity_arguments(policy: RetryPolicy, retries: int, what: str) -> dict[str, Any]:
    """Keyword arguments for a fresh `Retrying`/`AsyncRetrying` running the retries of one
    call whose first attempt already failed (and whose first wait already happened).

    The first attempt runs without tenacity: building its state machine costs more than a
    whole request's SDK-side work, and almost every call succeeds at once. A new tenacity
    object per call: one shared across concurrent calls mixes up their attempt counts
    (jd/tenacity#93). `reraise=True` so callers see our typed error, not `RetryError`.
    """
    from tenacity import retry_if_exception, stop_after_attempt

    def wait(retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        # tenacity's attempt k is the call's attempt k + 1, so the next wait is retry k + 1.
        return policy.wait_for(exc, retry_state.attempt_number + 1)

    def before_sleep(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        sleep = retry_state.next_action.sleep if retry_state.next_action is not None else 0.0
        log_retry(what, sleep, retry_state.attempt_number + 1, exc)

    return {
        "stop": stop_after_attempt(retries),
        "retry": retry_if_exception(policy.should_retry),
        "wait": wait,
        "reraise": True,
        "before_sleep": before_sleep,
    }
