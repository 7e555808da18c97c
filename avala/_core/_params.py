"""Query strings and JSON bodies: only what the caller gave, in the API's wire types."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

QueryParams = list[tuple[str, str]]


class Null:
    """The type of `avala.NULL`: an argument that sends JSON `null`, to clear a field.

    Leaving an argument out (or passing `None`) never sends it: `update(description=None)`
    changes nothing. `update(description=avala.NULL)` sends `{"description": null}`.
    """

    _instance: Null | None = None

    def __new__(cls) -> Null:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "avala.NULL"

    def __reduce__(self) -> str:
        return "NULL"


# Typed `Any` so it fits the annotation of every optional argument (`str | None`, ...).
NULL: Final[Any] = Null()


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
            if value is NULL:
                raise TypeError(f"{key}: avala.NULL clears a field of a body; a filter has no null")
            if isinstance(value, (list, tuple)):
                out.extend((key, _wire(v)) for v in value)
            else:
                out.append((key, _wire(value)))
    return out


def body(required: Mapping[str, Any] | None = None, **optional: Any) -> dict[str, Any]:
    """A JSON body: `required` keys always, `optional` keys only when not `None`, and `null`
    for the ones given as `avala.NULL`.

    The API distinguishes "not given" from `null`, so the SDK never sends `null` for an
    argument the caller left out; `avala.NULL` is how a caller asks for one.
    """
    out = dict(required or {})
    out.update(
        (key, None if value is NULL else value)
        for key, value in optional.items()
        if value is not None
    )
    return out


Converter = Callable[[Any, str], Any]


class BodyFields:
    """The optional body fields of a resource, written once and shared by its create and
    update methods: each name, with the check/conversion its value goes through (`strs`,
    `json_object`, ...).

        _FIELDS = BodyFields("description", "callback_url", events=strs)
        payload = _FIELDS.body(locals(), {"name": name})

    `values` is the calling method's arguments (`locals()`): a field left out or `None` is
    not sent, `avala.NULL` is sent as `null`, anything else is converted and sent.
    """

    __slots__ = ("converters",)

    def __init__(self, *names: str, **converters: Converter) -> None:
        self.converters: dict[str, Converter | None] = {name: None for name in names}
        self.converters.update(converters)

    def body(
        self, values: Mapping[str, Any], required: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        out = dict(required or {})
        for name, convert in self.converters.items():
            value = values.get(name)
            if value is None:
                continue
            if value is NULL:
                out[name] = None
            else:
                out[name] = convert(value, name) if convert is not None else value
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
    if values is None or values is NULL:
        return values
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a list of strings, not a single string")
    result = list(values)
    if not all(isinstance(v, str) for v in result):
        raise TypeError(f"{name} must contain only strings")
    return result


def json_object(value: Mapping[str, Any] | None, name: str) -> dict[str, Any] | None:
    """A JSON object argument (`metadata`, `condition`, `config`...) as a plain dict."""
    if value is None or value is NULL:
        return value
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (a JSON object), not {type(value).__name__}")
    return dict(value)


def json_objects(
    values: Iterable[Mapping[str, Any]] | None, name: str
) -> list[dict[str, Any]] | None:
    """A list of JSON objects. A single mapping is refused rather than iterated over its keys
    (`actions={"type": "notify"}` would otherwise send `["type"]`)."""
    if values is None or values is NULL:
        return values
    if isinstance(values, (Mapping, str, bytes)):
        raise TypeError(f"{name} must be a list of mappings, not a single {type(values).__name__}")
    return [_item(value, name) for value in values]


def _item(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must contain only mappings, got {type(value).__name__}")
    return dict(value)


def event_time(value: datetime | str, name: str = "timestamp") -> str:
    """An event time for the wire: ISO strings pass through, datetimes become RFC 3339.

    A naive datetime is refused: the API needs a zone, and guessing (local time? UTC?) would
    silently shift every event by the machine's offset.
    """
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(
                f"{name} must be timezone-aware, e.g. datetime.now(timezone.utc); "
                "a naive datetime has no zone for the API to interpret"
            )
        text = value.isoformat()
        return text[:-6] + "Z" if offset == timedelta(0) and text.endswith("+00:00") else text
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"{name} must be a non-empty ISO 8601 string or a datetime")
        return value
    raise TypeError(f"{name} must be a datetime or an ISO 8601 string, not {type(value).__name__}")


def non_negative_int(value: Any, name: str) -> int:
    """An int >= 0 (a byte count, a limit); bools are refused although they are ints."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def canonical_uid(value: str) -> str:
    """A uid in one spelling: UUIDs lower-case and hyphenated whatever the input's form
    (`{...}`, `urn:uuid:`, no hyphens, upper case); anything else trimmed and lower-cased."""
    text = value.strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()


def batch_event(event: object) -> dict[str, Any]:
    """One fleet event of a batch in wire form: the same checks and conversions as a single
    `fleet.events.create`."""
    if not isinstance(event, Mapping):
        raise TypeError(f"events must contain only mappings, got {type(event).__name__}")
    out: dict[str, Any] = dict(event)
    if "timestamp" in out:
        out["timestamp"] = event_time(out["timestamp"], "events[].timestamp")
    if "tags" in out:
        out["tags"] = strs(out["tags"], "events[].tags")
    if "metadata" in out:
        out["metadata"] = json_object(out["metadata"], "events[].metadata")
    return out
