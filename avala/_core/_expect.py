"""What a call expects back, and how to turn a 2xx response into it.

Each resource method names one `Expect*` object; the HTTP layer hands it the response bytes.
All decoding and shape checking therefore lives here, I/O-free and shared by both clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar, Union

from ..errors import ResponseValidationError
from ._decode import PageEnvelope, TypedDecoder, type_name
from ._headers import request_id

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Expect(Generic[T_co]):
    """Base: `parse(status, headers, content)` of a 2xx response.

    Subclasses that decode keep their `TypedDecoder` in a `cached_property`: built on the
    first response, then every parse is a single msgspec call (the resource modules create
    their `Expect*` objects once, at import).
    """

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> T_co:
        raise NotImplementedError


@dataclass(frozen=True)
class ExpectModel(Expect[T]):
    """One JSON object decoded into `model`."""

    model: type[T]

    @cached_property
    def _decoder(self) -> TypedDecoder:
        return TypedDecoder(self.model)

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> T:
        result: T = self._decoder.decode(content, status=status, headers=headers)
        return result


@dataclass(frozen=True)
class ExpectList(Expect[list[T]]):
    """A bare JSON array of `model` (the few endpoints without a pagination envelope)."""

    model: type[T]

    @cached_property
    def _decoder(self) -> TypedDecoder:
        return TypedDecoder(list[self.model], f"list[{type_name(self.model)}]")  # type: ignore[name-defined]

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> list[T]:
        result: list[T] = self._decoder.decode(content, status=status, headers=headers)
        return result


@dataclass(frozen=True)
class PageData(Generic[T]):
    items: list[T]
    next_url: str | None
    previous_url: str | None


@dataclass(frozen=True)
class ExpectPage(Expect[PageData[T]]):
    """A DRF page envelope of `model`. A bare array is accepted as a single, last page."""

    model: type[T]

    @cached_property
    def _decoder(self) -> TypedDecoder:
        target = Union[PageEnvelope[self.model], list[self.model]]  # type: ignore[name-defined]
        return TypedDecoder(target, f"page of {type_name(self.model)}")

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> PageData[T]:
        body = self._decoder.decode(content, status=status, headers=headers)
        if isinstance(body, list):
            return PageData(body, None, None)
        return PageData(body.results, body.next, body.previous)


@dataclass(frozen=True)
class ExpectRaw(Expect[dict[str, Any]]):
    """Any JSON object, returned as a dict (action endpoints with loosely defined results).
    An empty body gives `{}`."""

    @cached_property
    def _decoder(self) -> TypedDecoder:
        return TypedDecoder(dict[str, Any], "JSON object")

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> dict[str, Any]:
        if not content.strip():
            return {}
        result: dict[str, Any] = self._decoder.decode(content, status=status, headers=headers)
        return result


_RAW = ExpectRaw()


@dataclass(frozen=True)
class ExpectNothing(Expect[None]):
    """Void operations: 204, an empty 2xx or any body at all gives `None`."""

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> None:
        return None


@dataclass(frozen=True)
class ExpectField(Expect[T]):
    """One field of a JSON object, e.g. `{"created": 2}` -> `2`."""

    name: str
    kind: type[T]

    def parse(self, status: int, headers: Mapping[str, str], content: bytes) -> T:
        body = _RAW.parse(status, headers, content)
        value = body.get(self.name)
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            raise ResponseValidationError(
                f"Expected field {self.name!r} of type {self.kind.__name__} in the response",
                status,
                None,
                model=f"{{{self.name}: {self.kind.__name__}}}",
                path=f"$.{self.name}",
                headers=headers,
                request_id=request_id(headers),
            )
        return value
