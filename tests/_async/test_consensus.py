from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, ResponseValidationError
from avala.types.consensus import (
    ConsensusComputeResult,
    ConsensusConfig,
    ConsensusScore,
    ConsensusSummary,
)
from tests.helpers import page, url

SUMMARY = {
    "mean_score": 0.82,
    "median_score": 0.85,
    "min_score": 0.1,
    "max_score": 1,
    "total_items": 120,
    "items_with_consensus": 100,
    "score_distribution": {"0.8-0.9": 40},
    "by_task_name": [{"task_name": "box", "mean_score": 0.9}],
}
SCORE = {
    "uid": "cs_1",
    "dataset_item_uid": "item_1",
    "task_name": "box",
    "score_type": "iou",
    "score": 0.91,
    "annotator_count": 3,
    "details": {"pairs": 3},
    "created_at": "2026-01-01T00:00:00Z",
}
CONFIG = {
    "uid": "cc_1",
    "iou_threshold": 0.6,
    "min_agreement_ratio": 0.7,
    "min_annotations": 3,
    "updated_at": "2026-01-02T00:00:00Z",
}


async def test_get_summary(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/projects/proj_1/consensus/")).respond(200, json=SUMMARY)
    summary = await client.consensus.get_summary("proj_1")
    assert isinstance(summary, ConsensusSummary)
    assert summary.max_score == 1.0
    assert summary.items_with_consensus == 100
    assert summary.by_task_name == [{"task_name": "box", "mean_score": 0.9}]


async def test_get_summary_missing_required_field_is_a_validation_error(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    body = {k: v for k, v in SUMMARY.items() if k != "total_items"}
    respx_mock.get(url("/projects/proj_1/consensus/")).respond(200, json=body)
    with pytest.raises(ResponseValidationError, match="total_items"):
        await client.consensus.get_summary(project_uid="proj_1")


async def test_list_scores_pages(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/projects/proj_1/consensus/scores/")).respond(
        200, json=page([SCORE], "/projects/proj_1/consensus/scores/?cursor=c2&limit=1")
    )
    first = await client.consensus.list_scores("proj_1", limit=1)
    assert dict(route.calls.last.request.url.params) == {"limit": "1"}
    [score] = first.items
    assert isinstance(score, ConsensusScore)
    assert score.id == "cs_1"
    assert score.annotator_count == 3
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_list_scores_walks_every_page(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/projects/proj_1/consensus/scores/")).mock(
        side_effect=[
            httpx.Response(200, json=page([SCORE], "/projects/proj_1/consensus/scores/?cursor=c2")),
            httpx.Response(200, json=page([{**SCORE, "uid": "cs_2"}])),
        ]
    )
    uids = [s.uid async for s in client.consensus.list_scores("proj_1").auto_paging_iter()]
    assert uids == ["cs_1", "cs_2"]
    assert respx_mock.calls.last.request.url.params["cursor"] == "c2"


async def test_compute_is_a_bodyless_post(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/projects/proj_1/consensus/compute/")).respond(
        200, json={"status": "started", "message": "Consensus computation started"}
    )
    result = await client.consensus.compute("proj_1")
    assert result == ConsensusComputeResult(
        status="started", message="Consensus computation started"
    )
    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_get_config_fills_defaults(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/projects/proj_1/consensus/config/")).respond(200, json={"uid": "cc_1"})
    config = await client.consensus.get_config("proj_1")
    assert config == ConsensusConfig(uid="cc_1")
    assert (config.iou_threshold, config.min_agreement_ratio, config.min_annotations) == (
        0.5,
        0.5,
        2,
    )


async def test_update_config_puts_a_partial_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.put(url("/projects/proj_1/consensus/config/")).respond(200, json=CONFIG)
    config = await client.consensus.update_config("proj_1", iou_threshold=0.6, min_annotations=3)
    assert config.min_agreement_ratio == 0.7
    assert config.updated_at is not None
    request = route.calls.last.request
    assert json.loads(request.content) == {"iou_threshold": 0.6, "min_annotations": 3}
    assert request.headers["idempotency-key"]


async def test_update_config_without_settings_sends_empty_object(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.put(url("/projects/proj_1/consensus/config/")).respond(200, json=CONFIG)
    await client.consensus.update_config("proj_1")
    assert json.loads(route.calls.last.request.content) == {}


async def test_empty_project_uid_is_refused(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="project_uid"):
        await client.consensus.get_summary("")
    with pytest.raises(ValueError, match="project_uid"):
        await client.consensus.list_scores(" ")
    assert not respx_mock.calls
