# Generated from avala/_async/resources/annotation_issues.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectList, ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import alias, body, query
from ..._core._paths import path
from ...types.annotation_issues import (
    AnnotationIssue,
    AnnotationIssueMetrics,
    AnnotationIssuePriority,
    AnnotationIssueStatus,
    AnnotationIssueToolDetail,
)
from ...types.datasets import DatasetDataType
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_ISSUE = ExpectModel(AnnotationIssue)
_ISSUES = ExpectPage(AnnotationIssue)
_ISSUE_LIST = ExpectList(AnnotationIssue)
_METRICS = ExpectModel(AnnotationIssueMetrics)
_TOOLS = ExpectList(AnnotationIssueToolDetail)

_SEQUENCE_ISSUES = "/sequences/{sequence_uid}/annotation-issues/"
_SEQUENCE_ISSUE = "/sequences/{sequence_uid}/annotation-issues/{issue_uid}/"
_DATASET_ISSUES = "/datasets/{owner}/{dataset_slug}/annotation-issues/"
_DATASET_METRICS = "/datasets/{owner}/{dataset_slug}/annotation-issues/metrics/"


class AnnotationIssues(APIResource):
    """Quality issues raised on annotations."""

    def list(
        self,
        *,
        task_id: str | None = None,
        status: AnnotationIssueStatus | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[AnnotationIssue]:
        """List annotation issues, e.g. of one task. `GET /annotation-issues/?task=...`

        Issues of one sequence or one dataset have their own calls (`list_by_sequence`,
        `list_by_dataset`).

        Args:
            task_id: only issues raised on this task (uid).
            status: only issues in this status, e.g. `"open"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(task=task_id, status=status, limit=limit, cursor=cursor)
        return self._paginate("/annotation-issues/", _ISSUES, params, options)

    def list_by_sequence(
        self,
        sequence_uid: str,
        *,
        dataset_item_uid: str | None = None,
        project_id: str | None = None,
        project_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[AnnotationIssue]:
        """Issues of a sequence. `GET /sequences/{sequence_uid}/annotation-issues/`

        The API answers with one unpaginated array, returned as a plain list.

        Args:
            sequence_uid: the sequence's uid.
            dataset_item_uid: only issues on this item (frame) of the sequence.
            project_id: only issues raised within this project (uid); `project_uid=` is
                accepted too.
        """
        return self._client.request(
            "GET",
            path(_SEQUENCE_ISSUES, sequence_uid=sequence_uid),
            _ISSUE_LIST,
            params=query(
                dataset_item_uid=dataset_item_uid,
                project_uid=alias(("project_id", project_id), ("project_uid", project_uid)),
            ),
            options=options,
        )

    def create(
        self,
        sequence_uid: str,
        *,
        tool_uid: str,
        problem_uid: str,
        dataset_item_uid: str | None = None,
        project_id: str | None = None,
        priority: AnnotationIssuePriority | str | None = None,
        severity: str | None = None,
        description: str | None = None,
        wrong_class: str | None = None,
        correct_class: str | None = None,
        should_re_annotate: bool | None = None,
        should_delete: bool | None = None,
        frames_affected: str | None = None,
        coordinates: Any = None,
        query_params: dict[str, Any] | None = None,
        object_uid: str | None = None,
        project_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AnnotationIssue:
        """Raise an issue on a sequence. `POST /sequences/{sequence_uid}/annotation-issues/`

        Args:
            sequence_uid: the sequence's uid (the API also wants it in the body; the SDK
                sends it there for you).
            tool_uid: the quality-control tool used (see `list_tools`).
            problem_uid: the tool's problem being reported.
            dataset_item_uid: the item (frame) the issue is on.
            project_id: the project the issue is raised in (uid); `project_uid=` is
                accepted too.
            priority: `"low"`, `"medium"`, `"high"` or `"critical"`.
            severity: how bad the issue is.
            description: free text.
            wrong_class: the label that was applied.
            correct_class: the label that should have been applied.
            should_re_annotate: ask for the object to be annotated again.
            should_delete: ask for the object to be deleted.
            frames_affected: frame range, e.g. `"1-5"`.
            coordinates: where the issue is, any JSON value.
            query_params: viewer state to reopen the issue in context (a JSON object).
            object_uid: the annotated object the issue is about.
        """
        payload = body(
            {"tool_uid": tool_uid, "problem_uid": problem_uid, "sequence_uid": sequence_uid},
            dataset_item_uid=dataset_item_uid,
            project_uid=alias(("project_id", project_id), ("project_uid", project_uid)),
            priority=priority,
            severity=severity,
            description=description,
            wrong_class=wrong_class,
            correct_class=correct_class,
            should_re_annotate=should_re_annotate,
            should_delete=should_delete,
            frames_affected=frames_affected,
            coordinates=coordinates,
            query_params=query_params,
            object_uid=object_uid,
        )
        return self._client.request(
            "POST",
            path(_SEQUENCE_ISSUES, sequence_uid=sequence_uid),
            _ISSUE,
            json=payload,
            options=options,
        )

    def update(
        self,
        sequence_uid: str,
        issue_uid: str,
        *,
        status: AnnotationIssueStatus | str | None = None,
        priority: AnnotationIssuePriority | str | None = None,
        severity: str | None = None,
        description: str | None = None,
        tool_uid: str | None = None,
        problem_uid: str | None = None,
        wrong_class: str | None = None,
        frames_affected: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AnnotationIssue:
        """Change an issue. `PATCH /sequences/{sequence_uid}/annotation-issues/{issue_uid}/`

        Only the given fields are sent.

        Args:
            sequence_uid: the sequence's uid.
            issue_uid: the issue's uid.
            status: e.g. `"resolved"` or `"closed"`.
            priority, severity, description, tool_uid, problem_uid, wrong_class,
                frames_affected: as in `create`.
        """
        payload = body(
            status=status,
            priority=priority,
            severity=severity,
            description=description,
            tool_uid=tool_uid,
            problem_uid=problem_uid,
            wrong_class=wrong_class,
            frames_affected=frames_affected,
        )
        return self._client.request(
            "PATCH",
            path(_SEQUENCE_ISSUE, sequence_uid=sequence_uid, issue_uid=issue_uid),
            _ISSUE,
            json=payload,
            options=options,
        )

    def delete(self, sequence_uid: str, issue_uid: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an issue. `DELETE /sequences/{sequence_uid}/annotation-issues/{issue_uid}/`

        Args:
            sequence_uid: the sequence's uid.
            issue_uid: the issue's uid.
        """
        self._client.request(
            "DELETE",
            path(_SEQUENCE_ISSUE, sequence_uid=sequence_uid, issue_uid=issue_uid),
            ExpectNothing(),
            options=options,
        )

    def list_by_dataset(
        self,
        owner: str,
        dataset_slug: str,
        *,
        sequence_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[AnnotationIssue]:
        """Issues of a dataset. `GET /datasets/{owner}/{dataset_slug}/annotation-issues/`

        The API answers with one unpaginated array, returned as a plain list.

        Args:
            owner: the dataset owner's handle (user or organization).
            dataset_slug: the dataset's slug.
            sequence_uid: only issues of this sequence.
        """
        return self._client.request(
            "GET",
            path(_DATASET_ISSUES, owner=owner, dataset_slug=dataset_slug),
            _ISSUE_LIST,
            params=query(sequence_uid=sequence_uid),
            options=options,
        )

    def get_metrics(
        self,
        owner: str,
        dataset_slug: str,
        *,
        sequence_uid: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AnnotationIssueMetrics:
        """Issue metrics. `GET /datasets/{owner}/{dataset_slug}/annotation-issues/metrics/`

        Counts by status, priority and severity, mean close times and unresolved ages (in
        seconds), and object counts per problem, for a dataset or one of its sequences.

        Args:
            owner: the dataset owner's handle (user or organization).
            dataset_slug: the dataset's slug.
            sequence_uid: only count issues of this sequence.
        """
        return self._client.request(
            "GET",
            path(_DATASET_METRICS, owner=owner, dataset_slug=dataset_slug),
            _METRICS,
            params=query(sequence_uid=sequence_uid),
            options=options,
        )

    def list_tools(
        self,
        *,
        dataset_type: DatasetDataType | str,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[AnnotationIssueToolDetail]:
        """QC tools for a dataset type. `GET /qc-available-tools/?dataset_type=...`

        Each tool lists the problems it can report (their uids go into `create`). The API
        answers with one unpaginated array, returned as a plain list.

        Args:
            dataset_type: the dataset's data type, e.g. `"image"` or `"lidar"` (required).
        """
        # Required by the API; checked here so a mistake fails before any request.
        if not isinstance(dataset_type, str):
            raise TypeError(f"dataset_type must be a str, got {type(dataset_type).__name__}")
        if not dataset_type.strip():
            raise ValueError("dataset_type must be a non-empty string, e.g. 'image'")
        return self._client.request(
            "GET",
            "/qc-available-tools/",
            _TOOLS,
            params=query(dataset_type=dataset_type),
            options=options,
        )
