# Generated from avala/_async/resources/users.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel
from ...types.users import User
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_USER = ExpectModel(User)


class Users(APIResource):
    """The user behind the API key."""

    def me(self, **options: Unpack[RequestOptions]) -> User:
        """The user this API key belongs to: a cheap way to check a key. `GET /users/me/`"""
        return self._client.request("GET", "/users/me/", _USER, options=options)
