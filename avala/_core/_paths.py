"""Building request paths from caller-supplied identifiers, safely.

The official SDK interpolated ids raw, so `get("a?b=1")` silently became another request.
Here every path parameter is one percent-encoded segment: `/`, `?`, `#`, `%` and spaces are
escaped and can never change the route. Segments that a server would normalise away (`.`,
`..`) and empty ids are refused with a `ValueError` before any I/O.
"""

from __future__ import annotations

from urllib.parse import quote

# RFC 3986 unreserved characters plus `@`, which the API uses in owner names
# (`serve.robotics@avala.ai`). Everything else is escaped.
_SAFE = "@-._~"


def segment(value: object, name: str = "id") -> str:
    """One path segment, percent-encoded. Raises for anything that is not a usable id."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if value in (".", ".."):
        raise ValueError(f"{name} {value!r} is not a valid identifier")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError(f"{name} must not contain control characters")
    try:
        return quote(value, safe=_SAFE)
    except UnicodeEncodeError:  # a lone surrogate (e.g. from a bad decode upstream)
        raise ValueError(f"{name} must be valid Unicode text: {value!r}") from None


def path(template: str, **params: object) -> str:
    """`path("/agents/{uid}/test/", uid=x)` with each parameter encoded by `segment`."""
    return template.format(**{key: segment(value, key) for key, value in params.items()})
