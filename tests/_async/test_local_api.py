"""End to end: the client against the local Avala API, in process. Every resource's main
calls, pagination across many pages, auth, 404s, and retries through injected faults."""

from __future__ import annotations

import pytest

from avala import (
    AsyncClient,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    ValidationError,
)
from avala.testing import FaultConfig, LocalAvala
from tests.helpers import API_KEY


async def test_the_seed_pages_basic_usage(local: AsyncClient) -> None:
    project = await local.projects.get(id="proj_123")
    assert project.name == "Demo Project"
    dataset = await local.datasets.create(name="Training Data 2", project_id="proj_123")
    assert (dataset.slug, dataset.project) == ("training-data-2", "proj_123")
    tasks = await local.tasks.list(project_id="proj_123")
    assert {"task_1", "task_2", "task_3", "task_456"} <= {t.id for t in tasks.items}
    issues = await local.annotation_issues.list(task_id="task_456")
    assert issues.items
    assert all(issue.task == "task_456" for issue in issues.items)
    updated = await local.tasks.update(id="task_1", status="completed")
    assert updated.status == "completed"
    assert (await local.tasks.get("task_1")).status == "completed"
    info = local.rate_limit_info
    assert info["x-ratelimit-limit"] is not None
    assert info["x-ratelimit-remaining"] is not None


async def test_pagination_walks_every_page(local_api: LocalAvala, local: AsyncClient) -> None:
    local_api.seed_tasks(250, project="proj_123")
    before = local_api.stats.requests
    uids = [
        t.uid async for t in local.tasks.list(project_id="proj_123", limit=20).auto_paging_iter()
    ]
    assert len(uids) == len(set(uids)) == 250 + 4
    assert local_api.stats.requests - before == 13  # ceil(254 / 20) pages


async def test_organizations_page_numbers_walk_too(
    local_api: LocalAvala, local: AsyncClient
) -> None:
    for n in range(45):
        await local.organizations.create(name=f"Org {n}")
    slugs = [o.slug async for o in local.organizations.list().auto_paging_iter()]
    assert len(slugs) == len(set(slugs)) == 46
    first = await local.organizations.list()
    assert first.next_cursor == "2"


async def test_crud_agents(local: AsyncClient) -> None:
    agent = await local.agents.create(name="Reviewer", events=["task.completed"])
    assert (await local.agents.get(agent.id)).name == "Reviewer"
    renamed = await local.agents.update(agent.id, name="Senior reviewer", is_active=False)
    assert (renamed.name, renamed.is_active) == ("Senior reviewer", False)
    assert agent.id in {a.id async for a in local.agents.list().auto_paging_iter()}
    assert await local.agents.test(agent.id)
    assert await local.agents.delete(agent.id) is None
    with pytest.raises(NotFoundError):
        await local.agents.get(agent.id)


async def test_crud_webhooks_projects_and_tasks(local: AsyncClient) -> None:
    hook = await local.webhooks.create(target_url="https://example.com/hook", events=["x.y"])
    hook = await local.webhooks.update(hook.id, is_active=False, secret="whsec_rotated")
    assert hook.is_active is False
    assert "whsec_rotated" not in repr(hook)
    await local.webhooks.delete(hook.id)
    project = await local.projects.create(name="Scratch")
    task = await local.tasks.create(name="Label me", project_id=project.id)
    assert (await local.tasks.get(task.id)).project == project.id
    await local.tasks.delete(task.id)
    await local.projects.delete(project.id)
    with pytest.raises(NotFoundError):
        await local.projects.get(project.id)


async def test_fleet_and_quality(local: AsyncClient) -> None:
    device = await local.fleet.devices.register(name="rover-9", type="robot")
    assert device.device_token
    rule = await local.fleet.rules.create(
        name="Hot motor", condition={"metric": "temp", "gt": 90}, actions=[{"type": "notify"}]
    )
    assert rule.id in {r.id async for r in local.fleet.rules.list(enabled=True).auto_paging_iter()}
    await local.fleet.rules.delete(rule.id)
    await local.fleet.devices.delete(device.id)
    target = await local.quality_targets.create(
        "proj_123", name="IoU", metric="iou", threshold=0.8, operator="gte"
    )
    evaluations = await local.quality_targets.evaluate("proj_123")
    assert target.id in {e.uid for e in evaluations}


