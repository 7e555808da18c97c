from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncOrganizations(AsyncAPIResource):
    """Organizations, their members, invitations and teams."""
