"""Dataset ("manual") uploads: quota, allowed MIME types, presigns v1 and v2, parts, completion.

Every upload lands in the instance's object store (`LocalAvala.objects`) under the owner's root
and the dataset name: `__u__=/<user uid>/<dataset name>/<path>` (or `__o__=/<org uid>/...` for
an organization), which is what `POST /datasets/manual-upload/` lists to create the items.

Protocol v1 (no `dataset_upload_uid`): a presigned form POST `{method: "POST", url, fields}`.
Protocol v2 (`upload_protocol_version: 2` + `dataset_upload_uid`): the server keeps one session
per batch and file. Files up to `settings.multipart_threshold` bytes get a single PUT (`If-None-
Match: *` when nothing is stored there yet, so a replay answers 412); larger files get a
server-tracked multipart upload whose stored parts come back in `uploaded_parts` on every
re-presign. `complete: true` means this session's bytes are already stored. Quota: `used` is
the sum of the owner's reservations, one per object key (a re-presign replaces its own).
"""

from __future__ import annotations

import math
from typing import Any

from ._context import Ctx, Reply, created, ok
from ._h_datasets import ITEM, manual_dataset_fields, new_dataset
from ._objects import ObjectStore
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["ALLOWED_MIMES", "object_prefix", "register"]

MiB = 1024 * 1024
MIN_PART_SIZE = 5 * MiB
MAX_PART_SIZE = 128 * MiB
MAX_PARTS = 10_000

ALLOWED_MIMES = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "application/octet-stream",
    "application/json",
    "application/x-pcd",
]

_PRESIGN = {
    "dataset_name": F("str", required=True, blank=False),
    "file_path_in_dataset": F("str", required=True, blank=False),
    "content_length": F("int", required=True, min=0),
    "organization_uid": F("str", nullable=True),
    "dataset_upload_uid": F("str", nullable=True),
    "upload_protocol_version": F("int", nullable=True),
}


# -- owners, keys and quota ------------------------------------------------------------------


def _owner(ctx: Ctx, organization_uid: str | None) -> str:
    """Storage root of the caller or of one of its organizations."""
    if organization_uid:
        org = ctx.col("organizations").get(organization_uid.strip().lower())
        if org is None:
            raise ApiError.field("organization_uid", "Organization not found.")
        return f"__o__=/{org['uid']}"
    return f"__u__=/{ctx.user['uid']}"


def object_prefix(owner_root: str, dataset_name: str) -> str:
    """Object-store prefix of a dataset's uploaded files (ends with `/`)."""
    return f"{owner_root}/{dataset_name}/"


def _check_path(path: str) -> str:
    segments = path.split("/")
    if "\x00" in path or any(s in ("", ".", "..") for s in segments):
        raise ApiError.field(
            "file_path_in_dataset", "Enter a relative path without empty, '.' or '..' parts."
        )
    return path


def _usage(ctx: Ctx, owner: str) -> Obj:
    usage = ctx.col("upload_usage")
    return usage.get(owner) or usage.add({"uid": owner, "bytes": 0})


def _reserve(ctx: Ctx, owner: str, key: str, size: int) -> None:
    """Reserve `size` bytes for `key` (replacing its earlier reservation) or answer 413."""
    reservations = ctx.col("upload_reservations")
    usage = _usage(ctx, owner)
    held = reservations.get(key)
    previous = int(held["bytes"]) if held else 0
    used, limit = int(usage["bytes"]), ctx.settings.upload_quota_bytes
    if used - previous + size > limit:
        raise ApiError(413, {"detail": "Upload quota exceeded.", "limit": limit, "used": used})
    usage["bytes"] = used - previous + size
    if held:
        held["bytes"] = size
    else:
        reservations.add({"uid": key, "bytes": size})


def _quota(ctx: Ctx) -> Reply:
    owner = _owner(ctx, ctx.q("organization_uid"))
    return ok({"used": int(_usage(ctx, owner)["bytes"]), "limit": ctx.settings.upload_quota_bytes})


def _mimes(ctx: Ctx) -> Reply:
    return ok({"mime_types": ALLOWED_MIMES, "video_prefix": "video/"})


# -- presign ---------------------------------------------------------------------------------


