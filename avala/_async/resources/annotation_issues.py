from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectPage
from ..._core._params import query
from ..._twins import AsyncPaginator
from ...types.annotation_issues import AnnotationIssue, AnnotationIssueStatus
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_ISSUES = ExpectPage(AnnotationIssue)


class AsyncAnnotationIssues(AsyncAPIResource):
    """Quality issues raised on annotations."""

    def list(
        self,
        *,
        task_id: str | None = None,
        status: AnnotationIssueStatus | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[AnnotationIssue]:
        """List annotation issues, e.g. of one task. `GET /annotation-issues/?task=...`

        The official SDK only lists issues per sequence or per dataset; this route follows
        the API's filter convention (`/tasks/?project=...`) for the documentation's
        `annotation_issues.list(task_id=...)`.

        Args:
            task_id: only issues raised on this task (uid).
            status: only issues in this status, e.g. `"open"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(task=task_id, status=status, limit=limit, cursor=cursor)
        return self._paginate("/annotation-issues/", _ISSUES, params, options)
