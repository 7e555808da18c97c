"""Long-running jobs that move through real states as they are polled: exports, auto-label jobs.

Every GET of a job's detail route counts one poll; every `job_steps` polls it advances a state:
  export:     pending -> processing -> exported (download_url set)   | failed
  auto-label: pending -> running (progress advances) -> completed    | failed
A job whose project or dataset is in `LocalAvala.fail_jobs_for` (default `{"proj_fail"}`) ends in
`failed` (and a new dataset of such a project ends its ingestion in `error`). Deleting an unfinished auto-label job cancels it.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._crud import Resource, eq, make
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["AUTO_LABEL_JOB", "EXPORT", "register"]

EXPORT: dict[str, Any] = {
    "status": "pending",
    "download_url": None,
    "project": None,
    "dataset": None,
    "created_at": None,
    "updated_at": None,
    "_polls": 0,
    "_fail": False,
}

AUTO_LABEL_JOB: dict[str, Any] = {
    "status": "pending",
    "model_type": "default",
    "confidence_threshold": None,
    "labels": [],
    "dry_run": False,
    "total_items": 0,
    "processed_items": 0,
    "successful_items": 0,
    "failed_items": 0,
    "skipped_items": 0,
    "progress_pct": 0.0,
    "error_message": None,
    "summary": None,
    "started_at": None,
    "completed_at": None,
    "created_at": None,
    "project": None,
    "_polls": 0,
    "_fail": False,
}

_EXPORT_STATES = ("pending", "processing")
_JOB_STATES = ("pending", "running")
_CANCELLABLE = ("pending", "running")


def _stage(ctx: Ctx, obj: Obj, last: int) -> int:
    """Count one poll and return the stage reached (0..last)."""
    polls: int = obj["_polls"] + 1
    obj["_polls"] = polls
    return min(last, polls // max(1, ctx.settings.job_steps))


# -- exports --------------------------------------------------------------------------------


def _export_created(ctx: Ctx, obj: Obj) -> None:
    refs = {obj.get("project"), obj.get("dataset")}
    obj["_fail"] = bool(refs & ctx.settings.fail_jobs_for)


def _export_get(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("exports", ctx.params["uid"])
    if obj["status"] in _EXPORT_STATES:
        stage = _stage(ctx, obj, 2)
        status = (
            "failed"
            if stage == 2 and obj["_fail"]
            else ("pending", "processing", "exported")[stage]
        )
        if status != obj["status"]:
            obj["status"] = status
            obj["updated_at"] = ctx.now()
            if status == "exported":
                _store_export_file(ctx, obj)
    if obj["status"] == "exported" and obj.get("_key"):
        # Signed afresh on every read, like the hosted API: a URL in hand may expire.
        obj["download_url"] = ctx.objects.presign(
            "GET", obj["_key"], expires_in=_EXPORT_URL_TTL, origin=ctx.origin
        )
    return ok(public(obj))


_EXPORT_URL_TTL = 3600


def _store_export_file(ctx: Ctx, obj: Obj) -> None:
    """Write the finished export's file (a zip with a manifest of what was exported) to the
    object store; its presigned URL is the export's `download_url`."""
    import io
    import json
    import zipfile

    source = obj.get("dataset") or obj.get("project")
    items = [i for i in ctx.col("dataset_items") if i.get("dataset") == obj.get("dataset")]
    manifest = {"export": obj["uid"], "source": source, "items": [i["uid"] for i in items]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("annotations.json", json.dumps({"annotations": []}))
    key = f"exports/{obj['uid']}/export.zip"
    ctx.objects.put_bytes(key, buffer.getvalue(), content_type="application/zip")
    obj["_key"] = key


EXPORTS = Resource(
    "exports",
    EXPORT,
    create_spec={"project": F("str", nullable=True), "dataset": F("str", nullable=True)},
    update_spec={},
    filters={"project": eq("project"), "status": eq("status")},
    on_create=_export_created,
)


# -- auto-label jobs ------------------------------------------------------------------------

_JOB_CREATE = {
    "model_type": F("str", default="default"),
    "confidence_threshold": F("float", nullable=True, min=0, max=1),
    "labels": F("list", item="str", default=[]),
    "dry_run": F("bool", default=False),
}


def _job_create(ctx: Ctx) -> Reply:
    project = ctx.get_or_404("projects", ctx.params["project_uid"])["uid"]
    values = validate(ctx.body(), _JOB_CREATE)
    datasets = {d["uid"] for d in ctx.col("datasets") if d["project"] == project}
    total = sum(1 for i in ctx.col("dataset_items") if i["dataset"] in datasets) or 10
    obj = make(
        ctx.store,
        AUTO_LABEL_JOB,
        {
            **values,
            "project": project,
            "total_items": total,
            "_fail": project in ctx.settings.fail_jobs_for,
        },
    )
    ctx.col("auto_label_jobs").add(obj)
    return created(public(obj))


def _progress(obj: Obj, processed: int) -> None:
    total = obj["total_items"]
    obj["processed_items"] = processed
    skipped = processed // 10
    obj["skipped_items"] = skipped
    if obj["_fail"]:
        obj["failed_items"], obj["successful_items"] = processed, 0
    else:
        obj["successful_items"] = processed - skipped
    obj["progress_pct"] = round(100.0 * processed / total, 1) if total else 100.0


def _job_get(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("auto_label_jobs", ctx.params["uid"])
    if obj["status"] in _JOB_STATES:
        stage = _stage(ctx, obj, 2)
        if stage == 1 and obj["status"] == "pending":
            obj["status"], obj["started_at"] = "running", ctx.now()
            _progress(obj, obj["total_items"] // 2)
        elif stage == 2:
            obj["started_at"] = obj["started_at"] or ctx.now()
            obj["completed_at"] = ctx.now()
            _progress(obj, obj["total_items"])
            if obj["_fail"]:
                obj["status"] = "failed"
                obj["error_message"] = "Inference provider returned an error for this project."
            else:
                obj["status"] = "completed"
                obj["summary"] = {
                    "labels_created": obj["successful_items"] * max(1, len(obj["labels"])),
                    "dry_run": obj["dry_run"],
                }
    return ok(public(obj))


def _job_cancel(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("auto_label_jobs", ctx.params["uid"])
    if obj["status"] not in _CANCELLABLE:
        raise ApiError.detail(400, f'Cannot cancel a job in status "{obj["status"]}".')
    obj["status"], obj["completed_at"] = "cancelled", ctx.now()
    return no_content()


JOBS = Resource("auto_label_jobs", AUTO_LABEL_JOB, {}, {}, filters={"project": eq("project")})


def register(router: Router) -> None:
    EXPORTS.register(router, "/exports/", "lcd")
    router.add("GET", "/exports/{uid}/", _export_get)
    JOBS.register(router, "/auto-label-jobs/", "l")
    router.add("GET", "/auto-label-jobs/{uid}/", _job_get)
    router.add("DELETE", "/auto-label-jobs/{uid}/", _job_cancel)
    router.add("POST", "/projects/{project_uid}/auto-label/", _job_create)
