"""Account models: what signing up returns."""

from __future__ import annotations

from typing import ClassVar

from ._base import Model


class SignupUser(Model, kw_only=True):
    """The user a sign-up created."""

    uid: str
    username: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    in_waitlist: bool = True


class SignupResponse(Model, kw_only=True):
    """A sign-up's answer: the new user and their API key (masked in `repr()`)."""

    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"api_key"})

    user: SignupUser
    api_key: str


__all__ = ["SignupResponse", "SignupUser"]
