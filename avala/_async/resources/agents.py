from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage, ExpectRaw
from ..._core._params import BodyFields, alias, query, strs
from ..._core._paths import path
from ...types.agents import Agent, AgentExecution
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_AGENT = ExpectModel(Agent)
_AGENTS = ExpectPage(Agent)
_EXECUTIONS = ExpectPage(AgentExecution)
# The body fields `create` and `update` share.
_FIELDS = BodyFields(
    "name",
    "description",
    "callback_url",
    "is_active",
    "project",
    events=strs,
    task_types=strs,
)


class AsyncAgents(AsyncAPIResource):
    """Automation agents: callbacks the platform invokes on task events."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Agent]:
        """List agents. `GET /agents/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate("/agents/", _AGENTS, query(limit=limit, cursor=cursor), options)

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Agent:
        """Fetch one agent. `GET /agents/{id}/`

        Args:
            id: the agent's uid.
        """
        return await self._client.request(
            "GET", path("/agents/{id}/", id=id), _AGENT, options=options
        )

    async def create(
        self,
        *,
        name: str,
        events: Sequence[str] | None = None,
        description: str | None = None,
        callback_url: str | None = None,
        is_active: bool | None = None,
        project_id: str | None = None,
        task_types: Sequence[str] | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """Register an agent. `POST /agents/`

        Args:
            name: display name.
            events: event types that trigger the agent, e.g. `["task.completed"]`.
            description: free text.
            callback_url: HTTPS endpoint the platform calls.
            is_active: start enabled (the API's default) or disabled.
            project_id: limit the agent to this project (uid); `project=` is accepted too.
            task_types: limit the agent to these task types.
        """
        project = alias(("project_id", project_id), ("project", project))
        payload = _FIELDS.body(locals())
        return await self._client.request("POST", "/agents/", _AGENT, json=payload, options=options)

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        events: Sequence[str] | None = None,
        description: str | None = None,
        callback_url: str | None = None,
        is_active: bool | None = None,
        project_id: str | None = None,
        task_types: Sequence[str] | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Agent:
        """Change an agent; only the given fields are sent. `PATCH /agents/{id}/`

        `avala.NULL` clears a field (sends `null`), e.g. `description=avala.NULL`.

        Args:
            id: the agent's uid.
            name, events, description, callback_url, is_active, project_id, task_types: as
                in `create`.
            project: the official SDK's spelling of `project_id`.
        """
        project = alias(("project_id", project_id), ("project", project))
        payload = _FIELDS.body(locals())
        return await self._client.request(
            "PATCH", path("/agents/{id}/", id=id), _AGENT, json=payload, options=options
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an agent. `DELETE /agents/{id}/`

        Args:
            id: the agent's uid.
        """
        await self._client.request(
            "DELETE", path("/agents/{id}/", id=id), ExpectNothing(), options=options
        )

    def list_executions(
        self,
        id: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[AgentExecution]:
        """List an agent's executions. `GET /agents/{id}/executions/`

        Args:
            id: the agent's uid.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/agents/{id}/executions/", id=id),
            _EXECUTIONS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def test(self, id: str, **options: Unpack[RequestOptions]) -> dict[str, Any]:
        """Send a test event to the agent's callback. `POST /agents/{id}/test/`

        Returns the API's report as a dict, e.g. `{"delivered": True, "status_code": 200}`.

        Args:
            id: the agent's uid.
        """
        return await self._client.request(
            "POST", path("/agents/{id}/test/", id=id), ExpectRaw(), options=options
        )
