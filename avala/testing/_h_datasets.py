"""Datasets (by uid and by owner/slug), their items, sequences and health, transfer.

A dataset created through the API starts `creating` and turns `created` after `2 * job_steps`
GETs of `/datasets/{uid}/` (what the SDK's `wait()` polls), so waiting can be exercised.
Items come from the demo data or from uploaded files (`_h_uploads`); sequences from the demo.
"""

from __future__ import annotations

import re
from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._crud import apply_patch, eq, icontains, make, page
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = [
    "DATASET",
    "ITEM",
    "SEQUENCE",
    "SEQUENCE_TYPES",
    "dataset_by_slug",
    "manual_dataset_fields",
    "new_dataset",
    "register",
    "render_item",
]

SEQUENCE_TYPES = frozenset({"lidar", "mcap", "video", "splat", "point_cloud"})
VISIBILITIES = ("private", "unlisted", "public")

DATASET: dict[str, Any] = {
    "name": None,
    "slug": None,
    "item_count": 0,
    "owner_name": None,
    "status": "created",
    "data_type": None,
    "is_sequence": False,
    "predefined_labels": None,
    "visibility": "private",
    "project": None,
    "metadata": None,
    "created_at": None,
    "updated_at": None,
    "_polls": 0,
    "_organization": None,
}

ITEM: dict[str, Any] = {
    "id": None,
    "is_hidden": False,
    "key": None,
    "dataset": None,
    "url": None,
    "gpu_texture_url": None,
    "video_thumbnail": None,
    "related_sequence_uid": None,
    "thumbnails": None,
    "metadata": None,
    "export_snippet": None,
    "annotations": None,
    "crop_data": None,
    "related_items": None,
    "created_at": None,
    "updated_at": None,
}

SEQUENCE: dict[str, Any] = {
    "is_hidden": False,
    "key": None,
    "custom_uuid": None,
    "status": "ready",
    "featured_image": None,
    "dataset_uid": None,
    "dataset_data_type": None,
    "device_id": None,
    "number_of_frames": 0,
    "views": None,
    "predefined_labels": None,
    "frames": None,
    "camera_calibration": None,
    "coc_timeline": None,
    "crop_data": None,
    "metrics": None,
    "sequence_status_workflow": None,
    "sequence_deliverable_workflow": None,
    "allow_lidar_calibration": False,
    "lidar_calibration_enabled": False,
    "camera_calibration_enabled": False,
    "is_workflow_terminal": False,
}

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise ApiError.field(
            "slug",
            'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
        )
    return slug


def dataset_by_slug(ctx: Ctx, owner: str, slug: str) -> Obj:
    found = ctx.col("datasets").find(lambda d: d["owner_name"] == owner and d["slug"] == slug)
    if found is None:
        raise ApiError.not_found()
    return found


def _from_path(ctx: Ctx) -> Obj:
    return dataset_by_slug(ctx, ctx.params["owner"], ctx.params["slug"])


def render_item(ctx: Ctx, obj: Obj) -> Obj:
    """Items name their dataset's current owner and slug (both change on transfer / rename)."""
    out = public(obj)
    parent = ctx.col("datasets").get(obj["dataset"])
    out["dataset_owner_name"] = parent["owner_name"] if parent else None
    out["dataset_slug"] = parent["slug"] if parent else None
    stored = obj.get("_object_key")
    if stored is not None:  # an uploaded file: a fresh signed URL to its bytes
        out["url"] = ctx.objects.presign("GET", stored, expires_in=3600, origin=ctx.origin)
    return out


# -- datasets -------------------------------------------------------------------------------

_CREATE = {
    "name": F("str", required=True),
    "slug": F("str", required=True),
    "data_type": F("str", required=True),
    "visibility": F("str", choices=VISIBILITIES, default="private"),
    "create_metadata": F("bool", default=True),
    "provider_config": F("dict", nullable=True),
    "owner_name": F("str", nullable=True),
    "organization_id": F("int", nullable=True),
    "organization_uid": F("str", nullable=True),
    "gpu_texture_format": F("str", nullable=True),
    "metadata": F("dict", nullable=True),
    "industry": F("int", nullable=True),
    "license": F("int", nullable=True),
    "project": F("str", nullable=True),
}