def _presign(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), _PRESIGN)
    owner = _owner(ctx, values.get("organization_uid"))
    path = _check_path(values["file_path_in_dataset"])
    size = int(values["content_length"])
    key = object_prefix(owner, values["dataset_name"]) + path
    _reserve(ctx, owner, key, size)
    batch = values.get("dataset_upload_uid")
    settings = ctx.settings
    expires = settings.upload_url_expires_in
    if not batch or values.get("upload_protocol_version") != 2 or settings.upload_protocol == 1:
        form = ctx.objects.presign_post(key, expires_in=expires, max_size=size, origin=ctx.origin)
        return ok({"method": "POST", **form})
    session = _session(ctx, owner, str(batch).strip().lower(), path, key, size)
    return ok(_descriptor(ctx, session))


def _part_geometry(size: int, wanted: int) -> tuple[int, int]:
    part_size = max(wanted, math.ceil(size / MAX_PARTS))
    if part_size > wanted:
        part_size = math.ceil(part_size / MiB) * MiB
    if part_size > MAX_PART_SIZE:
        raise ApiError.field("content_length", "File is too large for a multipart upload.")
    return part_size, max(1, math.ceil(size / part_size))


def _stamp(store: ObjectStore, key: str) -> list[Any] | None:
    """Identity of what is stored under `key` now (None: nothing)."""
    try:
        info = store.info(key)
    except KeyError:
        return None
    return [info.etag, info.last_modified]


def _session(ctx: Ctx, owner: str, batch: str, path: str, key: str, size: int) -> Obj:
    """The batch's session for this file: reused while the size matches, else a fresh one."""
    sessions, index = ctx.col("manual_uploads"), ctx.col("manual_upload_index")
    slot = f"{owner}|{batch}|{path}"
    entry = index.get(slot)
    current = sessions.get(entry["session"]) if entry else None
    if current is not None and current["size"] == size:
        return current
    if current is not None and current["_store_upload"] and current["status"] != "complete":
        ctx.objects.abort_multipart(current["_store_upload"])
    threshold = ctx.settings.multipart_threshold
    method = "MULTIPART" if size > threshold else "PUT"
    part_size = part_count = None
    store_upload = None
    if method == "MULTIPART":
        part_size, part_count = _part_geometry(size, ctx.settings.multipart_part_size)
        store_upload = ctx.objects.create_multipart(key, part_size=part_size)
    session = sessions.add(
        {
            "uid": ctx.store.uids.uuid(),
            "batch": batch,
            "owner": owner,
            "path": path,
            "key": key,
            "size": size,
            "method": method,
            "part_size": part_size,
            "part_count": part_count,
            "status": "open",
            "created_at": ctx.now(),
            "_store_upload": store_upload,
            "_prior": _stamp(ctx.objects, key),
        }
    )
    if entry:
        entry["session"] = session["uid"]
    else:
        index.add({"uid": slot, "session": session["uid"]})
    return session


def _stored_by_session(store: ObjectStore, session: Obj) -> bool:
    if session["status"] == "complete":
        return True
    if session["method"] == "MULTIPART":
        return False
    stamp = _stamp(store, session["key"])
    return stamp is not None and stamp != session["_prior"]


def _descriptor(ctx: Ctx, session: Obj) -> dict[str, Any]:
    store = ctx.objects
    done = _stored_by_session(store, session)
    reply: dict[str, Any] = {
        "method": session["method"],
        "upload_uid": session["uid"],
        "complete": done,
    }
    if session["method"] == "PUT":
        headers = {"Content-Length": str(session["size"])}
        if session["_prior"] is None:
            headers["If-None-Match"] = "*"
        url = store.presign(
            "PUT",
            session["key"],
            expires_in=ctx.settings.upload_url_expires_in,
            headers={"Content-Length": str(session["size"])},
            origin=ctx.origin,
        )
        reply.update(url=url, headers=headers)
        return reply
    reply.update(
        part_size=session["part_size"],
        part_count=session["part_count"],
        uploaded_parts=[] if done else _uploaded_parts(store, session),
    )
    return reply


def _uploaded_parts(store: ObjectStore, session: Obj) -> list[dict[str, Any]]:
    try:
        parts = store.list_parts(session["_store_upload"])
    except KeyError:
        return []
    return [
        {"part_number": p.part_number, "size": p.size, "etag": p.etag.strip('"')} for p in parts
    ]


