from __future__ import annotations

from ._base import AsyncAPIResource


class AsyncConsensus(AsyncAPIResource):
    """Consensus scoring of a project's annotations."""
