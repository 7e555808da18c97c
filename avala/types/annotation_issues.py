from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ._base import Model, Resource

AnnotationIssueStatus = Literal["open", "in_progress", "resolved", "closed"]
AnnotationIssuePriority = Literal["low", "medium", "high", "critical"]


class AnnotationIssueProject(Model, kw_only=True):
    uid: str
    name: str


class AnnotationIssueReporter(Model, kw_only=True):
    username: str | None = None
    picture: str | None = None
    full_name: str | None = None
    type: str | None = None
    is_staff: bool | None = None


class AnnotationIssueTool(Model, kw_only=True):
    uid: str
    name: str
    default: bool | None = None


class AnnotationIssueProblem(Model, kw_only=True):
    uid: str
    title: str


class AnnotationIssue(Resource, kw_only=True):
    task: str | None = None
    dataset_item_uid: str | None = None
    sequence_uid: str | None = None
    project: AnnotationIssueProject | None = None
    reporter: AnnotationIssueReporter | None = None
    priority: str | None = None
    severity: str | None = None
    description: str | None = None
    status: str | None = None
    tool: AnnotationIssueTool | None = None
    problem: AnnotationIssueProblem | None = None
    wrong_class: str | None = None
    correct_class: str | None = None
    should_re_annotate: bool | None = None
    should_delete: bool | None = None
    frames_affected: str | None = None
    coordinates: Any = None
    query_params: Any = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    object_uid: str | None = None


class AnnotationIssueMetrics(Model, kw_only=True):
    """Issue statistics of a dataset (or one of its sequences). Durations are seconds."""

    status_count: dict[str, Any] | None = None
    priority_count: dict[str, Any] | None = None
    severity_count: dict[str, Any] | None = None
    mean_seconds_close_time_all: int | None = None
    mean_seconds_close_time_customer: int | None = None
    mean_unresolved_issue_age_all: int | None = None
    mean_unresolved_issue_age_customer: int | None = None
    # e.g. [{"problem_uid": "...", "count": 5}]
    object_count_by_annotation_issue_problem_uid: list[dict[str, Any]] | None = None


class AnnotationIssueToolProblem(Model, kw_only=True):
    uid: str
    title: str


class AnnotationIssueToolDetail(Resource, kw_only=True):
    """A quality-control tool available for a dataset type, with the problems it can flag."""

    name: str
    dataset_type: str | None = None
    default: bool | None = None
    problems: list[AnnotationIssueToolProblem] | None = None
