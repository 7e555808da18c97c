"""`avala.types.annotation_issue`: the models of `avala.types.annotation_issues`, under the module
path code written for the official SDK imports
(`from avala.types.annotation_issue import AnnotationIssue`)."""

from __future__ import annotations

from .annotation_issues import (
    AnnotationIssue,
    AnnotationIssueMetrics,
    AnnotationIssuePriority,
    AnnotationIssueProblem,
    AnnotationIssueProject,
    AnnotationIssueReporter,
    AnnotationIssueStatus,
    AnnotationIssueTool,
    AnnotationIssueToolDetail,
    AnnotationIssueToolProblem,
)

__all__ = [
    "AnnotationIssue",
    "AnnotationIssueMetrics",
    "AnnotationIssuePriority",
    "AnnotationIssueProblem",
    "AnnotationIssueProject",
    "AnnotationIssueReporter",
    "AnnotationIssueStatus",
    "AnnotationIssueTool",
    "AnnotationIssueToolDetail",
    "AnnotationIssueToolProblem",
]
