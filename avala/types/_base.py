"""Base classes of every response model.

Models are msgspec Structs: decoding validates types as it goes and is several times faster
than pydantic. Unknown fields are ignored (the API adds fields without notice) and enum-like
fields are plain `str` so a new server value never breaks an old client.

A model is plain data with two views:

- attributes are typed: `task.created_at` is a `datetime`, `dataset.calibration` a model;
- the mapping view is JSON: `to_dict()`, `dict(model)`, `model["name"]`, `list(model)` and
  `model_dump(mode="json")` all give the same JSON-ready values (ISO 8601 strings for
  datetimes, dicts for nested models), every field included, defaults and `None` too.

`model_dump()` (pydantic's python mode: datetimes stay `datetime`) and
`Model.model_validate(obj)` accept code written for pydantic models, and a model can be a
FastAPI response annotation (`-> Task`).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import msgspec

from ..errors import ResponseValidationError

M = TypeVar("M", bound="Model")

# Kept as Python objects by `model_dump()` (pydantic's python mode); `to_dict()` turns them
# into their JSON form.
_PYTHON_TYPES = (
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
    uuid.UUID,
    bytes,
)


# gc=False (inherited by every model): instances are not tracked by the cycle collector. A
# 1,000-item page allocates thousands of objects, and collections triggered while it decodes
# would traverse every model already built (Dataset pages decode 15-40% faster without it).
# The cost: a reference cycle running through a model is never freed. Response models are
# plain data that never point back at themselves, unless a caller puts one inside its own
# dict or list field.
class Model(msgspec.Struct, kw_only=True, gc=False):
    """Base of all models: typed attributes, and a JSON mapping view (`to_dict()`,
    `dict(model)`, `model["field"]`) holding every field, defaults included."""

    # Fields holding credentials the API returns on purpose (`Webhook.secret`): kept on the
    # object, masked in repr() so they do not leak into logs and tracebacks.
    __secret_fields__: ClassVar[frozenset[str]] = frozenset()
    # Other names a field answers to in `model["name"]`, as it does as an attribute
    # (`task.id` is `task.uid`).
    __field_aliases__: ClassVar[Mapping[str, str]] = {}

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready data: datetimes as ISO 8601 strings, nested models as
        dicts, `None` and default values kept. Equal to `dict(model)`."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """Every field, defaults included, as pydantic's `model_dump` gives it: in `"python"`
        mode datetimes stay `datetime` objects, in `"json"` mode this is `to_dict()`.
        `exclude_none=True` leaves out fields that are `None`."""
        if mode == "json":
            data = self.to_dict()
        elif mode == "python":
            data = msgspec.to_builtins(self, builtin_types=_PYTHON_TYPES)
        else:
            raise ValueError(f"mode must be 'python' or 'json', got {mode!r}")
        if exclude_none:
            data = {key: value for key, value in data.items() if value is not None}
        return data

    def model_dump_json(self) -> str:
        """The model as a JSON document (every field)."""
        return msgspec.json.encode(self).decode()

    @classmethod
    def model_validate(cls: type[M], obj: Any) -> M:
        """Build a model from a dict (the API's JSON shape) or return `obj` if it already is
        one. Raises `ResponseValidationError` naming the offending field."""
        if isinstance(obj, cls):
            return obj
        if isinstance(obj, Model):
            obj = obj.to_dict()
        try:
            return msgspec.convert(obj, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise ResponseValidationError(
                f"Cannot build {cls.__name__}: {exc}", model=cls.__name__
            ) from None

    # The mapping protocol: `dict(model)`, `list(model)`, `"uid" in model`, `model["uid"]`,
    # and serializers that fall back to it (FastAPI's `jsonable_encoder`).
    def keys(self) -> tuple[str, ...]:
        return self.__struct_fields__

    def values(self) -> list[Any]:
        return list(self.to_dict().values())

    def items(self) -> list[tuple[str, Any]]:
        return list(self.to_dict().items())

    def __getitem__(self, name: str) -> Any:
        field = self.__field_aliases__.get(name, name)
        if not isinstance(field, str) or field not in self.__struct_fields__:
            raise KeyError(name)
        return msgspec.to_builtins(getattr(self, field))

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(self.__struct_fields__)

    def __len__(self) -> int:
        return len(self.__struct_fields__)

    def __contains__(self, name: object) -> bool:
        return name in self.__struct_fields__ or name in self.__field_aliases__

    def __repr__(self) -> str:
        parts = []
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if name in self.__secret_fields__ and value is not None:
                parts.append(f"{name}='***'")
            else:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __rich_repr__(self) -> Any:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            yield name, ("***" if name in self.__secret_fields__ and value is not None else value)

    # pydantic (and so FastAPI) hook: a model validates from a dict or itself and serializes
    # as `to_dict()`. pydantic is imported only by the framework that calls this.
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        # Only imported under pydantic, which installs pydantic_core.
        from pydantic_core import core_schema  # type: ignore[import-not-found, unused-ignore]

        return core_schema.no_info_plain_validator_function(
            cls._from_pydantic,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _model_to_dict, when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        properties: dict[str, Any] = {name: {} for name in cls.__struct_fields__}
        return {"type": "object", "title": cls.__name__, "properties": properties}

    @classmethod
    def _from_pydantic(cls, value: Any) -> Any:
        try:
            return cls.model_validate(value)
        except ResponseValidationError as exc:
            # pydantic reports ValueError as a validation error of the field.
            raise ValueError(exc.message) from None


def _model_to_dict(value: Any) -> Any:
    return value.to_dict() if isinstance(value, Model) else value


class Resource(Model, kw_only=True):
    """A model with its own `uid`. `.id` (and `model["id"]`) is the same value, as the docs
    write `task.id`."""

    __field_aliases__: ClassVar[Mapping[str, str]] = {"id": "uid"}

    uid: str

    @property
    def id(self) -> str:
        return self.uid
