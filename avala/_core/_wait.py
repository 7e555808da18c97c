"""The arguments of the `wait()` helpers, checked once for both clients."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def check_wait_arguments(*, interval: object, timeout: object) -> None:
    """`interval` and `timeout` are numbers of seconds >= 0 (`timeout` may be `math.inf`);
    the error names the argument and the value given."""
    if math.isinf(_seconds("interval", interval)):
        raise ValueError(f"wait(): interval must be a finite number of seconds, got {interval!r}")
    _seconds("timeout", timeout)


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"wait(): {name} must be a number of seconds, got {type(value).__name__} {value!r}"
        )
    if math.isnan(value) or value < 0:
        raise ValueError(f"wait(): {name} must be >= 0 seconds, got {value!r}")
    return float(value)


def poll_callback(
    on_poll: Callable[[T], None] | None,
    legacy: Callable[..., Any] | None,
    *,
    legacy_takes_object: bool = True,
) -> Callable[[T], None] | None:
    """`on_poll`, or the official SDK's `_on_poll` spelling of it (some of which take no
    argument); giving both is an error, as they would be two answers to one question."""
    if legacy is None:
        return on_poll
    if on_poll is not None:
        raise TypeError("wait(): pass on_poll or _on_poll (the same callback), not both")
    if legacy_takes_object:
        return legacy
    return lambda _current: legacy()
