"""AI model providers (OpenAI, Anthropic, custom endpoints) used by automation features."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from ._base import Resource

InferenceProviderType = Literal["openai", "anthropic", "custom"]
"""Known provider types; any string is accepted, since the API may add values."""


class InferenceProvider(Resource, kw_only=True):
    # `config` carries the provider's credentials (e.g. `{"api_key": "sk-...", "model": ...}`)
    # whenever the API echoes them back; repr() masks it so it cannot leak into logs.
    __secret_fields__: ClassVar[frozenset[str]] = frozenset({"config"})

    name: str
    description: str | None = None
    provider_type: str | None = None
    project: str | None = None
    config: dict[str, Any] | None = None
    is_active: bool = True
    last_test_at: datetime | None = None
    last_test_success: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
