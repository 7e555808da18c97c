from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel
from ...types.users import User
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_USER = ExpectModel(User)


class AsyncUsers(AsyncAPIResource):
    """The user behind the API key."""

    async def me(self, **options: Unpack[RequestOptions]) -> User:
        """The user this API key belongs to: a cheap way to check a key. `GET /users/me/`"""
        return await self._client.request("GET", "/users/me/", _USER, options=options)
