from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, ForbiddenError
from avala.types.organizations import (
    Invitation,
    Organization,
    OrganizationMember,
    Team,
    TeamMember,
)
from tests.helpers import page, url

ORG_UID = "3f2b8c1e-9d4a-4e7b-8c21-5a6f0e9d1b2c"

ORGANIZATION = {
    "uid": ORG_UID,
    "name": "Acme Robotics",
    "slug": "acme",
    "handle": "acme",
    "industry": "robotics",
    "role": "owner",
    "is_verified": True,
    "member_count": 12,
    "allowed_domains": ["acme.test"],
    "created_at": "2026-01-01T00:00:00Z",
}

MEMBER = {
    "user_uid": "user_1",
    "username": "alice",
    "email": "alice@acme.test",
    "role": "admin",
    "last_active_at": "2026-03-01T12:00:00Z",
}

INVITATION = {
    "uid": "inv_1",
    "invited_email": "bob@acme.test",
    "organization_slug": "acme",
    "role": "member",
    "status": "pending",
    "is_expired": False,
    "expires_at": "2026-04-01T00:00:00Z",
}

TEAM = {
    "uid": "team_1",
    "name": "Perception",
    "slug": "perception",
    "color": "#ff8800",
    "organization_uid": ORG_UID,
    "member_count": 3,
}

TEAM_MEMBER = {"user_uid": "user_1", "username": "alice", "role": "lead"}


def org(n: int) -> dict[str, object]:
    return {"uid": f"org-{n}", "name": f"Org {n}", "slug": f"org-{n}"}


# -- organizations ------------------------------------------------------------------------------


async def test_list_decodes_and_reports_the_page_number(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/")).respond(
        200, json=page([ORGANIZATION], "/organizations/?page=2")
    )
    first = await client.organizations.list(limit=20)
    assert dict(route.calls.last.request.url.params) == {"limit": "20"}
    organization = first.items[0]
    assert isinstance(organization, Organization)
    assert organization.id == ORG_UID
    assert organization.is_active is True
    assert organization.is_verified is True
    assert organization.allowed_domains == ["acme.test"]
    assert first.has_more
    assert first.next_cursor == "2"


async def test_list_walks_page_numbered_pages(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/")).mock(
        side_effect=[
            httpx.Response(200, json=page([org(1)], "/organizations/?page=2")),
            httpx.Response(200, json=page([org(2)], "/organizations/?page=3")),
            httpx.Response(200, json=page([org(3)])),
        ]
    )
    slugs = [o.slug async for o in client.organizations.list().auto_paging_iter()]
    assert slugs == ["org-1", "org-2", "org-3"]
    params = [dict(call.request.url.params) for call in route.calls]
    # The token goes back as `page=`: the server ignores `cursor=` on this listing.
    assert params == [{}, {"page": "2"}, {"page": "3"}]


async def test_list_starts_at_a_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/organizations/")).respond(200, json=page([org(3)]))
    first = await client.organizations.list(page=3, limit=5)
    assert dict(route.calls.last.request.url.params) == {"limit": "5", "page": "3"}
    assert not first.has_more


