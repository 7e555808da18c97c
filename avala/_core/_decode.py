"""Decoding response bytes straight into msgspec Structs, with typed errors.

One `msgspec.json.Decoder` per target type, built once and reused: a decoder is typed, and
building one per call costs more than decoding a small body.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Generic, TypeVar, Union

import msgspec

from ..errors import ResponseValidationError
from ._headers import request_id
from ._redact import redact_text

T = TypeVar("T")


class PageEnvelope(msgspec.Struct, Generic[T]):
    """The DRF pagination envelope; `count` and other extras are ignored."""

    results: list[T] = msgspec.field(default_factory=list)
    next: Union[str, None] = None
    previous: Union[str, None] = None


@cache
def decoder_for(target: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(target)


def type_name(target: Any) -> str:
    origin = getattr(target, "__origin__", None)
    if origin is not None:
        args = ", ".join(type_name(a) for a in getattr(target, "__args__", ()))
        return f"{type_name(origin)}[{args}]"
    return getattr(target, "__name__", repr(target))


def decode(
    target: Any,
    content: bytes,
    *,
    status: int,
    headers: Mapping[str, str],
    model_name: str | None = None,
) -> Any:
    """Decode `content` as `target`, raising `ResponseValidationError` naming model and field."""
    name = model_name or type_name(target)
    if not content.strip():
        raise ResponseValidationError(
            f"Expected a {name} in the response, got an empty body",
            status,
            None,
            model=name,
            headers=headers,
            request_id=request_id(headers),
        )
    try:
        return decoder_for(target).decode(content)
    except msgspec.ValidationError as exc:
        text = str(exc)
        # msgspec appends " - at `$.results[3].uid`"; no suffix means the top level.
        path = text.rsplit(" - at `", 1)[1].rstrip("`") if " - at `" in text else "$"
        raise ResponseValidationError(
            f"Response does not match {name}: {redact_text(text)}",
            status,
            None,
            model=name,
            path=path,
            headers=headers,
            request_id=request_id(headers),
        ) from None
    except msgspec.DecodeError as exc:
        snippet = redact_text(content[:80].decode("utf-8", "replace"))
        raise ResponseValidationError(
            f"Response is not valid JSON (expected {name}): {exc}; body starts {snippet!r}",
            status,
            None,
            model=name,
            headers=headers,
            request_id=request_id(headers),
        ) from None