def _owner_for(ctx: Ctx, values: dict[str, Any]) -> tuple[str, str | None]:
    """(owner_name, organization uid) of a new dataset."""
    orgs = ctx.col("organizations")
    if values.get("organization_uid"):
        org = orgs.get(values["organization_uid"])
        if org is None:
            raise ApiError.field("organization_uid", "Organization not found.")
        return org["slug"], org["uid"]
    if values.get("owner_name"):
        org = orgs.find(lambda o: o["slug"] == values["owner_name"])
        return values["owner_name"], org["uid"] if org else None
    return ctx.user["username"], None


def _new_dataset(ctx: Ctx, values: dict[str, Any]) -> Obj:
    _check_slug(values["slug"])
    owner, org_uid = _owner_for(ctx, values)
    project = values.get("project")
    if project and project not in ctx.col("projects"):
        raise ApiError.field("project", f'Invalid pk "{project}" - object does not exist.')
    datasets = ctx.col("datasets")
    if datasets.find(lambda d: d["owner_name"] == owner and d["slug"] == values["slug"]):
        raise ApiError.field("slug", "A dataset with this slug already exists for this owner.")
    obj = make(
        ctx.store,
        DATASET,
        {
            "name": values["name"],
            "slug": values["slug"],
            "data_type": values["data_type"],
            "is_sequence": values["data_type"] in SEQUENCE_TYPES,
            "visibility": values["visibility"],
            "owner_name": owner,
            "project": project,
            "metadata": values.get("metadata"),
            "status": "creating",
            "_organization": org_uid,
        },
    )
    datasets.add(obj)
    return obj


def _list(ctx: Ctx) -> Reply:
    filters = {
        "data_type": eq("data_type"),
        "name": icontains("name"),
        "status": eq("status"),
        "visibility": eq("visibility"),
    }
    preds = [build(v) for name, build in filters.items() if (v := ctx.q(name)) is not None]
    return page(ctx, "datasets", preds)


def _create(ctx: Ctx) -> Reply:
    return created(public(_new_dataset(ctx, validate(ctx.body(), _CREATE))))


