from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ...types.projects import Project
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_PROJECT = ExpectModel(Project)
_PROJECTS = ExpectPage(Project)


class AsyncProjects(AsyncAPIResource):
    """Projects visible to the API key's user.

    The API lists them under `/users/me/projects/` (bare `/projects/` is a staff-only
    listing); project-scoped sub-resources still live under `/projects/{uid}/`.
    """

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Project]:
        """List projects. `GET /users/me/projects/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.

        `await` the result for the first page; `.auto_paging_iter()` walks every project.
        """
        return self._paginate(
            "/users/me/projects/", _PROJECTS, query(limit=limit, cursor=cursor), options
        )

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Project:
        """Fetch one project. `GET /users/me/projects/{id}/`

        Args:
            id: the project's uid.
        """
        return await self._client.request(
            "GET", path("/users/me/projects/{id}/", id=id), _PROJECT, options=options
        )

    async def create(
        self,
        *,
        name: str,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Project:
        """Create a project owned by the API key's user. `POST /users/me/projects/`

        Args:
            name: display name.
            status: initial status; omitted, the API picks its default.
        """
        return await self._client.request(
            "POST",
            "/users/me/projects/",
            _PROJECT,
            json=body({"name": name}, status=status),
            options=options,
        )

    async def update(
        self,
        id: str,
        *,
        name: str | None = None,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Project:
        """Change a project's name or status. `PATCH /users/me/projects/{id}/`

        Only the given fields are sent; `avala.NULL` clears one.

        Args:
            id: the project's uid.
            name: new display name.
            status: new status.
        """
        return await self._client.request(
            "PATCH",
            path("/users/me/projects/{id}/", id=id),
            _PROJECT,
            json=body(name=name, status=status),
            options=options,
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a project. `DELETE /users/me/projects/{id}/`

        Args:
            id: the project's uid.
        """
        await self._client.request(
            "DELETE", path("/users/me/projects/{id}/", id=id), ExpectNothing(), options=options
        )
