from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import query
from ..._core._paths import path
from ..._twins import AsyncPaginator
from ...types.projects import Project
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

        `await` the result for the first page, or `async for` over it for every project.
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
