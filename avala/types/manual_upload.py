"""`avala.types.manual_upload`: the models of `avala.types.datasets`, under the module
path code written for the official SDK imports
(`from avala.types.manual_upload import AllowedMimes`)."""

from __future__ import annotations

from .datasets import (
    AllowedMimes,
    UploadQuota,
)

__all__ = [
    "AllowedMimes",
    "UploadQuota",
]
