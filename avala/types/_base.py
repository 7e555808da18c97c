"""Base classes of every response model.

Models are msgspec Structs: decoding validates types as it goes and is several times faster
than pydantic. Unknown fields are ignored (the API adds fields without notice) and enum-like
fields are plain `str` so a new server value never breaks an old client.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec


# gc=False (inherited by every model): instances are not tracked by the cycle collector. A
# 1,000-item page allocates thousands of objects, and collections triggered while it decodes
# would traverse every model already built (Dataset pages decode 15-40% faster without it).
# The cost: a reference cycle running through a model is never freed. Response models are
# plain data that never point back at themselves, unless a caller puts one inside its own
# dict or list field.
class Model(msgspec.Struct, kw_only=True, omit_defaults=True, gc=False):
    """Base of all models. `to_dict()` gives plain JSON-ready data."""

    # Fields holding credentials the API returns on purpose (`Webhook.secret`): kept on the
    # object, masked in repr() so they do not leak into logs and tracebacks.
    __secret_fields__: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data

    # The mapping protocol, so `dict(model)` works and so do serializers that fall back to it
    # (FastAPI's `jsonable_encoder` returns models straight from an endpoint this way).
    def keys(self) -> tuple[str, ...]:
        return self.__struct_fields__

    def __getitem__(self, name: str) -> Any:
        if name not in self.__struct_fields__:
            raise KeyError(name)
        return getattr(self, name)

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


class Resource(Model, kw_only=True):
    """A model with its own `uid`. `.id` is the same value, as the docs write `task.id`."""

    uid: str

    @property
    def id(self) -> str:
        return self.uid
