"""Focused tests of the core fixes the reliability suites led to; each fails without its fix.

- `_redact`: PEM redaction was quadratic (a 3 MB error body of BEGIN lines: minutes of CPU);
  redacting a deeply nested error body raised RecursionError.
- `_error_mapping`: an error body nested past msgspec's limit raised RecursionError instead of
  the typed error; response headers were kept unredacted on the exception.
- `errors.AvalaError`: messages and headers of errors built outside the error mapping
  (connection errors quoting a transport's message, malformed 2xx bodies) were unredacted.
- `_paths.segment`: a lone surrogate in an id raised a bare UnicodeEncodeError.
- `_config.ClientConfig`: `repr()` showed `default_headers` (where proxy credentials go).

And the cheap first look that keeps redaction fast (`_redact.might_hold_secret`) must never
skip text one of the secret patterns would match.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avala._core._config import ClientConfig
from avala._core._error_mapping import error_from_response
from avala._core._paths import segment
from avala._core._redact import (
    _PATTERNS,
    _PEM_BEGIN,
    MAX_DEPTH,
    REDACTED,
    might_hold_secret,
    redact,
    redact_headers,
    redact_text,
)
from avala.errors import APIConnectionError, AvalaError, ResponseValidationError, ServerError

KEY = "avk_core_fixes_0123456789"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\nabc\n-----END RSA PRIVATE KEY-----"


def test_pem_redaction_is_linear() -> None:
    storm = "-----BEGIN PRIVATE KEY-----" * 20_000  # 540 KB of BEGINs without an END
    started = time.perf_counter()
    assert redact_text(storm) == storm
    assert time.perf_counter() - started < 1.0  # quadratic before: ~30 s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"a {PEM} b {PEM} c", f"a {REDACTED} b {REDACTED} c"),
        (f"-----BEGIN PRIVATE KEY----- x {PEM}", REDACTED),  # BEGIN..first END, as before
        ("-----BEGIN EC PRIVATE KEY----- no end", "-----BEGIN EC PRIVATE KEY----- no end"),
        (f"{PEM} then -----BEGIN PRIVATE KEY----- open", f"{REDACTED} then -----BEGIN PRIVATE KEY----- open"),
        ("-----END PRIVATE KEY----- alone", "-----END PRIVATE KEY----- alone"),
    ],
)  # fmt: skip
def test_pem_redaction_keeps_its_meaning(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def deep(depth: int) -> object:
    value: object = "avk_hidden_0123456789"
    for _ in range(depth):
        value = {"a": [value]}
    return value


def test_redacting_a_deeply_nested_body_does_not_recurse_forever() -> None:
    result = redact(deep(5_000))
    for _ in range(MAX_DEPTH // 2):
        assert isinstance(result, dict)
        [result] = result["a"]
    assert REDACTED in repr(result)
    assert "avk_hidden" not in repr(redact(deep(10)))


@pytest.mark.parametrize("depth", [900, 5_000, 100_000])
def test_deeply_nested_error_bodies_still_give_the_typed_error(depth: int) -> None:
    body = b'{"a": ' * depth + b"1" + b"}" * depth
    error = error_from_response(503, {}, body)
    assert isinstance(error, ServerError)
    assert error.status_code == 503


def test_error_headers_are_redacted_by_name_shape_and_secret() -> None:
    headers = httpx.Headers(
        {
            "X-Avala-Api-Key": "anything",
            "Set-Cookie": "session=abc",
            "X-Echo": f"key={KEY} other=Zq8-own-key",
            "Retry-After": "3",
            "X-Request-Id": "req_1",
        }
    )
    error = error_from_response(503, headers, b"{}", secrets=("Zq8-own-key",))
    assert error.headers == {
        "x-avala-api-key": REDACTED,
        "set-cookie": REDACTED,
        "x-echo": f"key={REDACTED} other={REDACTED}",
        "retry-after": "3",
        "x-request-id": "req_1",
    }
    assert error.request_id == "req_1"


def test_redact_headers_keeps_headers_differing_only_in_case() -> None:
    assert redact_headers({"Via": "1.1 proxy", "via": "1.1 cdn"}) == {"via": "1.1 proxy, 1.1 cdn"}


@pytest.mark.parametrize(
    "error",
    [
        APIConnectionError(f"GET /tasks/ failed: ConnectError: proxy said {KEY}"),
        ResponseValidationError(f"body starts {KEY!r}", 200, model="Task", headers={"x-echo": KEY}),
        AvalaError("plain", headers={"Authorization": "Bearer abc.def"}),
    ],
)
def test_every_avala_error_redacts_itself(error: AvalaError) -> None:
    shown = f"{error} {error!r} {error.args} {vars(error)}"
    assert KEY not in shown
    assert "abc.def" not in shown


def test_a_lone_surrogate_in_an_id_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="task_id must be valid Unicode"):
        segment("a\ud800b", "task_id")


def test_config_repr_hides_default_headers() -> None:
    config = ClientConfig.create(
        api_key=KEY,
        base_url=None,
        timeout=None,
        max_retries=2,
        retry_policy=None,
        default_headers={"Proxy-Authorization": "Basic c2VjcmV0"},
        max_concurrency=None,
    )
    assert "c2VjcmV0" not in repr(config)
    assert KEY not in repr(config)


PATTERNS = [pattern for pattern, _ in _PATTERNS] + [_PEM_BEGIN]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_the_cheap_first_look_never_misses_a_pattern(pattern: re.Pattern[str], data: Any) -> None:
    text = data.draw(st.from_regex(pattern))
    if pattern.search(text):
        assert might_hold_secret(text), text


def test_the_cheap_first_look_skips_ordinary_text() -> None:
    for text in ("application/json", "Fri, 27 Nov 2026 12:00:00 GMT", "req_000123", "3"):
        assert not might_hold_secret(text)
