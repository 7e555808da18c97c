from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ...types.organizations import Invitation
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_INVITATION = ExpectModel(Invitation)
_INVITATIONS = ExpectPage(Invitation)


class AsyncOrganizationInvitations(AsyncAPIResource):
    """Invitations to join an organization, sent by email."""

    def list(
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

    async def create(
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

    async def resend(
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

    async def cancel(
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
