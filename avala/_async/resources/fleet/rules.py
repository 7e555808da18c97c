from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ...._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ...._core._params import body, json_object, json_objects, query
from ...._core._paths import path
from ....types.fleet import Rule
from ..._paginator import AsyncPaginator
from .._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_RULE = ExpectModel(Rule)
_RULES = ExpectPage(Rule)


class AsyncFleetRules(AsyncAPIResource):
    """Rules: conditions over fleet data that raise alerts and run actions."""

    def list(
        self,
        *,
        enabled: bool | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Rule]:
        """List rules. `GET /fleet/rules/`

        Args:
            enabled: only enabled (`True`) or only disabled (`False`) rules; sent as
                `true`/`false`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(enabled=enabled, limit=limit, cursor=cursor)
        return self._paginate("/fleet/rules/", _RULES, params, options)

    async def create(
        self,
        *,
        name: str,
        condition: Mapping[str, Any],
        actions: Iterable[Mapping[str, Any]],
        description: str | None = None,
        enabled: bool | None = None,
        scope: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Rule:
        """Create a rule. `POST /fleet/rules/`

        Args:
            name: display name.
            condition: the JSON object describing when the rule fires.
            actions: what to do when it fires: a list of JSON objects (may be empty).
            description: free text.
            enabled: start enabled (the API's default) or disabled.
            scope: the JSON object limiting which devices or recordings the rule watches.
        """
        payload = body(
            {
                "name": name,
                "condition": json_object(condition, "condition"),
                "actions": json_objects(actions, "actions"),
            },
            description=description,
            enabled=enabled,
            scope=json_object(scope, "scope"),
        )
        return await self._client.request(
            "POST", "/fleet/rules/", _RULE, json=payload, options=options
        )

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Rule:
        """Fetch one rule. `GET /fleet/rules/{id}/`

        Args:
            id: the rule's uid.
        """
        return await self._client.request(
            "GET", path("/fleet/rules/{id}/", id=id), _RULE, options=options
        )

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        enabled: bool | None = None,
        condition: Mapping[str, Any] | None = None,
        actions: Iterable[Mapping[str, Any]] | None = None,
        scope: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Rule:
        """Change a rule; only the given fields are sent. `PATCH /fleet/rules/{id}/`

        Args:
            id: the rule's uid.
            name, description, enabled, condition, actions, scope: as in `create`;
                `actions` and the objects replace the rule's current ones.
        """
        payload = body(
            name=name,
            description=description,
            enabled=enabled,
            condition=json_object(condition, "condition"),
            actions=json_objects(actions, "actions"),
            scope=json_object(scope, "scope"),
        )
        return await self._client.request(
            "PATCH", path("/fleet/rules/{id}/", id=id), _RULE, json=payload, options=options
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a rule. `DELETE /fleet/rules/{id}/`

        Args:
            id: the rule's uid.
        """
        await self._client.request(
            "DELETE", path("/fleet/rules/{id}/", id=id), ExpectNothing(), options=options
        )
