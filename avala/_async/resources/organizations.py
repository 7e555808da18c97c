from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import body, canonical_uid, query
from ..._core._paths import path
from ...types.organizations import (
    Invitation,
    Organization,
    OrganizationMember,
    Team,
    TeamMember,
)
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_ORGANIZATION = ExpectModel(Organization)
_ORGANIZATIONS = ExpectPage(Organization)
_MEMBERS = ExpectPage(OrganizationMember)
_INVITATION = ExpectModel(Invitation)
_INVITATIONS = ExpectPage(Invitation)
_TEAM = ExpectModel(Team)
_TEAMS = ExpectPage(Team)
_TEAM_MEMBER = ExpectModel(TeamMember)
_TEAM_MEMBERS = ExpectPage(TeamMember)

# `slug_for_uid` gives up after this many pages (20 organizations each): a bound on the
# requests one lookup may cost, as in the official SDK.
SLUG_LOOKUP_MAX_PAGES = 50


class AsyncOrganizations(AsyncAPIResource):
    """Organizations, their members, invitations and teams. Organizations and teams are
    addressed by slug, members by their user uid."""

    # -- organizations --------------------------------------------------------------------

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Organization]:
        """List your organizations. `GET /organizations/`

        This listing is paginated by page number: `next_cursor` is a page number, and
        iterating with `async for` follows the pages as usual.

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token (a page's `next_cursor`). A page number is
                sent as `page=`, because this listing ignores `cursor=` (with the official
                SDK, `list(cursor=page.next_cursor)` re-read page 1 forever).
            page: start from this page number (1-based). Pass `cursor` or `page`, not both.
        """
        if cursor is not None and page is not None:
            raise ValueError("Pass cursor or page, not both")
        if cursor is not None and cursor.isdecimal():
            page = int(cursor)
            cursor = None
        return self._paginate(
            "/organizations/",
            _ORGANIZATIONS,
            query(limit=limit, cursor=cursor, page=page),
            options,
        )

    async def get(self, slug: str, **options: Unpack[RequestOptions]) -> Organization:
        """Fetch one organization. `GET /organizations/{slug}/`

        Args:
            slug: the organization's slug.
        """
        return await self._client.request(
            "GET", path("/organizations/{slug}/", slug=slug), _ORGANIZATION, options=options
        )

    async def slug_for_uid(
        self, organization_uid: str, **options: Unpack[RequestOptions]
    ) -> str | None:
        """The slug of the organization with this uid, or None if you are not in it.
        `GET /organizations/`

        Walks your organizations (at most 50 pages). UUIDs compare in any spelling (case,
        hyphens, braces). Request errors propagate; None means "not found".

        Args:
            organization_uid: the organization's uid (any UUID spelling).
        """
        if not isinstance(organization_uid, str):
            raise TypeError(
                f"organization_uid must be a str, got {type(organization_uid).__name__}"
            )
        if not organization_uid.strip():
            raise ValueError("organization_uid must be a non-empty string")
        wanted = canonical_uid(organization_uid)
        first = await self.list(**options)
        pages_left = SLUG_LOOKUP_MAX_PAGES
        async for current in first.iter_pages():
            for organization in current.items:
                if canonical_uid(organization.uid) == wanted:
                    return organization.slug
            pages_left -= 1
            if pages_left == 0:
                break
        return None

    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        logo: str | None = None,
        website: str | None = None,
        industry: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        visibility: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Organization:
        """Create an organization (you become its owner). `POST /organizations/`

        Args:
            name: display name; the API derives the slug.
            description: short description.
            logo: logo URL.
            website: website URL.
            industry: industry (one of `industry_choices()`).
            email: contact email.
            phone: contact phone.
            visibility: e.g. `"private"` or `"public"`.
        """
        payload = body(
            {"name": name},
            description=description,
            logo=logo,
            website=website,
            industry=industry,
            email=email,
            phone=phone,
            visibility=visibility,
        )
        return await self._client.request(
            "POST", "/organizations/", _ORGANIZATION, json=payload, options=options
        )

    async def update(
        self,
        slug: str,
        *,
        name: str | None = None,
        description: str | None = None,
        logo: str | None = None,
        website: str | None = None,
        handle: str | None = None,
        industry: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        visibility: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Organization:
        """Change an organization; only the given fields are sent.
        `PATCH /organizations/{slug}/`

        Args:
            slug: the organization's slug.
            handle: the organization's public handle.
            name, description, logo, website, industry, email, phone, visibility: as in
                `create`.
        """
        payload = body(
            name=name,
            description=description,
            logo=logo,
            website=website,
            handle=handle,
            industry=industry,
            email=email,
            phone=phone,
            visibility=visibility,
        )
        return await self._client.request(
            "PATCH",
            path("/organizations/{slug}/", slug=slug),
            _ORGANIZATION,
            json=payload,
            options=options,
        )

    async def delete(self, slug: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an organization. `DELETE /organizations/{slug}/`

        Args:
            slug: the organization's slug.
        """
        await self._client.request(
            "DELETE", path("/organizations/{slug}/", slug=slug), ExpectNothing(), options=options
        )

    async def industry_choices(self, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """The industries an organization may declare. `GET /organizations/industry-choices/`

        Returns the API's answer as a dict.
        """
        return await self._client.request(
            "GET", "/organizations/industry-choices/", ExpectRaw(), options=options
        )

    # -- members ---------------------------------------------------------------------------

    def list_members(
        self,
        slug: str,
        *,
        search: str | None = None,
        role: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[OrganizationMember]:
        """List an organization's members. `GET /organizations/{slug}/members/`

        Args:
            slug: the organization's slug.
            search: only members matching this text (e.g. part of a name or email).
            role: only members with this role, e.g. `"admin"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/organizations/{slug}/members/", slug=slug),
            _MEMBERS,
            query(search=search, role=role, limit=limit, cursor=cursor),
            options,
        )

    async def remove_member(
        self, slug: str, user_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Remove a member from an organization.
        `DELETE /organizations/{slug}/members/{user_uid}/`

        Args:
            slug: the organization's slug.
            user_uid: the member's user uid.
        """
        await self._client.request(
            "DELETE",
            path("/organizations/{slug}/members/{user_uid}/", slug=slug, user_uid=user_uid),
            ExpectNothing(),
            options=options,
        )

    async def update_member_role(
        self, slug: str, user_uid: str, *, role: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Change a member's role. `PATCH /organizations/{slug}/members/{user_uid}/role/`

        Args:
            slug: the organization's slug.
            user_uid: the member's user uid.
            role: the new role, e.g. `"admin"` or `"member"`.
        """
        await self._client.request(
            "PATCH",
            path("/organizations/{slug}/members/{user_uid}/role/", slug=slug, user_uid=user_uid),
            ExpectNothing(),
            json={"role": role},
            options=options,
        )

    async def leave(self, slug: str, **options: Unpack[RequestOptions]) -> None:
        """Leave an organization. `POST /organizations/{slug}/leave/`

        Args:
            slug: the organization's slug.
        """
        await self._client.request(
            "POST",
            path("/organizations/{slug}/leave/", slug=slug),
            ExpectNothing(),
            options=options,
        )

    async def transfer_ownership(
        self, slug: str, *, new_owner_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Make another member the owner. `POST /organizations/{slug}/transfer-ownership/`

        Args:
            slug: the organization's slug.
            new_owner_uid: the user uid of the member who becomes owner.
        """
        await self._client.request(
            "POST",
            path("/organizations/{slug}/transfer-ownership/", slug=slug),
            ExpectNothing(),
            json={"new_owner_uid": new_owner_uid},
            options=options,
        )

    # -- invitations -----------------------------------------------------------------------

    def list_invitations(
        self,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Invitation]:
        """List an organization's invitations. `GET /organizations/{slug}/invitations/`

        Args:
            slug: the organization's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/organizations/{slug}/invitations/", slug=slug),
            _INVITATIONS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def create_invitation(
        self,
        slug: str,
        *,
        email: str,
        role: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Invitation:
        """Invite someone by email. `POST /organizations/{slug}/invitations/`

        Args:
            slug: the organization's slug.
            email: the invitee's email address.
            role: the role they get on accepting (the API's default when omitted).
        """
        return await self._client.request(
            "POST",
            path("/organizations/{slug}/invitations/", slug=slug),
            _INVITATION,
            json=body({"email": email}, role=role),
            options=options,
        )

    async def resend_invitation(
        self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Send an invitation's email again.
        `POST /organizations/{slug}/invitations/{invitation_uid}/resend/`

        Args:
            slug: the organization's slug.
            invitation_uid: the invitation's uid.
        """
        await self._client.request(
            "POST",
            path(
                "/organizations/{slug}/invitations/{invitation_uid}/resend/",
                slug=slug,
                invitation_uid=invitation_uid,
            ),
            ExpectNothing(),
            options=options,
        )

    async def cancel_invitation(
        self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Withdraw an invitation.
        `POST /organizations/{slug}/invitations/{invitation_uid}/cancel/`

        Args:
            slug: the organization's slug.
            invitation_uid: the invitation's uid.
        """
        await self._client.request(
            "POST",
            path(
                "/organizations/{slug}/invitations/{invitation_uid}/cancel/",
                slug=slug,
                invitation_uid=invitation_uid,
            ),
            ExpectNothing(),
            options=options,
        )

    # -- teams -----------------------------------------------------------------------------

    def list_teams(
        self,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Team]:
        """List an organization's teams. `GET /organizations/{slug}/teams/`

        Args:
            slug: the organization's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/organizations/{slug}/teams/", slug=slug),
            _TEAMS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def create_team(
        self,
        slug: str,
        *,
        name: str,
        description: str | None = None,
        color: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Team:
        """Create a team. `POST /organizations/{slug}/teams/`

        Args:
            slug: the organization's slug.
            name: the team's name; the API derives its slug.
            description: short description.
            color: display color, e.g. `"#ff8800"`.
        """
        return await self._client.request(
            "POST",
            path("/organizations/{slug}/teams/", slug=slug),
            _TEAM,
            json=body({"name": name}, description=description, color=color),
            options=options,
        )

    async def get_team(self, slug: str, team_slug: str, **options: Unpack[RequestOptions]) -> Team:
        """Fetch one team. `GET /organizations/{slug}/teams/{team_slug}/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
        """
        return await self._client.request(
            "GET",
            path("/organizations/{slug}/teams/{team_slug}/", slug=slug, team_slug=team_slug),
            _TEAM,
            options=options,
        )

    async def update_team(
        self,
        slug: str,
        team_slug: str,
        *,
        name: str | None = None,
        description: str | None = None,
        color: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Team:
        """Change a team; only the given fields are sent.
        `PATCH /organizations/{slug}/teams/{team_slug}/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
            name, description, color: as in `create_team`.
        """
        return await self._client.request(
            "PATCH",
            path("/organizations/{slug}/teams/{team_slug}/", slug=slug, team_slug=team_slug),
            _TEAM,
            json=body(name=name, description=description, color=color),
            options=options,
        )

    async def delete_team(
        self, slug: str, team_slug: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a team. `DELETE /organizations/{slug}/teams/{team_slug}/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
        """
        await self._client.request(
            "DELETE",
            path("/organizations/{slug}/teams/{team_slug}/", slug=slug, team_slug=team_slug),
            ExpectNothing(),
            options=options,
        )

    def list_team_members(
        self,
        slug: str,
        team_slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[TeamMember]:
        """List a team's members. `GET /organizations/{slug}/teams/{team_slug}/members/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path(
                "/organizations/{slug}/teams/{team_slug}/members/",
                slug=slug,
                team_slug=team_slug,
            ),
            _TEAM_MEMBERS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def add_team_member(
        self,
        slug: str,
        team_slug: str,
        *,
        user_uid: str,
        role: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> TeamMember:
        """Add an organization member to a team.
        `POST /organizations/{slug}/teams/{team_slug}/members/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
            user_uid: the member's user uid.
            role: their role in the team (the API's default when omitted).
        """
        return await self._client.request(
            "POST",
            path(
                "/organizations/{slug}/teams/{team_slug}/members/",
                slug=slug,
                team_slug=team_slug,
            ),
            _TEAM_MEMBER,
            json=body({"user_uid": user_uid}, role=role),
            options=options,
        )

    async def remove_team_member(
        self, slug: str, team_slug: str, user_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Remove a member from a team.
        `DELETE /organizations/{slug}/teams/{team_slug}/members/{user_uid}/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
            user_uid: the member's user uid.
        """
        await self._client.request(
            "DELETE",
            path(
                "/organizations/{slug}/teams/{team_slug}/members/{user_uid}/",
                slug=slug,
                team_slug=team_slug,
                user_uid=user_uid,
            ),
            ExpectNothing(),
            options=options,
        )

    async def update_team_member_role(
        self,
        slug: str,
        team_slug: str,
        user_uid: str,
        *,
        role: str,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Change a member's role in a team.
        `PATCH /organizations/{slug}/teams/{team_slug}/members/{user_uid}/role/`

        Args:
            slug: the organization's slug.
            team_slug: the team's slug.
            user_uid: the member's user uid.
            role: the new role.
        """
        await self._client.request(
            "PATCH",
            path(
                "/organizations/{slug}/teams/{team_slug}/members/{user_uid}/role/",
                slug=slug,
                team_slug=team_slug,
                user_uid=user_uid,
            ),
            ExpectNothing(),
            json={"role": role},
            options=options,
        )
