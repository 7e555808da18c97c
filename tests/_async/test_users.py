from __future__ import annotations

import pytest
import respx

from avala import AsyncClient, AuthenticationError
from avala.types.users import User
from tests.helpers import url


async def test_me(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/users/me/")).respond(
        200, json={"uid": "u1", "username": "ada", "email": "ada@example.com", "extra": 1}
    )
    me = await client.users.me()
    assert me == User(uid="u1", username="ada", email="ada@example.com")
    assert route.calls.last.request.content == b""


async def test_me_with_a_bad_key(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/users/me/")).respond(401, json={"detail": "Invalid API key."})
    with pytest.raises(AuthenticationError):
        await client.users.me()


async def test_me_against_the_local_api(local: AsyncClient) -> None:
    me = await local.users.me()
    assert me.uid
    assert me.username
