"""`avala._async_client`, the module path code written for the official SDK imports the
async client from (`from avala._async_client import AsyncClient`)."""

from __future__ import annotations

from ._async._client import AsyncClient

__all__ = ["AsyncClient"]
