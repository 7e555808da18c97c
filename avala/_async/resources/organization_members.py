from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectNothing, ExpectPage
from ..._core._params import query
from ..._core._paths import path
from ...types.organizations import OrganizationMember
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_MEMBERS = ExpectPage(OrganizationMember)


class AsyncOrganizationMembers(AsyncAPIResource):
    """The members of an organization, addressed by their user uid."""

    def list(
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

    async def remove(self, slug: str, user_uid: str, **options: Unpack[RequestOptions]) -> None:
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

    async def update_role(
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
