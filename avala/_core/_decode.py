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
    """The DRF pagination envelope; `count` and other extras are ignored. `results` is
    required: a body without it is malformed, not an empty page."""

    results: list[T]
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


class TypedDecoder:
    """Decodes bytes as one target type, raising `ResponseValidationError` naming the model
    and the field. Built once per target (by the `Expect*` objects) and reused: the hot path
    is one `msgspec` call; the empty-body check runs only once decoding has failed."""

    __slots__ = ("_decoder", "name")

    def __init__(self, target: Any, model_name: str | None = None) -> None:
        self._decoder = decoder_for(target)
        self.name = model_name or type_name(target)

    def decode(self, content: bytes, *, status: int, headers: Mapping[str, str]) -> Any:
        try:
            return self._decoder.decode(content)
        except msgspec.ValidationError as exc:
            text = str(exc)
            # msgspec appends " - at `$.results[3].uid`"; no suffix means the top level.
            path = text.rsplit(" - at `", 1)[1].rstrip("`") if " - at `" in text else "$"
            message = f"Response does not match {self.name}: {redact_text(text)}"
            raise self._error(message, status, headers, path) from None
        except RecursionError:  # msgspec gives up past ~1,000 levels of nesting
            message = f"Response is nested too deeply to decode (expected {self.name})"
            raise self._error(message, status, headers) from None
        except msgspec.DecodeError as exc:
            if not content.strip():
                message = f"Expected a {self.name} in the response, got an empty body"
            else:
                snippet = redact_text(content[:80].decode("utf-8", "replace"))
                message = (
                    f"Response is not valid JSON (expected {self.name}): {exc}; "
                    f"body starts {snippet!r}"
                )
            raise self._error(message, status, headers) from None

    def _error(
        self, message: str, status: int, headers: Mapping[str, str], path: str | None = None
    ) -> ResponseValidationError:
        return ResponseValidationError(
            message,
            status,
            None,
            model=self.name,
            path=path,
            headers=headers,
            request_id=request_id(headers),
        )


def decode(
    target: Any,
    content: bytes,
    *,
    status: int,
    headers: Mapping[str, str],
    model_name: str | None = None,
) -> Any:
    """Decode `content` as `target`, raising `ResponseValidationError` naming model and field.
    (One-off use; repeated decoding of one type keeps a `TypedDecoder`.)"""
    return TypedDecoder(target, model_name).decode(content, status=status, headers=headers)