def _expected_part_size(session: Obj, number: int) -> int:
    return int(min(session["part_size"], session["size"] - (number - 1) * session["part_size"]))


def _session_from_path(ctx: Ctx) -> Obj:
    session = ctx.col("manual_uploads").get(ctx.params["upload_uid"].strip().lower())
    owners = {f"__u__=/{ctx.user['uid']}"} | {
        f"__o__=/{o['uid']}" for o in ctx.col("organizations")
    }
    if session is None or session["owner"] not in owners:
        raise ApiError.not_found()
    return session


def _parts(ctx: Ctx) -> Reply:
    session = _session_from_path(ctx)
    if session["method"] != "MULTIPART":
        raise ApiError.detail(400, "This upload is not a multipart upload.")
    if session["status"] == "complete":
        raise ApiError.detail(409, "This upload is already complete.")
    numbers = validate(ctx.body(), {"part_numbers": F("list", required=True)})["part_numbers"]
    count = int(session["part_count"])
    if not numbers or any(type(n) is not int or not 1 <= n <= count for n in numbers):
        raise ApiError.field("part_numbers", f"Part numbers must be integers within [1, {count}].")
    parts = []
    for number in numbers:
        length = str(_expected_part_size(session, number))
        url = ctx.objects.presign(
            "PUT",
            session["key"],
            expires_in=ctx.settings.upload_url_expires_in,
            headers={"Content-Length": length},
            part_number=number,
            upload_id=session["_store_upload"],
            origin=ctx.origin,
        )
        parts.append({"part_number": number, "url": url, "headers": {"Content-Length": length}})
    return ok({"parts": parts})


def _complete(ctx: Ctx) -> Reply:
    session = _session_from_path(ctx)
    store = ctx.objects
    if session["status"] != "complete":
        if session["method"] == "MULTIPART":
            parts = {p["part_number"]: p["size"] for p in _uploaded_parts(store, session)}
            missing = [
                n
                for n in range(1, int(session["part_count"]) + 1)
                if parts.get(n) != _expected_part_size(session, n)
            ]
            if missing:
                raise ApiError(
                    400, {"detail": "Upload has missing parts.", "missing_parts": missing[:100]}
                )
            store.complete_multipart(session["_store_upload"])
        elif not _stored_by_session(store, session):
            raise ApiError.detail(400, "The file has not been uploaded yet.")
        if store.size(session["key"]) != session["size"]:
            raise ApiError.detail(400, "The uploaded size does not match content_length.")
        session["status"] = "complete"
    info = store.info(session["key"])
    return ok(
        {
            "upload_uid": session["uid"],
            "status": "complete",
            "size": info.size,
            "etag": info.etag.strip('"'),
        }
    )


# -- the dataset -----------------------------------------------------------------------------


def _manual_create(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), manual_dataset_fields())
    dataset = new_dataset(ctx, values)
    prefix = object_prefix(_owner(ctx, values.get("organization_uid")), values["name"])
    items = ctx.col("dataset_items")
    next_id = max((int(o["id"] or 0) for o in items), default=0) + 1
    stamp = ctx.now()
    keys = ctx.objects.keys(prefix)
    for offset, key in enumerate(keys):
        item: Obj = {name: default for name, default in ITEM.items()}
        item.update(
            uid=ctx.store.uids.uuid(),
            id=next_id + offset,
            key=key[len(prefix) :],
            dataset=dataset["uid"],
            created_at=stamp,
            updated_at=stamp,
            _object_key=key,
        )
        items.add(item)
    dataset["item_count"] = len(keys)
    return created(public(dataset))


def register(router: Router) -> None:
    router.add("GET", "/datasets/manual-upload/quota/", _quota)
    router.add("GET", "/datasets/manual-upload/allowed-mimes/", _mimes)
    router.add("POST", "/datasets/manual-upload/file-upload-url/", _presign)
    router.add("POST", "/datasets/manual-upload/uploads/{upload_uid}/parts/", _parts)
    router.add("POST", "/datasets/manual-upload/uploads/{upload_uid}/complete/", _complete)
    router.add("POST", "/datasets/manual-upload/", _manual_create)
