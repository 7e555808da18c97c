# Generated from avala/_async/resources/tasks.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import alias, body, query
from ..._core._paths import path
from ...types.tasks import Task, TaskStatus
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_TASK = ExpectModel(Task)
_TASKS = ExpectPage(Task)


class Tasks(APIResource):
    """Annotation tasks."""

    def list(
        self,
        *,
        project_id: str | None = None,
        status: TaskStatus | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Task]:
        """List tasks, optionally of one project and/or status. `GET /tasks/`

        Args:
            project_id: only tasks of this project (uid). `project=` is accepted too, as
                the official SDK spelled it.
            status: only tasks in this status, e.g. `"pending"` or `"completed"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(
            project=alias(("project_id", project_id), ("project", project)),
            status=status,
            limit=limit,
            cursor=cursor,
        )
        return self._paginate("/tasks/", _TASKS, params, options)

    def get(self, id: str, **options: Unpack[RequestOptions]) -> Task:
        """Fetch one task. `GET /tasks/{id}/`

        Args:
            id: the task's uid.
        """
        return self._client.request("GET", path("/tasks/{id}/", id=id), _TASK, options=options)

    def create(
        self,
        *,
        name: str,
        project_id: str,
        type: str | None = None,
        status: TaskStatus | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Task:
        """Create a task in a project. `POST /tasks/`

        Args:
            name: display name.
            project_id: the project's uid; sent as `project`.
            type: task type.
            status: initial status, e.g. `"pending"`; omitted, the API picks its default.
        """
        payload = body({"name": name, "project": project_id}, type=type, status=status)
        return self._client.request("POST", "/tasks/", _TASK, json=payload, options=options)

    def update(
        self,
        id: str,
        *,
        status: TaskStatus | str | None = None,
        name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Task:
        """Change a task's status or name. `PATCH /tasks/{id}/`

        Only the given fields are sent; `avala.NULL` clears one.

        Args:
            id: the task's uid.
            status: the new status, e.g. `"completed"`.
            name: the new name.
        """
        return self._client.request(
            "PATCH",
            path("/tasks/{id}/", id=id),
            _TASK,
            json=body(status=status, name=name),
            options=options,
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a task. `DELETE /tasks/{id}/`

        Args:
            id: the task's uid.
        """
        self._client.request(
            "DELETE", path("/tasks/{id}/", id=id), ExpectNothing(), options=options
        )
