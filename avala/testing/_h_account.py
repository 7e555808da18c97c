"""Account-level routes: signup, `/users/me/`, the user's projects, tasks.

Projects live at `/users/me/projects/` (the contract's user-scoped routes); their writes and the
task writes are not in the official contract but the SDK's user page relies on them.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, created, ok
from ._crud import Resource, eq, make, unique
from ._routes import Router
from ._store import Obj, Store
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["PROJECT", "TASK", "USER", "new_user", "register"]

USER: dict[str, Any] = {
    "username": None,
    "email": None,
    "first_name": None,
    "last_name": None,
    "in_waitlist": False,
}

PROJECT: dict[str, Any] = {"name": None, "status": "active", "created_at": None, "updated_at": None}

TASK: dict[str, Any] = {
    "type": None,
    "name": None,
    "status": "pending",
    "project": None,
    "created_at": None,
    "updated_at": None,
}


def new_user(store: Store, email: str, username: str, **extra: Any) -> Obj:
    return make(store, USER, {"email": email, "username": username, **extra})


def _me(ctx: Ctx) -> Reply:
    user = ctx.user
    return ok({"uid": user["uid"], "username": user["username"], "email": user["email"]})


_SIGNUP = {
    "email": F("email", required=True),
    "password": F("str", required=True),
    "first_name": F("str", nullable=True),
    "last_name": F("str", nullable=True),
}


def _signup(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), _SIGNUP)
    users = ctx.col("users")
    email = values["email"].lower()
    if users.find(lambda u: str(u.get("email", "")).lower() == email):
        raise ApiError.field("email", "A user with this email already exists.")
    if len(values["password"]) < 8:
        raise ApiError.field(
            "password", "This password is too short. It must contain at least 8 characters."
        )
    taken = {u.get("username") for u in users}
    username = unique(email.split("@", 1)[0] or "user", taken.__contains__, sep="")
    user = new_user(
        ctx.store,
        email,
        username,
        first_name=values.get("first_name"),
        last_name=values.get("last_name"),
    )
    users.add(user)
    key = ctx.store.uids.token("avk_", 20)
    ctx.col("api_keys").add({"uid": key, "user": user["uid"]})
    return created({"user": {k: user[k] for k in ("uid", *USER)}, "api_key": key})


def _project_exists(ctx: Ctx, obj: Obj) -> None:
    if obj["project"] not in ctx.col("projects"):
        raise ApiError.field("project", f'Invalid pk "{obj["project"]}" - object does not exist.')


def _cascade_project(ctx: Ctx, obj: Obj) -> None:
    # Django's on_delete=CASCADE for everything that hangs off a project.
    uid = obj["uid"]
    for name in ("tasks", "quality_targets", "consensus_scores", "consensus_configs"):
        ctx.col(name).remove_where(lambda o: o.get("project") == uid)


PROJECTS = Resource(
    "projects",
    PROJECT,
    create_spec={"name": F("str", required=True), "status": F("str", default="active")},
    update_spec={"name": F("str", blank=False), "status": F("str")},
    on_delete=_cascade_project,
)

TASKS = Resource(
    "tasks",
    TASK,
    create_spec={
        "name": F("str", required=True),
        "project": F("str", required=True),
        "type": F("str", nullable=True),
        "status": F("str", default="pending"),
    },
    update_spec={
        "name": F("str", nullable=True),
        "status": F("str"),
        "type": F("str", nullable=True),
    },
    filters={"project": eq("project"), "status": eq("status")},
    on_create=_project_exists,
)


def register(router: Router) -> None:
    router.add("POST", "/signup/", _signup)
    router.add("GET", "/users/me/", _me)
    PROJECTS.register(router, "/users/me/projects/")
    TASKS.register(router, "/tasks/")
