"""Measurements, the checks made of them, and the rounds that interleave variants.

Every figure the report shows is a median over rounds, and every check a ratio of two such
medians taken in the same run. Within a round each variant runs once, in an order rotated
from round to round, so a noisy neighbour or a drifting CPU clock hits all variants alike.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

UNAVAILABLE = "unavailable"


@dataclass
class Sample:
    """All runs of one variant: `values` in `unit` (seconds are shown as ms/us)."""

    key: str
    label: str
    unit: Literal["s", "ns/item", "bytes"]
    values: list[float] = field(default_factory=list)
    errors: int = 0
    runs_with_errors: int = 0
    note: str = ""
    unavailable: str = ""
    """Why there are no values (the official SDK could not be installed, ...)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    def add(self, value: float, errors: int = 0) -> None:
        self.values.append(value)
        self.errors += errors
        self.runs_with_errors += 1 if errors else 0


@dataclass
class Check:
    """`subject` against `baseline`. kind:
    - "at_most":   subject / baseline <= bound  (e.g. import time within 1.3x of httpx)
    - "faster_by": baseline / subject >= bound  (e.g. 6x faster than the official SDK)
    - "no_errors": subject had zero errors in every run (ratio column shows the count)
    """

    section: str
    what: str
    subject: str
    baseline: str | None
    kind: Literal["at_most", "faster_by", "no_errors"]
    bound: float | None = None
    """None: shown for information, no verdict."""
    why: str = ""
    """Filled in by the report for checks that fall short: the profile evidence."""


@dataclass
class Results:
    samples: dict[str, Sample] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def sample(
        self, key: str, label: str, unit: Literal["s", "ns/item", "bytes"] = "s", note: str = ""
    ) -> Sample:
        if key not in self.samples:
            self.samples[key] = Sample(key, label, unit, note=note)
        return self.samples[key]

    def unavailable(
        self, key: str, label: str, why: str, unit: Literal["s", "ns/item", "bytes"] = "s"
    ) -> None:
        self.sample(key, label, unit).unavailable = why

    def check(
        self,
        section: str,
        what: str,
        subject: str,
        baseline: str | None,
        kind: Literal["at_most", "faster_by", "no_errors"],
        bound: float | None = None,
    ) -> Check:
        made = Check(section, what, subject, baseline, kind, bound)
        self.checks.append(made)
        return made

    def ratio(self, check: Check) -> float | None:
        """The checked ratio, or None when a side is unavailable."""
        subject = self.samples.get(check.subject)
        if check.kind == "no_errors":
            return float(subject.errors) if subject and subject.values else None
        baseline = self.samples.get(check.baseline or "")
        if not subject or not baseline or subject.median is None or baseline.median is None:
            return None
        if check.kind == "at_most":
            return subject.median / baseline.median if baseline.median else None
        return baseline.median / subject.median if subject.median else None

    def verdict(self, check: Check) -> str:
        ratio = self.ratio(check)
        if ratio is None:
            return UNAVAILABLE
        if check.bound is None and check.kind != "no_errors":
            return "info"
        if check.kind == "no_errors":
            ok = ratio == 0
        elif check.kind == "at_most":
            ok = ratio <= (check.bound or 0.0)
        else:
            ok = ratio >= (check.bound or 0.0)
        return "PASS" if ok else "FALL SHORT"


Variant = Callable[[], "float | tuple[float, int]"]


def interleave(
    results: Results, variants: dict[str, Variant], rounds: int, *, collect: bool = True
) -> None:
    """Run every variant once per round, in an order rotated each round, into its Sample.

    A variant returns seconds, or (seconds, errors). A variant that raises is recorded as
    unavailable (with the reason) and skipped from then on.
    """
    keys = list(variants)
    failed: set[str] = set()
    for r in range(rounds):
        shift = r % len(keys)
        for key in keys[shift:] + keys[:shift]:
            if key in failed:
                continue
            if collect:
                gc.collect()
            try:
                outcome = variants[key]()
            except Exception as exc:
                failed.add(key)
                results.samples[key].unavailable = f"{type(exc).__name__}: {exc}"
                continue
            seconds, errors = outcome if isinstance(outcome, tuple) else (outcome, 0)
            results.samples[key].add(seconds, errors)
