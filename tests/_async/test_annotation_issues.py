from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient
from avala.types.annotation_issues import (
    AnnotationIssue,
    AnnotationIssueMetrics,
    AnnotationIssueProject,
    AnnotationIssueTool,
    AnnotationIssueToolDetail,
    AnnotationIssueToolProblem,
)
from tests.helpers import page, url

ISSUE = {
    "uid": "iss_1",
    "task": "task_456",
    "dataset_item_uid": "item_1",
    "sequence_uid": "seq_1",
    "project": {"uid": "proj_1", "name": "Lidar QA"},
    "reporter": {"username": "ana", "is_staff": False},
    "priority": "high",
    "status": "open",
    "tool": {"uid": "tool_1", "name": "Cuboid check", "default": True},
    "problem": {"uid": "prob_1", "title": "Wrong class"},
    "should_re_annotate": True,
    "frames_affected": "1-5",
    "coordinates": [1.5, 2.0],
    "query_params": {"frame": 3},
    "created_at": "2026-01-01T00:00:00Z",
    "closed_at": None,
}
OWNER = "serve.robotics@avala.ai"


async def test_list_by_task_sends_filters(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/annotation-issues/")).respond(
        200, json=page([ISSUE], "/annotation-issues/?cursor=c2&task=task_456")
    )
    first = await client.annotation_issues.list(task_id="task_456", status="open", limit=5)
    params = route.calls.last.request.url.params
    assert dict(params) == {"task": "task_456", "status": "open", "limit": "5"}
    assert [i.uid for i in first.items] == ["iss_1"]
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_list_walks_every_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/annotation-issues/")).mock(
        side_effect=[
            httpx.Response(200, json=page([ISSUE], "/annotation-issues/?cursor=c2")),
            httpx.Response(200, json=page([{**ISSUE, "uid": "iss_2"}])),
        ]
    )
    uids = [
        i.uid async for i in client.annotation_issues.list(task_id="task_456").auto_paging_iter()
    ]
    assert uids == ["iss_1", "iss_2"]
    assert respx_mock.calls.last.request.url.params["cursor"] == "c2"


