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
    BulkEditError,
    ClientClosedError,
    ConflictError,
    DatasetDownloadError,
    DatasetIntegrityError,
    DatasetReferenceError,
    DatasetResolverError,
    DatasetRevisionWithdrawnError,
    DownloadError,
    ExportDownloadError,
    FileChangedError,
    ForbiddenError,
    MutableDatasetAliasWarning,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    StorageError,
    UnsafeURLError,
    UnsupportedDatasetModeError,
    UploadError,
    UploadSourceError,
    UploadStateError,
    ValidationError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from ._aiohttp import DefaultAioHttpClient
    from ._async._client import AsyncClient
    from ._async._load import (
        AsyncDatasetObjectCollection,
        AsyncResolvedDataset,
        AsyncResolvedDatasetObject,
        async_load,
    )
    from ._async._pagination import AsyncPage
    from ._async._paginator import AsyncPaginator
    from ._core._params import NULL
    from ._core._request import RequestOptions
    from ._core._response import APIResponse
    from ._core._retry import RetryPolicy
    from ._core._upload_files import gather_local_files
    from ._sync._client import Client
    from ._sync._load import (
        DatasetObjectCollection,
        ResolvedDataset,
        ResolvedDatasetObject,
        load,
    )
    from ._sync._pagination import Page
    from ._sync._paginator import Paginator

_LAZY = {
    "AsyncClient": "._async._client",
    "Client": "._sync._client",
    "Avala": "._sync._client",
    "AsyncAvala": "._async._client",
    "APIResponse": "._core._response",
    "AsyncPage": "._async._pagination",
    "Page": "._sync._pagination",
    "AsyncPaginator": "._async._paginator",
    "Paginator": "._sync._paginator",
    "DefaultAioHttpClient": "._aiohttp",
    "RetryPolicy": "._core._retry",
    "RequestOptions": "._core._request",
    "NULL": "._core._params",
    "gather_local_files": "._core._upload_files",
    "load": "._sync._load",
    "async_load": "._async._load",
    "ResolvedDataset": "._sync._load",
    "AsyncResolvedDataset": "._async._load",
    "ResolvedDatasetObject": "._sync._load",
    "AsyncResolvedDatasetObject": "._async._load",
    "DatasetObjectCollection": "._sync._load",
    "AsyncDatasetObjectCollection": "._async._load",
    "signup": ".signup",
    "async_signup": ".signup",
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
    "BulkEditError",
    "Client",
    "ClientClosedError",
    "ConflictError",
    "DefaultAioHttpClient",
    "ForbiddenError",
    "NULL",
    "NotFoundError",
    "Page",
    "Paginator",
    "QuotaExceededError",
    "RateLimitError",
    "RequestOptions",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "StorageError",
    "UnsafeURLError",
    "UploadError",
    "UploadSourceError",
    "UploadStateError",
    "FileChangedError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
    "async_signup",
    "signup",
    "AsyncDatasetObjectCollection",
    "AsyncResolvedDataset",
    "AsyncResolvedDatasetObject",
    "DatasetDownloadError",
    "DatasetIntegrityError",
    "DatasetObjectCollection",
    "DatasetReferenceError",
    "DatasetResolverError",
    "DatasetRevisionWithdrawnError",
    "DownloadError",
    "ExportDownloadError",
    "MutableDatasetAliasWarning",
    "ResolvedDataset",
    "ResolvedDatasetObject",
    "UnsupportedDatasetModeError",
    "async_load",
    "load",
    "gather_local_files",
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
