# Generated from avala/_async/resources/inference_providers.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import BodyFields, alias, query
from ..._core._paths import path
from ...types.inference_providers import InferenceProvider, InferenceProviderType
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_PROVIDER = ExpectModel(InferenceProvider)
_PROVIDERS = ExpectPage(InferenceProvider)
# The body fields `create` and `update` share.
_FIELDS = BodyFields("name", "provider_type", "config", "description", "is_active", "project")


class InferenceProviders(APIResource):
    """AI model provider configuration."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[InferenceProvider]:
        """List inference providers. `GET /inference-providers/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            "/inference-providers/", _PROVIDERS, query(limit=limit, cursor=cursor), options
        )

    def get(self, id: str, **options: Unpack[RequestOptions]) -> InferenceProvider:
        """Fetch one inference provider. `GET /inference-providers/{id}/`

        Args:
            id: the provider's uid.
        """
        return self._client.request(
            "GET", path("/inference-providers/{id}/", id=id), _PROVIDER, options=options
        )

    def create(
        self,
        *,
        name: str,
        provider_type: InferenceProviderType | str,
        config: dict[str, Any],
        description: str | None = None,
        is_active: bool | None = None,
        project_id: str | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> InferenceProvider:
        """Register an inference provider. `POST /inference-providers/`

        Args:
            name: display name.
            provider_type: `"openai"`, `"anthropic"` or `"custom"`.
            config: provider settings, e.g. `{"api_key": ..., "model": ...}` (kept out of
                the returned object's repr, as it usually holds credentials).
            description: free text.
            is_active: start enabled (the API's default) or disabled.
            project_id: limit the provider to this project (uid); `project=` is accepted
                too.
        """
        project = alias(("project_id", project_id), ("project", project))
        payload = _FIELDS.body(locals())
        return self._client.request(
            "POST", "/inference-providers/", _PROVIDER, json=payload, options=options
        )

    def update(
        self,
        id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        provider_type: InferenceProviderType | str | None = None,
        config: dict[str, Any] | None = None,
        is_active: bool | None = None,
        project_id: str | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> InferenceProvider:
        """Change a provider; only the given fields are sent. `PATCH /inference-providers/{id}/`

        Args:
            id: the provider's uid.
            name, description, provider_type, config, is_active, project_id: as in
                `create`.
            project: the official SDK's spelling of `project_id`.
        """
        project = alias(("project_id", project_id), ("project", project))
        payload = _FIELDS.body(locals())
        return self._client.request(
            "PATCH",
            path("/inference-providers/{id}/", id=id),
            _PROVIDER,
            json=payload,
            options=options,
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an inference provider. `DELETE /inference-providers/{id}/`

        Args:
            id: the provider's uid.
        """
        self._client.request(
            "DELETE", path("/inference-providers/{id}/", id=id), ExpectNothing(), options=options
        )

    def test(self, id: str, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """Check that the provider answers. `POST /inference-providers/{id}/test/`

        Returns the API's report as a dict, e.g. `{"success": True, "latency_ms": 120}`.

        Args:
            id: the provider's uid.
        """
        return self._client.request(
            "POST", path("/inference-providers/{id}/test/", id=id), ExpectRaw(), options=options
        )
