"""`avala.signup` / `avala.async_signup`: against the local Avala API, and a mock transport for
the statuses the local API does not produce."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

import avala
from avala import _twins
from avala.errors import (
    APIConnectionError,
    APIStatusError,
    ForbiddenError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from avala.testing import LocalAvala

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_twins, "sleep", fake_sleep)
    monkeypatch.setattr(_twins, "async_sleep", fake_async_sleep)
    return recorded


def mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_signup_creates_an_account_on_the_local_api() -> None:
    api = LocalAvala(data="demo")
    with api.httpx_client() as http:
        account = avala.signup(
            email="ada@example.com",
            password=PASSWORD,
            first_name="Ada",
            base_url=api.base_url,
            http_client=http,
        )
        assert account.user.email == "ada@example.com"
        assert account.user.first_name == "Ada"
        assert account.api_key.startswith("avk_")
        assert account.api_key not in repr(account)
        assert "api_key='***'" in repr(account)
        # The key works against the same API.
        with avala.Client(api_key=account.api_key, base_url=api.base_url, http_client=http) as c:
            assert c.users.me().email == "ada@example.com"
        # The same email twice is a typed validation error that never shows the password.
        with pytest.raises(ValidationError) as caught:
            avala.signup(
                email="ada@example.com", password=PASSWORD, base_url=api.base_url, http_client=http
            )
        assert PASSWORD not in str(caught.value)
        assert caught.value.status_code == 400


async def test_async_signup_on_the_local_api() -> None:
    api = LocalAvala(data="demo")
    async with api.async_httpx_client() as http:
        account = await avala.async_signup(
            email="grace@example.com", password=PASSWORD, base_url=api.base_url, http_client=http
        )
    assert account.user.username
    assert account.api_key not in repr(account)


def test_no_api_key_is_sent_even_when_one_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVALA_API_KEY", "avk_secret_in_env")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"user": {"uid": "u1", "username": "a"}, "api_key": "k"})

    with mock(handler) as http:
        account = avala.signup(
            email="a@example.com",
            password=PASSWORD,
            base_url="https://api.example.test/api/v1",
            http_client=http,
        )
    assert account.user.in_waitlist is True
    (request,) = seen
    assert str(request.url) == "https://api.example.test/api/v1/signup/"
    assert "x-avala-api-key" not in request.headers
    assert "authorization" not in request.headers
    assert request.read() == (
        b'{"email":"a@example.com","password":"correct horse battery staple"}'
    )


@pytest.mark.parametrize(
    ("status", "error"),
    # A 413 without quota numbers is a proxy's "Payload Too Large", not a quota.
    [(403, ForbiddenError), (413, APIStatusError), (422, ValidationError), (500, ServerError)],
)
def test_statuses_map_to_typed_errors_without_retrying(status: int, error: type[Exception]) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(status, json={"detail": f"refused {PASSWORD}"})

    with mock(handler) as http, pytest.raises(error) as caught:
        avala.signup(
            email="a@example.com", password=PASSWORD, base_url="https://x.test", http_client=http
        )
    assert PASSWORD not in str(caught.value)
    assert status != 413 or not isinstance(caught.value, QuotaExceededError)
    assert len(calls) == 1  # creating an account is not idempotent: a 5xx is not retried


def test_429_is_retried_after_the_servers_wait(sleeps: list[float]) -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "1.5"}),
        httpx.Response(201, json={"user": {"uid": "u1", "username": "a"}, "api_key": "k"}),
    ]

    with mock(lambda request: answers.pop(0)) as http:
        avala.signup(
            email="a@example.com", password=PASSWORD, base_url="https://x.test", http_client=http
        )
    assert sleeps == [1.5]


def test_a_huge_retry_after_is_raised_at_once(sleeps: list[float]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "86400"})

    with mock(handler) as http, pytest.raises(RateLimitError) as caught:
        avala.signup(
            email="a@example.com", password=PASSWORD, base_url="https://x.test", http_client=http
        )
    assert caught.value.retry_after == 86400.0
    assert sleeps == []


def test_retries_stop_after_max_retries(sleeps: list[float]) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(429, headers={"Retry-After": "2"})

    with mock(handler) as http, pytest.raises(RateLimitError):
        avala.signup(
            email="a@example.com",
            password=PASSWORD,
            base_url="https://x.test",
            http_client=http,
            max_retries=1,
        )
    assert len(calls) == 2
    assert sleeps == [2.0]


def test_connect_errors_are_retried_then_typed(sleeps: list[float]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with mock(handler) as http, pytest.raises(APIConnectionError) as caught:
        avala.signup(
            email="a@example.com", password=PASSWORD, base_url="https://x.test", http_client=http
        )
    assert len(sleeps) == 2
    assert caught.value.__cause__ is None


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ValueError, match="plain http"):
        avala.signup(email="a@example.com", password=PASSWORD, base_url="http://api.example.com")


def test_malformed_success_body_is_a_typed_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"user": {}})

    with mock(handler) as http, pytest.raises(avala.ResponseValidationError):
        avala.signup(
            email="a@example.com", password=PASSWORD, base_url="https://x.test", http_client=http
        )


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVALA_BASE_URL", "https://env.example.test/api/v1/")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(201, json={"user": {"uid": "u1", "username": "a"}, "api_key": "k"})

    with mock(handler) as http:
        avala.signup(email="a@example.com", password=PASSWORD, http_client=http)
    assert seen == ["https://env.example.test/api/v1/signup/"]


def test_avala_signup_is_callable_even_after_importing_the_module() -> None:
    import subprocess
    import sys

    code = (
        "import httpx\n"
        "from avala.signup import SignupResponse\n"
        "import avala\n"
        "answer = {'user': {'uid': 'u', 'username': 'a'}, 'api_key': 'k'}\n"
        "http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(201, json=answer)))\n"
        "account = avala.signup(email='a@b.c', password='pw', base_url='https://x.test', http_client=http)\n"
        "assert isinstance(account, SignupResponse), account\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr
