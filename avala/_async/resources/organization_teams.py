from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ...types.organizations import Team, TeamMember
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_TEAM = ExpectModel(Team)
_TEAMS = ExpectPage(Team)
_TEAM_MEMBER = ExpectModel(TeamMember)
_TEAM_MEMBERS = ExpectPage(TeamMember)


class AsyncOrganizationTeams(AsyncAPIResource):
    """The teams of an organization and their members, addressed by slug."""

    def list(
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

    async def create(
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

    async def get(self, slug: str, team_slug: str, **options: Unpack[RequestOptions]) -> Team:
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

    async def update(
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
            name: the team's new name.
            description: short description.
            color: display color, e.g. `"#ff8800"`.
        """
        return await self._client.request(
            "PATCH",
            path("/organizations/{slug}/teams/{team_slug}/", slug=slug, team_slug=team_slug),
            _TEAM,
            json=body(name=name, description=description, color=color),
            options=options,
        )

    async def delete(self, slug: str, team_slug: str, **options: Unpack[RequestOptions]) -> None:
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

    def list_members(
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

    async def add_member(
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

    async def remove_member(
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

    async def update_member_role(
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