async def test_jobs_move_to_a_terminal_state_and_wait_returns(local: AsyncClient) -> None:
    export = await local.exports.create(project="proj_123")
    done = await local.exports.wait(export.id, interval=0.5, timeout=60)
    assert done.status == "exported"
    assert done.download_url
    failed = await local.exports.wait(
        (await local.exports.create(project="proj_fail")).id, interval=0.5, timeout=60
    )
    assert failed.status == "failed"
    job = await local.auto_label_jobs.create("proj_123", model_type="yolo")
    assert (await local.auto_label_jobs.wait(job.id, timeout=60)).status == "completed"
    dataset = await local.datasets.create(name="Fresh", project_id="proj_123")
    assert (await local.datasets.wait(dataset.id, timeout=60)).status == "created"


async def test_datasets_by_owner_and_slug(local: AsyncClient) -> None:
    dataset = await local.datasets.get_by_slug("demo-org", "training-data")
    items = [
        i async for i in local.datasets.list_items("demo-org", "training-data").auto_paging_iter()
    ]
    assert items
    assert (await local.datasets.get_item("demo-org", "training-data", items[0].uid)).uid == (
        items[0].uid
    )
    sequences = await local.datasets.list_sequences("demo-org", "training-data")
    frame = await local.datasets.get_frame("demo-org", "training-data", sequences[0].uid, 0)
    assert frame.frame_index == 0
    health = await local.datasets.get_health("demo-org", "training-data")
    assert health.dataset_uid == dataset.uid


async def test_missing_objects_are_404s(local: AsyncClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await local.tasks.get("no-such-task")
    assert info.value.status_code == 404
    assert info.value.request_id
    with pytest.raises(NotFoundError):
        await local.tasks.get("task_1/../task_2")


async def test_invalid_input_is_a_validation_error(local: AsyncClient) -> None:
    with pytest.raises(ValidationError) as info:
        await local.datasets.create(name="Dup", slug="training-data", owner_name="demo-org")
    assert info.value.status_code == 400


async def test_wrong_key_is_an_authentication_error() -> None:
    api = LocalAvala(api_key="the-right-key")
    async with (
        api.async_httpx_client() as http,
        AsyncClient(api_key="a-wrong-key", base_url=api.base_url, http_client=http) as client,
    ):
        with pytest.raises(AuthenticationError) as info:
            await client.projects.get("proj_123")
    assert "a-wrong-key" not in str(info.value)
    assert "a-wrong-key" not in repr(info.value.body)


@pytest.mark.parametrize("fault", ["http_500", "http_502", "http_503", "drop_before", "drop_after"])
async def test_a_faulty_create_is_retried_and_creates_exactly_one(
    local_api: LocalAvala, local: AsyncClient, fault: str
) -> None:
    before = local_api.store.count("agents")
    local_api.queue_faults(fault, fault)
    agent = await local.agents.create(name=f"after {fault}")
    assert local_api.store.count("agents") == before + 1
    assert [a["uid"] for a in local_api.store.objects("agents")].count(agent.uid) == 1


async def test_rate_limit_storm_honours_retry_after(
    local_api: LocalAvala, local: AsyncClient, sleeps: list[float]
) -> None:
    local_api.faults = FaultConfig(storm_429_rate=0.0, retry_after=2.0)
    local_api.queue_faults("storm_429")
    assert (await local.tasks.get("task_1")).uid == "task_1"
    assert sleeps == [2.0]


async def test_a_real_rate_limit_raises_once_retries_are_spent() -> None:
    api = LocalAvala(rate_limit=2)
    async with (
        api.async_httpx_client() as http,
        AsyncClient(api_key=API_KEY, base_url=api.base_url, http_client=http, max_retries=0) as c,
    ):
        await c.tasks.get("task_1")
        await c.tasks.get("task_1")
        with pytest.raises(RateLimitError) as info:
            await c.tasks.get("task_1")
    assert info.value.retry_after is not None
