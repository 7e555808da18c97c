"""`avala.types.export`: the models of `avala.types.exports` under the module path
code written for the official SDK imports (`from avala.types.export import Export`)."""

from __future__ import annotations

from .exports import (
    Export,
    ExportStatus,
)

__all__ = [
    "Export",
    "ExportStatus",
]
