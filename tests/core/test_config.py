from __future__ import annotations

import httpx
import pytest

from avala._core._config import (
    DEFAULT_TIMEOUT,
    ClientConfig,
    check_timeout,
    is_default_timeout,
    resolve_api_key,
    resolve_base_url,
)
from avala._core._request import check_options


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AVALA_API_KEY", raising=False)
    monkeypatch.delenv("AVALA_BASE_URL", raising=False)


def test_api_key_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_api_key("explicit") == "explicit"
    monkeypatch.setenv("AVALA_API_KEY", "from-env")
    assert resolve_api_key(None) == "from-env"
    assert resolve_api_key("explicit") == "explicit"


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_api_key_is_a_clear_value_error(key: str | None) -> None:
    with pytest.raises(ValueError, match="AVALA_API_KEY"):
        resolve_api_key(key)


def test_api_key_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        resolve_api_key("abc\r\nX-Evil: 1")


def test_base_url_default_env_and_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_base_url(None) == "https://api.avala.ai/api/v1"
    monkeypatch.setenv("AVALA_BASE_URL", "https://eu.avala.ai/api/v1/")
    assert resolve_base_url(None) == "https://eu.avala.ai/api/v1"
    assert resolve_base_url("https://x.example/api/v1/") == "https://x.example/api/v1"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8765/api/v1",
        "http://127.0.0.1/api/v1",
        "http://127.8.9.10:1/api/v1",
        "http://[::1]:8000/api/v1",
        "https://anything.example.com",
    ],
)
def test_https_or_loopback_http_is_accepted(url: str) -> None:
    assert resolve_base_url(url) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://api.avala.ai/api/v1", "Refusing plain http"),
        ("http://10.0.0.5/api/v1", "Refusing plain http"),
        ("http://localhost.evil.com/api/v1", "Refusing plain http"),
        ("http://avala.localhost/api/v1", "Refusing plain http"),
        ("ftp://api.avala.ai", "Invalid base_url"),
        ("api.avala.ai/api/v1", "Invalid base_url"),
        ("https://user:pw@api.avala.ai", "credentials"),
        ("https://api.avala.ai/api/v1?x=1", "query"),
    ],
)
def test_unsafe_base_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_base_url(url)


def make(**overrides: object) -> ClientConfig:
    args: dict[str, object] = {
        "api_key": "k",
        "base_url": None,
        "timeout": None,
        "max_retries": 2,
        "retry_policy": None,
        "default_headers": None,
        "max_concurrency": None,
    }
    args.update(overrides)
    return ClientConfig.create(**args)  # type: ignore[arg-type]


def test_timeout_accepts_float_int_and_httpx_timeout() -> None:
    assert make(timeout=None).timeout is None  # no limit, as per call
    assert make(timeout=DEFAULT_TIMEOUT).timeout == 30.0
    assert make(timeout=5).timeout == 5.0
    timeout = httpx.Timeout(10.0, connect=2.0)
    assert make(timeout=timeout).timeout is timeout


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"timeout": 0}, ValueError),
        ({"timeout": -1.0}, ValueError),
        ({"timeout": "30"}, TypeError),
        ({"timeout": True}, TypeError),
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, ValueError),
        ({"max_retries": True}, ValueError),
        ({"max_concurrency": 0}, ValueError),
        ({"timeout": float("inf")}, ValueError),
        ({"timeout": 1e300}, ValueError),
        ({"timeout": float("nan")}, ValueError),
        ({"timeout": "5"}, TypeError),
        ({"timeout": httpx.Timeout(5.0, read=float("inf"))}, ValueError),
        ({"timeout": httpx.Timeout(5.0, connect=-1)}, ValueError),
        ({"default_headers": {"X-A": 1}}, TypeError),
    ],
)
def test_invalid_settings_fail_at_construction(
    overrides: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        make(**overrides)


def test_config_repr_never_shows_the_key() -> None:
    assert "secret-key-value" not in repr(make(api_key="secret-key-value"))


def test_avala_log_turns_on_sdk_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from avala._core._logs import setup_logging_from_env

    logger = logging.getLogger("avala")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    setup_logging_from_env.cache_clear()
    monkeypatch.setenv("AVALA_LOG", "DEBUG")
    make()
    assert logger.level == logging.DEBUG
    assert len(logger.handlers) == 1
    setup_logging_from_env.cache_clear()
    monkeypatch.setenv("AVALA_LOG", "nonsense")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    make()
    assert logger.level == logging.NOTSET
    assert logger.handlers == []
    setup_logging_from_env.cache_clear()


@pytest.mark.parametrize("value", [float("inf"), 1e300, float("nan"), 0, -1, "5", True, [1]])
def test_one_timeout_check_at_construction_and_per_call(value: object) -> None:
    """Both places reject the same values with the same error type."""
    with pytest.raises((ValueError, TypeError)) as at_construction:
        check_timeout(value)
    with pytest.raises(at_construction.type):
        check_options({"timeout": value})


@pytest.mark.parametrize("value", [None, 0.001, 5, 86_400, httpx.Timeout(None, connect=2.0)])
def test_valid_timeouts_pass_both_checks(value: object) -> None:
    check_timeout(value)
    check_options({"timeout": value})


def test_only_the_sdk_default_counts_as_not_chosen() -> None:
    assert is_default_timeout(DEFAULT_TIMEOUT)
    assert not is_default_timeout(30.0)
    assert not is_default_timeout(make(timeout=30).timeout)
    assert DEFAULT_TIMEOUT == 30.0


def test_with_changes_validates_and_merges_headers() -> None:
    base = make(default_headers={"X-A": "1", "X-B": "2"})
    changed = base.with_changes(timeout=None, max_retries=0, default_headers={"X-B": "3"})
    assert (changed.timeout, changed.max_retries) == (None, 0)
    assert changed.default_headers == {"X-A": "1", "X-B": "3"}
    assert base.with_changes().timeout == base.timeout
    with pytest.raises(ValueError, match="timeout"):
        base.with_changes(timeout=float("inf"))
    with pytest.raises(ValueError, match="max_retries"):
        base.with_changes(max_retries=-1)
