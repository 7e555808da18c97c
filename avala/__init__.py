"""Python SDK for the Avala API.

```python
from avala import Client, AsyncClient
```

Names are imported on first use (PEP 562), so `import avala` costs almost nothing and a
script that only needs the sync client never loads the async one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    AvalaError,
    ClientClosedError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from ._aiohttp import DefaultAioHttpClient
    from ._async._client import AsyncClient
    from ._async._pagination import AsyncPage
    from ._core._request import RequestOptions
    from ._core._response import APIResponse
    from ._core._retry import RetryPolicy
    from ._sync._client import Client
    from ._sync._pagination import Page
    from ._twins import AsyncPaginator

_LAZY = {
    "AsyncClient": "._async._client",
    "Client": "._sync._client",
    "Avala": "._sync._client",
    "AsyncAvala": "._async._client",
    "APIResponse": "._core._response",
    "AsyncPage": "._async._pagination",
    "Page": "._sync._pagination",
    "AsyncPaginator": "._twins",
    "DefaultAioHttpClient": "._aiohttp",
    "RetryPolicy": "._core._retry",
    "RequestOptions": "._core._request",
}
_ALIASES = {"Avala": "Client", "AsyncAvala": "AsyncClient"}

__all__ = [
    "APIConnectionError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "AvalaError",
    "Client",
    "ClientClosedError",
    "ConflictError",
    "DefaultAioHttpClient",
    "ForbiddenError",
    "NotFoundError",
    "Page",
    "QuotaExceededError",
    "RateLimitError",
    "RequestOptions",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'avala' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_LAZY))
