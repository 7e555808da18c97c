"""`avala.types.storage_config`: the models of `avala.types.storage_configs`, under the module
path code written for the official SDK imports
(`from avala.types.storage_config import StorageConfig`)."""

from __future__ import annotations

from .storage_configs import (
    StorageConfig,
    StorageConfigSetupInfo,
)

__all__ = [
    "StorageConfig",
    "StorageConfigSetupInfo",
]
