"""Organizations (page-number paginated, addressed by slug), members, invitations, teams.

There is no permission model: the caller may do anything, but the rules a real server enforces
on data stay (the owner cannot be removed or leave before transferring ownership, team members
must belong to the organization, one pending invitation per email).
Member and team-member objects are keyed `<parent uid>:<user uid>` since they have no uid.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, created, no_content, ok
from ._crud import apply_patch, icontains, make, match_all, page, slugify, unique
from ._pagination import number_page
from ._routes import Router
from ._store import Obj, Store, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = [
    "INVITATION",
    "MEMBER",
    "ORGANIZATION",
    "TEAM",
    "add_member",
    "add_team_member",
    "register",
]

ORGANIZATION: dict[str, Any] = {
    "name": None,
    "slug": None,
    "handle": None,
    "description": None,
    "readme": None,
    "logo": None,
    "website": None,
    "industry": None,
    "organization_type": "company",
    "x_url": None,
    "hugging_face_url": None,
    "github_url": None,
    "linkedin_url": None,
    "email": None,
    "phone": None,
    "visibility": "private",
    "plan": "free",
    "billing_status": "active",
    "public_slug": None,
    "is_verified": False,
    "is_active": True,
    "slug_edits_remaining": 3,
    "joined_at": None,
    "allowed_domains": None,
    "created_at": None,
    "updated_at": None,
}

MEMBER: dict[str, Any] = {
    "user_uid": None,
    "username": None,
    "email": None,
    "full_name": None,
    "picture": None,
    "role": "member",
    "created_at": None,
    "last_active_at": None,
}

INVITATION: dict[str, Any] = {
    "organization_name": None,
    "organization_slug": None,
    "invited_by_username": None,
    "role": "member",
    "status": "pending",
    "accept_url": None,
    "copy_link": None,
    "invited_email": None,
    "expires_at": None,
    "created_at": None,
    "is_expired": False,
}

TEAM: dict[str, Any] = {
    "name": None,
    "slug": None,
    "description": None,
    "color": None,
    "created_at": None,
    "updated_at": None,
}

ROLES = ("admin", "member", "viewer")
TEAM_ROLES = ("lead", "member")
INDUSTRIES = [
    ("automotive", "Automotive"),
    ("robotics", "Robotics"),
    ("agriculture", "Agriculture"),
    ("healthcare", "Healthcare"),
    ("retail", "Retail"),
    ("logistics", "Logistics"),
    ("other", "Other"),
]


def add_member(store: Store, org: Obj, user: Obj, role: str) -> Obj:
    full = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or None
    member = make(
        store,
        MEMBER,
        {
            "user_uid": user["uid"],
            "username": user["username"],
            "email": user["email"],
            "full_name": full,
            "role": role,
            "_org": org["uid"],
        },
    )
    member["last_active_at"] = member["created_at"]
    return store.col("org_members").add(member, key=f"{org['uid']}:{user['uid']}")


def add_team_member(store: Store, team: Obj, member: Obj, role: str) -> Obj:
    fields = {k: member[k] for k in ("user_uid", "username", "email", "full_name", "picture")}
    obj = make(store, {**MEMBER, "role": role}, {**fields, "_team": team["uid"]})
    del obj["last_active_at"]
    return store.col("team_members").add(obj, key=f"{team['uid']}:{member['user_uid']}")


def _org(ctx: Ctx) -> Obj:
    slug = ctx.params["slug"]
    found = ctx.col("organizations").find(lambda o: o["slug"] == slug)
    if found is None:
        raise ApiError.not_found()
    return found


def _member(ctx: Ctx, org: Obj, user_uid: str) -> Obj:
    return ctx.get_or_404("org_members", f"{org['uid']}:{user_uid}")


def _render_org(ctx: Ctx, org: Obj) -> Obj:
    out = public(org)
    uid, slug = org["uid"], org["slug"]
    members = [m for m in ctx.col("org_members") if m["_org"] == uid]
    mine = next((m for m in members if m["user_uid"] == ctx.user["uid"]), None)
    out.update(
        role=mine["role"] if mine else None,
        joined_at=mine["created_at"] if mine else None,
        member_count=len(members),
        team_count=sum(1 for t in ctx.col("teams") if t["_org"] == uid),
        dataset_count=sum(1 for d in ctx.col("datasets") if d["owner_name"] == slug),
        slice_count=sum(1 for s in ctx.col("slices") if s["owner_name"] == slug),
        project_count=0,
    )
    return out


# -- organizations --------------------------------------------------------------------------

_PROFILE = {
    "description": F("str", nullable=True),
    "logo": F("str", nullable=True),
    "website": F("str", nullable=True),
    "industry": F("str", nullable=True),
    "email": F("email", nullable=True),
    "phone": F("str", nullable=True),
    "visibility": F("str", choices=("private", "public")),
}


def _list(ctx: Ctx) -> Reply:
    return ok(
        number_page(ctx.request, list(ctx.col("organizations")), lambda o: _render_org(ctx, o))
    )


def _create(ctx: Ctx) -> Reply:
    values = validate(ctx.body(), {"name": F("str", required=True), **_PROFILE})
    orgs = ctx.col("organizations")
    slug = unique(slugify(values["name"], "organization"), {o["slug"] for o in orgs}.__contains__)
    org = orgs.add(make(ctx.store, ORGANIZATION, {**values, "slug": slug, "handle": slug}))
    add_member(ctx.store, org, ctx.user, "owner")
    return created(_render_org(ctx, org))


def _retrieve(ctx: Ctx) -> Reply:
    return ok(_render_org(ctx, _org(ctx)))


def _update(ctx: Ctx) -> Reply:
    org = _org(ctx)
    apply_patch(
        ctx, org, {"name": F("str", blank=False), "handle": F("str", blank=False), **_PROFILE}
    )
    return ok(_render_org(ctx, org))


def _destroy(ctx: Ctx) -> Reply:
    uid = _org(ctx)["uid"]
    ctx.col("organizations").remove(uid)
    teams = {t["uid"] for t in ctx.col("teams") if t["_org"] == uid}
    ctx.col("team_members").remove_where(lambda m: m["_team"] in teams)
    for name in ("teams", "org_members", "invitations"):
        ctx.col(name).remove_where(lambda o: o["_org"] == uid)
    return no_content()


def _industries(ctx: Ctx) -> Reply:
    return ok({"choices": [{"value": v, "label": label} for v, label in INDUSTRIES]})


# -- members --------------------------------------------------------------------------------


def _members(ctx: Ctx) -> Reply:
    uid = _org(ctx)["uid"]
    preds = [lambda m: m["_org"] == uid]
    if (search := ctx.q("search")) is not None:
        preds.append(icontains("username", "email", "full_name")(search))
    if (role := ctx.q("role")) is not None:
        preds.append(lambda m: m["role"] == role)
    return page(ctx, "org_members", [match_all(preds)])


def _remove_member(ctx: Ctx) -> Reply:
    org = _org(ctx)
    member = _member(ctx, org, ctx.params["user_uid"])
    if member["role"] == "owner":
        raise ApiError.detail(400, "The organization owner cannot be removed.")
    _drop_membership(ctx, org, member)
    return no_content()


def _drop_membership(ctx: Ctx, org: Obj, member: Obj) -> None:
    user = member["user_uid"]
    ctx.col("org_members").remove(f"{org['uid']}:{user}")
    teams = {t["uid"] for t in ctx.col("teams") if t["_org"] == org["uid"]}
    ctx.col("team_members").remove_where(lambda m: m["_team"] in teams and m["user_uid"] == user)


def _member_role(ctx: Ctx) -> Reply:
    org = _org(ctx)
    member = _member(ctx, org, ctx.params["user_uid"])
    values = validate(ctx.body(), {"role": F("str", required=True, choices=ROLES)})
    if member["role"] == "owner":
        raise ApiError.detail(400, "Use transfer-ownership to change the owner's role.")
    member["role"] = values["role"]
    return no_content()


def _leave(ctx: Ctx) -> Reply:
    org = _org(ctx)
    member = ctx.col("org_members").get(f"{org['uid']}:{ctx.user['uid']}")
    if member is None:
        raise ApiError.detail(400, "You are not a member of this organization.")
    if member["role"] == "owner":
        raise ApiError.detail(400, "The owner must transfer ownership before leaving.")
    _drop_membership(ctx, org, member)
    return no_content()


def _transfer_ownership(ctx: Ctx) -> Reply:
    org = _org(ctx)
    values = validate(ctx.body(), {"new_owner_uid": F("str", required=True)})
    target = ctx.col("org_members").get(f"{org['uid']}:{values['new_owner_uid']}")
    if target is None:
        raise ApiError.field("new_owner_uid", "User is not a member of this organization.")
    for member in ctx.col("org_members"):
        if member["_org"] == org["uid"] and member["role"] == "owner":
            member["role"] = "admin"
    target["role"] = "owner"
    return no_content()


# -- invitations ----------------------------------------------------------------------------


def _invitation(ctx: Ctx, org: Obj) -> Obj:
    obj = ctx.get_or_404("invitations", ctx.params["invitation_uid"])
    if obj["_org"] != org["uid"] or obj["status"] != "pending":
        raise ApiError.not_found()
    return obj


def _invitations(ctx: Ctx) -> Reply:
    uid = _org(ctx)["uid"]
    return page(ctx, "invitations", [lambda i: i["_org"] == uid and i["status"] == "pending"])


def _invite(ctx: Ctx) -> Reply:
    org = _org(ctx)
    values = validate(
        ctx.body(),
        {"email": F("email", required=True), "role": F("str", choices=ROLES, default="member")},
    )
    email = values["email"].lower()
    if ctx.col("org_members").find(lambda m: m["_org"] == org["uid"] and m["email"] == email):
        raise ApiError.field("email", "This user is already a member of the organization.")
    pending = ctx.col("invitations").find(
        lambda i: (
            i["_org"] == org["uid"] and i["invited_email"] == email and i["status"] == "pending"
        )
    )
    if pending is not None:
        raise ApiError.field("email", "An invitation for this email is already pending.")
    obj = make(
        ctx.store,
        INVITATION,
        {
            "organization_name": org["name"],
            "organization_slug": org["slug"],
            "invited_by_username": ctx.user["username"],
            "role": values["role"],
            "invited_email": email,
            "expires_at": ctx.store.clock.later(7 * 86400),
            "_org": org["uid"],
        },
    )
    obj["accept_url"] = obj["copy_link"] = f"https://avala.ai/invitations/{obj['uid']}/accept/"
    ctx.col("invitations").add(obj)
    return created(public(obj))


def _resend(ctx: Ctx) -> Reply:
    obj = _invitation(ctx, _org(ctx))
    obj["expires_at"] = ctx.store.clock.later(7 * 86400)
    return no_content()


def _cancel(ctx: Ctx) -> Reply:
    _invitation(ctx, _org(ctx))["status"] = "cancelled"
    return no_content()


# -- teams ----------------------------------------------------------------------------------


def _team(ctx: Ctx, org: Obj) -> Obj:
    slug = ctx.params["team_slug"]
    found = ctx.col("teams").find(lambda t: t["_org"] == org["uid"] and t["slug"] == slug)
    if found is None:
        raise ApiError.not_found()
    return found


def _render_team(ctx: Ctx, team: Obj) -> Obj:
    out = public(team)
    org = ctx.col("organizations").get(team["_org"]) or {}
    out.update(
        organization_uid=org.get("uid"),
        organization_name=org.get("name"),
        organization_slug=org.get("slug"),
        member_count=sum(1 for m in ctx.col("team_members") if m["_team"] == team["uid"]),
    )
    return out


_TEAM = {"description": F("str", nullable=True), "color": F("str", nullable=True)}


def _teams(ctx: Ctx) -> Reply:
    uid = _org(ctx)["uid"]
    return page(ctx, "teams", [lambda t: t["_org"] == uid], _render_team)


def _create_team(ctx: Ctx) -> Reply:
    org = _org(ctx)
    values = validate(ctx.body(), {"name": F("str", required=True), **_TEAM})
    teams = ctx.col("teams")
    slug = slugify(values["name"], "team")
    if teams.find(lambda t: t["_org"] == org["uid"] and t["slug"] == slug):
        raise ApiError.field("name", "A team with this name already exists.")
    team = teams.add(make(ctx.store, TEAM, {**values, "slug": slug, "_org": org["uid"]}))
    return created(_render_team(ctx, team))


def _get_team(ctx: Ctx) -> Reply:
    return ok(_render_team(ctx, _team(ctx, _org(ctx))))


def _update_team(ctx: Ctx) -> Reply:
    team = _team(ctx, _org(ctx))
    apply_patch(ctx, team, {"name": F("str", blank=False), **_TEAM})
    return ok(_render_team(ctx, team))


def _delete_team(ctx: Ctx) -> Reply:
    team = _team(ctx, _org(ctx))
    ctx.col("teams").remove(team["uid"])
    ctx.col("team_members").remove_where(lambda m: m["_team"] == team["uid"])
    return no_content()


def _team_members(ctx: Ctx) -> Reply:
    uid = _team(ctx, _org(ctx))["uid"]
    return page(ctx, "team_members", [lambda m: m["_team"] == uid])


def _add_team_member(ctx: Ctx) -> Reply:
    org = _org(ctx)
    team = _team(ctx, org)
    values = validate(
        ctx.body(),
        {
            "user_uid": F("str", required=True),
            "role": F("str", choices=TEAM_ROLES, default="member"),
        },
    )
    member = ctx.col("org_members").get(f"{org['uid']}:{values['user_uid']}")
    if member is None:
        raise ApiError.field("user_uid", "User is not a member of this organization.")
    if f"{team['uid']}:{values['user_uid']}" in ctx.col("team_members"):
        raise ApiError.field("user_uid", "User is already a member of this team.")
    return created(public(add_team_member(ctx.store, team, member, values["role"])))


def _team_member(ctx: Ctx) -> Obj:
    team = _team(ctx, _org(ctx))
    return ctx.get_or_404("team_members", f"{team['uid']}:{ctx.params['user_uid']}")


def _remove_team_member(ctx: Ctx) -> Reply:
    obj = _team_member(ctx)
    ctx.col("team_members").remove(f"{obj['_team']}:{obj['user_uid']}")
    return no_content()


def _team_member_role(ctx: Ctx) -> Reply:
    obj = _team_member(ctx)
    values = validate(ctx.body(), {"role": F("str", required=True, choices=TEAM_ROLES)})
    obj["role"] = values["role"]
    return no_content()


def register(router: Router) -> None:
    base = "/organizations/{slug}"
    router.add("GET", "/organizations/industry-choices/", _industries)
    router.add("GET", "/organizations/", _list)
    router.add("POST", "/organizations/", _create)
    router.add("GET", f"{base}/", _retrieve)
    router.add("PATCH", f"{base}/", _update)
    router.add("DELETE", f"{base}/", _destroy)
    router.add("GET", f"{base}/members/", _members)
    router.add("DELETE", f"{base}/members/{{user_uid}}/", _remove_member)
    router.add("PATCH", f"{base}/members/{{user_uid}}/role/", _member_role)
    router.add("POST", f"{base}/leave/", _leave)
    router.add("POST", f"{base}/transfer-ownership/", _transfer_ownership)
    router.add("GET", f"{base}/invitations/", _invitations)
    router.add("POST", f"{base}/invitations/", _invite)
    router.add("POST", f"{base}/invitations/{{invitation_uid}}/resend/", _resend)
    router.add("POST", f"{base}/invitations/{{invitation_uid}}/cancel/", _cancel)
    router.add("GET", f"{base}/teams/", _teams)
    router.add("POST", f"{base}/teams/", _create_team)
    router.add("GET", f"{base}/teams/{{team_slug}}/", _get_team)
    router.add("PATCH", f"{base}/teams/{{team_slug}}/", _update_team)
    router.add("DELETE", f"{base}/teams/{{team_slug}}/", _delete_team)
    router.add("GET", f"{base}/teams/{{team_slug}}/members/", _team_members)
    router.add("POST", f"{base}/teams/{{team_slug}}/members/", _add_team_member)
    router.add("DELETE", f"{base}/teams/{{team_slug}}/members/{{user_uid}}/", _remove_team_member)
    router.add("PATCH", f"{base}/teams/{{team_slug}}/members/{{user_uid}}/role/", _team_member_role)
