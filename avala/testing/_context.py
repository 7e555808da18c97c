"""What a handler receives (`Ctx`) and returns (`Reply`), plus the server knobs it may read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._store import Collection, Obj, Store
from ._validate import check_json_input, require_object
from ._wire import ApiError, Request

if TYPE_CHECKING:
    from ._objects import ObjectStore

__all__ = ["MAX_BODY_BYTES", "Ctx", "Reply", "Settings", "created", "no_content", "ok"]

# Largest JSON request body the API routes parse (413 above): ten times what any call sends,
# far below what would make a test run swap. File bytes go to storage URLs, never through here.
MAX_BODY_BYTES = 10 * 1024**2

_UNSET: Any = object()


@dataclass
class Settings:
    """Behaviour knobs handlers consult (set from `LocalAvala(...)`)."""

    job_steps: int = 1
    fail_jobs_for: set[str] = field(default_factory=lambda: {"proj_fail"})
    upload_quota_bytes: int = 10 * 1024**3
    max_body_bytes: int = MAX_BODY_BYTES
    multipart_threshold: int = 8 * 1024**2  # v2 uploads above this size are multipart
    multipart_part_size: int = 5 * 1024**2  # smallest part size offered (tests may go lower)
    upload_protocol: int = 2  # 1: answer every presign with a v1 form POST
    upload_url_expires_in: int = 300  # lifetime of presigned storage URLs, seconds


@dataclass
class Reply:
    status: int
    data: Any = None
    headers: list[tuple[str, str]] = field(default_factory=list)


def ok(data: Any) -> Reply:
    return Reply(200, data)


def created(data: Any) -> Reply:
    return Reply(201, data)


def no_content() -> Reply:
    return Reply(204)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")


@dataclass
class Ctx:
    request: Request
    params: dict[str, str]
    store: Store
    settings: Settings
    user: Obj
    _objects: ObjectStore | None = None
    _body: Any = _UNSET

    @property
    def origin(self) -> str:
        """`scheme://host[:port]` the client used: the origin of URLs this answer hands out."""
        return f"{self.request.scheme}://{self.request.host}"

    @property
    def objects(self) -> ObjectStore:
        """The instance's object store (`LocalAvala.objects`): mint presigned URLs with it."""
        if self._objects is None:
            raise RuntimeError("this context has no object store")
        return self._objects

    def q(self, name: str) -> str | None:
        """Last value of query param `name`; empty values count as absent (django-filter)."""
        found = None
        for key, value in self.request.query:
            if key == name:
                found = value
        return found or None

    def col(self, name: str) -> Collection:
        return self.store.col(name)

    def now(self) -> str:
        return self.store.clock.now()

    def get_or_404(self, collection: str, key: str) -> Obj:
        obj = self.store.col(collection).get(key)
        if obj is None:
            raise ApiError.not_found()
        return obj

    def body(self) -> Any:
        """Parsed JSON body (None when empty), parsed lazily like DRF's `request.data`."""
        if self._body is _UNSET:
            self._body = self._parse()
        return self._body

    def data(self) -> dict[str, Any]:
        """The body as a JSON object (an empty body is `{}`)."""
        return require_object(self.body())

    def _parse(self) -> Any:
        raw = self.request.body
        if not raw:
            return None
        limit = self.settings.max_body_bytes
        if len(raw) > limit:
            raise ApiError.detail(
                413, f"Request body too large: {len(raw):,} bytes, the limit is {limit:,}."
            )
        ctype = (self.request.header("content-type") or "").split(";")[0].strip().lower()
        # A missing Content-Type is tolerated (parsed as JSON); a non-JSON one is refused.
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            raise ApiError.detail(415, f'Unsupported media type "{ctype}" in request.')
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError.detail(400, f"JSON parse error - {exc}") from None
        except RecursionError:
            raise ApiError.detail(400, "JSON parse error - nested too deeply") from None
        check_json_input(data)
        return data
