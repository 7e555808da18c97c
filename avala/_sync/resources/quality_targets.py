# Generated from avala/_async/resources/quality_targets.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from ._base import APIResource


class QualityTargets(APIResource):
    """Quality metrics and targets of a project."""
