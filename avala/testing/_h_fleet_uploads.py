"""Fleet recording uploads: the guarded (legacy) protocol and the managed MCAP protocol.

Legacy, under `/fleet/recordings/{uid}/upload/`: `status/` (404 with exactly
`{"detail": "No upload session found for this recording."}` when there is no session;
pending paths in path order, 1,000 per answer, `?pending_after=` for the next page),
`init/` (201), `urls/` (presigned PUTs on the object store), `confirm/` (checks each ETag
against the stored object), `finalize/`. After finalization the session is `completing`
and becomes `completed` (the recording `ready`) after `job_steps` status polls.

Managed, under `/fleet/recordings/{uid}/managed-upload/`: `admit/`, `status/`,
`multipart/init/`, `multipart/progress/`, `multipart/parts/`, `finalize/`, every request and
answer carrying `protocol` and `session_uid`. Part grants are presigned part PUTs shaped like
R2's (`/<bucket>/__o__%3D/<owner>/__cloud__/<session>/<path>` with SigV4 query names) on the
API's own origin. The finalization moves pending -> running -> succeeded as it is polled
(`job_steps` polls per stage), publishing a dataset, or fails with `content_mismatch` when
the stored bytes do not hash to the admitted SHA-256.

Recordings have no create route: tests add them with `add_recording(api)`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ._context import Ctx, Reply, created, ok
from ._h_fleet import RECORDING
from ._routes import Router
from ._store import Obj
from ._wire import ApiError

if TYPE_CHECKING:
    from ._app import LocalAvala

__all__ = ["NO_SESSION", "add_recording", "register"]

NO_SESSION = {"detail": "No upload session found for this recording."}
PENDING_PAGE = 1000
MAX_FILES = 50_000
PROTOCOL = "fleet-managed-mcap-v1"
PART_SIZE = 64 * 1024**2
GRANT_SECONDS = 300
BUCKET = "avala-fleet"
_LEGACY = "fleet_upload_sessions"
_MANAGED = "fleet_managed_sessions"


def add_recording(api: LocalAvala, *, status: str = "uploading", device: str | None = None) -> str:
    """Create a fleet recording (the API has no route for it) and return its uid."""
    with api.store.lock:
        store = api.store
        now = store.clock.now()
        obj = {**RECORDING, "uid": store.uids.uuid(), "device": device, "status": status}
        obj["tags"] = []
        obj["created_at"] = now
        obj["updated_at"] = now
        store.col("recordings").add(obj)
        return str(obj["uid"])


def _recording(ctx: Ctx) -> Obj:
    return ctx.get_or_404("recordings", ctx.params["uid"])


def _int(value: Any, name: str, minimum: int = 0) -> int:
    if type(value) is not int or value < minimum:
        raise ApiError.field(name, f"Ensure this value is an integer >= {minimum}.")
    return value


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ApiError.field(name, "This field is required.")
    return value


# -- legacy --------------------------------------------------------------------------------


def _legacy(ctx: Ctx, recording: Obj) -> Obj | None:
    return ctx.col(_LEGACY).get(recording["uid"])


def _legacy_for(ctx: Ctx, recording: Obj, session_uid: Any) -> Obj:
    session = _legacy(ctx, recording)
    if session is None:
        raise ApiError(404, dict(NO_SESSION))
    if session_uid != session["uid"]:
        raise ApiError.field("session_uid", "Does not match the recording's upload session.")
    return session


def _counters(session: Obj) -> dict[str, Any]:
    confirmed = session["_confirmed"]
    sizes = session["_files"]
    return {
        "total_files": len(sizes),
        "total_bytes": sum(sizes.values()),
        "confirmed_files": len(confirmed),
        "confirmed_bytes": sum(sizes[p] for p in confirmed),
    }


def _status(ctx: Ctx) -> Reply:
    recording = _recording(ctx)
    session = _legacy(ctx, recording)
    if session is None:
        raise ApiError(404, dict(NO_SESSION))
    if session["status"] == "completing":
        session["_polls"] += 1
        if session["_polls"] >= ctx.settings.job_steps:
            session["status"] = "completed"
            recording["status"] = "ready"
            recording["size_bytes"] = sum(session["_files"].values())
            recording["updated_at"] = ctx.now()
    after = ctx.q("pending_after") or ""
    pending = [p for p in session["_order"] if p > after and p not in session["_confirmed"]]
    return ok(
        {
            "session_uid": session["uid"],
            "status": session["status"],
            **_counters(session),
            "pending_paths": pending[:PENDING_PAGE],
        }
    )


def _init(ctx: Ctx) -> Reply:
    recording = _recording(ctx)
    data = ctx.data()
    files = data.get("files")
    if not isinstance(files, list) or not files:
        raise ApiError.field("files", "This list may not be empty.")
    if len(files) > MAX_FILES:
        raise ApiError.field("files", f"Ensure this field has no more than {MAX_FILES} elements.")
    sizes: dict[str, int] = {}
    for item in files:
        if not isinstance(item, dict):
            raise ApiError.field("files", "Expected a list of objects.")
        name = _str(item.get("path"), "path")
        if name in sizes or name.startswith("/") or ".." in name.split("/"):
            raise ApiError.field("files", f"Invalid or repeated path {name!r}.")
        sizes[name] = _int(item.get("size_bytes"), "size_bytes")
    existing = _legacy(ctx, recording)
    if existing is not None and existing["status"] != "abandoned":
        raise ApiError.detail(409, "An upload session already exists for this recording.")
    if existing is not None:
        ctx.col(_LEGACY).remove(recording["uid"])
    uid = ctx.store.uids.uuid()
    session = {
        "uid": uid,
        "status": "initiated",
        "s3_prefix": f"fleet/{ctx.user['uid']}/{recording['uid']}/",
        "_files": sizes,
        "_order": sorted(sizes),
        "_confirmed": {},
        "_polls": 0,
        "_storage_config": data.get("storage_config_uid"),
    }
    ctx.col(_LEGACY).add(session, recording["uid"])
    recording["status"] = "uploading"
    return created(
        {
            "uid": uid,
            **_counters(session),
            "s3_prefix": session["s3_prefix"],
            "status": "initiated",
        }
    )


def _urls(ctx: Ctx) -> Reply:
    recording = _recording(ctx)
    data = ctx.data()
    session = _legacy_for(ctx, recording, data.get("session_uid"))
    paths = data.get("file_paths")
    ttl = _int(data.get("ttl_seconds", 3600), "ttl_seconds", 1)
    if not isinstance(paths, list) or not paths or len(paths) > 1000:
        raise ApiError.field("file_paths", "Expected 1 to 1000 paths.")
    if session["status"] not in ("initiated", "uploading"):
        raise ApiError.detail(409, "Upload session is already finalized.")
    urls = []
    for name in paths:
        if name not in session["_files"]:
            raise ApiError.field("file_paths", f"Unknown path {name!r}.")
        key = session["s3_prefix"] + name
        url = ctx.objects.presign("PUT", key, expires_in=min(ttl, 7 * 24 * 3600), origin=ctx.origin)
        urls.append(
            {
                "path": name,
                "put_url": url,
                "s3_key": key,
                "headers": {"Content-Type": "application/octet-stream"},
            }
        )
    return ok({"urls": urls})


def _confirm(ctx: Ctx) -> Reply:
    recording = _recording(ctx)
    data = ctx.data()
    session = _legacy_for(ctx, recording, data.get("session_uid"))
    files = data.get("files")
    if not isinstance(files, list) or not files:
        raise ApiError.field("files", "This list may not be empty.")
    if session["status"] not in ("initiated", "uploading"):
        raise ApiError.detail(409, "Upload session is already finalized.")
    checked: dict[str, str] = {}
    for item in files:
        if not isinstance(item, dict):
            raise ApiError.field("files", "Expected a list of objects.")
        name = _str(item.get("path"), "path")
        etag = _str(item.get("etag"), "etag").strip('"')
        size = _int(item.get("size_bytes"), "size_bytes")
        if session["_files"].get(name) != size:
            raise ApiError.field("files", f"Unknown path or size for {name!r}.")
        key = session["s3_prefix"] + name
        if not ctx.objects.exists(key):
            raise ApiError.field("files", f"No object was stored for {name!r}.")
        info = ctx.objects.info(key)
        if info.etag.strip('"') != etag or info.size != size:
            raise ApiError.field("files", f"The stored object for {name!r} does not match.")
        checked[name] = etag
    session["_confirmed"].update(checked)
    session["status"] = "uploading"
    return ok({"session_uid": session["uid"], **_counters(session)})


def _finalize(ctx: Ctx) -> Reply:
    recording = _recording(ctx)
    data = ctx.data()
    session = _legacy_for(ctx, recording, data.get("session_uid"))
    if session["status"] in ("completing", "completed"):
        raise ApiError.detail(409, "Upload session is already finalized.")
    if len(session["_confirmed"]) != len(session["_files"]):
        raise ApiError.detail(400, "Not every file of the session is confirmed.")
    session["status"] = "completing"
    session["_polls"] = 0
    recording["status"] = "processing"
    return ok({"detail": "Upload finalized; processing started.", "session_uid": session["uid"]})


# -- managed -------------------------------------------------------------------------------


def _envelope(session: Obj) -> dict[str, Any]:
    return {"protocol": PROTOCOL, "session_uid": session["uid"]}


def _managed_request(
    ctx: Ctx, *fields: str, create: bool = False
) -> tuple[Obj, Obj | None, dict[str, Any]]:
    """The recording, its managed session (None only when `create`) and the request's
    fields, which must be exactly `protocol`, `session_uid` and `fields`."""
    recording = _recording(ctx)
    if ctx.request.method.upper() == "GET":
        data: dict[str, Any] = {k: v for k, v in ctx.request.query}
    else:
        data = ctx.data()
    unexpected = set(data) - {"protocol", "session_uid", *fields}
    if unexpected:
        raise ApiError.field(sorted(unexpected)[0], "Unexpected field.")
    if data.get("protocol") != PROTOCOL:
        raise ApiError.field("protocol", f"Must be {PROTOCOL!r}.")
    session_uid = _str(data.get("session_uid"), "session_uid")
    session = ctx.col(_MANAGED).get(recording["uid"])
    if session is not None and session["uid"] != session_uid:
        raise ApiError.detail(409, "The recording has another managed upload session.")
    if session is None and not create:
        raise ApiError.detail(404, "No managed upload session found for this recording.")
    return recording, session, data


def _managed_status_doc(ctx: Ctx, recording: Obj, session: Obj) -> dict[str, Any]:
    _advance_finalization(ctx, recording, session)
    files = []
    for original in session["_files"]:
        gen = original["_generation"]
        files.append(
            {
                "file_uid": original["file_uid"],
                "path": original["path"],
                "size_bytes": original["size_bytes"],
                "content_sha256": original["content_sha256"],
                "content_type": "application/octet-stream",
                "content_encoding": "",
                "part_size": PART_SIZE,
                "part_count": original["part_count"],
                "verified": original["_verified"],
                "generation": None
                if gen is None
                else {"generation_uid": gen["uid"], "number": gen["number"], "state": gen["state"]},
            }
        )
    verified = [f for f in session["_files"] if f["_verified"]]
    final = session["_finalization"]
    return {
        **_envelope(session),
        "recording_uid": recording["uid"],
        "status": session["status"],
        "total_files": len(files),
        "total_bytes": sum(f["size_bytes"] for f in session["_files"]),
        "confirmed_files": len(verified),
        "confirmed_bytes": sum(f["size_bytes"] for f in verified),
        "files": files,
        "finalization": None
        if final is None
        else {k: v for k, v in final.items() if not k.startswith("_")},
    }


def _admit(ctx: Ctx) -> Reply:
    recording, session, data = _managed_request(ctx, "files", create=True)
    files = data.get("files")
    if not isinstance(files, list) or not 1 <= len(files) <= 64:
        raise ApiError.field("files", "Expected 1 to 64 files.")
    declared = []
    for item in files:
        if not isinstance(item, dict) or set(item) != {"path", "size_bytes", "content_sha256"}:
            raise ApiError.field(
                "files", "Each file needs exactly path, size_bytes, content_sha256."
            )
        declared.append(
            (
                _str(item["path"], "path"),
                _int(item["size_bytes"], "size_bytes", 1),
                _str(item["content_sha256"], "content_sha256"),
            )
        )
    if session is not None:
        if [
            (f["path"], f["size_bytes"], f["content_sha256"]) for f in session["_files"]
        ] != declared:
            raise ApiError.detail(409, "The session was admitted with other files.")
        return ok(_managed_status_doc(ctx, recording, session))
    uid = _str(data.get("session_uid"), "session_uid")
    originals = []
    for name, size, sha in declared:
        originals.append(
            {
                "file_uid": ctx.store.uids.uuid(),
                "path": name,
                "size_bytes": size,
                "content_sha256": sha,
                "part_count": -(-size // PART_SIZE),
                "_verified": False,
                "_generation": None,
            }
        )
    session = {
        "uid": uid,
        "status": "initiated",
        "_files": originals,
        "_finalization": None,
        "_owner": ctx.store.uids.uuid(),
    }
    ctx.col(_MANAGED).add(session, recording["uid"])
    recording["status"] = "uploading"
    return ok(_managed_status_doc(ctx, recording, session))


def _managed_status(ctx: Ctx) -> Reply:
    recording, session, _ = _managed_request(ctx)
    assert session is not None
    return ok(_managed_status_doc(ctx, recording, session))


def _original(session: Obj, file_uid: Any) -> Obj:
    for original in session["_files"]:
        if original["file_uid"] == file_uid:
            found: Obj = original
            return found
    raise ApiError.field("file_uid", "Unknown file of this session.")


def _generation(original: Obj, generation_uid: Any) -> Obj:
    gen = original["_generation"]
    if gen is None or gen["uid"] != generation_uid:
        raise ApiError.field("generation_uid", "Unknown generation of this file.")
    found: Obj = gen
    return found


def _object_key(session: Obj, original: Obj) -> str:
    return f"{BUCKET}/__o__=/{session['_owner']}/__cloud__/{session['uid']}/{original['path']}"


def _multipart_init(ctx: Ctx) -> Reply:
    _, session, data = _managed_request(ctx, "file_uid")
    assert session is not None
    original = _original(session, data.get("file_uid"))
    gen = original["_generation"]
    if gen is None:
        upload_id = ctx.objects.create_multipart(_object_key(session, original))
        gen = {"uid": ctx.store.uids.uuid(), "number": 1, "state": "active", "_upload": upload_id}
        original["_generation"] = gen
        session["status"] = "uploading"
    deadline = datetime.now(timezone.utc) + timedelta(hours=24)
    return ok(
        {
            **_envelope(session),
            "file_uid": original["file_uid"],
            "generation_uid": gen["uid"],
            "number": gen["number"],
            "state": gen["state"],
            "part_size": PART_SIZE,
            "part_count": original["part_count"],
            "initialization_deadline": deadline.isoformat(),
        }
    )


def _part_size(original: Obj, number: int) -> int:
    if number < int(original["part_count"]):
        return PART_SIZE
    count = int(original["part_count"])
    return int(original["size_bytes"]) - PART_SIZE * (count - 1)


def _progress(ctx: Ctx) -> Reply:
    _, session, data = _managed_request(ctx, "file_uid", "generation_uid", "after")
    assert session is not None
    original = _original(session, data.get("file_uid"))
    gen = _generation(original, data.get("generation_uid"))
    try:
        after = int(data.get("after") or 0)
    except ValueError:
        raise ApiError.field("after", "A valid integer is required.") from None
    parts = []
    if gen["state"] == "active":
        listed = ctx.objects.list_parts(gen["_upload"])
        for part in listed:
            if part.part_number > after and part.size == _part_size(original, part.part_number):
                parts.append({"part_number": part.part_number, "size": part.size})
    page = parts[:100]
    more = len(parts) > 100
    return ok(
        {
            **_envelope(session),
            "file_uid": original["file_uid"],
            "generation_uid": gen["uid"],
            "parts": page,
            "next_cursor": page[-1]["part_number"] if more else None,
        }
    )


def _parts(ctx: Ctx) -> Reply:
    _, session, data = _managed_request(ctx, "file_uid", "generation_uid", "numbers")
    assert session is not None
    original = _original(session, data.get("file_uid"))
    gen = _generation(original, data.get("generation_uid"))
    if gen["state"] != "active":
        raise ApiError.detail(409, "The generation does not accept parts.")
    numbers = data.get("numbers")
    if not isinstance(numbers, list) or not 1 <= len(numbers) <= 16:
        raise ApiError.field("numbers", "Expected 1 to 16 part numbers.")
    grants = []
    for number in numbers:
        n = _int(number, "numbers", 1)
        if n > original["part_count"]:
            raise ApiError.field("numbers", f"Part {n} is beyond the file.")
        size = _part_size(original, n)
        url = ctx.objects.presign(
            "PUT",
            _object_key(session, original),
            expires_in=GRANT_SECONDS,
            headers={"Content-Length": str(size)},
            part_number=n,
            upload_id=gen["_upload"],
            origin=ctx.origin,
        )
        signed = datetime.now(timezone.utc).replace(microsecond=0)
        for name, value in (p.split("=", 1) for p in url.split("?", 1)[1].split("&")):
            if name == "X-Amz-Date":
                signed = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        grants.append(
            {
                "grant_uid": ctx.store.uids.uuid(),
                "part_number": n,
                "offset": (n - 1) * PART_SIZE,
                "size_bytes": size,
                "url": url,
                "headers": {"Content-Length": str(size)},
                "expires_at": (signed + timedelta(seconds=GRANT_SECONDS)).isoformat(),
            }
        )
    return ok(
        {
            **_envelope(session),
            "file_uid": original["file_uid"],
            "generation_uid": gen["uid"],
            "parts": grants,
        }
    )


def _complete_generation(ctx: Ctx, original: Obj) -> None:
    gen = original["_generation"]
    if gen is None or gen["state"] == "completed":
        return
    info = ctx.objects.complete_multipart(gen["_upload"])
    gen["state"] = "completed"
    original["_verified"] = info.size == original["size_bytes"]


def _managed_finalize(ctx: Ctx) -> Reply:
    _, session, data = _managed_request(ctx, "files")
    assert session is not None
    files = data.get("files")
    expected = sorted(
        (
            {"file_uid": f["file_uid"], "generation_uid": f["_generation"]["uid"]}
            for f in session["_files"]
            if f["_generation"] is not None
        ),
        key=lambda item: item["file_uid"],
    )
    if not isinstance(files, list) or files != expected or len(expected) != len(session["_files"]):
        raise ApiError.field("files", "Must name every file's generation, sorted by file_uid.")
    final = session["_finalization"]
    if final is None or (
        final["state"] == "failed" and final["code"] not in ("content_mismatch", "invalid_mcap")
    ):
        for original in session["_files"]:
            try:
                _complete_generation(ctx, original)
            except ValueError:
                raise ApiError.detail(409, f"Parts of {original['path']!r} are missing.") from None
        session["status"] = (
            "completing" if all(f["_verified"] for f in session["_files"]) else "uploading"
        )
        final = {
            "uid": ctx.store.uids.uuid(),
            "state": "pending",
            "stage": "complete",
            "attempts": 0,
            "failures": 0,
            "code": "pending",
            "available_at": datetime.now(timezone.utc).isoformat(),
            "publication_uid": None,
            "dataset_uid": None,
            "_polls": 0,
        }
        session["_finalization"] = final
    public = {k: v for k, v in final.items() if not k.startswith("_")}
    return ok({**_envelope(session), "finalization": public})


def _advance_finalization(ctx: Ctx, recording: Obj, session: Obj) -> None:
    """One poll's worth of progress: pending -> running (verify) -> succeeded/failed."""
    final = session["_finalization"]
    if final is None or final["state"] in ("succeeded", "failed"):
        return
    final["_polls"] += 1
    if final["_polls"] < ctx.settings.job_steps:
        return
    final["_polls"] = 0
    if final["state"] == "pending":
        final.update(state="running", stage="verify", code="running", attempts=1)
        return
    mismatch = [
        f
        for f in session["_files"]
        if ctx.objects.sha256(_object_key(session, f)) != f["content_sha256"]
    ]
    if mismatch:
        final.update(state="failed", stage="verify", code="content_mismatch", failures=1)
        return
    final.update(
        state="succeeded",
        stage="publish",
        code="published",
        publication_uid=ctx.store.uids.uuid(),
        dataset_uid=ctx.store.uids.uuid(),
    )
    session["status"] = "completed"
    recording["status"] = "processing"


def register(router: Router) -> None:
    base = "/fleet/recordings/{uid}/upload/"
    router.add("GET", base + "status/", _status)
    router.add("POST", base + "init/", _init)
    router.add("POST", base + "urls/", _urls)
    router.add("POST", base + "confirm/", _confirm)
    router.add("POST", base + "finalize/", _finalize)
    managed = "/fleet/recordings/{uid}/managed-upload/"
    router.add("POST", managed + "admit/", _admit)
    router.add("GET", managed + "status/", _managed_status)
    router.add("POST", managed + "multipart/init/", _multipart_init)
    router.add("GET", managed + "multipart/progress/", _progress)
    router.add("POST", managed + "multipart/parts/", _parts)
    router.add("POST", managed + "finalize/", _managed_finalize)
