from __future__ import annotations

import pytest

from avala._core._error_mapping import error_from_response
from avala.errors import (
    APIStatusError,
    AuthenticationError,
    AvalaError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    ValidationError,
)

DETAIL = b'{"detail": "Nope."}'


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, APIStatusError),  # no quota numbers: see test_quota_error_needs_quota_numbers
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
        (405, APIStatusError),
        (410, APIStatusError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_error_class(status: int, cls: type[AvalaError]) -> None:
    error = error_from_response(status, {"x-request-id": "req_9"}, DETAIL)
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == "Nope."
    assert error.body == {"detail": "Nope."}
    assert error.request_id == "req_9"
    assert error.headers == {"x-request-id": "req_9"}
    assert "Nope." in str(error)
    assert "req_9" in str(error)


def test_redirect_is_an_error_naming_the_target() -> None:
    error = error_from_response(302, {"location": "https://evil.example/steal"}, b"")
    assert type(error) is AvalaError
    assert error.status_code == 302
    assert "evil.example" in error.message
    assert "never follows redirects" in error.message


def test_drf_field_errors_become_details_and_message() -> None:
    body = b'{"name": ["This field is required."], "slug": "Taken."}'
    error = error_from_response(400, {}, body)
    assert isinstance(error, ValidationError)
    assert error.details == [
        {"field": "name", "message": "This field is required."},
        {"field": "slug", "message": "Taken."},
    ]
    assert error.message == "name: This field is required.; slug: Taken."


def test_list_validation_body_is_kept_as_details() -> None:
    error = error_from_response(422, {}, b'["bad one", "bad two"]')
    assert isinstance(error, ValidationError)
    assert error.details == ["bad one", "bad two"]
    assert error.message == "bad one; bad two"


def test_quota_error_needs_quota_numbers() -> None:
    with_numbers = error_from_response(413, {}, b'{"detail": "Full", "limit": 100, "used": 99}')
    assert isinstance(with_numbers, QuotaExceededError)
    assert (with_numbers.limit, with_numbers.used) == (100, 99)
    one = error_from_response(413, {}, b'{"detail": "Full", "used": 99}')
    assert isinstance(one, QuotaExceededError)
    assert (one.limit, one.used) == (None, 99)
    for body in (b"<html>Payload Too Large</html>", b'{"limit": "100", "used": true}', b""):
        proxy = error_from_response(413, {}, body)
        assert type(proxy) is APIStatusError
        assert proxy.status_code == 413


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None), (None, None)],
)
def test_rate_limit_error_parses_retry_after(value: str | None, expected: float | None) -> None:
    headers = {"retry-after": value} if value is not None else {}
    error = error_from_response(429, headers, b"")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == expected


@pytest.mark.parametrize(
    "content",
    [b"", b"<html><body>Bad Gateway</body></html>", b"{truncated", b"[1, 2", b"null", b'"str"'],
)
def test_non_json_or_odd_bodies_still_give_a_typed_error(content: bytes) -> None:
    error = error_from_response(502, {}, content)
    assert isinstance(error, ServerError)
    assert error.message == "HTTP 502 Bad Gateway"


def test_structured_detail_does_not_become_the_message() -> None:
    error = error_from_response(400, {}, b'{"detail": {"token": "tok_live_abcdefghijklmnop1"}}')
    assert error.message == "HTTP 400 Bad Request"
    assert "tok_live" not in repr(error.body)


def test_secrets_are_redacted_from_message_and_body() -> None:
    body = b'{"detail": "Invalid key my-secret-key", "api_key": "my-secret-key"}'
    error = error_from_response(401, {}, body, secrets=("my-secret-key",))
    assert "my-secret-key" not in str(error)
    assert "my-secret-key" not in repr(error)
    assert "my-secret-key" not in repr(error.body)


def test_long_messages_are_truncated() -> None:
    error = error_from_response(400, {}, b'{"detail": "' + b"x" * 5000 + b'"}')
    assert len(error.message) <= 500
