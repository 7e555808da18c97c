from __future__ import annotations

from typing import ClassVar

from ._base import Model, Resource


class SignupUser(Resource, kw_only=True):
    """The account `avala.signup` created."""

    username: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    in_waitlist: bool = True


class SignupResponse(Model, kw_only=True):
    """The new account and its first API key. `repr()` masks the key; read `.api_key`."""

    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"api_key"})

    user: SignupUser
    api_key: str
