"""Seeded fault injection for storage requests (presigned uploads and downloads).

Kinds:
  http_500 / http_503  the storage host answers that status (an S3-style XML error body)
  drop                 the connection closes mid-body: an upload is read part-way (nothing is
                       stored), a download sends part of its body
  drop_after           an upload is stored, then the connection closes before the answer (the
                       ambiguous case: the bytes landed but the client cannot know it); for a
                       download it behaves like `drop`
  truncate             a download answers fewer bytes, with a matching `Content-Length`
  corrupt              a download answers every byte, one of them flipped

Like the API's faults (`FaultConfig`), the random decision uses a fixed number of draws per
request, so the same seed and request sequence give the same faults.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

__all__ = ["DOWNLOAD_ONLY", "STORAGE_FAULT_KINDS", "StorageFaultConfig", "StorageFaultInjector"]

STORAGE_FAULT_KINDS = ("http_500", "http_503", "drop", "drop_after", "truncate", "corrupt")
DOWNLOAD_ONLY = frozenset({"truncate", "corrupt"})
_READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class StorageFaultConfig:
    """Rates are fractions of storage requests in [0, 1] whose sum is at most 1.

    fail_rate:      answered with one of `fail_statuses` (500 or 503)
    drop_rate:      connection dropped mid-body (see `drop` in the module help)
    truncate_rate:  downloads only: body cut short with a consistent `Content-Length`
    corrupt_rate:   downloads only: one byte of the body flipped
    drop_fraction:  share of the body read or sent before a drop or truncation
    methods:        HTTP methods the random faults apply to (None: all)
    key_contains:   only keys containing this text get random faults (None: all)
    retry_after:    `Retry-After` seconds sent with a 503 (None: no header, like S3)
    """

    fail_rate: float = 0.0
    drop_rate: float = 0.0
    truncate_rate: float = 0.0
    corrupt_rate: float = 0.0
    seed: int = 0
    drop_fraction: float = 0.5
    fail_statuses: tuple[int, ...] = (500, 503)
    methods: tuple[str, ...] | None = None
    key_contains: str | None = None
    retry_after: float | None = None

    def __post_init__(self) -> None:
        rates = (self.fail_rate, self.drop_rate, self.truncate_rate, self.corrupt_rate)
        for value in rates:
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault rates must be within [0, 1], got {value!r}")
        if sum(rates) > 1.0 + 1e-9:
            raise ValueError("the fault rates must not add up to more than 1")
        if not 0.0 <= self.drop_fraction < 1.0:
            raise ValueError("drop_fraction must be within [0, 1)")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if not self.fail_statuses or any(s not in (500, 503) for s in self.fail_statuses):
            raise ValueError("fail_statuses must be a non-empty subset of (500, 503)")

    @property
    def random_faults(self) -> bool:
        return self.fail_rate + self.drop_rate + self.truncate_rate + self.corrupt_rate > 0


class StorageFaultInjector:
    """Decides the fault of each storage request; queued kinds go first."""

    def __init__(self, config: StorageFaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._queue: deque[str] = deque()

    def queue(self, kinds: tuple[str, ...]) -> None:
        for kind in kinds:
            if kind not in STORAGE_FAULT_KINDS:
                raise ValueError(f"unknown fault {kind!r}; expected one of {STORAGE_FAULT_KINDS}")
        self._queue.extend(kinds)

    def decide(self, method: str, key: str) -> str | None:
        method = method.upper()
        for index, kind in enumerate(self._queue):
            if kind not in DOWNLOAD_ONLY or method == "GET":
                del self._queue[index]
                return kind
        config = self.config
        if not config.random_faults:
            return None
        roll, pick = self._rng.random(), self._rng.random()
        if config.methods is not None and method not in config.methods:
            return None
        if config.key_contains is not None and config.key_contains not in key:
            return None
        if roll < config.fail_rate:
            statuses = config.fail_statuses
            return f"http_{statuses[min(len(statuses) - 1, int(pick * len(statuses)))]}"
        roll -= config.fail_rate
        if roll < config.drop_rate:
            return "drop"
        roll -= config.drop_rate
        if method in _READS:
            if roll < config.truncate_rate:
                return "truncate" if method == "GET" else None
            roll -= config.truncate_rate
            if roll < config.corrupt_rate:
                return "corrupt" if method == "GET" else None
        return None
