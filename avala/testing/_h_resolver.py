"""The public dataset resolver: published, immutable dataset revisions served without an API
key.

  GET  /resolve/{owner}/{dataset}@{selector}/          resolve a friendly reference
  GET  /resolve/uid/{dataset_uid}/{revision_sha256}/     resolve a canonical reference
  GET  .../objects/?limit&role&ordinal&ordinals&cursor   object pages / exact lookups
  POST .../objects/{object_uid}/access/?transport=...    an access grant (GET works too),
                                                         with a `Date` header

Object bytes live in the instance's object store (`api.objects`); a grant is a presigned GET
URL on the API's own origin (plain http on loopback, which the SDK accepts only because the
API root is loopback too), served with `Range` support, storage faults and byte counters.

Revisions are published with `api.publish_revision(...)` (any dataset, from files already in
the object store or from bytes) and withdrawn with `api.withdraw_revision(...)`: every request
for a withdrawn revision, through an alias or not, answers 410 with its tombstone. The demo
data publishes `demo-org/training-data@main` on first use: two episodes, frames pointing at
them, and a calibration file.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from ._context import Ctx, Reply, ok
from ._routes import Router
from ._store import Obj, Store
from ._wire import ApiError

if TYPE_CHECKING:
    from ._app import LocalAvala
    from ._objects import ObjectStore

__all__ = ["PublishedFile", "publish_revision", "register", "withdraw_revision"]

_REVISIONS = "resolver_revisions"
_ALIASES = "resolver_aliases"
_CONFIG = "resolver_config"
_DEMO_OWNER, _DEMO_NAME = "demo-org", "training-data"
_PAGE_MAX = 100
_RIGHTS = {
    "status": "declared",
    "access": "open_download",
    "name": "Local Open Dataset License v1",
    "url": "https://example.test/licenses/local-open-dataset-v1",
    "document_sha256": hashlib.sha256(b"local license document").hexdigest(),
    "attestation_sha256": hashlib.sha256(b"local license attestation").hexdigest(),
}


@dataclass(frozen=True)
class PublishedFile:
    """One object of a revision. Its bytes are `data`, or the object-store entry `key`."""

    logical_path: str
    role: str
    ordinal: int
    episode_ordinal: int | None = None
    content_type: str = "application/octet-stream"
    data: bytes | None = None
    key: str | None = None


def _config(store: Store) -> Obj:
    config = store.col(_CONFIG).get("config")
    if config is None:
        config = store.col(_CONFIG).add(
            {"uid": "config", "range_supported": True, "grant_ttl": 300, "demo": False}
        )
    return config


def configure(
    api: LocalAvala, *, range_supported: bool | None = None, grant_ttl: int | None = None
) -> None:
    """Change how grants are issued: `range_supported` (whether downloads may resume with
    `Range`) and `grant_ttl` (seconds, 1..300; short lifetimes exercise re-granting)."""
    with api.store.lock:
        config = _config(api.store)
        if range_supported is not None:
            config["range_supported"] = range_supported
        if grant_ttl is not None:
            config["grant_ttl"] = grant_ttl


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publish_revision(
    api: LocalAvala,
    dataset_uid: str | None = None,
    *,
    owner: str | None = None,
    name: str | None = None,
    files: Iterable[PublishedFile] | None = None,
    aliases: Sequence[str] = ("main",),
) -> dict[str, Any]:
    """Publish a revision of a dataset (default: a new dataset uid) and point `aliases` at it.

    `files` default: the dataset's uploaded items (see `_uploaded_files`). Returns the revision summary
    (`canonical_reference`, `reference`, `dataset_uid`, `revision_sha256`, ...).
    """
    store, objects = api.store, api.objects
    with store.lock:
        dataset = store.col("datasets").get(dataset_uid) if dataset_uid else None
        uid = dataset_uid or store.uids.uuid()
        owner = owner or (dataset or {}).get("owner_name") or "local"
        name = name or (dataset or {}).get("slug") or f"dataset-{uid[:8]}"
        revision_uid = store.uids.uuid()
    chosen = list(files) if files is not None else _uploaded_files(store, uid)
    entries: list[dict[str, Any]] = []
    for index, item in enumerate(sorted(chosen, key=lambda f: (f.role, f.ordinal, f.logical_path))):
        key = item.key or f"resolver/{uid}/{revision_uid}/{index:06d}"
        if item.key is None:
            objects.put_bytes(key, item.data or b"", content_type=item.content_type)
        entries.append(
            {
                "object_uid": _uuid_of(f"{revision_uid}/{item.logical_path}"),
                "logical_path": item.logical_path,
                "role": item.role,
                "ordinal": item.ordinal,
                "episode_ordinal": item.episode_ordinal,
                "content_type": item.content_type,
                "origin": "primary",
                "size_bytes": objects.size(key),
                "sha256": objects.sha256(key),
                "_key": key,
            }
        )
    manifest = _sha(json.dumps([{k: v for k, v in e.items() if k != "_key"} for e in entries]))
    revision_sha = _sha(f"{uid}/{revision_uid}/{manifest}")
    by_role: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        by_role.setdefault(entry["role"], []).append(index)
    revision = {
        "uid": f"{uid}@{revision_sha}",
        "dataset_uid": uid,
        "revision_uid": revision_uid,
        "revision_sha256": revision_sha,
        "manifest_sha256": manifest,
        "owner": owner,
        "name": name,
        "withdrawn": False,
        "_objects": entries,
        "_by_role": by_role,
        "_by_uid": {e["object_uid"]: i for i, e in enumerate(entries)},
    }
    with store.lock:
        store.col(_REVISIONS).add(revision)
        for alias in aliases:
            store.col(_ALIASES).remove(f"{owner}/{name}@{alias}")
            store.col(_ALIASES).add({"uid": f"{owner}/{name}@{alias}", "revision": revision["uid"]})
    return {
        "reference": f"{owner}/{name}@{aliases[0]}"
        if aliases
        else f"{owner}/{name}@{revision_sha}",
        "canonical_reference": f"avala://datasets/{uid}@{revision_sha}",
        "dataset_uid": uid,
        "revision_uid": revision_uid,
        "revision_sha256": revision_sha,
        "manifest_sha256": manifest,
        "object_count": len(entries),
        "total_size_bytes": sum(e["size_bytes"] for e in entries),
    }


def _uuid_of(text: str) -> str:
    h = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    h = h[:12] + "4" + h[13:16] + "8" + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _uploaded_files(store: Store, dataset_uid: str) -> list[PublishedFile]:
    """A dataset's uploaded items (their bytes in the object store) as revision files:
    MCAP recordings as episodes, everything else as role `file`, numbered in path order."""
    with store.lock:
        items = [
            (str(i["key"]), str(i["_object_key"]))
            for i in store.col("dataset_items")
            if i.get("dataset") == dataset_uid and i.get("_object_key")
        ]
    counters: dict[str, int] = {}
    files = []
    for path, key in sorted(items):
        role = "episode" if path.lower().endswith(".mcap") else "file"
        ordinal = counters.get(role, 0)
        counters[role] = ordinal + 1
        files.append(PublishedFile(path, role, ordinal, key=key))
    return files


def withdraw_revision(api: LocalAvala, reference: str) -> None:
    """Withdraw the revision a reference names (`owner/name@alias`, `owner/name@<sha>`, the
    canonical `avala://datasets/<uid>@<sha>`, or a bare revision sha)."""
    with api.store.lock:
        revision = _find(api.store, reference)
        if revision is None:
            raise ValueError("no such published revision")
        revision["withdrawn"] = True


def _find(store: Store, reference: str) -> Obj | None:
    revisions = store.col(_REVISIONS)
    if reference.startswith("avala://datasets/"):
        return revisions.get(reference[len("avala://datasets/") :])
    alias = store.col(_ALIASES).get(reference)
    if alias is not None:
        return revisions.get(alias["revision"])
    sha = reference.rpartition("@")[2]
    return revisions.find(lambda r: r["revision_sha256"] == sha)


# -- demo -------------------------------------------------------------------------------------


def _demo_bytes(label: str, size: int) -> bytes:
    seed = hashlib.sha256(label.encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def _ensure_demo(ctx: Ctx) -> None:
    config = _config(ctx.store)
    if config["demo"]:
        return
    config["demo"] = True
    dataset = ctx.store.col("datasets").find(
        lambda d: d.get("owner_name") == _DEMO_OWNER and d.get("slug") == _DEMO_NAME
    )
    if dataset is None:
        return
    files = [
        PublishedFile(
            f"episodes/{i:04d}.mcap",
            "episode",
            i,
            None,
            "application/x-mcap",
            b"\x89MCAP0\r\n" + _demo_bytes(f"episode-{i}", 4096 * (i + 1)),
        )
        for i in range(2)
    ]
    files += [
        PublishedFile(
            f"frames/{i:04d}.jpg",
            "frame",
            i,
            i // 2,
            "image/jpeg",
            b"\xff\xd8\xff" + _demo_bytes(f"frame-{i}", 1500 + i),
        )
        for i in range(4)
    ]
    files.append(
        PublishedFile(
            "calibration.json",
            "calibration",
            0,
            None,
            "application/json",
            b'{"fx": 1000.0, "fy": 1000.0, "cx": 640.0, "cy": 360.0}',
        )
    )
    _publish_in_handler(ctx, dataset["uid"], files)


def _publish_in_handler(ctx: Ctx, dataset_uid: str, files: list[PublishedFile]) -> None:
    # Handlers run under the store lock with no `LocalAvala` at hand: a minimal stand-in.
    holder = _Holder(ctx.store, ctx.objects)
    publish_revision(holder, dataset_uid, owner=_DEMO_OWNER, name=_DEMO_NAME, files=files)  # type: ignore[arg-type]


@dataclass
class _Holder:
    store: Store
    objects: ObjectStore


# -- routes -----------------------------------------------------------------------------------


def _gone(revision: Obj) -> ApiError:
    body = {
        "schema_version": 1,
        "code": "dataset_revision_withdrawn",
        "canonical_reference": f"avala://datasets/{revision['dataset_uid']}@{revision['revision_sha256']}",
        "dataset_uid": revision["dataset_uid"],
        "revision_sha256": revision["revision_sha256"],
    }
    return ApiError(410, body)


def _live(revision: Obj | None) -> Obj:
    if revision is None:
        raise ApiError.not_found()
    if revision["withdrawn"]:
        raise _gone(revision)
    return revision


def _document(revision: Obj, requested: str) -> dict[str, Any]:
    entries = revision["_objects"]
    uid, sha = revision["dataset_uid"], revision["revision_sha256"]
    return {
        "schema_version": 1,
        "requested_reference": requested,
        "display_reference": f"{revision['owner']}/{revision['name']}@{sha}",
        "canonical_reference": f"avala://datasets/{uid}@{sha}",
        "dataset_uid": uid,
        "revision_uid": revision["revision_uid"],
        "revision_sha256": sha,
        "state": "published",
        "manifest": {
            "schema_version": 1,
            "sha256": revision["manifest_sha256"],
            "object_count": len(entries),
            "total_size_bytes": sum(e["size_bytes"] for e in entries),
            "origins": [
                {
                    "name": "primary",
                    "kind": "avala",
                    "canonical_ref": f"avala://datasets/{uid}",
                    "external_revision": "",
                }
            ],
            "objects_path": _objects_path(revision),
        },
        "rights": dict(_RIGHTS),
    }


def _objects_path(revision: Obj) -> str:
    return f"/resolve/uid/{revision['dataset_uid']}/{revision['revision_sha256']}/objects/"


def _resolve_friendly(ctx: Ctx) -> Reply:
    _ensure_demo(ctx)
    owner, ref = ctx.params["owner"], ctx.params["ref"]
    dataset, _, selector = ref.partition("@")
    selector = selector or "main"
    key = f"{owner}/{dataset}@{selector}"
    revision = _find(ctx.store, key)
    if revision is None or (revision["owner"], revision["name"]) != (owner, dataset):
        raise ApiError.not_found()
    return ok(_document(_live(revision), key))


def _revision(ctx: Ctx) -> Obj:
    _ensure_demo(ctx)
    found = ctx.col(_REVISIONS).get(f"{ctx.params['uid']}@{ctx.params['sha']}")
    return _live(found)


def _resolve_canonical(ctx: Ctx) -> Reply:
    revision = _revision(ctx)
    requested = f"avala://datasets/{revision['dataset_uid']}@{revision['revision_sha256']}"
    return ok(_document(revision, requested))


def _public(revision: Obj, entry: Obj) -> dict[str, Any]:
    data = {k: v for k, v in entry.items() if not k.startswith("_")}
    data["access_path"] = f"{_objects_path(revision)}{entry['object_uid']}/access/"
    return data


def _int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ApiError.field(name, "A valid integer is required.") from None
    if number < 0:
        raise ApiError.field(name, "Ensure this value is greater than or equal to 0.")
    return number


def _objects(ctx: Ctx) -> Reply:
    revision = _revision(ctx)
    entries: list[Obj] = revision["_objects"]
    role = ctx.q("role")
    ordinal = ctx.q("ordinal")
    ordinals = [v for k, v in ctx.request.query if k == "ordinals" and v]
    page: dict[str, Any] = {
        "schema_version": 1,
        "canonical_reference": f"avala://datasets/{revision['dataset_uid']}@{revision['revision_sha256']}",
        "revision_sha256": revision["revision_sha256"],
        "manifest_sha256": revision["manifest_sha256"],
        "next_cursor": None,
        "previous_cursor": None,
    }
    indexes: Sequence[int] = (
        revision["_by_role"].get(role, []) if role is not None else range(len(entries))
    )
    if ordinal is not None or ordinals:
        wanted = {_int(v, "ordinals") for v in ordinals}
        if ordinal is not None:
            wanted.add(_int(ordinal, "ordinal"))
        if len(wanted) > _PAGE_MAX:
            raise ApiError.field("ordinals", "Ensure this field has no more than 100 elements.")
        page["results"] = [
            _public(revision, entries[i]) for i in indexes if entries[i]["ordinal"] in wanted
        ]
        return ok(page)
    limit = min(_int(ctx.q("limit") or "100", "limit") or 100, _PAGE_MAX)
    cursor = ctx.q("cursor")
    start = 0
    if cursor is not None:
        if not cursor.startswith("p") or not cursor[1:].isdigit():
            raise ApiError.detail(400, "Invalid cursor")
        start = int(cursor[1:])
    chosen = indexes[start : start + limit]
    page["results"] = [_public(revision, entries[i]) for i in chosen]
    if start + limit < len(indexes):
        page["next_cursor"] = f"p{start + limit}"
    if start > 0:
        page["previous_cursor"] = f"p{max(0, start - limit)}"
    return ok(page)


def _access(ctx: Ctx) -> Reply:
    revision = _revision(ctx)
    position = revision["_by_uid"].get(ctx.params["object_uid"])
    if position is None:
        raise ApiError.not_found()
    entry = revision["_objects"][position]
    config = _config(ctx.store)
    ttl = int(config["grant_ttl"])
    now = time.time()
    origin = f"{ctx.request.scheme}://{ctx.request.host}"
    url = ctx.objects.presign("GET", entry["_key"], expires_in=max(1, ttl), origin=origin)
    expires = datetime.fromtimestamp(int(now) + ttl, tz=timezone.utc)
    body = {
        "schema_version": 1,
        "method": "GET",
        "provider": "avala_edge",
        "url": url,
        "canonical_reference": f"avala://datasets/{revision['dataset_uid']}@{revision['revision_sha256']}",
        "dataset_uid": revision["dataset_uid"],
        "revision_sha256": revision["revision_sha256"],
        "manifest_sha256": revision["manifest_sha256"],
        "object_uid": entry["object_uid"],
        "size_bytes": entry["size_bytes"],
        "sha256": entry["sha256"],
        "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "range_supported": bool(config["range_supported"]),
    }
    return Reply(200, body, [("date", formatdate(int(now), usegmt=True))])


def register(router: Router) -> None:
    router.add("GET", "/resolve/{owner}/{ref}/", _resolve_friendly)
    router.add("GET", "/resolve/uid/{uid}/{sha}/", _resolve_canonical)
    router.add("GET", "/resolve/uid/{uid}/{sha}/objects/", _objects)
    router.add("POST", "/resolve/uid/{uid}/{sha}/objects/{object_uid}/access/", _access)
    router.add("GET", "/resolve/uid/{uid}/{sha}/objects/{object_uid}/access/", _access)