async def test_list_by_sequence_decodes_bare_array(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/sequences/seq_1/annotation-issues/")).respond(200, json=[ISSUE])
    issues = await client.annotation_issues.list_by_sequence(
        "seq_1", dataset_item_uid="item_1", project_uid="proj_1"
    )
    assert dict(route.calls.last.request.url.params) == {
        "dataset_item_uid": "item_1",
        "project_uid": "proj_1",
    }
    assert isinstance(issues, list)
    [issue] = issues
    assert isinstance(issue, AnnotationIssue)
    assert issue.id == "iss_1"
    assert issue.project == AnnotationIssueProject(uid="proj_1", name="Lidar QA")
    assert issue.tool == AnnotationIssueTool(uid="tool_1", name="Cuboid check", default=True)
    assert issue.problem is not None
    assert issue.problem.title == "Wrong class"
    assert issue.reporter is not None
    assert issue.reporter.username == "ana"
    assert issue.coordinates == [1.5, 2.0]
    assert issue.created_at is not None
    assert issue.created_at.year == 2026
    assert issue.closed_at is None


async def test_list_by_sequence_without_filters_sends_no_query(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/sequences/seq_1/annotation-issues/")).respond(200, json=[])
    assert await client.annotation_issues.list_by_sequence(sequence_uid="seq_1") == []
    assert route.calls.last.request.url.query == b""


async def test_create_repeats_sequence_uid_in_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/sequences/seq_1/annotation-issues/")).respond(201, json=ISSUE)
    issue = await client.annotation_issues.create(
        "seq_1",
        tool_uid="tool_1",
        problem_uid="prob_1",
        priority="high",
        should_delete=False,
        coordinates={"x": 1},
        query_params={"frame": 3},
    )
    assert issue.uid == "iss_1"
    request = route.calls.last.request
    assert json.loads(request.content) == {
        "tool_uid": "tool_1",
        "problem_uid": "prob_1",
        "sequence_uid": "seq_1",
        "priority": "high",
        "should_delete": False,
        "coordinates": {"x": 1},
        "query_params": {"frame": 3},
    }
    assert request.headers["idempotency-key"]


async def test_create_sends_every_optional_field(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/sequences/seq_1/annotation-issues/")).respond(201, json=ISSUE)
    fields = {
        "dataset_item_uid": "item_1",
        "project_uid": "proj_1",
        "priority": "low",
        "severity": "minor",
        "description": "Box too small",
        "wrong_class": "car",
        "correct_class": "truck",
        "should_re_annotate": True,
        "should_delete": False,
        "frames_affected": "1-5",
        "coordinates": [1, 2],
        "query_params": {"frame": 3},
        "object_uid": "obj_1",
    }
    await client.annotation_issues.create(
        "seq_1",
        tool_uid="tool_1",
        problem_uid="prob_1",
        **fields,  # type: ignore[arg-type]
    )
    assert json.loads(route.calls.last.request.content) == {
        "tool_uid": "tool_1",
        "problem_uid": "prob_1",
        "sequence_uid": "seq_1",
        **fields,
    }


async def test_update_patches_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/sequences/seq_1/annotation-issues/iss_1/")).respond(
        200, json={**ISSUE, "status": "resolved"}
    )
    issue = await client.annotation_issues.update(
        "seq_1", "iss_1", status="resolved", description="Fixed"
    )
    assert issue.status == "resolved"
    assert json.loads(route.calls.last.request.content) == {
        "status": "resolved",
        "description": "Fixed",
    }


async def test_update_without_fields_sends_empty_object(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/sequences/seq_1/annotation-issues/iss_1/")).respond(
        200, json=ISSUE
    )
    await client.annotation_issues.update(sequence_uid="seq_1", issue_uid="iss_1")
    assert json.loads(route.calls.last.request.content) == {}


async def test_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/sequences/seq_1/annotation-issues/iss_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.annotation_issues.delete("seq_1", "iss_1") is None
    assert await client.annotation_issues.delete("seq_1", "iss_1") is None


async def test_list_by_dataset_encodes_owner_and_filters(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url(f"/datasets/{OWNER}/lidar-set/annotation-issues/")).respond(
        200, json=[ISSUE, {**ISSUE, "uid": "iss_2", "project": None}]
    )
    issues = await client.annotation_issues.list_by_dataset(
        OWNER, "lidar-set", sequence_uid="seq_1"
    )
    assert dict(route.calls.last.request.url.params) == {"sequence_uid": "seq_1"}
    assert [i.uid for i in issues] == ["iss_1", "iss_2"]
    assert issues[1].project is None


async def test_get_metrics(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    metrics = {
        "status_count": {"open": 3, "resolved": 1},
        "priority_count": {"high": 2},
        "severity_count": {},
        "mean_seconds_close_time_all": 3600,
        "mean_unresolved_issue_age_all": 7200,
        "object_count_by_annotation_issue_problem_uid": [{"problem_uid": "prob_1", "count": 5}],
    }
    route = respx_mock.get(url(f"/datasets/{OWNER}/lidar-set/annotation-issues/metrics/")).respond(
        200, json=metrics
    )
    result = await client.annotation_issues.get_metrics(
        owner=OWNER, dataset_slug="lidar-set", sequence_uid="seq_1"
    )
    assert dict(route.calls.last.request.url.params) == {"sequence_uid": "seq_1"}
    assert isinstance(result, AnnotationIssueMetrics)
    assert result.status_count == {"open": 3, "resolved": 1}
    assert result.mean_seconds_close_time_all == 3600
    assert result.mean_seconds_close_time_customer is None
    assert result.object_count_by_annotation_issue_problem_uid == [
        {"problem_uid": "prob_1", "count": 5}
    ]


async def test_list_tools_decodes_tools_and_problems(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    tools = [
        {
            "uid": "tool_1",
            "name": "Cuboid check",
            "dataset_type": "lidar",
            "default": True,
            "problems": [{"uid": "prob_1", "title": "Wrong class"}],
        },
        {"uid": "tool_2", "name": "Free text"},
    ]
    route = respx_mock.get(url("/qc-available-tools/")).respond(200, json=tools)
    result = await client.annotation_issues.list_tools(dataset_type="lidar")
    assert dict(route.calls.last.request.url.params) == {"dataset_type": "lidar"}
    assert result == [
        AnnotationIssueToolDetail(
            uid="tool_1",
            name="Cuboid check",
            dataset_type="lidar",
            default=True,
            problems=[AnnotationIssueToolProblem(uid="prob_1", title="Wrong class")],
        ),
        AnnotationIssueToolDetail(uid="tool_2", name="Free text"),
    ]
    assert result[0].id == "tool_1"


async def test_list_tools_requires_a_dataset_type(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="dataset_type"):
        await client.annotation_issues.list_tools(dataset_type=" ")
    with pytest.raises(TypeError, match="dataset_type"):
        await client.annotation_issues.list_tools(dataset_type=None)  # type: ignore[arg-type]
    assert not respx_mock.calls


async def test_empty_ids_are_refused_before_any_request(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="sequence_uid"):
        await client.annotation_issues.list_by_sequence("")
    with pytest.raises(ValueError, match="issue_uid"):
        await client.annotation_issues.delete("seq_1", "..")
    with pytest.raises(TypeError, match="owner"):
        await client.annotation_issues.list_by_dataset(None, "slug")  # type: ignore[arg-type]
    assert not respx_mock.calls


async def test_issue_uid_is_percent_encoded(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.delete(url("/sequences/seq_1/annotation-issues/a%2Fb%3Fc/")).respond(204)
    await client.annotation_issues.delete("seq_1", "a/b?c")
    assert route.called
