"""Seeded, reproducible fault injection: 5xx answers, 429 storms, dropped connections, latency.

One decision per request (never for `/signup/`), drawn from a private `random.Random(seed)` with a
fixed number of draws per request, so the same seed and the same request sequence always give
the same faults. Faults sit in front of the API like a flaky proxy would: they hit every route,
before authentication. A drop is either `drop_before` (the request never reached the API) or
`drop_after` (the write was applied and its response recorded for idempotent replay, only the
answer was lost).
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from typing import Literal

from ._wire import json_bytes

__all__ = ["FAULT_KINDS", "FaultConfig", "FaultInjector", "fault_response", "retry_after_value"]

FAULT_KINDS = ("http_500", "http_502", "http_503", "storm_429", "drop_before", "drop_after")

_BAD_GATEWAY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class FaultConfig:
    """Rates are fractions of requests in [0, 1]; `fail_rate + drop_rate + storm_429_rate <= 1`.

    fail_rate:      answered with one of `fail_statuses` (500/502/503; 502 is an HTML proxy page)
    drop_rate:      connection closed without a response (`drop_phase`: both | before | after)
    storm_429_rate: starts a storm: this and the next `storm_length - 1` requests get 429
                    with `Retry-After: <retry_after>`
    latency_ms:     added to every response (async sleep on async paths)
    """

    fail_rate: float = 0.0
    drop_rate: float = 0.0
    latency_ms: float = 0.0
    storm_429_rate: float = 0.0
    seed: int = 0
    storm_length: int = 3
    retry_after: float = 1.0
    drop_phase: Literal["both", "before", "after"] = "both"
    fail_statuses: tuple[int, ...] = (500, 502, 503)

    def __post_init__(self) -> None:
        for name in ("fail_rate", "drop_rate", "storm_429_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value!r}")
        if self.fail_rate + self.drop_rate + self.storm_429_rate > 1.0 + 1e-9:
            raise ValueError("fail_rate + drop_rate + storm_429_rate must not exceed 1")
        if self.latency_ms < 0 or self.retry_after < 0:
            raise ValueError("latency_ms and retry_after must not be negative")
        if self.storm_length < 1:
            raise ValueError("storm_length must be at least 1")
        if self.drop_phase not in ("both", "before", "after"):
            raise ValueError("drop_phase must be 'both', 'before' or 'after'")
        if not self.fail_statuses or any(s not in (500, 502, 503) for s in self.fail_statuses):
            raise ValueError("fail_statuses must be a non-empty subset of (500, 502, 503)")

    @property
    def random_faults(self) -> bool:
        return (self.fail_rate + self.drop_rate + self.storm_429_rate) > 0


class FaultInjector:
    """Decides the fault of each request; queued faults (see `LocalAvala.queue_faults`) go first."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._queue: deque[str] = deque()
        self._storm_left = 0

    def queue(self, kinds: tuple[str, ...]) -> None:
        for kind in kinds:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault {kind!r}; expected one of {FAULT_KINDS}")
        self._queue.extend(kinds)

    def decide(self) -> str | None:
        if self._queue:
            return self._queue.popleft()
        config = self.config
        if not config.random_faults:
            return None
        # Always two draws per request, whatever the outcome: the sequence depends only on
        # the seed and the number of requests.
        roll, pick = self._rng.random(), self._rng.random()
        if self._storm_left > 0:
            self._storm_left -= 1
            return "storm_429"
        if roll < config.fail_rate:
            statuses = config.fail_statuses
            return f"http_{statuses[min(len(statuses) - 1, int(pick * len(statuses)))]}"
        roll -= config.fail_rate
        if roll < config.drop_rate:
            if config.drop_phase == "both":
                return "drop_before" if pick < 0.5 else "drop_after"
            return f"drop_{config.drop_phase}"
        roll -= config.drop_rate
        if roll < config.storm_429_rate:
            self._storm_left = config.storm_length - 1
            return "storm_429"
        return None


def retry_after_value(seconds: float) -> str:
    """`Retry-After` as RFC 9110 delay-seconds (an integer) whenever possible."""
    return str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))


def fault_response(kind: str, retry_after: float) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of an injected error answer."""
    if kind == "storm_429":
        wait = max(1, math.ceil(retry_after))
        body = {"detail": f"Request was throttled. Expected available in {wait} seconds."}
        headers = [
            ("content-type", "application/json"),
            ("retry-after", retry_after_value(retry_after)),
        ]
        return 429, headers, json_bytes(body)
    if kind == "http_502":
        return 502, [("content-type", "text/html")], _BAD_GATEWAY
    if kind == "http_503":
        body = {"detail": "Service temporarily unavailable, try again later."}
        return 503, [("content-type", "application/json")], json_bytes(body)
    return (
        500,
        [("content-type", "application/json")],
        json_bytes({"detail": "A server error occurred."}),
    )
