"""Fixed-window rate limiting per API key, and the `X-RateLimit-*` headers of every response.

The window is one second of the injected clock (`time.monotonic` by default; a test can pass a
fake clock to step time by hand). Without a limit the headers still report a nominal budget, so
clients that read them always find them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["NOMINAL_LIMIT", "RateLimiter"]

NOMINAL_LIMIT = 1000


class RateLimiter:
    def __init__(self, limit: int | None, clock: Callable[[], float], window: float = 1.0) -> None:
        if limit is not None and limit < 1:
            raise ValueError("rate_limit must be a positive number of requests per second")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}  # bucket -> (window index, count)

    def _state(self, bucket: str) -> tuple[int, int, float]:
        now = self._clock()
        index = math.floor(now / self.window)
        seen_index, count = self._counts.get(bucket, (index, 0))
        if seen_index != index:
            count = 0
        reset = (index + 1) * self.window - now
        return index, count, reset

    def hit(self, bucket: str) -> tuple[bool, list[tuple[str, str]]]:
        """Count one request; returns (allowed, rate-limit headers)."""
        index, count, reset = self._state(bucket)
        allowed = self.limit is None or count < self.limit
        if allowed:
            count += 1
            self._counts[bucket] = (index, count)
        return allowed, self._headers(count, reset)

    def peek(self, bucket: str) -> list[tuple[str, str]]:
        """Headers for a response that does not count (unauthenticated, injected faults)."""
        _, count, reset = self._state(bucket)
        return self._headers(count, reset)

    def retry_after(self, bucket: str) -> int:
        return max(1, math.ceil(self._state(bucket)[2]))

    def _headers(self, count: int, reset: float) -> list[tuple[str, str]]:
        limit = self.limit if self.limit is not None else NOMINAL_LIMIT
        return [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-remaining", str(max(0, limit - count))),
            ("x-ratelimit-reset", str(max(1, math.ceil(reset)))),
        ]
