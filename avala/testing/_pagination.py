"""DRF-style pagination envelopes: cursor pagination everywhere, page numbers for organizations.

Both honour `limit` as the page size (1..1000, default 20).

Cursors are opaque (url-safe base64 of `p=<position>[&r=1]`) and keyed on the object's sequence
number, not an offset, so paging through a collection that changes in between neither repeats
nor skips objects. `next`/`previous` are absolute URLs rebuilt from the request (scheme, Host,
raw path) with every other query parameter kept, sorted like DRF's `replace_query_param`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ._store import Collection, Obj
from ._wire import ApiError, Request

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "cursor_page",
    "number_page",
    "page_size",
    "page_url",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000

Render = Callable[[Obj], Any]
Predicate = Callable[[Obj], bool]


def page_size(request: Request) -> int:
    """`limit` clamped to 1..1000; absent or not an integer means the default (20)."""
    raw = _last(request, "limit")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return max(1, min(MAX_PAGE_SIZE, value))


def _last(request: Request, name: str) -> str | None:
    found = None
    for key, value in request.query:
        if key == name:
            found = value
    return found


def page_url(request: Request, name: str, value: str | None) -> str:
    """Absolute URL of this request with query param `name` replaced (or removed if None)."""
    merged: dict[str, list[str]] = {}
    for key, val in request.query:
        merged.setdefault(key, []).append(val)
    if value is None:
        merged.pop(name, None)
    else:
        merged[name] = [value]
    query = urlencode(sorted(merged.items()), doseq=True)
    url = f"{request.scheme}://{request.host}{request.path}"
    return f"{url}?{query}" if query else url


def _encode(position: int, reverse: bool) -> str:
    raw = f"p={position}&r=1" if reverse else f"p={position}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> tuple[int, bool]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        fields = dict(part.split("=", 1) for part in raw.split("&"))
        position = int(fields["p"])
        reverse = fields.get("r") == "1"
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError):
        raise ApiError.detail(404, "Invalid cursor") from None
    return position, reverse


def cursor_page(
    request: Request, col: Collection, pred: Predicate, render: Render
) -> dict[str, Any]:
    """One page of `col` objects matching `pred`, in creation order."""
    size = page_size(request)
    token = _last(request, "cursor")
    if not token:
        rows = col.forward(0, pred, size + 1)
        has_next, has_prev = len(rows) > size, False
        rows = rows[:size]
        anchor_prev = None
    else:
        position, reverse = _decode(token)
        if reverse:
            back = col.backward(position, pred, size + 1)
            has_prev = len(back) > size
            rows = list(reversed(back[:size]))
            last = rows[-1][0] if rows else position - 1
            has_next = bool(col.forward(last, pred, 1))
        else:
            rows = col.forward(position, pred, size + 1)
            has_next = len(rows) > size
            rows = rows[:size]
            has_prev = bool(col.backward(position + 1, pred, 1))
        anchor_prev = rows[0][0] if rows else position + 1
    next_url = None
    if has_next and rows:
        next_url = page_url(request, "cursor", _encode(rows[-1][0], False))
    prev_url = None
    if has_prev and anchor_prev is not None:
        prev_url = page_url(request, "cursor", _encode(anchor_prev, True))
    return {
        "results": [render(obj) for _, obj in rows],
        "next": next_url,
        "previous": prev_url,
    }


def number_page(request: Request, items: list[Obj], render: Render) -> dict[str, Any]:
    """DRF `PageNumberPagination`: `?page=N`, page 1 has no param; `limit` sets the page size
    (1..1000, default 20) like the cursor lists, and stays in the `next`/`previous` links."""
    raw = _last(request, "page") or "1"
    size = page_size(request)
    pages = max(1, -(-len(items) // size))
    try:
        number = int(raw)
    except ValueError:
        number = pages if raw == "last" else 0
    if number < 1 or number > pages:
        raise ApiError.detail(404, "Invalid page.")
    start = (number - 1) * size
    chunk = items[start : start + size]
    next_url = page_url(request, "page", str(number + 1)) if number < pages else None
    prev_url = None
    if number > 1:
        prev_url = page_url(request, "page", None if number == 2 else str(number - 1))
    return {
        "count": len(items),
        "results": [render(obj) for obj in chunk],
        "next": next_url,
        "previous": prev_url,
    }
