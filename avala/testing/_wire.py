"""Plain request/response values exchanged between the transports and the in-memory API.

They are framework-free on purpose: the same core answers an httpx transport, an ASGI server
and a direct `LocalAvala.handle()` call from a test, so none of them may leak into the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Union

import msgspec

__all__ = ["ApiError", "Dropped", "Outcome", "Request", "Response", "json_bytes"]

_encoder = msgspec.json.Encoder()


def json_bytes(data: Any) -> bytes:
    """Encode a JSON body (msgspec: the server must not be the bottleneck of SDK benchmarks)."""
    return _encoder.encode(data)


@dataclass
class Request:
    """One HTTP request as the core sees it.

    `path` is the raw, still percent-encoded path without the query string: the router splits
    it on `/` before decoding, so an encoded `%2F` stays inside one segment.
    """

    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased
    body: bytes = b""
    scheme: str = "http"
    host: str = "localhost"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    """A complete answer. `delay` is simulated latency the transport waits before delivering."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Dropped:
    """The connection is closed without a response.

    `applied` tells whether the request was processed first (the write happened, only the answer
    was lost): the case that duplicates data in clients retrying without an idempotency key.
    """

    applied: bool
    delay: float = 0.0


Outcome = Union[Response, Dropped]


class ApiError(Exception):
    """Raised by handlers to answer with an error status and a JSON body (DRF shapes)."""

    def __init__(
        self, status: int, body: Any, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = headers or []

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, {"detail": "Not found."})

    @classmethod
    def detail(cls, status: int, message: str) -> ApiError:
        return cls(status, {"detail": message})

    @classmethod
    def field(cls, name: str, message: str) -> ApiError:
        return cls(400, {name: [message]})
