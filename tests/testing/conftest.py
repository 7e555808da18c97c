"""Fixtures for the `avala.testing` tests: raw httpx clients over the in-process transports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from avala.testing import LocalAvala

KEY = {"X-Avala-Api-Key": "test-key"}


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="demo")


@pytest.fixture
def client(api: LocalAvala) -> Iterator[httpx.Client]:
    with api.httpx_client(headers=KEY) as http:
        yield http


@pytest.fixture
async def aclient(api: LocalAvala) -> AsyncIterator[httpx.AsyncClient]:
    async with api.async_httpx_client(headers=KEY) as http:
        yield http
