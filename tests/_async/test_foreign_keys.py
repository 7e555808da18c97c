"""One naming rule for arguments that name another object: `<thing>_id=` (its uid), with the
official SDK's spellings (`project=`, `project_uid=`, `dataset=`) accepted as the same
argument."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from avala import AsyncClient
from tests.helpers import page, url

AGENT = {"uid": "ag_1", "name": "Reviewer"}
EXPORT = {"uid": "exp_1", "status": "pending"}
PROVIDER = {"uid": "ip_1", "name": "P", "provider_type": "openai"}


async def test_agents_and_providers_take_project_id_or_project(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    agents = respx_mock.post(url("/agents/")).respond(201, json=AGENT)
    providers = respx_mock.patch(url("/inference-providers/ip_1/")).respond(200, json=PROVIDER)
    await client.agents.create(name="a", project_id="proj_1")
    await client.agents.create(name="a", project="proj_1")
    await client.inference_providers.update("ip_1", project_id="proj_1")
    await client.inference_providers.update("ip_1", project="proj_1")
    sent = [json.loads(c.request.content)["project"] for c in (*agents.calls, *providers.calls)]
    assert sent == ["proj_1"] * 4


async def test_exports_take_project_id_and_dataset_id(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/exports/")).respond(201, json=EXPORT)
    await client.exports.create(project_id="proj_1")
    await client.exports.create(dataset_id="ds_1")
    await client.exports.create(project="proj_1", dataset="ds_1")  # the official spelling
    bodies = [json.loads(c.request.content) for c in route.calls]
    assert bodies == [
        {"project": "proj_1"},
        {"dataset": "ds_1"},
        {"project": "proj_1", "dataset": "ds_1"},
    ]


async def test_listings_take_project_id(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    jobs = respx_mock.get(url("/auto-label-jobs/")).respond(200, json=page([]))
    issues = respx_mock.get(url("/sequences/seq_1/annotation-issues/")).respond(200, json=[])
    await client.auto_label_jobs.list(project_id="proj_1")
    await client.auto_label_jobs.list(project="proj_1")
    await client.annotation_issues.list_by_sequence("seq_1", project_id="proj_1")
    await client.annotation_issues.list_by_sequence("seq_1", project_uid="proj_1")
    assert [c.request.url.params["project"] for c in jobs.calls] == ["proj_1"] * 2
    assert [c.request.url.params["project_uid"] for c in issues.calls] == ["proj_1"] * 2


@pytest.mark.parametrize(
    ("method", "arguments"),
    [
        ("agents.create", {"name": "a", "project_id": "p1", "project": "p2"}),
        ("exports.create", {"dataset_id": "d1", "dataset": "d2"}),
        ("auto_label_jobs.list", {"project_id": "p1", "project": "p2"}),
    ],
)
async def test_two_spellings_with_different_values_are_refused(
    client: AsyncClient, respx_mock: respx.MockRouter, method: str, arguments: dict[str, Any]
) -> None:
    group, name = method.split(".")
    with pytest.raises(ValueError, match="Conflicting values"):
        await getattr(getattr(client, group), name)(**arguments)
    assert not respx_mock.calls
