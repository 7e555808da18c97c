"""`LocalAvala`: the stateful in-memory Avala API, answering plain `Request` values.

Order of processing, like a Django REST Framework deployment behind a proxy:
  injected fault (proxy) -> URL resolution (404) -> authentication (401) -> throttling (429)
  -> method (405) -> idempotent replay -> handler -> injected drop-after -> latency.
Everything but the latency runs under the store lock, so threads may share one instance.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from . import _h_fleet_uploads, _h_resolver
from ._context import MAX_BODY_BYTES, Ctx, Settings
from ._demo import seed_base, seed_demo
from ._faults import FaultConfig, FaultInjector, fault_response
from ._idempotency import IDEMPOTENT_METHODS, IdempotencyStore
from ._objects import ObjectStore, StorageStats
from ._routes import Route, Router, split_path
from ._storage_faults import StorageFaultConfig
from ._storage_http import is_storage, serve_request
from ._store import Obj, Store
from ._throttle import RateLimiter
from ._wire import ApiError, Dropped, Outcome, Request, Response, json_bytes

if TYPE_CHECKING:
    import httpx

    from ._server import RunningServer
    from ._transport import AsyncLocalTransport, LocalTransport

__all__ = ["API_PREFIX", "Exchange", "LocalAvala", "Stats"]

API_PREFIX = "/api/v1"
_SIGNUP = f"{API_PREFIX}/signup/"
_STATS = f"{API_PREFIX}/_local/stats/"
HANDLER_PREFIX = "_h_"


def discover_handler_modules(package: str, paths: Iterable[str]) -> tuple[ModuleType, ...]:
    """Every `_h_*` module of `package` (found in `paths`), imported, in name order.

    A resource's local API is its handler module: dropping `_h_<name>.py` with a
    `register(router)` function into this package is all it takes. The order is the sorted
    module names, so every run builds the same router (the router itself does not depend on
    registration order, and refuses a route registered twice).
    """
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(list(paths))
        if info.name.startswith(HANDLER_PREFIX)
    )
    return tuple(importlib.import_module(f"{package}.{name}") for name in names)


_HANDLER_MODULES = discover_handler_modules(
    __name__.rpartition(".")[0], [os.path.dirname(__file__)]
)


def build_router() -> Router:
    router = Router()
    for module in _HANDLER_MODULES:
        module.register(router)
    return router


_ROUTER = build_router()  # immutable after import: shared by every instance


@dataclass
class Stats:
    """Counters for tests and reports."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    replays: int = 0
    throttled: int = 0
    storage: StorageStats = field(default_factory=StorageStats)  # the object store's counters

    @property
    def faults_total(self) -> int:
        return sum(n for kind, n in self.faults.items() if kind != "latency")


@dataclass(frozen=True)
class Exchange:
    """One logged request and what became of it (`status` is None when dropped)."""

    request_id: str
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    status: int | None
    fault: str | None
    replayed: bool = False


