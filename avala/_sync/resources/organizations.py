# Generated from avala/_async/resources/organizations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from ._base import APIResource


class Organizations(APIResource):
    """Organizations, their members, invitations and teams."""
