"""Request body validation with Django REST Framework's rules and error messages.

A field spec says what a serializer field accepts. `validate()` returns the cleaned values of the
keys that were present (plus defaults on create) or raises a 400 whose body is a DRF field dict,
e.g. `{"name": ["This field is required."]}`. Like DRF, unknown keys are ignored, strings are
stripped, numbers and booleans are coerced from their string forms.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from ._wire import ApiError

__all__ = [
    "MAX_JSON_DEPTH",
    "F",
    "Spec",
    "check_choice",
    "check_json_input",
    "parse_bool_param",
    "require_object",
    "validate",
]

# Deeper bodies are refused: nothing the API takes nests this far, and a deeper value could
# not be encoded back into a response.
MAX_JSON_DEPTH = 128

_TRUE = {"true", "True", "TRUE", "on", "On", "ON", "1", 1}
_FALSE = {"false", "False", "FALSE", "off", "Off", "OFF", "0", 0}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MISSING = object()


@dataclass(frozen=True)
class F:
    """One serializer field.

    kind: str | bool | int | float | list | dict | json | email | url | datetime
    `item` is the element kind of a list (`str` or `dict`).
    """

    kind: str
    required: bool = False
    nullable: bool = False
    blank: bool = True
    choices: tuple[str, ...] = ()
    item: str = ""
    min: float | None = None
    max: float | None = None
    default: Any = _MISSING


Spec = Mapping[str, F]


def _type_name(value: Any) -> str:
    return {dict: "dict", list: "list", str: "str", bool: "bool", int: "int", float: "float"}.get(
        type(value), type(value).__name__
    )


def _as_str(value: Any, f: F) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("Not a valid string.")
    text = str(value).strip()
    if not text and (f.required or not f.blank):
        raise ValueError("This field may not be blank.")
    if f.choices and text not in f.choices:
        raise ValueError(f'"{text}" is not a valid choice.')
    return text


def _as_number(value: Any, f: F) -> int | float:
    integer = f.kind == "int"
    message = "A valid integer is required." if integer else "A valid number is required."
    if isinstance(value, bool):
        raise ValueError(message)
    number: int | float
    if isinstance(value, str):
        try:
            number = int(value.strip()) if integer else float(value.strip())
        except ValueError:
            raise ValueError(message) from None
    elif isinstance(value, int):
        number = value if integer else float(value)
    elif isinstance(value, float):
        if integer and not value.is_integer():
            raise ValueError(message)
        number = int(value) if integer else value
    else:
        raise ValueError(message)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(message)
    if f.min is not None and number < f.min:
        raise ValueError(f"Ensure this value is greater than or equal to {_fmt(f.min)}.")
    if f.max is not None and number > f.max:
        raise ValueError(f"Ensure this value is less than or equal to {_fmt(f.max)}.")
    return number


def _fmt(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _as_datetime(value: Any) -> str:
    message = (
        "Datetime has wrong format. Use one of these formats instead: "
        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
    )
    if not isinstance(value, str):
        raise ValueError(message)
    text = value.strip()
    try:
        # Python 3.10's fromisoformat does not know the `Z` suffix.
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(message) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    stamp = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    if parsed.microsecond:
        stamp += f".{parsed.microsecond:06d}"
    return stamp + "Z"


def _clean(value: Any, f: F) -> Any:
    kind = f.kind
    if kind in ("str", "email", "url"):
        text = _as_str(value, f)
        if text and kind == "email" and not _EMAIL.match(text):
            raise ValueError("Enter a valid email address.")
        if text and kind == "url":
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError("Enter a valid URL.")
        return text
    if kind == "bool":
        if isinstance(value, (str, int, bool)) and value in _TRUE:
            return True
        if isinstance(value, (str, int, bool)) and value in _FALSE:
            return False
        raise ValueError("Must be a valid boolean.")
    if kind in ("int", "float"):
        return _as_number(value, f)
    if kind == "datetime":
        return _as_datetime(value)
    if kind == "dict":
        if not isinstance(value, dict):
            raise ValueError(f'Expected a dictionary of items but got type "{_type_name(value)}".')
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise ValueError(f'Expected a list of items but got type "{_type_name(value)}".')
        return _clean_items(value, f)
    return value  # "json": anything JSON can carry


class _ItemErrors(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid list items")
        self.errors = errors


def _clean_items(values: list[Any], f: F) -> list[Any]:
    if not f.item:
        return values
    item_spec = F(f.item)
    cleaned: list[Any] = []
    errors: dict[str, list[str]] = {}
    for index, value in enumerate(values):
        try:
            cleaned.append(_clean(value, item_spec))
        except ValueError as exc:
            errors[str(index)] = [str(exc)]
    if errors:
        raise _ItemErrors(errors)
    return cleaned


def require_object(data: Any) -> dict[str, Any]:
    """DRF's answer when a serializer receives something other than a JSON object."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ApiError(
            400,
            {
                "non_field_errors": [
                    f"Invalid data. Expected a dictionary, but got {_type_name(data)}."
                ]
            },
        )
    return data


def validate(data: Any, spec: Spec, *, partial: bool = False) -> dict[str, Any]:
    """Clean `data` against `spec`; `partial=True` is a PATCH (nothing is required)."""
    body = require_object(data)
    cleaned: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, f in spec.items():
        value = body.get(name, _MISSING)
        if value is _MISSING:
            if f.required and not partial:
                errors[name] = ["This field is required."]
            elif f.default is not _MISSING and not partial:
                cleaned[name] = f.default
            continue
        if value is None:
            if f.nullable:
                cleaned[name] = None
            else:
                errors[name] = ["This field may not be null."]
            continue
        try:
            cleaned[name] = _clean(value, f)
        except _ItemErrors as exc:
            errors[name] = exc.errors
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ApiError(400, errors)
    return cleaned


def _bad_string(text: str) -> bool:
    """True when `text` cannot be encoded as UTF-8 (a lone surrogate such as `"\\ud800"`)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_json_input(value: Any) -> None:
    """Refuse a parsed body the API could not store and answer again (400).

    Every handler gets this check through `Ctx.body()`: strings (keys included) must be
    encodable as UTF-8, numbers finite, and nesting at most `MAX_JSON_DEPTH` deep. A value that
    passed here can always be encoded into a response, so one bad request cannot leave behind
    an object that breaks every later listing.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _bad_string(item):
                raise ApiError.detail(400, "JSON parse error - string is not valid Unicode text")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ApiError.detail(400, "JSON parse error - number out of range")
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise ApiError.detail(
                    400, f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels"
                )
            if isinstance(item, dict):
                for key, child in item.items():
                    if _bad_string(key):
                        raise ApiError.detail(
                            400, "JSON parse error - string is not valid Unicode text"
                        )
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ApiError.field(name, f'"{value}" is not a valid choice.')
    return value


def parse_bool_param(name: str, value: str) -> bool:
    """Boolean query filter (django-filter accepts the same spellings as the form field)."""
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise ApiError.field(name, "Enter a valid boolean.")
