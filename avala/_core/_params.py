"""Query strings and JSON bodies: only what the caller gave, in the API's wire types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

QueryParams = list[tuple[str, str]]


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query(params: Mapping[str, Any] | None = None, **more: Any) -> QueryParams:
    """Query parameters without the `None`s; booleans as `true`/`false`; lists repeated."""
    out: QueryParams = []
    for source in (params or {}, more):
        for key, value in source.items():
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                out.extend((key, _wire(v)) for v in value)
            else:
                out.append((key, _wire(value)))
    return out


def body(required: Mapping[str, Any] | None = None, **optional: Any) -> dict[str, Any]:
    """A JSON body: `required` keys always, `optional` keys only when not `None`.

    The API distinguishes "not given" from `null`, so the SDK never sends `null` for an
    argument the caller left out.
    """
    out = dict(required or {})
    out.update((key, value) for key, value in optional.items() if value is not None)
    return out


def one_of(**candidates: Any) -> tuple[str, Any]:
    """Exactly one of the keyword arguments must be given (not None); return it."""
    given = [(k, v) for k, v in candidates.items() if v is not None]
    if len(given) != 1:
        names = " or ".join(candidates)
        raise ValueError(f"Pass exactly one of {names}")
    return given[0]


def alias(primary: tuple[str, Any], *aliases: tuple[str, Any]) -> Any:
    """Resolve an argument that has alternative spellings (the seed page's `project_id` and
    the official SDK's `project`). Conflicting values are a `ValueError`."""
    given = [(name, value) for name, value in (primary, *aliases) if value is not None]
    if len({repr(value) for _, value in given}) > 1:
        names = ", ".join(f"{name}={value!r}" for name, value in given)
        raise ValueError(f"Conflicting values for the same argument: {names}")
    return given[0][1] if given else None


def strs(values: Iterable[Any] | None, name: str) -> list[str] | None:
    """A list of strings from any iterable except a bare string (a common slip: `events="a"`)."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list of strings, not a single string")
    result = list(values)
    if not all(isinstance(v, str) for v in result):
        raise TypeError(f"{name} must contain only strings")
    return result
