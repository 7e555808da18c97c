"""`avala._client`, the module path code written for the official SDK imports the sync client
from (`from avala._client import Client`)."""

from __future__ import annotations

from ._sync._client import Client

__all__ = ["Client"]
