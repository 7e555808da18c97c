# Generated from avala/_async/resources/organizations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
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
from .._http import HTTPClient
from .._paginator import Paginator
from ._base import APIResource
from .organization_invitations import OrganizationInvitations
from .organization_members import OrganizationMembers
from .organization_teams import OrganizationTeams

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_ORGANIZATION = ExpectModel(Organization)
_ORGANIZATIONS = ExpectPage(Organization)

# `slug_for_uid` gives up after this many pages (20 organizations each): a bound on the
# requests one lookup may cost, as in the official SDK.
SLUG_LOOKUP_MAX_PAGES = 50


class Organizations(APIResource):
    """Organizations, their members, invitations and teams. Organizations and teams are
    addressed by slug, members by their user uid.

    Members, invitations and teams are sub-resources (`organizations.members.list(slug)`,
    `organizations.teams.create(slug, name=...)`); the flat names (`list_members`,
    `create_team`, ...) are the same calls.
    """

    def __init__(self, client: HTTPClient) -> None:
        super().__init__(client)
        self.members = OrganizationMembers(client)
        self.invitations = OrganizationInvitations(client)
        self.teams = OrganizationTeams(client)

    # -- organizations --------------------------------------------------------------------

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Organization]:
        """List your organizations. `GET /organizations/`

        This listing is paginated by page number: `next_cursor` is a page number, and
        `auto_paging_iter()` follows the pages as usual.

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token (a page's `next_cursor`). A page number is
                sent as `page=`, because this listing ignores `cursor=`.
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

    def get(self, slug: str, **options: Unpack[RequestOptions]) -> Organization:
        """Fetch one organization. `GET /organizations/{slug}/`

        Args:
            slug: the organization's slug.
        """
        return self._client.request(
            "GET", path("/organizations/{slug}/", slug=slug), _ORGANIZATION, options=options
        )

    def slug_for_uid(self, organization_uid: str, **options: Unpack[RequestOptions]) -> str | None:
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
        first = self.list(**options)
        pages_left = SLUG_LOOKUP_MAX_PAGES
        for current in first.iter_pages():
            for organization in current.items:
                if canonical_uid(organization.uid) == wanted:
                    return organization.slug
            pages_left -= 1
            if pages_left == 0:
                break
        return None

    def create(
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
        return self._client.request(
            "POST", "/organizations/", _ORGANIZATION, json=payload, options=options
        )

    def update(
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
        return self._client.request(
            "PATCH",
            path("/organizations/{slug}/", slug=slug),
            _ORGANIZATION,
            json=payload,
            options=options,
        )

    def delete(self, slug: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an organization. `DELETE /organizations/{slug}/`

        Args:
            slug: the organization's slug.
        """
        self._client.request(
            "DELETE", path("/organizations/{slug}/", slug=slug), ExpectNothing(), options=options
        )

    def industry_choices(self, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """The industries an organization may declare. `GET /organizations/industry-choices/`

        Returns the API's answer as a dict.
        """
        return self._client.request(
            "GET", "/organizations/industry-choices/", ExpectRaw(), options=options
        )

    def leave(self, slug: str, **options: Unpack[RequestOptions]) -> None:
        """Leave an organization. `POST /organizations/{slug}/leave/`

        Args:
            slug: the organization's slug.
        """
        self._client.request(
            "POST",
            path("/organizations/{slug}/leave/", slug=slug),
            ExpectNothing(),
            options=options,
        )

    def transfer_ownership(
        self, slug: str, *, new_owner_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Make another member the owner. `POST /organizations/{slug}/transfer-ownership/`

        Args:
            slug: the organization's slug.
            new_owner_uid: the user uid of the member who becomes owner.
        """
        self._client.request(
            "POST",
            path("/organizations/{slug}/transfer-ownership/", slug=slug),
            ExpectNothing(),
            json={"new_owner_uid": new_owner_uid},
            options=options,
        )

    # -- the official SDK's flat names for the sub-resources' methods ------------------------

    def list_members(
        self,
        slug: str,
        *,
        search: str | None = None,
        role: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[OrganizationMember]:
        """Same as `organizations.members.list(...)`."""
        return self.members.list(
            slug, search=search, role=role, limit=limit, cursor=cursor, **options
        )

    def remove_member(self, slug: str, user_uid: str, **options: Unpack[RequestOptions]) -> None:
        """Same as `organizations.members.remove(...)`."""
        self.members.remove(slug, user_uid, **options)

    def update_member_role(
        self, slug: str, user_uid: str, *, role: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Same as `organizations.members.update_role(...)`."""
        self.members.update_role(slug, user_uid, role=role, **options)

    def list_invitations(
        self,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Invitation]:
        """Same as `organizations.invitations.list(...)`."""
        return self.invitations.list(slug, limit=limit, cursor=cursor, **options)

    def create_invitation(
        self,
        slug: str,
        *,
        email: str,
        role: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Invitation:
        """Same as `organizations.invitations.create(...)`."""
        return self.invitations.create(slug, email=email, role=role, **options)

    def resend_invitation(
        self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Same as `organizations.invitations.resend(...)`."""
        self.invitations.resend(slug, invitation_uid, **options)

    def cancel_invitation(
        self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Same as `organizations.invitations.cancel(...)`."""
        self.invitations.cancel(slug, invitation_uid, **options)

    def list_teams(
        self,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Team]:
        """Same as `organizations.teams.list(...)`."""
        return self.teams.list(slug, limit=limit, cursor=cursor, **options)

    def create_team(
        self,
        slug: str,
        *,
        name: str,
        description: str | None = None,
        color: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Team:
        """Same as `organizations.teams.create(...)`."""
        return self.teams.create(slug, name=name, description=description, color=color, **options)

    def get_team(self, slug: str, team_slug: str, **options: Unpack[RequestOptions]) -> Team:
        """Same as `organizations.teams.get(...)`."""
        return self.teams.get(slug, team_slug, **options)

    def update_team(
        self,
        slug: str,
        team_slug: str,
        *,
        name: str | None = None,
        description: str | None = None,
        color: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Team:
        """Same as `organizations.teams.update(...)`."""
        return self.teams.update(
            slug, team_slug, name=name, description=description, color=color, **options
        )

    def delete_team(self, slug: str, team_slug: str, **options: Unpack[RequestOptions]) -> None:
        """Same as `organizations.teams.delete(...)`."""
        self.teams.delete(slug, team_slug, **options)

    def list_team_members(
        self,
        slug: str,
        team_slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[TeamMember]:
        """Same as `organizations.teams.list_members(...)`."""
        return self.teams.list_members(slug, team_slug, limit=limit, cursor=cursor, **options)

    def add_team_member(
        self,
        slug: str,
        team_slug: str,
        *,
        user_uid: str,
        role: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> TeamMember:
        """Same as `organizations.teams.add_member(...)`."""
        return self.teams.add_member(slug, team_slug, user_uid=user_uid, role=role, **options)

    def remove_team_member(
        self, slug: str, team_slug: str, user_uid: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Same as `organizations.teams.remove_member(...)`."""
        self.teams.remove_member(slug, team_slug, user_uid, **options)

    def update_team_member_role(
        self,
        slug: str,
        team_slug: str,
        user_uid: str,
        *,
        role: str,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Same as `organizations.teams.update_member_role(...)`."""
        self.teams.update_member_role(slug, team_slug, user_uid, role=role, **options)


# The flat names share their sub-resource method's documentation (`help()`, the CLI).
Organizations.list_members.__doc__ = OrganizationMembers.list.__doc__
Organizations.remove_member.__doc__ = OrganizationMembers.remove.__doc__
Organizations.update_member_role.__doc__ = OrganizationMembers.update_role.__doc__
Organizations.list_invitations.__doc__ = OrganizationInvitations.list.__doc__
Organizations.create_invitation.__doc__ = OrganizationInvitations.create.__doc__
Organizations.resend_invitation.__doc__ = OrganizationInvitations.resend.__doc__
Organizations.cancel_invitation.__doc__ = OrganizationInvitations.cancel.__doc__
Organizations.list_teams.__doc__ = OrganizationTeams.list.__doc__
Organizations.create_team.__doc__ = OrganizationTeams.create.__doc__
Organizations.get_team.__doc__ = OrganizationTeams.get.__doc__
Organizations.update_team.__doc__ = OrganizationTeams.update.__doc__
Organizations.delete_team.__doc__ = OrganizationTeams.delete.__doc__
Organizations.list_team_members.__doc__ = OrganizationTeams.list_members.__doc__
Organizations.add_team_member.__doc__ = OrganizationTeams.add_member.__doc__
Organizations.remove_team_member.__doc__ = OrganizationTeams.remove_member.__doc__
Organizations.update_team_member_role.__doc__ = OrganizationTeams.update_member_role.__doc__
