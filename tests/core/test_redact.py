from __future__ import annotations

import pytest

from avala._core._redact import REDACTED, redact, redact_text


@pytest.mark.parametrize(
    "secret",
    [
        "avk_0123456789abcdef0123456789abcdef",
        "AKIAIOSFODNN7EXAMPLE",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU",
        "sk-proj-abcdefghijklmnopqrstuvwx",
        "sk_live_abcdefghijklmnop1234",
        "0123456789abcdef0123456789abcdef01234567",
        "arn:aws:iam::123456789012:role/avala-reader",
        "1//0gAbCdEfGhIjKlMnOpQrStUvWx",
    ],
)
def test_known_secret_shapes_are_redacted(secret: str) -> None:
    text = redact_text(f"the server said {secret} oops")
    assert secret not in text
    assert REDACTED in text


def test_keyed_secrets_keep_their_key() -> None:
    text = redact_text('aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"')
    assert text == f'aws_secret_access_key="{REDACTED}"'
    assert redact_text("X-Avala-Api-Key: abc123") == f"X-Avala-Api-Key: {REDACTED}"
    assert redact_text("Authorization: Bearer tok.en") == f"Authorization: Bearer {REDACTED}"


def test_pem_blocks_are_redacted_whole() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\nabc\n-----END RSA PRIVATE KEY-----"
    assert redact_text(f"key: {pem}") == f"key: {REDACTED}"


def test_explicit_secrets_are_redacted_verbatim() -> None:
    assert redact_text("echo my-own-key!", "my-own-key") == f"echo {REDACTED}!"


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("test", "The test delivery failed"),
        ("k", "Invalid API key"),
        ("e", "Error: redacted twice?"),
        ("password", "Check the password field"),
    ],
)
def test_a_short_or_plain_client_key_leaves_ordinary_words_alone(key: str, text: str) -> None:
    assert redact_text(text, key) == text


@pytest.mark.parametrize("key", ["Zq8-legacy-key-0001-custom", "abcd1234", "averyplainlongword"])
def test_a_distinctive_client_key_is_redacted_verbatim_once(key: str) -> None:
    assert (
        redact_text(f"bad key {key}, again {key}", key) == f"bad key {REDACTED}, again {REDACTED}"
    )


def test_structures_are_redacted_by_key_and_value() -> None:
    data = {
        "detail": "bad key avk_0123456789abcdef",
        "s3_secret_access_key": "plain",
        "Password": 12345,
        "nested": [{"apiKey": "x", "token": None, "note": "fine"}],
        "count": 3,
    }
    assert redact(data) == {
        "detail": f"bad key {REDACTED}",
        "s3_secret_access_key": REDACTED,
        "Password": REDACTED,
        "nested": [{"apiKey": REDACTED, "token": None, "note": "fine"}],
        "count": 3,
    }


def test_ordinary_text_is_untouched() -> None:
    text = "Dataset 'training-data' not found for owner demo-org (task_456)."
    assert redact_text(text) == text
