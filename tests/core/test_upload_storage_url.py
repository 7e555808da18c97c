"""Which storage URLs the SDK sends bytes to."""

from __future__ import annotations

import pytest

from avala._core._storage_url import is_loopback_base, validate_storage_url
from avala.errors import AvalaError, UnsafeURLError

PROD = "https://api.avala.ai/api/v1"
LOCAL = "http://127.0.0.1:8123/api/v1"

GOOD = [
    "https://data.avala.ai/x?sig=1",
    "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/b/k",
    "https://0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com/b/k",
    "https://s3.amazonaws.com/b/k",
    "https://bucket.s3.us-east-1.amazonaws.com/k",
    "https://s3-eu-west-1.amazonaws.com/b/k",
    "https://bucket.s3.dualstack.us-east-1.amazonaws.com/k",
    "https://storage.googleapis.com/b/k",
    "https://b.storage.googleapis.com/k",
    "https://acct.blob.core.windows.net/c/k",
]
BAD = [
    "http://data.avala.ai/x",
    "https://evil.example.com/x",
    "https://evil-s3.amazonaws.com/x",
    "https://x.execute-api.us-east-1.amazonaws.com/x",
    "https://data.avala.ai:443/x",
    "https://user:pw@data.avala.ai/x",
    "https://data.avala.ai/x#frag",
    "https://data.avala.ai.evil.com/x",
    "https://0123456789abcdef.r2.cloudflarestorage.com/x",
    "ftp://data.avala.ai/x",
    "https:///nohost",
    "",
    "https://data.avala.ai/x\r\nInjected: 1",
    "http://127.0.0.1:9000/_local/storage/k?sig=SECRET",  # loopback storage, remote API
]


@pytest.mark.parametrize("url", GOOD)
def test_known_providers_pass(url: str) -> None:
    assert validate_storage_url(url, api_base_url=PROD) == url


@pytest.mark.parametrize("url", BAD)
def test_everything_else_is_refused_without_the_url_in_the_message(url: str) -> None:
    with pytest.raises(UnsafeURLError) as info:
        validate_storage_url(url, api_base_url=PROD)
    assert isinstance(info.value, AvalaError)
    assert isinstance(info.value, ValueError)
    if url:
        assert url not in str(info.value)
        assert "SECRET" not in str(info.value)


def test_loopback_api_allows_loopback_http_storage_only() -> None:
    url = "http://127.0.0.1:9000/_local/storage/k?sig=1"
    assert validate_storage_url(url, api_base_url=LOCAL) == url
    assert validate_storage_url("http://localhost:1/x", api_base_url=LOCAL)
    # A loopback API never unlocks plain http to another host.
    with pytest.raises(UnsafeURLError):
        validate_storage_url("http://evil.example.com/x", api_base_url=LOCAL)
    with pytest.raises(UnsafeURLError):
        validate_storage_url("http://user@127.0.0.1:9000/x", api_base_url=LOCAL)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (LOCAL, True),
        ("http://localhost:8000/api/v1", True),
        ("http://[::1]:8000/api/v1", True),
        (PROD, False),
        ("http://app.localhost/api/v1", False),
        ("not a url", False),
    ],
)
def test_is_loopback_base(base: str, expected: bool) -> None:
    assert is_loopback_base(base) is expected
