"""Storage configs: bring-your-own-bucket settings, optionally owned by an organization.

`organization` (an org slug) arrives as a query parameter even on POST (contract 2.14). Secrets
(`s3_secret_access_key`, `gc_storage_auth_json_content`, ...) are kept server-side and never
rendered, like the real API. `GET /storage-configs/{uid}/?organization=x` 404s a config of
another organization.
"""

from __future__ import annotations

import zlib
from typing import Any

from ._context import Ctx, Reply, ok
from ._crud import Resource, page
from ._routes import Router
from ._store import Obj, public
from ._validate import F
from ._wire import ApiError

__all__ = ["STORAGE_CONFIG", "register"]

STORAGE_CONFIG: dict[str, Any] = {
    "name": None,
    "provider": None,
    "s3_bucket_name": None,
    "s3_bucket_region": None,
    "s3_bucket_prefix": None,
    "s3_auth_method": None,
    "gc_storage_bucket_name": None,
    "gc_storage_prefix": None,
    "s3_is_accelerated": False,
    "is_verified": False,
    "last_verified_at": None,
    "created_at": None,
    "updated_at": None,
    "_organization": None,
    "_secrets": None,
}

PROVIDERS = ("aws_s3", "gc_storage")
SECRETS = (
    "s3_role_arn",
    "s3_access_key_id",
    "s3_secret_access_key",
    "gc_storage_auth_json_content",
)

_FIELDS = {
    "s3_bucket_name": F("str", nullable=True),
    "s3_bucket_region": F("str", nullable=True),
    "s3_bucket_prefix": F("str", nullable=True),
    "s3_auth_method": F("str", nullable=True),
    "s3_is_accelerated": F("bool"),
    "gc_storage_bucket_name": F("str", nullable=True),
    "gc_storage_prefix": F("str", nullable=True),
    **{name: F("str", nullable=True) for name in SECRETS},
}


def _org_slug(ctx: Ctx) -> str | None:
    slug = ctx.q("organization")
    if slug is not None and ctx.col("organizations").find(lambda o: o["slug"] == slug) is None:
        raise ApiError.field("organization", "Organization not found.")
    return slug


def _keep_secrets(obj: Obj) -> None:
    secrets = obj.get("_secrets") or {}
    for name in SECRETS:
        if name in obj:
            secrets[name] = obj.pop(name)
    obj["_secrets"] = secrets


def _created(ctx: Ctx, obj: Obj) -> None:
    obj["_organization"] = _org_slug(ctx)
    _keep_secrets(obj)


def _updated(ctx: Ctx, obj: Obj) -> None:
    _keep_secrets(obj)
    obj["is_verified"] = False  # new settings must be tested again


def _list(ctx: Ctx) -> Reply:
    slug = _org_slug(ctx)
    preds = [] if slug is None else [lambda c: c["_organization"] == slug]
    return page(ctx, "storage_configs", preds)


def _retrieve(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("storage_configs", ctx.params["uid"])
    slug = ctx.q("organization")
    if slug is not None and obj["_organization"] != slug:
        raise ApiError.not_found()
    return ok(public(obj))


def _setup_info(ctx: Ctx) -> Reply:
    scope = _org_slug(ctx) or ctx.user["uid"]
    external = f"avala-{zlib.crc32(scope.encode()):08x}"
    return ok({"avala_aws_account_id": "123456789012", "external_id": external})


def _test(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("storage_configs", ctx.params["uid"])
    obj.update(is_verified=True, last_verified_at=ctx.now())
    return ok({"verified": True})


CONFIGS = Resource(
    "storage_configs",
    STORAGE_CONFIG,
    create_spec={
        "name": F("str", required=True),
        "provider": F("str", required=True, choices=PROVIDERS),
        **_FIELDS,
    },
    update_spec={"name": F("str", blank=False), **_FIELDS},
    on_create=_created,
    on_update=_updated,
)


def register(router: Router) -> None:
    router.add("GET", "/storage-configs/setup-info/", _setup_info)
    router.add("GET", "/storage-configs/", _list)
    CONFIGS.register(router, "/storage-configs/", "cud")
    router.add("GET", "/storage-configs/{uid}/", _retrieve)
    router.add("POST", "/storage-configs/{uid}/test/", _test)