class LocalAvala:
    """A stateful in-memory Avala API (contract sections 1.2-1.7, 2 and 3).

    data:        "demo" (documented demo world) or "empty" (only the caller's user)
    api_key:     accept only this key (plus keys issued by `/signup/`); default: any non-empty key
    faults:      seeded fault injection (`FaultConfig`); change later with `api.faults = ...`
    rate_limit:  requests per second and per key before 429 (None: unlimited)
    job_steps:   polls per state transition of exports / auto-label jobs / new datasets
    seed:        seed of generated ids and secrets
    clock:       time source of the rate-limit window (default `time.monotonic`)
    max_body_bytes: largest JSON request body the API routes accept (413 above)
    """

    def __init__(
        self,
        data: Literal["demo", "empty"] = "demo",
        *,
        api_key: str | None = None,
        faults: FaultConfig | None = None,
        rate_limit: int | None = None,
        job_steps: int = 1,
        seed: int = 0,
        base_url: str = f"http://localhost{API_PREFIX}",
        clock: Callable[[], float] | None = None,
        upload_quota_bytes: int = 10 * 1024**3,
        log_size: int = 10_000,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        if data not in ("demo", "empty"):
            raise ValueError(f"data must be 'demo' or 'empty', got {data!r}")
        if job_steps < 1:
            raise ValueError("job_steps must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        self.settings = Settings(
            job_steps=job_steps,
            upload_quota_bytes=upload_quota_bytes,
            max_body_bytes=max_body_bytes,
        )
        self.store = Store(seed)
        self.objects = ObjectStore(origin=_origin(self.base_url))
        self.stats = Stats(storage=self.objects.stats)
        self.log: deque[Exchange] = deque(maxlen=log_size)
        self.errors: list[BaseException] = []  # handler crashes (answered 500), for debugging
        self._faults = FaultInjector(faults or FaultConfig())
        self._limiter = RateLimiter(rate_limit, clock or time.monotonic)
        self._idempotency = IdempotencyStore()
        self._me = seed_base(self.store)
        self.demo_ids: dict[str, str] = seed_demo(self.store, self._me) if data == "demo" else {}

    # -- configuration -------------------------------------------------------------------------

    @property
    def faults(self) -> FaultConfig:
        return self._faults.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        """Swap the fault configuration (restarts its random sequence from `config.seed`)."""
        with self.store.lock:
            self._faults = FaultInjector(config)

    @property
    def storage_faults(self) -> StorageFaultConfig:
        """Faults of storage requests (presigned uploads and downloads), see `StorageFaultConfig`."""
        return self.objects.faults

    @storage_faults.setter
    def storage_faults(self, config: StorageFaultConfig) -> None:
        self.objects.faults = config

    def queue_storage_faults(self, *kinds: str) -> None:
        """Force the next storage requests' faults, in order (e.g. `"drop", "http_503"`)."""
        self.objects.queue_faults(*kinds)

    def queue_faults(self, *kinds: str) -> None:
        """Force the next requests' faults, in order (e.g. `"drop_after", "http_503"`)."""
        with self.store.lock:
            self._faults.queue(kinds)

    @property
    def job_steps(self) -> int:
        return self.settings.job_steps

    @job_steps.setter
    def job_steps(self, value: int) -> None:
        if value < 1:
            raise ValueError("job_steps must be at least 1")
        self.settings.job_steps = value

    @property
    def fail_jobs_for(self) -> set[str]:
        """Project / dataset uids whose exports and auto-label jobs end `failed` (and whose new
        datasets end `error`)."""
        return self.settings.fail_jobs_for

    # -- data helpers --------------------------------------------------------------------------

    def publish_revision(self, dataset_uid: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Publish a dataset revision for `avala.load` (see `_h_resolver.publish_revision`)."""
        return _h_resolver.publish_revision(self, dataset_uid, **kwargs)

    def withdraw_revision(self, reference: str) -> None:
        """Withdraw a published revision: the resolver answers 410 for it from now on."""
        _h_resolver.withdraw_revision(self, reference)

    def seed_tasks(
        self,
        n: int,
        project: str = "proj_123",
        *,
        status: str = "pending",
        type: str = "annotation",
        name: str = "Seeded task",
    ) -> list[str]:
        """Bulk-create `n` tasks quickly (benchmarks use 100,000); returns their uids."""
        with self.store.lock:
            if project not in self.store.col("projects"):
                raise ValueError(f"unknown project {project!r}")
            tasks = self.store.col("tasks")
            stamp = self.store.clock.now()
            uuid = self.store.uids.uuid
            uids = []
            for i in range(n):
                uid = uuid()
                tasks.add(
                    {
                        "uid": uid,
                        "type": type,
                        "name": f"{name} {i + 1}",
                        "status": status,
                        "project": project,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                uids.append(uid)
            return uids

    def add_recording(self, *, status: str = "uploading", device: str | None = None) -> str:
        """Create a fleet recording (the API has no route for it); returns its uid."""
        return _h_fleet_uploads.add_recording(self, status=status, device=device)

    # -- clients -------------------------------------------------------------------------------

    def transport(self) -> LocalTransport:
        from ._transport import LocalTransport

        return LocalTransport(self)

    def async_transport(self) -> AsyncLocalTransport:
        from ._transport import AsyncLocalTransport

        return AsyncLocalTransport(self)

    def httpx_client(self, **kwargs: Any) -> httpx.Client:
        """`httpx.Client` wired to this instance, e.g. for an SDK's `http_client=`."""
        import httpx

        kwargs.setdefault("base_url", self.base_url)
        return httpx.Client(transport=self.transport(), **kwargs)

    def async_httpx_client(self, **kwargs: Any) -> httpx.AsyncClient:
        import httpx

        kwargs.setdefault("base_url", self.base_url)
        return httpx.AsyncClient(transport=self.async_transport(), **kwargs)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
        """Serve on a real socket in a background thread (needs uvicorn)."""
        from ._server import serve_in_thread

        return serve_in_thread(self, host, port)

    # -- the request pipeline ------------------------------------------------------------------

    def handle(self, request: Request) -> Outcome:
        if is_storage(self.objects, request.path, request.host):
            return serve_request(self.objects, request)
        if request.path == _STATS and request.method.upper() in ("GET", "HEAD"):
            return self._json(200, self.local_stats(), [])
        with self.store.lock:
            self.stats.requests += 1
            request_id = f"req_{self.stats.requests:06d}"
            exempt = request.path == _SIGNUP  # signup is never faulted
            fault = None if exempt else self._faults.decide()
            outcome: Outcome
            replayed = False
            if fault == "drop_before":
                outcome = Dropped(applied=False)
            elif fault is not None and fault != "drop_after":
                status, headers, body = fault_response(fault, self.faults.retry_after)
                headers += self._limiter.peek(request.header("x-avala-api-key") or "")
                outcome = Response(status, [*headers, ("x-request-id", request_id)], body)
            else:
                response, replayed = self._process(request, request_id)
                outcome = Dropped(applied=True) if fault == "drop_after" else response
            if fault is not None:
                self.stats.faults[fault] += 1
            if isinstance(outcome, Response):
                self.stats.statuses[outcome.status] += 1
                if request.method.upper() == "HEAD":
                    outcome.body = b""
            latency = 0.0 if exempt else self.faults.latency_ms / 1000
            if latency:
                outcome.delay = latency
                self.stats.faults["latency"] += 1
            self.log.append(
                Exchange(
                    request_id,
                    request.method,
                    request.path,
                    list(request.query),
                    dict(request.headers),
                    request.body,
                    outcome.status if isinstance(outcome, Response) else None,
                    fault,
                    replayed,
                )
            )
            return outcome

    def local_stats(self) -> dict[str, Any]:
        """Storage counters plus a summary of the API's (`GET /api/v1/_local/stats/`)."""
        with self.objects.lock:
            data = self.objects.stats.as_dict()
        with self.store.lock:
            data["api"] = {
                "requests": self.stats.requests,
                "statuses": {str(k): v for k, v in sorted(self.stats.statuses.items())},
                "faults": dict(sorted(self.stats.faults.items())),
            }
        return data

    def _process(self, request: Request, request_id: str) -> tuple[Response, bool]:
        """Answer as the API would; returns (response, whether it was an idempotent replay)."""
        base = [("x-request-id", request_id)]
        method = request.method.upper()
        segments = split_path(request.path, API_PREFIX)
        found = _ROUTER.resolve(segments) if segments is not None else None
        key = (request.header("x-avala-api-key") or "").strip()
        if found is None:
            return self._error(ApiError.not_found(), base + self._limiter.peek(key)), False
        route, params = found
        allow = [("allow", ", ".join([*route.methods, "OPTIONS"]))]
        user = self._me
        # Signup and the public dataset resolver take no API key.
        if route.pattern != "/signup/" and not route.pattern.startswith("/resolve/"):
            authed = self._authenticate(key)
            if isinstance(authed, ApiError):
                return self._error(authed, base + self._limiter.peek(key)), False
            user = authed
        allowed, rate_headers = self._limiter.hit(key)
        base += rate_headers
        if not allowed:
            self.stats.throttled += 1
            wait = self._limiter.retry_after(key)
            detail = f"Request was throttled. Expected available in {wait} seconds."
            error = ApiError(429, {"detail": detail}, [("retry-after", str(wait))])
            return self._error(error, base), False
        if method == "OPTIONS":
            meta = {
                "name": route.pattern,
                "renders": ["application/json"],
                "parses": ["application/json"],
            }
            return self._json(200, meta, base + allow), False
        handler = route.handlers.get("GET" if method == "HEAD" else method)
        if handler is None:
            error = ApiError.detail(405, f'Method "{method}" not allowed.')
            return self._error(error, base + allow), False
        scope = None
        idem_key = request.header("idempotency-key")
        if idem_key and method in IDEMPOTENT_METHODS:
            scope = (key, method, request.path, idem_key)
            try:
                recorded = self._idempotency.lookup(scope, request.body)
            except ApiError as error:
                return self._error(error, base + allow), False
            if recorded is not None:
                self.stats.replays += 1
                headers = [*recorded.headers, *base, *allow, ("idempotent-replayed", "true")]
                return Response(recorded.status, headers, recorded.body), True
        response = self._run(route, handler, request, params, user, base + allow)
        if scope is not None:
            content = [(k, v) for k, v in response.headers if k == "content-type"]
            self._idempotency.record(scope, request.body, response.status, content, response.body)
        return response, False

    def _authenticate(self, key: str) -> Obj | ApiError:
        if not key:
            return ApiError.detail(401, "Authentication credentials were not provided.")
        issued = self.store.col("api_keys").get(key)
        if issued is not None:
            return self.store.col("users").get(issued["user"]) or self._me
        if self.api_key is not None and key != self.api_key:
            return ApiError.detail(401, "Invalid API key.")
        return self._me

    def _run(
        self,
        route: Route,
        handler: Callable[[Ctx], Any],
        request: Request,
        params: dict[str, str],
        user: Obj,
        headers: list[tuple[str, str]],
    ) -> Response:
        ctx = Ctx(request, params, self.store, self.settings, user, _objects=self.objects)
        try:
            reply = handler(ctx)
            if reply.status == 204:
                return Response(204, headers + reply.headers, b"")
            return self._json(reply.status, reply.data, headers + reply.headers)
        except ApiError as error:
            return self._error(error, headers)
        except Exception as exc:  # a bug in this fake: answer 500 and keep it for the test
            self.errors.append(exc)
            detail = f"Internal error in {route.pattern}: {type(exc).__name__}: {exc}"
            # The message may quote what could not be encoded (a lone surrogate): escape it.
            safe = detail.encode("utf-8", "backslashreplace").decode("utf-8")
            return self._json(500, {"detail": safe}, headers)

    @staticmethod
    def _json(status: int, data: Any, headers: list[tuple[str, str]]) -> Response:
        return Response(status, [("content-type", "application/json"), *headers], json_bytes(data))

    def _error(self, error: ApiError, headers: list[tuple[str, str]]) -> Response:
        return self._json(error.status, error.body, headers + error.headers)

    def __repr__(self) -> str:
        return f"LocalAvala(base_url={self.base_url!r}, requests={self.stats.requests})"


def _origin(base_url: str) -> str:
    """`scheme://host[:port]` of a URL."""
    scheme, _, rest = base_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"
