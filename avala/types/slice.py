"""`avala.types.slice`: the models of `avala.types.slices` under the module path
code written for the official SDK imports (`from avala.types.slice import Slice`)."""

from __future__ import annotations

from .slices import (
    Slice,
    SliceItem,
)

__all__ = [
    "Slice",
    "SliceItem",
]
