# Generated from avala/_async/_raw_response.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""`with_raw_response`: every call of a client or resource, returning the parsed result
together with the HTTP response it came from (`APIResponse`).

Derived from the calls themselves, so every method (present and future) has its raw form
without a line of its own.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from .._core._response import APIResponse, api_response, collect_responses


class WithRawResponse:
    """`client.with_raw_response` or `client.tasks.with_raw_response`: the same resources
    and calls, each call returning an `APIResponse` (`.parse()`, `.status_code`,
    `.headers`, `.request_id`, `.rate_limit_info` of that call's own response).

    ```python
    response = client.tasks.with_raw_response.get("task_1")
    task = response.parse()
    print(response.request_id, response.rate_limit_info["remaining"])
    ```
    """

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        nested = getattr(attr, "with_raw_response", None)
        if isinstance(nested, WithRawResponse):  # a resource: its calls, raw
            return nested
        if callable(attr) and not isinstance(attr, type):
            return _raw_call(attr, f"{type(self._target).__name__}.{name}")
        return attr

    def __dir__(self) -> list[str]:
        return [name for name in dir(self._target) if not name.startswith("_")]

    def __repr__(self) -> str:
        return f"<with_raw_response of {self._target!r}>"


def _raw_call(method: Callable[..., Any], what: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> APIResponse[Any]:
        with collect_responses() as collector:
            result = method(*args, **kwargs)
            # Coroutines, and `list()`'s paginator (its first page is the call's response).
            if inspect.isawaitable(result):
                result = result
        return api_response(result, collector, what)

    return call
