"""Slices: created at `/slices/`, addressed by owner + slug, items under `items/`.

The hazards live here: `/slices/{owner}/list/` is the list route even though a slice may be
slugged `list`, and `/slices/{owner}/{slug}/items/list/` wins over `items/{item_uid}/`.
A new slice takes the items of the datasets its `sub_slices` name (by uid or slug).
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, created, ok
from ._crud import make, page, slugify, unique
from ._h_datasets import VISIBILITIES, render_item
from ._routes import Router
from ._store import Obj, Store, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["SLICE", "add_slice_items", "register"]

SLICE: dict[str, Any] = {
    "name": None,
    "slug": None,
    "owner_name": None,
    "visibility": "private",
    "status": "ready",
    "organization": None,
    "item_count": 0,
    "sub_slices": None,
    "source_data": None,
    "featured_slice_item_urls": [],
    "created_at": None,
    "updated_at": None,
}


def add_slice_items(store: Store, slice_obj: Obj, items: list[Obj]) -> None:
    """Reference dataset items from a slice (a slice item keeps its dataset item's uid)."""
    col = store.col("slice_items")
    for item in items:
        copy = dict(item)
        copy["_slice"] = slice_obj["uid"]
        col.add(copy, key=f"{slice_obj['uid']}:{item['uid']}")
    slice_obj["item_count"] = len(items)
    slice_obj["featured_slice_item_urls"] = [i["url"] for i in items[:4] if i.get("url")]


def _slice(ctx: Ctx) -> Obj:
    owner, slug = ctx.params["owner"], ctx.params["slug"]
    found = ctx.col("slices").find(lambda s: s["owner_name"] == owner and s["slug"] == slug)
    if found is None:
        raise ApiError.not_found()
    return found


_CREATE = {
    "name": F("str", required=True),
    "visibility": F("str", required=True, choices=VISIBILITIES),
    "sub_slices": F("list", required=True, item="dict"),
    "organization": F("str", nullable=True),
    "random_selection_count": F("int", nullable=True, min=1),
}


def _create(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), _CREATE)
    org = None
    if values.get("organization"):
        ref = values["organization"]
        org = ctx.col("organizations").find(lambda o: ref in (o["uid"], o["slug"]))
        if org is None:
            raise ApiError.field("organization", "Organization not found.")
    owner = org["slug"] if org else ctx.user["username"]
    slices = ctx.col("slices")
    taken = {s["slug"] for s in slices if s["owner_name"] == owner}
    slug = unique(slugify(values["name"], "slice"), taken.__contains__)
    items: list[Obj] = []
    datasets = ctx.col("datasets")
    refs = [sub.get("dataset") for sub in values["sub_slices"] if sub.get("dataset")]
    for ds in datasets:
        if ds["uid"] in refs or ds["slug"] in refs:
            items.extend(i for i in ctx.col("dataset_items") if i["dataset"] == ds["uid"])
    if values.get("random_selection_count"):
        items = items[: values["random_selection_count"]]
    obj = make(
        ctx.store,
        SLICE,
        {
            "name": values["name"],
            "slug": slug,
            "owner_name": owner,
            "visibility": values["visibility"],
            "sub_slices": values["sub_slices"],
            "organization": (
                {"uid": org["uid"], "name": org["name"], "slug": org["slug"]} if org else None
            ),
        },
    )
    slices.add(obj)
    add_slice_items(ctx.store, obj, items)
    return created(public(obj))


def _list(ctx: Ctx) -> Reply:
    owner = ctx.params["owner"]
    return page(ctx, "slices", [lambda s: s["owner_name"] == owner])


def _retrieve(ctx: Ctx) -> Reply:
    return ok(public(_slice(ctx)))


def _items(ctx: Ctx) -> Reply:
    uid = _slice(ctx)["uid"]
    return page(ctx, "slice_items", [lambda i: i["_slice"] == uid], render_item)


def _item(ctx: Ctx) -> Reply:
    uid = _slice(ctx)["uid"]
    obj = ctx.get_or_404("slice_items", f"{uid}:{ctx.params['item_uid']}")
    return ok(render_item(ctx, obj))


def register(router: Router) -> None:
    router.add("POST", "/slices/", _create)
    router.add("GET", "/slices/{owner}/list/", _list)
    router.add("GET", "/slices/{owner}/{slug}/", _retrieve)
    router.add("GET", "/slices/{owner}/{slug}/items/list/", _items)
    router.add("GET", "/slices/{owner}/{slug}/items/{item_uid}/", _item)
