"""Scrub secrets from anything that may end up in an exception, a log line or a repr.

Servers sometimes echo credentials back in error bodies (a storage config's AWS secret, the
API key itself). Error messages and bodies pass through `redact` before an exception is built.
Successful responses are never redacted: `Webhook.secret` is data the caller asked for.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[redacted]"

# (pattern, replacement) pairs, applied in order: keyed secrets keep their key (group 1) so the
# message stays readable; bare token shapes are replaced whole.
_R = REDACTED
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
        _R,
    ),
    (re.compile(r"(X-Avala-Api-Key:\s*)\S+", re.I), rf"\g<1>{_R}"),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), rf"\g<1>{_R}"),
    (re.compile(r"(\"private_key_id\"\s*:\s*\")[^\"]+"), rf"\g<1>{_R}"),
    (
        re.compile(
            r"((?:aws_secret_access_key|secretAccessKey)[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9/+=]{20,}",
            re.I,
        ),
        rf"\g<1>{_R}",
    ),
    *(
        (re.compile(p), _R)
        for p in (
            r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
            r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b",
            r"\b(?:FwoG|IQoJ)[A-Za-z0-9/+=]{20,}",
            r"\b1//[A-Za-z0-9_-]{20,}",
            # Avala keys as the docs show them (`avk_...`); the official SDK missed this shape.
            r"\bavk_[A-Za-z0-9_-]{8,}",
            r"\b(?:sk|pk|secret|key|token)_(?:(?:live|test|prod)_)?[A-Za-z0-9]{16,}",
            r"\bsk-[A-Za-z0-9_-]{18,}",
            r"(?<![A-Za-z0-9])[a-f0-9]{40}(?![A-Za-z0-9])",
            r"\barn:aws[a-z-]*:[^\s\"']+",
        )
    ),
)

# Dict keys whose values are always secret, compared lower-cased with non-alphanumerics removed.
_SENSITIVE_KEYS = frozenset(
    {
        "awssecretaccesskey",
        "secretaccesskey",
        "awsaccesskeyid",
        "accesskeyid",
        "awssessiontoken",
        "apikey",
        "xavalaapikey",
        "authorization",
        "auth",
        "token",
        "accesstoken",
        "refreshtoken",
        "sessiontoken",
        "idtoken",
        "secret",
        "password",
        "passwd",
        "pwd",
        "credentials",
        "privatekey",
        "privatekeyid",
        "clientsecret",
        "devicetoken",
        "s3secretaccesskey",
        "s3accesskeyid",
        "s3rolearn",
        "gcstorageauthjsoncontent",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def redact_text(text: str, *secrets: str) -> str:
    """Replace every known secret shape, and each of `secrets` verbatim, with `[redacted]`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, *secrets: str) -> Any:
    """Redact a decoded JSON value recursively (dict keys by name, strings by shape)."""
    if isinstance(value, str):
        return redact_text(value, *secrets)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if (
                isinstance(key, str)
                and item is not None
                and _NON_ALNUM.sub("", key.lower()) in _SENSITIVE_KEYS
            ):
                out[key] = REDACTED
            else:
                out[key] = redact(item, *secrets)
        return out
    if isinstance(value, list):
        return [redact(item, *secrets) for item in value]
    return value
