# Generated from tests/_async/test_auto_label_jobs.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import itertools
import json
import sys
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import respx

from avala import Client, WaitTimeoutError
from avala.types.auto_label_jobs import AutoLabelJob
from tests.helpers import page, url

JOB = {
    "uid": "alj_1",
    "status": "running",
    "model_type": "yolo",
    "confidence_threshold": 0.8,
    "labels": ["car", "truck"],
    "total_items": 10,
    "processed_items": 4,
    "progress_pct": 40,
    "created_at": "2026-01-01T00:00:00Z",
}


def job(status: str) -> httpx.Response:
    return httpx.Response(200, json={**JOB, "status": status})


@pytest.fixture
def ticking_clock(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The polling helper's clock advances one second per reading, so a wait times out
    after a known number of polls without any real sleeping."""
    ticks = itertools.count()
    helper = sys.modules[client.auto_label_jobs._wait_until.__module__]
    monkeypatch.setattr(helper, "time", SimpleNamespace(monotonic=lambda: float(next(ticks))))


def test_list_filters_by_project(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/auto-label-jobs/")).respond(
        200, json=page([JOB], "/auto-label-jobs/?cursor=c2&project=proj_1")
    )
    first = client.auto_label_jobs.list(project="proj_1", limit=10)
    assert dict(route.calls.last.request.url.params) == {"project": "proj_1", "limit": "10"}
    assert isinstance(first.items[0], AutoLabelJob)
    assert first.has_more
    assert first.next_cursor == "c2"


def test_list_accepts_project_id_and_walks_pages(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/auto-label-jobs/")).mock(
        side_effect=[
            httpx.Response(200, json=page([JOB], "/auto-label-jobs/?cursor=c2&project=proj_1")),
            httpx.Response(200, json=page([{**JOB, "uid": "alj_2"}])),
        ]
    )
    uids = [j.uid for j in client.auto_label_jobs.list(project_id="proj_1").auto_paging_iter()]
    assert uids == ["alj_1", "alj_2"]
    assert dict(route.calls[0].request.url.params) == {"project": "proj_1"}
    assert dict(route.calls[1].request.url.params) == {"project": "proj_1", "cursor": "c2"}


def test_list_refuses_conflicting_project_spellings(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="Conflicting"):
        client.auto_label_jobs.list(project="a", project_id="b")
    assert not respx_mock.calls


def test_get_decodes_and_defaults(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/auto-label-jobs/alj_1/")).respond(200, json=JOB)
    result = client.auto_label_jobs.get("alj_1")
    assert result.id == "alj_1"
    assert result.labels == ["car", "truck"]
    assert result.progress_pct == 40.0
    assert result.confidence_threshold == 0.8
    assert result.dry_run is False
    assert result.failed_items == 0
    assert result.summary is None
    assert result.created_at is not None
    assert result.created_at.year == 2026


def test_create_posts_to_the_project(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/projects/proj_1/auto-label/")).respond(
        201, json={**JOB, "status": "pending"}
    )
    created = client.auto_label_jobs.create(
        "proj_1", model_type="yolo", confidence_threshold=0.8, labels=("car",), dry_run=False
    )
    assert created.status == "pending"
    assert json.loads(route.calls.last.request.content) == {
        "model_type": "yolo",
        "confidence_threshold": 0.8,
        "labels": ["car"],
        "dry_run": False,
    }


def test_create_with_defaults_sends_empty_object(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/projects/proj_1/auto-label/")).respond(201, json=JOB)
    client.auto_label_jobs.create(project_uid="proj_1")
    assert json.loads(route.calls.last.request.content) == {}


def test_create_rejects_a_bare_string_for_labels(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="labels must be a list"):
        client.auto_label_jobs.create("proj_1", labels="car")  # type: ignore[arg-type]
    assert not respx_mock.calls


def test_cancel_returns_none(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(url("/auto-label-jobs/alj_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, json={"status": "cancelled"})]
    )
    assert client.auto_label_jobs.cancel("alj_1") is None
    assert client.auto_label_jobs.cancel(id="alj_1") is None
    assert route.call_count == 2


def test_wait_polls_until_completed(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/auto-label-jobs/alj_1/")).mock(
        side_effect=[job("pending"), job("running"), job("completed")]
    )
    polled: list[str | None] = []
    finished = client.auto_label_jobs.wait("alj_1", on_poll=lambda j: polled.append(j.status))
    assert finished.status == "completed"
    assert polled == ["pending", "running", "completed"]
    assert sleeps == [5.0, 5.0]


@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_wait_returns_a_failed_or_cancelled_job(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float], status: str
) -> None:
    respx_mock.get(url("/auto-label-jobs/alj_1/")).mock(side_effect=[job(status)])
    finished = client.auto_label_jobs.wait("alj_1")
    assert finished.status == status
    assert sleeps == []


def test_wait_keeps_polling_through_unknown_statuses(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/auto-label-jobs/alj_1/")).mock(
        side_effect=[job("queued_for_gpu"), job(""), job("completed")]
    )
    finished = client.auto_label_jobs.wait("alj_1", interval=2.0)
    assert finished.status == "completed"
    assert sleeps == [2.0, 2.0]


def test_wait_never_polls_faster_than_once_a_second(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/auto-label-jobs/alj_1/")).mock(
        side_effect=[job("running"), job("completed")]
    )
    client.auto_label_jobs.wait("alj_1", interval=0.01)
    assert sleeps == [1.0]


def test_wait_times_out_with_the_last_job(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float], ticking_clock: None
) -> None:
    route = respx_mock.get(url("/auto-label-jobs/alj_1/")).mock(return_value=job("running"))
    with pytest.raises(WaitTimeoutError) as caught:
        client.auto_label_jobs.wait("alj_1", interval=1.0, timeout=2.5)
    assert isinstance(caught.value, TimeoutError)
    assert isinstance(caught.value.last, AutoLabelJob)
    assert caught.value.last.status == "running"
    assert "'running'" in str(caught.value)
    assert route.call_count == 3
    assert sleeps == [1.0, 0.5]


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"timeout": -1}, ValueError, r"timeout must be >= 0 seconds, got -1"),
        ({"interval": -0.5}, ValueError, r"interval must be >= 0 seconds, got -0.5"),
        ({"timeout": float("nan")}, ValueError, r"timeout must be >= 0"),
        ({"interval": float("inf")}, ValueError, r"interval must be a finite number"),
        ({"timeout": "5"}, TypeError, r"timeout must be a number of seconds, got str '5'"),
        ({"interval": True}, TypeError, r"interval must be a number of seconds"),
    ],
)
def test_wait_names_the_bad_argument(
    client: Client,
    respx_mock: respx.MockRouter,
    arguments: dict[str, Any],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        client.auto_label_jobs.wait("alj_1", **arguments)
    assert not respx_mock.calls
