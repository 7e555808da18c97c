"""`avala.testing`: a stateful in-memory Avala API for tests, demos and benchmarks.

    from avala.testing import LocalAvala, FaultConfig

    api = LocalAvala(data="demo")                      # in process, no sockets
    with api.httpx_client(headers={"X-Avala-Api-Key": "k"}) as http:
        http.get("/tasks/", params={"project": "proj_123"}).json()

    with serve_in_thread(api) as server:               # a real loopback socket (uvicorn)
        print(server.base_url)

Presigned uploads and downloads go to `api.objects` (an `ObjectStore` on disk), served under
`/_local/storage/` on the same origin; `api.storage_faults` makes that storage flaky.

Published dataset revisions for `avala.load`: `api.publish_revision(owner=..., name=...,
files=[PublishedFile(...), ...])`, `api.withdraw_revision(reference)`.

Command line: `python -m avala.testing --port 0` prints `AVALA_BASE_URL=...` and serves.
Of the rest of `avala` it imports only the I/O-free loopback rule (`avala._core._config`),
so it can test any Avala client, including the official SDK. httpx is imported only by the
transports, uvicorn only to serve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._app import Exchange, LocalAvala, Stats
from ._faults import FAULT_KINDS, FaultConfig
from ._h_resolver import PublishedFile
from ._objects import ObjectInfo, ObjectStore, PartInfo, StorageStats
from ._server import RunningServer, serve_in_thread
from ._storage_faults import STORAGE_FAULT_KINDS, StorageFaultConfig
from ._store import Store
from ._wire import Dropped, Request, Response

if TYPE_CHECKING:
    from ._transport import AsyncLocalTransport, LocalTransport

__all__ = [
    "FAULT_KINDS",
    "STORAGE_FAULT_KINDS",
    "AsyncLocalTransport",
    "Dropped",
    "Exchange",
    "FaultConfig",
    "LocalAvala",
    "LocalTransport",
    "ObjectInfo",
    "ObjectStore",
    "PartInfo",
    "PublishedFile",
    "Request",
    "Response",
    "RunningServer",
    "Stats",
    "StorageFaultConfig",
    "StorageStats",
    "Store",
    "serve_in_thread",
]


def __getattr__(name: str) -> Any:
    # The transports subclass httpx classes: import them (and httpx) only when asked for.
    if name in ("LocalTransport", "AsyncLocalTransport"):
        from . import _transport

        return getattr(_transport, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
