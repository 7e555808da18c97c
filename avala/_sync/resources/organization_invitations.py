# Generated from avala/_async/resources/organization_invitations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ...types.organizations import Invitation
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_INVITATION = ExpectModel(Invitation)
_INVITATIONS = ExpectPage(Invitation)


class OrganizationInvitations(APIResource):
    """Invitations to join an organization, sent by email."""

    def list(
        self,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Invitation]:
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

    def create(
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
        return self._client.request(
            "POST",
            path("/organizations/{slug}/invitations/", slug=slug),
            _INVITATION,
            json=body({"email": email}, role=role),
            options=options,
        )

    def resend(self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]) -> None:
        """Send an invitation's email again.
        `POST /organizations/{slug}/invitations/{invitation_uid}/resend/`

        Args:
            slug: the organization's slug.
            invitation_uid: the invitation's uid.
        """
        self._client.request(
            "POST",
            path(
                "/organizations/{slug}/invitations/{invitation_uid}/resend/",
                slug=slug,
                invitation_uid=invitation_uid,
            ),
            ExpectNothing(),
            options=options,
        )

    def cancel(self, slug: str, invitation_uid: str, **options: Unpack[RequestOptions]) -> None:
        """Withdraw an invitation.
        `POST /organizations/{slug}/invitations/{invitation_uid}/cancel/`

        Args:
            slug: the organization's slug.
            invitation_uid: the invitation's uid.
        """
        self._client.request(
            "POST",
            path(
                "/organizations/{slug}/invitations/{invitation_uid}/cancel/",
                slug=slug,
                invitation_uid=invitation_uid,
            ),
            ExpectNothing(),
            options=options,
        )