def _retrieve(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("datasets", ctx.params["uid"])
    if obj["status"] == "creating":
        # Each poll is one step of ingestion; the SDK's wait() sees creating -> created, or
        # creating -> error for a dataset of a project in `fail_jobs_for`.
        obj["_polls"] += 1
        if obj["_polls"] >= 2 * ctx.settings.job_steps:
            failed = obj.get("project") in ctx.settings.fail_jobs_for
            obj["status"] = "error" if failed else "created"
            obj["updated_at"] = ctx.now()
    return ok(public(obj))


def _update(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("datasets", ctx.params["uid"])
    apply_patch(
        ctx, obj, {"name": F("str", blank=False), "visibility": F("str", choices=VISIBILITIES)}
    )
    return ok(public(obj))


def _destroy(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("datasets", ctx.params["uid"])
    uid = obj["uid"]
    ctx.col("datasets").remove(uid)
    ctx.col("dataset_items").remove_where(lambda o: o["dataset"] == uid)
    ctx.col("dataset_sequences").remove_where(lambda o: o["dataset_uid"] == uid)
    return no_content()


def _by_slug(ctx: Ctx) -> Reply:
    return ok(public(_from_path(ctx)))


def _transfer(ctx: Ctx) -> Reply:
    obj = _from_path(ctx)
    values = validate(
        ctx.body(),
        {"organization_uid": F("str", nullable=True), "owner_username": F("str", nullable=True)},
    )
    org_uid, username = values.get("organization_uid"), values.get("owner_username")
    if bool(org_uid) == bool(username):
        raise ApiError(
            400,
            {"non_field_errors": ["Provide exactly one of organization_uid or owner_username."]},
        )
    if org_uid:
        org = ctx.col("organizations").get(org_uid)
        if org is None:
            raise ApiError.field("organization_uid", "Organization not found.")
        owner, new_org = org["slug"], org["uid"]
    else:
        owner, new_org = str(username), None
    clash = ctx.col("datasets").find(
        lambda d: d is not obj and d["owner_name"] == owner and d["slug"] == obj["slug"]
    )
    if clash is not None:
        raise ApiError.field("slug", "The new owner already has a dataset with this slug.")
    obj.update(owner_name=owner, _organization=new_org, updated_at=ctx.now())
    return ok(public(obj))


# -- items, sequences, health ---------------------------------------------------------------


def _items(ctx: Ctx) -> Reply:
    uid = _from_path(ctx)["uid"]
    return page(ctx, "dataset_items", [lambda o: o["dataset"] == uid], render_item)


def _item(ctx: Ctx) -> Reply:
    dataset = _from_path(ctx)
    obj = ctx.get_or_404("dataset_items", ctx.params["item_uid"])
    if obj["dataset"] != dataset["uid"]:
        raise ApiError.not_found()
    return ok(render_item(ctx, obj))


def _sequence_summary(ctx: Ctx, obj: Obj) -> Obj:
    # The list serializer leaves out the heavy detail-only fields.
    out = public(obj)
    out["frames"] = None
    out["camera_calibration"] = None
    return out


def _sequences(ctx: Ctx) -> Reply:
    uid = _from_path(ctx)["uid"]
    return page(ctx, "dataset_sequences", [lambda o: o["dataset_uid"] == uid], _sequence_summary)


def _sequence(ctx: Ctx) -> Reply:
    dataset = _from_path(ctx)
    obj = ctx.get_or_404("dataset_sequences", ctx.params["sequence_uid"])
    if obj["dataset_uid"] != dataset["uid"]:
        raise ApiError.not_found()
    return ok(public(obj))


def _health(ctx: Ctx) -> Reply:
    dataset = _from_path(ctx)
    uid = dataset["uid"]
    sequences = ctx.col("dataset_sequences").filter(lambda o: o["dataset_uid"] == uid)
    items = sum(1 for o in ctx.col("dataset_items") if o["dataset"] == uid)
    issues = []
    if dataset["status"] != "created":
        issues.append(f"Dataset status is {dataset['status']}.")
    if items == 0 and not sequences:
        issues.append("Dataset has no items.")
    return ok(
        {
            "dataset_uid": uid,
            "dataset_slug": dataset["slug"],
            "dataset_status": dataset["status"],
            "data_type": dataset["data_type"] or "",
            "is_sequence": bool(dataset["is_sequence"]),
            "item_count": items,
            "sequence_count": len(sequences),
            "total_frames": sum(int(s["number_of_frames"] or 0) for s in sequences),
            "s3_prefix": f"datasets/{dataset['owner_name']}/{dataset['slug']}/",
            "gc_storage_prefix": None,
            "last_updated_at": dataset["updated_at"],
            "sequences": [
                {
                    "uid": s["uid"],
                    "key": s["key"],
                    "status": s["status"],
                    "frame_count": int(s["number_of_frames"] or 0),
                    "has_lidar_calibration": bool(s["lidar_calibration_enabled"]),
                    "has_camera_calibration": bool(s["camera_calibration"]),
                }
                for s in sequences
            ],
            "ingest_ok": not issues,
            "issues": issues,
        }
    )


# -- manual upload (the routes live in `_h_uploads`) ----------------------------------------


def manual_dataset_fields() -> dict[str, F]:
    """Body fields of `POST /datasets/manual-upload/` (create from uploaded files)."""
    return {
        **{k: v for k, v in _CREATE.items() if k not in ("provider_config", "organization_id")},
        "dataset_upload_uid": F("str", nullable=True),
    }


def new_dataset(ctx: Ctx, values: dict[str, Any]) -> Obj:
    """A new dataset (status `creating`) from validated create values."""
    return _new_dataset(ctx, values)


def register(router: Router) -> None:
    # Literal routes first in the reader's mind; the router itself prefers literals anyway.
    router.add("GET", "/datasets/", _list)
    router.add("POST", "/datasets/", _create)
    router.add("GET", "/datasets/{uid}/", _retrieve)
    router.add("PATCH", "/datasets/{uid}/", _update)
    router.add("DELETE", "/datasets/{uid}/", _destroy)
    router.add("GET", "/datasets/{owner}/{slug}/", _by_slug)
    router.add("POST", "/datasets/{owner}/{slug}/transfer/", _transfer)
    router.add("GET", "/datasets/{owner}/{slug}/items/", _items)
    router.add("GET", "/datasets/{owner}/{slug}/items/{item_uid}/", _item)
    router.add("GET", "/datasets/{owner}/{slug}/sequences/", _sequences)
    router.add("GET", "/datasets/{owner}/{slug}/sequences/{sequence_uid}/", _sequence)
    router.add("GET", "/datasets/{owner}/{slug}/health/", _health)
