# Generated from tests/_async/test_users.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import pytest
import respx

from avala import AuthenticationError, Client
from avala.types.users import User
from tests.helpers import url


def test_me(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/users/me/")).respond(
        200, json={"uid": "u1", "username": "ada", "email": "ada@example.com", "extra": 1}
    )
    me = client.users.me()
    assert me == User(uid="u1", username="ada", email="ada@example.com")
    assert route.calls.last.request.content == b""


def test_me_with_a_bad_key(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/users/me/")).respond(401, json={"detail": "Invalid API key."})
    with pytest.raises(AuthenticationError):
        client.users.me()


def test_me_against_the_local_api(local: Client) -> None:
    me = local.users.me()
    assert me.uid
    assert me.username
