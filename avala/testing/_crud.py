"""Building blocks shared by the resource handlers, and a generic DRF `ModelViewSet`.

Most resources are plain list/create/retrieve/partial_update/destroy over one collection; they
are declared as a `Resource` (model defaults, create and update specs, filters, hooks). Nested or
unusual endpoints are written by hand from the same helpers (`make`, `page`, `apply_patch`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._pagination import cursor_page
from ._routes import Router
from ._store import Obj, Store, public
from ._validate import Spec, parse_bool_param, validate

__all__ = [
    "Filter",
    "Resource",
    "apply_patch",
    "eq",
    "flag",
    "icontains",
    "make",
    "match_all",
    "page",
    "slugify",
    "unique",
]

Predicate = Callable[[Obj], bool]
Filter = Callable[[str], Predicate]
Render = Callable[[Ctx, Obj], Obj]
Hook = Callable[[Ctx, Obj], None]


def make(store: Store, defaults: Mapping[str, Any], values: Mapping[str, Any]) -> Obj:
    """A new object: model defaults, then `values`, then uid and timestamps when absent."""
    obj: Obj = {"uid": None}
    for key, default in defaults.items():
        obj[key] = copy.deepcopy(default) if isinstance(default, (list, dict)) else default
    obj.update(values)
    if obj["uid"] is None:
        obj["uid"] = store.uids.uuid()
    if "created_at" in defaults and obj.get("created_at") is None:
        obj["created_at"] = store.clock.now()
    if "updated_at" in defaults and obj.get("updated_at") is None:
        obj["updated_at"] = obj.get("created_at") or store.clock.now()
    return obj


def apply_patch(ctx: Ctx, obj: Obj, spec: Spec) -> dict[str, Any]:
    """PATCH semantics: validate partially, update only the given keys, bump `updated_at`."""
    values = validate(ctx.body(), spec, partial=True)
    obj.update(values)
    if "updated_at" in obj:
        obj["updated_at"] = ctx.now()
    return values


def slugify(text: str, fallback: str = "item") -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or fallback


def unique(base: str, taken: Callable[[str], bool], sep: str = "-") -> str:
    """`base`, or `base<sep>2`, `base<sep>3`... whichever is not taken yet."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}{sep}{n}"
    return candidate


def match_all(preds: list[Predicate]) -> Predicate:
    if not preds:
        return lambda obj: True
    if len(preds) == 1:
        return preds[0]
    return lambda obj: all(p(obj) for p in preds)


def page(ctx: Ctx, collection: str, preds: list[Predicate], render: Render | None = None) -> Reply:
    """Cursor-paginated list of `collection` objects satisfying every predicate."""

    def show(obj: Obj) -> Obj:
        return render(ctx, obj) if render else public(obj)

    return ok(cursor_page(ctx.request, ctx.col(collection), match_all(preds), show))


def eq(field_name: str) -> Filter:
    return lambda value: lambda obj: obj.get(field_name) == value


def icontains(*field_names: str) -> Filter:
    def build(value: str) -> Predicate:
        needle = value.casefold()
        return lambda obj: any(needle in str(obj.get(f) or "").casefold() for f in field_names)

    return build


def flag(field_name: str, param: str) -> Filter:
    def build(value: str) -> Predicate:
        wanted = parse_bool_param(param, value)
        return lambda obj: obj.get(field_name) is wanted

    return build


@dataclass(frozen=True)
class Resource:
    """A flat collection served as a DRF ModelViewSet."""

    collection: str
    defaults: Mapping[str, Any]
    create_spec: Spec
    update_spec: Spec
    filters: Mapping[str, Filter] = field(default_factory=dict)
    render: Render | None = None
    on_create: Hook | None = None
    on_update: Hook | None = None
    on_delete: Hook | None = None

    def show(self, ctx: Ctx, obj: Obj) -> Obj:
        return self.render(ctx, obj) if self.render else public(obj)

    def list(self, ctx: Ctx) -> Reply:
        preds = []
        for name, build in self.filters.items():
            value = ctx.q(name)
            if value is not None:
                preds.append(build(value))
        return page(ctx, self.collection, preds, self.show)

    def create_object(self, ctx: Ctx, values: dict[str, Any]) -> Obj:
        """Store a new object from already validated values."""
        obj = make(ctx.store, self.defaults, values)
        if self.on_create:
            self.on_create(ctx, obj)
        return ctx.col(self.collection).add(obj)

    def create(self, ctx: Ctx) -> Reply:
        obj = self.create_object(ctx, validate(ctx.body(), self.create_spec))
        return created(self.show(ctx, obj))

    def retrieve(self, ctx: Ctx) -> Reply:
        return ok(self.show(ctx, ctx.get_or_404(self.collection, ctx.params["uid"])))

    def update(self, ctx: Ctx) -> Reply:
        obj = ctx.get_or_404(self.collection, ctx.params["uid"])
        apply_patch(ctx, obj, self.update_spec)
        if self.on_update:
            self.on_update(ctx, obj)
        return ok(self.show(ctx, obj))

    def destroy(self, ctx: Ctx) -> Reply:
        obj = ctx.get_or_404(self.collection, ctx.params["uid"])
        if self.on_delete:
            self.on_delete(ctx, obj)
        ctx.col(self.collection).remove(obj["uid"])
        return no_content()

    def register(self, router: Router, base: str, actions: str = "lcrud") -> None:
        """Mount on `base` (e.g. `/agents/`): l=list c=create r=retrieve u=patch d=delete."""
        detail = base + "{uid}/"
        table = {
            "l": ("GET", base, self.list),
            "c": ("POST", base, self.create),
            "r": ("GET", detail, self.retrieve),
            "u": ("PATCH", detail, self.update),
            "d": ("DELETE", detail, self.destroy),
        }
        for letter in actions:
            method, pattern, handler = table[letter]
            router.add(method, pattern, handler)
