"""Scrub secrets from anything that may end up in an exception, a log line or a repr.

Servers sometimes echo credentials back in error bodies (a storage config's AWS secret, the
API key itself). Error messages and bodies pass through `redact` before an exception is built.
Successful responses are never redacted: `Webhook.secret` is data the caller asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"

# PEM private keys are found by scanning (`_redact_pem`), not by one regex: the obvious
# `BEGIN.*?END` with re.S rescans to the end of the text from every BEGIN lacking an END, which
# is quadratic (a 3 MB error body of repeated BEGIN lines took minutes).
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")

# (pattern, replacement) pairs, applied in order: keyed secrets keep their key (group 1) so the
# message stays readable; bare token shapes are replaced whole.
_R = REDACTED
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
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

# A cheap first look: text holding none of these (compared case-folded) and no run of 40 hex
# digits cannot match any of `_PATTERNS` (nor a PEM block), so they are skipped. Ordinary text
# (every header of every error response) then costs about a microsecond instead of fourteen
# regex passes, and a few MB of it ~0.1 s instead of ~0.5 s. It must stay a superset of every
# pattern above: tests/reliability/test_core_fixes.py checks it on strings generated from each.
_ANCHORS = (
    "private key",
    "x-avala-api-key",
    "bearer",
    "private_key_id",
    "aws_secret_access_key",
    "secretaccesskey",
    "eyj",
    "akia",
    "asia",
    "fwog",
    "iqoj",
    "1//",
    "avk_",
    "sk_",
    "pk_",
    "secret_",
    "key_",
    "token_",
    "sk-",
    "arn:aws",
)
_HEX_RUN = re.compile(r"[a-fA-F0-9]{40}")


def might_hold_secret(text: str) -> bool:
    """False only when no secret pattern can match `text`."""
    lowered = text.casefold()  # as re.I compares: U+017F (long s) is an "s"
    return any(anchor in lowered for anchor in _ANCHORS) or _HEX_RUN.search(text) is not None


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

# Response headers whose values are credentials whatever they look like.
_SENSITIVE_HEADERS = frozenset(
    {
        "x-avala-api-key",
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-amz-security-token",
    }
)

# Deeper JSON than this is not an error body anyone reads; redacting it recursively would hit
# Python's recursion limit (RecursionError instead of the typed error), so it is replaced whole.
MAX_DEPTH = 64


def _redact_pem(text: str) -> str:
    """Replace each BEGIN ... END PRIVATE KEY block, in one left-to-right pass."""
    if "PRIVATE KEY-----" not in text:
        return text
    out: list[str] = []
    position = 0
    while True:
        begin = _PEM_BEGIN.search(text, position)
        if begin is None:
            break
        end = _PEM_END.search(text, begin.end())
        if end is None:  # no END after this BEGIN, so none after any later BEGIN either
            break
        out += (text[position : begin.start()], REDACTED)
        position = end.end()
    if not out:
        return text
    out.append(text[position:])
    return "".join(out)


def _is_distinctive(secret: str) -> bool:
    """Whether `secret` can be replaced verbatim without mangling ordinary words: 16+
    characters, or 8+ with a digit or symbol. A shorter or plainer "key" (`test`, `k`) would
    turn "The test delivery failed" into "The [redacted] delivery failed"; such a key is a
    placeholder, not a credential worth that."""
    if len(secret) >= 16:
        return True
    return len(secret) >= 8 and not secret.isalpha()


def redact_text(text: str, *secrets: str) -> str:
    """Replace every known secret shape, and each of `secrets` verbatim (when distinctive
    enough, see `_is_distinctive`), with `[redacted]`, in one pass over the text."""
    for secret in secrets:
        if secret and _is_distinctive(secret):
            text = text.replace(secret, REDACTED)
    if not might_hold_secret(text):
        return text
    text = _redact_pem(text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, *secrets: str, _depth: int = 0) -> Any:
    """Redact a decoded JSON value recursively (dict keys by name, strings by shape).

    Containers nested deeper than `MAX_DEPTH` are replaced by `[redacted]` as a whole.
    """
    if isinstance(value, str):
        return redact_text(value, *secrets)
    if isinstance(value, (dict, list)) and _depth >= MAX_DEPTH:
        return REDACTED
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
                out[key] = redact(item, *secrets, _depth=_depth + 1)
        return out
    if isinstance(value, list):
        return [redact(item, *secrets, _depth=_depth + 1) for item in value]
    return value


def redact_headers(headers: Mapping[str, str], *secrets: str) -> dict[str, str]:
    """Response headers for an exception: credential headers (`X-Avala-Api-Key`, `Cookie`,
    `Set-Cookie`, `Authorization`...) replaced whole, every other value redacted like text.
    Names come out lower-cased, so `.get("retry-after")` works on the result."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        if key in _SENSITIVE_HEADERS:
            out[key] = REDACTED
        elif key in out:  # a repeated header: keep both values, as httpx's dict() does
            out[key] = f"{out[key]}, {redact_text(value, *secrets)}"
        else:
            out[key] = redact_text(value, *secrets)
    return out
