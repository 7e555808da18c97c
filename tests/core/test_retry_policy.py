from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from avala import RetryPolicy
from avala._core._retry import parse_retry_after
from avala.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)

NOW = 1_800_000_000.0


def http_date(seconds_from_now: float) -> str:
    when = datetime.fromtimestamp(NOW, tz=timezone.utc) + timedelta(seconds=seconds_from_now)
    return format_datetime(when, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": " 7 "}, 7.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": http_date(20)}, 20.0),
        ({"retry-after": http_date(-20)}, 0.0),
        ({"retry-after": "Wed, 99 Foo 2015 07:28:00 GMT"}, None),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "junk", "retry-after": "9"}, 9.0),
        ({"retry-after-ms": "-5", "retry-after": "2"}, 2.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def status_error(cls: type, status: int, headers: dict[str, str] | None = None) -> Exception:
    return cls("boom", status, None, headers=headers or {})


@pytest.mark.parametrize(
    ("exc", "retry"),
    [
        (APIConnectionError("reset"), True),
        (APITimeoutError("slow"), True),
        (status_error(ServerError, 500), True),
        (status_error(ServerError, 503), True),
        (status_error(ServerError, 599), True),
        (status_error(RateLimitError, 429), True),
        (status_error(RateLimitError, 429, {"retry-after": "5"}), True),
        (status_error(RateLimitError, 429, {"retry-after": "3600"}), False),
        (status_error(ValidationError, 400), False),
        (status_error(AuthenticationError, 401), False),
        (status_error(NotFoundError, 404), False),
        (status_error(NotFoundError, 404, {"x-should-retry": "true"}), True),
        (status_error(ServerError, 500, {"x-should-retry": "false"}), False),
        (ValueError("not ours"), False),
    ],
)
def test_should_retry(exc: Exception, retry: bool) -> None:
    assert RetryPolicy().should_retry(exc) is retry


def test_backoff_grows_exponentially_to_the_cap_with_jitter() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    jittered = RetryPolicy(initial_delay=1.0, max_delay=1.0, jitter=0.25)
    waits = [jittered.backoff(1) for _ in range(200)]
    assert all(0.75 <= w <= 1.0 for w in waits)
    assert len(set(waits)) > 1
    assert policy.backoff(10_000) == 8.0  # no overflow


def test_wait_prefers_the_server_hint_within_the_cap() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.0, max_retry_after=60)
    assert policy.wait_for(status_error(RateLimitError, 429, {"retry-after": "12"}), 1) == 12.0
    assert policy.wait_for(status_error(ServerError, 503, {"retry-after": "2"}), 3) == 2.0
    assert policy.wait_for(status_error(ServerError, 503, {"retry-after": "600"}), 1) == 0.5
    assert policy.wait_for(APIConnectionError("x"), 2) == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [{"initial_delay": -1}, {"max_delay": -1}, {"max_retry_after": -1}, {"jitter": 2}],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**kwargs)
