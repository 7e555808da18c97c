"""`avala.types.inference_provider`: the models of `avala.types.inference_providers`, under the module
path code written for the official SDK imports
(`from avala.types.inference_provider import InferenceProvider`)."""

from __future__ import annotations

from .inference_providers import (
    InferenceProvider,
    InferenceProviderType,
)

__all__ = [
    "InferenceProvider",
    "InferenceProviderType",
]
