# Generated from tests/_async/test_quality_targets.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest
import respx

from avala import Client, ResponseValidationError
from avala.types.quality_targets import QualityTarget, QualityTargetEvaluation
from tests.helpers import page, url

TARGETS = "/projects/proj_1/quality-targets/"
TARGET = {
    "uid": "qt_1",
    "name": "Box IoU",
    "metric": "iou",
    "operator": "gte",
    "threshold": 0.8,
    "severity": "critical",
    "notify_emails": ["qa@example.test"],
    "last_evaluated_at": "2026-01-01T00:00:00Z",
    "last_value": 0.75,
    "is_breached": True,
    "breach_count": 2,
}
EVALUATION = {
    "uid": "qt_1",
    "name": "Box IoU",
    "metric": "iou",
    "operator": "gte",
    "threshold": 0.8,
    "current_value": 0.75,
    "is_breached": True,
    "severity": "critical",
}


def test_list_decodes_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(TARGETS)).respond(
        200, json=page([TARGET], f"{TARGETS}?cursor=c2&limit=1")
    )
    first = client.quality_targets.list("proj_1", limit=1)
    assert route.calls.last.request.url.params.multi_items() == [("limit", "1")]
    target = first.items[0]
    assert isinstance(target, QualityTarget)
    assert target.threshold == 0.8
    assert target.is_breached is True
    assert target.breach_count == 2
    assert target.last_evaluated_at == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert first.has_more
    assert first.next_cursor == "c2"


def test_list_walks_every_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(TARGETS)).mock(
        side_effect=[
            httpx.Response(200, json=page([TARGET], f"{TARGETS}?cursor=c2")),
            httpx.Response(200, json=page([{**TARGET, "uid": "qt_2"}])),
        ]
    )
    uids = [t.uid for t in client.quality_targets.list(project_uid="proj_1").auto_paging_iter()]
    assert uids == ["qt_1", "qt_2"]
    assert route.calls[1].request.url.params["cursor"] == "c2"


def test_get_decodes_defaults(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{TARGETS}qt_1/")).respond(
        200,
        json={"uid": "qt_1", "name": "n", "metric": "iou", "operator": "gt", "threshold": 1},
    )
    target = client.quality_targets.get("proj_1", "qt_1")
    assert target == QualityTarget(uid="qt_1", name="n", metric="iou", operator="gt", threshold=1.0)
    assert isinstance(target.threshold, float)
    assert target.is_active is True
    assert target.notify_webhook is True
    assert target.notify_emails == []
    assert target.is_breached is False
    assert target.breach_count == 0


def test_create_sends_required_and_given_fields(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url(TARGETS)).respond(201, json=TARGET)
    target = client.quality_targets.create(
        "proj_1",
        name="Box IoU",
        metric="iou",
        threshold=0.8,
        operator="gte",
        severity="critical",
        is_active=True,
        notify_webhook=False,
        notify_emails=["qa@example.test"],
    )
    assert target.uid == "qt_1"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Box IoU",
        "metric": "iou",
        "threshold": 0.8,
        "operator": "gte",
        "severity": "critical",
        "is_active": True,
        "notify_webhook": False,
        "notify_emails": ["qa@example.test"],
    }


def test_create_sends_only_required_fields(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url(TARGETS)).respond(201, json=TARGET)
    client.quality_targets.create("proj_1", name="n", metric="iou", threshold=0)
    assert json.loads(route.calls.last.request.content) == {
        "name": "n",
        "metric": "iou",
        "threshold": 0,
    }


def test_create_rejects_a_bare_string_for_emails(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="notify_emails must be a list"):
        client.quality_targets.create(
            "proj_1",
            name="n",
            metric="iou",
            threshold=1,
            notify_emails="qa@example.test",
        )
    assert respx_mock.calls.call_count == 0


def test_update_sends_only_given_fields(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url(f"{TARGETS}qt_1/")).respond(
        200, json={**TARGET, "threshold": 0.9, "is_active": False}
    )
    target = client.quality_targets.update("proj_1", "qt_1", threshold=0.9, is_active=False)
    assert target.threshold == 0.9
    assert target.is_active is False
    assert json.loads(route.calls.last.request.content) == {"threshold": 0.9, "is_active": False}
    client.quality_targets.update(project_uid="proj_1", uid="qt_1")
    assert json.loads(route.calls.last.request.content) == {}


def test_delete_returns_none_for_204_and_empty_200(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url(f"{TARGETS}qt_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert client.quality_targets.delete("proj_1", "qt_1") is None
    assert client.quality_targets.delete("proj_1", "qt_1") is None


def test_evaluate_decodes_a_bare_array(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url(f"{TARGETS}evaluate/")).respond(
        200, json=[EVALUATION, {**EVALUATION, "uid": "qt_2", "is_breached": False}]
    )
    evaluations = client.quality_targets.evaluate("proj_1")
    assert isinstance(evaluations, list)
    assert [e.uid for e in evaluations] == ["qt_1", "qt_2"]
    assert isinstance(evaluations[0], QualityTargetEvaluation)
    assert evaluations[0].current_value == 0.75
    assert evaluations[0].is_breached is True
    assert evaluations[1].is_breached is False
    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers


def test_evaluate_with_no_targets_returns_an_empty_list(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(url(f"{TARGETS}evaluate/")).respond(200, json=[])
    assert client.quality_targets.evaluate("proj_1") == []


def test_evaluate_rejects_a_non_array_response(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(url(f"{TARGETS}evaluate/")).respond(200, json=page([EVALUATION]))
    with pytest.raises(ResponseValidationError):
        client.quality_targets.evaluate("proj_1")


def test_both_path_parameters_are_percent_encoded(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/projects/p%2F1/quality-targets/evaluate%3Fx/")).respond(
        200, json=TARGET
    )
    client.quality_targets.get("p/1", "evaluate?x")
    assert route.called


def test_target_named_evaluate_uses_the_object_route(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url(f"{TARGETS}evaluate/")).respond(
        200, json={**TARGET, "uid": "evaluate"}
    )
    target = client.quality_targets.get("proj_1", "evaluate")
    assert route.called
    assert target.uid == "evaluate"
