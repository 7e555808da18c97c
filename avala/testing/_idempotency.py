"""`Idempotency-Key` replay store (POST / PATCH / PUT).

Scope of a key: (API key, method, raw path, Idempotency-Key). Only successful (2xx) responses are
recorded: an error answer means nothing was written, so re-running the request is the safe
replay. A key reused with a different body is refused with 422, as the IETF
`Idempotency-Key` header draft recommends, instead of silently replaying an unrelated response.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ._wire import ApiError

__all__ = ["IDEMPOTENT_METHODS", "IdempotencyStore", "Recorded"]

IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "PUT"})


@dataclass(frozen=True)
class Recorded:
    fingerprint: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def fingerprint(body: bytes) -> str:
    """Hash of the request body, insensitive to JSON key order and whitespace."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to canonicalise
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


class IdempotencyStore:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str, str], Recorded] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, scope: tuple[str, str, str, str], body: bytes) -> Recorded | None:
        found = self._entries.get(scope)
        if found is not None and found.fingerprint != fingerprint(body):
            raise ApiError.detail(
                422, "Idempotency-Key has already been used with a different request payload."
            )
        return found

    def record(
        self,
        scope: tuple[str, str, str, str],
        body: bytes,
        status: int,
        headers: list[tuple[str, str]],
        payload: bytes,
    ) -> None:
        if 200 <= status < 300:
            self._entries[scope] = Recorded(fingerprint(body), status, headers, payload)