async def test_list_sends_a_page_number_cursor_as_page(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    # Contract 5 #9: the README's `list(cursor=page.next_cursor)` must not re-read page 1.
    route = respx_mock.get(url("/organizations/")).mock(
        side_effect=[
            httpx.Response(200, json=page([org(1)], "/organizations/?page=2")),
            httpx.Response(200, json=page([org(2)])),
        ]
    )
    first = await client.organizations.list()
    assert first.next_cursor is not None
    second = await client.organizations.list(cursor=first.next_cursor)
    assert dict(route.calls.last.request.url.params) == {"page": "2"}
    assert [o.slug for o in second.items] == ["org-2"]


async def test_list_passes_an_opaque_cursor_through(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/")).respond(200, json=page([org(1)]))
    await client.organizations.list(cursor="cD0yMDI2")
    assert dict(route.calls.last.request.url.params) == {"cursor": "cD0yMDI2"}


async def test_list_refuses_cursor_and_page_together(client: AsyncClient) -> None:
    with pytest.raises(ValueError, match="cursor or page"):
        await client.organizations.list(cursor="2", page=2)


async def test_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/organizations/acme/")).respond(200, json=ORGANIZATION)
    organization = await client.organizations.get("acme")
    assert organization.slug == "acme"
    assert organization.member_count == 12
    assert organization.created_at is not None


async def test_create_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/organizations/")).respond(201, json=ORGANIZATION)
    organization = await client.organizations.create(
        name="Acme Robotics", website="https://acme.test", visibility="private"
    )
    assert organization.name == "Acme Robotics"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Acme Robotics",
        "website": "https://acme.test",
        "visibility": "private",
    }


async def test_create_every_field(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/")).respond(201, json=ORGANIZATION)
    fields = {
        "description": "d",
        "logo": "https://acme.test/logo.png",
        "website": "https://acme.test",
        "industry": "robotics",
        "email": "hi@acme.test",
        "phone": "+1 555",
        "visibility": "public",
    }
    await client.organizations.create(name="Acme", **fields)
    assert json.loads(route.calls.last.request.content) == {"name": "Acme", **fields}


async def test_update_patches_subset(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/organizations/acme/")).respond(
        200, json={**ORGANIZATION, "handle": "acme-bots"}
    )
    organization = await client.organizations.update("acme", handle="acme-bots", phone="1")
    assert organization.handle == "acme-bots"
    assert json.loads(route.calls.last.request.content) == {"handle": "acme-bots", "phone": "1"}


async def test_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.delete(url("/organizations/acme/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.organizations.delete("acme") is None
    assert await client.organizations.delete(slug="acme") is None


async def test_industry_choices_returns_raw_dict(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    choices = {"choices": [{"value": "robotics", "label": "Robotics"}]}
    respx_mock.get(url("/organizations/industry-choices/")).respond(200, json=choices)
    assert await client.organizations.industry_choices() == choices


# -- slug_for_uid -------------------------------------------------------------------------------


async def test_slug_for_uid_finds_on_a_later_page_in_any_uuid_spelling(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/")).mock(
        side_effect=[
            httpx.Response(200, json=page([org(1)], "/organizations/?page=2")),
            httpx.Response(200, json=page([ORGANIZATION], "/organizations/?page=3")),
        ]
    )
    braced_upper_no_hyphens = "{" + ORG_UID.replace("-", "").upper() + "}"
    assert await client.organizations.slug_for_uid(braced_upper_no_hyphens) == "acme"
    # Stops as soon as it is found: page 3 is never requested.
    assert route.call_count == 2
    assert route.calls[1].request.url.params["page"] == "2"


async def test_slug_for_uid_canonicalises_the_server_side_too(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    upper = {**ORGANIZATION, "uid": ORG_UID.upper()}
    respx_mock.get(url("/organizations/")).respond(200, json=page([upper]))
    assert await client.organizations.slug_for_uid(f"urn:uuid:{ORG_UID}") == "acme"


async def test_slug_for_uid_compares_non_uuids_case_insensitively(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/organizations/")).respond(200, json=page([org(1), org(2)]))
    assert await client.organizations.slug_for_uid("  ORG-2 ") == "org-2"


async def test_slug_for_uid_returns_none_when_absent(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/")).mock(
        side_effect=[
            httpx.Response(200, json=page([org(1)], "/organizations/?page=2")),
            httpx.Response(200, json=page([org(2)])),
        ]
    )
    assert await client.organizations.slug_for_uid(ORG_UID) is None
    assert route.call_count == 2


async def test_slug_for_uid_gives_up_after_50_pages(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=page([org(n)], f"/organizations/?page={n + 1}"))

    route = respx_mock.get(url("/organizations/")).mock(side_effect=endless)
    assert await client.organizations.slug_for_uid(ORG_UID) is None
    assert route.call_count == 50


async def test_slug_for_uid_propagates_request_errors(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/organizations/")).mock(
        side_effect=[
            httpx.Response(200, json=page([org(1)], "/organizations/?page=2")),
            httpx.Response(403, json={"detail": "Forbidden."}),
        ]
    )
    with pytest.raises(ForbiddenError):
        await client.organizations.slug_for_uid(ORG_UID)


async def test_slug_for_uid_checks_its_argument(client: AsyncClient) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        await client.organizations.slug_for_uid("  ")
    with pytest.raises(TypeError, match="must be a str"):
        await client.organizations.slug_for_uid(123)  # type: ignore[arg-type]


# -- members ------------------------------------------------------------------------------------


async def test_list_members(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/organizations/acme/members/")).respond(
        200, json=page([MEMBER], "/organizations/acme/members/?cursor=m2")
    )
    first = await client.organizations.list_members("acme", search="ali", role="admin", limit=10)
    assert dict(route.calls.last.request.url.params) == {
        "search": "ali",
        "role": "admin",
        "limit": "10",
    }
    member = first.items[0]
    assert isinstance(member, OrganizationMember)
    assert member.id == "user_1"
    assert member.user_uid == "user_1"
    assert member.last_active_at is not None
    assert first.next_cursor == "m2"


async def test_remove_member(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(url("/organizations/acme/members/user_1/")).respond(204)
    assert await client.organizations.remove_member("acme", "user_1") is None
    assert route.called


async def test_update_member_role_ignores_the_response_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/organizations/acme/members/user_1/role/")).respond(
        200, json={"user_uid": "user_1", "role": "admin"}
    )
    assert await client.organizations.update_member_role("acme", "user_1", role="admin") is None
    assert json.loads(route.calls.last.request.content) == {"role": "admin"}


async def test_leave_sends_no_body(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/acme/leave/")).respond(204)
    assert await client.organizations.leave("acme") is None
    assert route.calls.last.request.content == b""


async def test_transfer_ownership(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/acme/transfer-ownership/")).respond(204)
    assert await client.organizations.transfer_ownership("acme", new_owner_uid="user_2") is None
    assert json.loads(route.calls.last.request.content) == {"new_owner_uid": "user_2"}


# -- invitations --------------------------------------------------------------------------------


async def test_list_invitations(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/organizations/acme/invitations/")).respond(
        200, json=page([INVITATION])
    )
    first = await client.organizations.list_invitations("acme", limit=5, cursor="c1")
    assert dict(route.calls.last.request.url.params) == {"limit": "5", "cursor": "c1"}
    invitation = first.items[0]
    assert isinstance(invitation, Invitation)
    assert invitation.id == "inv_1"
    assert invitation.invited_email == "bob@acme.test"
    assert invitation.is_expired is False
    assert not first.has_more


async def test_list_invitations_accepts_a_bare_array(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    # Older servers answer this route with a bare array (official SDK 0.8).
    respx_mock.get(url("/organizations/acme/invitations/")).respond(200, json=[INVITATION])
    assert [
        i.uid async for i in client.organizations.list_invitations("acme").auto_paging_iter()
    ] == ["inv_1"]


async def test_create_invitation(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/acme/invitations/")).respond(201, json=INVITATION)
    invitation = await client.organizations.create_invitation("acme", email="bob@acme.test")
    assert invitation.status == "pending"
    assert json.loads(route.calls.last.request.content) == {"email": "bob@acme.test"}

    await client.organizations.create_invitation("acme", email="c@acme.test", role="admin")
    assert json.loads(route.calls.last.request.content) == {
        "email": "c@acme.test",
        "role": "admin",
    }


async def test_resend_and_cancel_invitation_send_no_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    resend = respx_mock.post(url("/organizations/acme/invitations/inv_1/resend/")).respond(204)
    cancel = respx_mock.post(url("/organizations/acme/invitations/inv_1/cancel/")).respond(
        200, json={"status": "cancelled"}
    )
    assert await client.organizations.resend_invitation("acme", "inv_1") is None
    assert await client.organizations.cancel_invitation("acme", invitation_uid="inv_1") is None
    assert resend.calls.last.request.content == b""
    assert cancel.calls.last.request.content == b""


# -- teams --------------------------------------------------------------------------------------


async def test_list_teams(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/organizations/acme/teams/")).mock(
        side_effect=[
            httpx.Response(200, json=page([TEAM], "/organizations/acme/teams/?cursor=t2")),
            httpx.Response(200, json=page([{**TEAM, "uid": "team_2", "name": "Mapping"}])),
        ]
    )
    teams = [t async for t in client.organizations.list_teams("acme").auto_paging_iter()]
    assert [t.name for t in teams] == ["Perception", "Mapping"]
    assert isinstance(teams[0], Team)
    assert teams[0].member_count == 3
    assert route.calls[1].request.url.params["cursor"] == "t2"


async def test_create_team(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/acme/teams/")).respond(201, json=TEAM)
    team = await client.organizations.create_team("acme", name="Perception", color="#ff8800")
    assert team.slug == "perception"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Perception",
        "color": "#ff8800",
    }


async def test_get_team(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/organizations/acme/teams/perception/")).respond(200, json=TEAM)
    team = await client.organizations.get_team("acme", "perception")
    assert team.id == "team_1"
    assert team.organization_uid == ORG_UID


async def test_update_team(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/organizations/acme/teams/perception/")).respond(
        200, json={**TEAM, "description": "Sensors"}
    )
    team = await client.organizations.update_team("acme", "perception", description="Sensors")
    assert team.description == "Sensors"
    assert json.loads(route.calls.last.request.content) == {"description": "Sensors"}


async def test_delete_team(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(url("/organizations/acme/teams/perception/")).respond(204)
    assert await client.organizations.delete_team("acme", "perception") is None
    assert route.called


async def test_list_team_members(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/organizations/acme/teams/perception/members/")).respond(
        200, json=page([TEAM_MEMBER])
    )
    first = await client.organizations.list_team_members("acme", "perception", limit=50)
    assert dict(route.calls.last.request.url.params) == {"limit": "50"}
    assert first.items == [TeamMember(user_uid="user_1", username="alice", role="lead")]
    assert first.items[0].id == "user_1"


async def test_add_team_member(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/organizations/acme/teams/perception/members/")).respond(
        201, json=TEAM_MEMBER
    )
    member = await client.organizations.add_team_member(
        "acme", "perception", user_uid="user_1", role="lead"
    )
    assert member.role == "lead"
    assert json.loads(route.calls.last.request.content) == {"user_uid": "user_1", "role": "lead"}

    await client.organizations.add_team_member("acme", "perception", user_uid="user_2")
    assert json.loads(route.calls.last.request.content) == {"user_uid": "user_2"}


async def test_remove_team_member(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(url("/organizations/acme/teams/perception/members/user_1/")).respond(
        204
    )
    assert await client.organizations.remove_team_member("acme", "perception", "user_1") is None
    assert route.called


async def test_update_team_member_role(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(
        url("/organizations/acme/teams/perception/members/user_1/role/")
    ).respond(204)
    result = await client.organizations.update_team_member_role(
        "acme", "perception", "user_1", role="member"
    )
    assert result is None
    assert json.loads(route.calls.last.request.content) == {"role": "member"}


async def test_slugs_are_encoded_into_one_segment(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/a%2Fb/teams/c%3Fd/")).respond(200, json=TEAM)
    await client.organizations.get_team("a/b", "c?d")
    assert route.called


async def test_members_invitations_and_teams_are_sub_resources(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    members = respx_mock.get(url("/organizations/acme/members/")).respond(200, json=page([MEMBER]))
    invite = respx_mock.post(url("/organizations/acme/invitations/")).respond(201, json=INVITATION)
    team_members = respx_mock.get(url("/organizations/acme/teams/core/members/")).respond(
        200, json=page([TEAM_MEMBER])
    )
    role = respx_mock.patch(url("/organizations/acme/teams/core/members/user_1/role/")).respond(204)
    assert [m.user_uid for m in await client.organizations.members.list("acme")] == [
        MEMBER["user_uid"]
    ]
    invitation = await client.organizations.invitations.create("acme", email="a@b.c")
    assert invitation.uid == INVITATION["uid"]
    listed = await client.organizations.teams.list_members("acme", "core")
    assert [m.user_uid for m in listed] == ["user_1"]
    await client.organizations.teams.update_member_role("acme", "core", "user_1", role="lead")
    assert (members.call_count, invite.call_count, team_members.call_count) == (1, 1, 1)
    assert json.loads(role.calls.last.request.content) == {"role": "lead"}


async def test_the_flat_names_are_the_sub_resource_calls(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/organizations/acme/teams/")).respond(200, json=page([TEAM]))
    flat = await client.organizations.list_teams("acme", limit=5)
    nested = await client.organizations.teams.list("acme", limit=5)
    assert [t.slug for t in flat] == [t.slug for t in nested]
    assert [dict(c.request.url.params) for c in route.calls] == [{"limit": "5"}] * 2
    assert client.organizations.list_teams.__doc__ == client.organizations.teams.list.__doc__
