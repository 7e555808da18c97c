# Generated from tests/_async/test_local_api.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""End to end: the client against the local Avala API, in process. Every resource's main
calls, pagination across many pages, auth, 404s, and retries through injected faults."""

from __future__ import annotations

import pytest

from avala import (
    AuthenticationError,
    Client,
    NotFoundError,
    RateLimitError,
    ValidationError,
)
from avala.testing import FaultConfig, LocalAvala
from tests.helpers import API_KEY


def test_the_seed_pages_basic_usage(local: Client) -> None:
    project = local.projects.get(id="proj_123")
    assert project.name == "Demo Project"
    dataset = local.datasets.create(name="Training Data 2", project_id="proj_123")
    assert (dataset.slug, dataset.project) == ("training-data-2", "proj_123")
    tasks = local.tasks.list(project_id="proj_123")
    assert {"task_1", "task_2", "task_3", "task_456"} <= {t.id for t in tasks.items}
    issues = local.annotation_issues.list(task_id="task_456")
    assert issues.items
    assert all(issue.task == "task_456" for issue in issues.items)
    updated = local.tasks.update(id="task_1", status="completed")
    assert updated.status == "completed"
    assert (local.tasks.get("task_1")).status == "completed"
    info = local.rate_limit_info
    assert info["x-ratelimit-limit"] is not None
    assert info["x-ratelimit-remaining"] is not None


def test_pagination_walks_every_page(local_api: LocalAvala, local: Client) -> None:
    local_api.seed_tasks(250, project="proj_123")
    before = local_api.stats.requests
    uids = [t.uid for t in local.tasks.list(project_id="proj_123", limit=20).auto_paging_iter()]
    assert len(uids) == len(set(uids)) == 250 + 4
    assert local_api.stats.requests - before == 13  # ceil(254 / 20) pages


def test_organizations_page_numbers_walk_too(local_api: LocalAvala, local: Client) -> None:
    for n in range(45):
        local.organizations.create(name=f"Org {n}")
    slugs = [o.slug for o in local.organizations.list().auto_paging_iter()]
    assert len(slugs) == len(set(slugs)) == 46
    first = local.organizations.list()
    assert first.next_cursor == "2"


def test_crud_agents(local: Client) -> None:
    agent = local.agents.create(name="Reviewer", events=["task.completed"])
    assert (local.agents.get(agent.id)).name == "Reviewer"
    renamed = local.agents.update(agent.id, name="Senior reviewer", is_active=False)
    assert (renamed.name, renamed.is_active) == ("Senior reviewer", False)
    assert agent.id in {a.id for a in local.agents.list().auto_paging_iter()}
    assert local.agents.test(agent.id)
    assert local.agents.delete(agent.id) is None
    with pytest.raises(NotFoundError):
        local.agents.get(agent.id)


def test_crud_webhooks_projects_and_tasks(local: Client) -> None:
    hook = local.webhooks.create(target_url="https://example.com/hook", events=["x.y"])
    hook = local.webhooks.update(hook.id, is_active=False, secret="whsec_rotated")
    assert hook.is_active is False
    assert "whsec_rotated" not in repr(hook)
    local.webhooks.delete(hook.id)
    project = local.projects.create(name="Scratch")
    task = local.tasks.create(name="Label me", project_id=project.id)
    assert (local.tasks.get(task.id)).project == project.id
    local.tasks.delete(task.id)
    local.projects.delete(project.id)
    with pytest.raises(NotFoundError):
        local.projects.get(project.id)


def test_fleet_and_quality(local: Client) -> None:
    device = local.fleet.devices.register(name="rover-9", type="robot")
    assert device.device_token
    rule = local.fleet.rules.create(
        name="Hot motor", condition={"metric": "temp", "gt": 90}, actions=[{"type": "notify"}]
    )
    assert rule.id in {r.id for r in local.fleet.rules.list(enabled=True).auto_paging_iter()}
    local.fleet.rules.delete(rule.id)
    local.fleet.devices.delete(device.id)
    target = local.quality_targets.create(
        "proj_123", name="IoU", metric="iou", threshold=0.8, operator="gte"
    )
    evaluations = local.quality_targets.evaluate("proj_123")
    assert target.id in {e.uid for e in evaluations}


def test_jobs_move_to_a_terminal_state_and_wait_returns(local: Client) -> None:
    export = local.exports.create(project="proj_123")
    done = local.exports.wait(export.id, interval=0.5, timeout=60)
    assert done.status == "exported"
    assert done.download_url
    failed = local.exports.wait(
        (local.exports.create(project="proj_fail")).id, interval=0.5, timeout=60
    )
    assert failed.status == "failed"
    job = local.auto_label_jobs.create("proj_123", model_type="yolo")
    assert (local.auto_label_jobs.wait(job.id, timeout=60)).status == "completed"
    dataset = local.datasets.create(name="Fresh", project_id="proj_123")
    assert (local.datasets.wait(dataset.id, timeout=60)).status == "created"


def test_datasets_by_owner_and_slug(local: Client) -> None:
    dataset = local.datasets.get_by_slug("demo-org", "training-data")
    items = [i for i in local.datasets.list_items("demo-org", "training-data").auto_paging_iter()]
    assert items
    assert (local.datasets.get_item("demo-org", "training-data", items[0].uid)).uid == (
        items[0].uid
    )
    sequences = local.datasets.list_sequences("demo-org", "training-data")
    frame = local.datasets.get_frame("demo-org", "training-data", sequences[0].uid, 0)
    assert frame.frame_index == 0
    health = local.datasets.get_health("demo-org", "training-data")
    assert health.dataset_uid == dataset.uid


def test_missing_objects_are_404s(local: Client) -> None:
    with pytest.raises(NotFoundError) as info:
        local.tasks.get("no-such-task")
    assert info.value.status_code == 404
    assert info.value.request_id
    with pytest.raises(NotFoundError):
        local.tasks.get("task_1/../task_2")


def test_invalid_input_is_a_validation_error(local: Client) -> None:
    with pytest.raises(ValidationError) as info:
        local.datasets.create(name="Dup", slug="training-data", owner_name="demo-org")
    assert info.value.status_code == 400


def test_wrong_key_is_an_authentication_error() -> None:
    api = LocalAvala(api_key="the-right-key")
    with (
        api.httpx_client() as http,
        Client(api_key="a-wrong-key", base_url=api.base_url, http_client=http) as client,
    ):
        with pytest.raises(AuthenticationError) as info:
            client.projects.get("proj_123")
    assert "a-wrong-key" not in str(info.value)
    assert "a-wrong-key" not in repr(info.value.body)


@pytest.mark.parametrize("fault", ["http_500", "http_502", "http_503", "drop_before", "drop_after"])
def test_a_faulty_create_is_retried_and_creates_exactly_one(
    local_api: LocalAvala, local: Client, fault: str
) -> None:
    before = local_api.store.count("agents")
    local_api.queue_faults(fault, fault)
    agent = local.agents.create(name=f"after {fault}")
    assert local_api.store.count("agents") == before + 1
    assert [a["uid"] for a in local_api.store.objects("agents")].count(agent.uid) == 1


def test_rate_limit_storm_honours_retry_after(
    local_api: LocalAvala, local: Client, sleeps: list[float]
) -> None:
    local_api.faults = FaultConfig(storm_429_rate=0.0, retry_after=2.0)
    local_api.queue_faults("storm_429")
    assert (local.tasks.get("task_1")).uid == "task_1"
    assert sleeps == [2.0]


def test_a_real_rate_limit_raises_once_retries_are_spent() -> None:
    api = LocalAvala(rate_limit=2)
    with (
        api.httpx_client() as http,
        Client(api_key=API_KEY, base_url=api.base_url, http_client=http, max_retries=0) as c,
    ):
        c.tasks.get("task_1")
        c.tasks.get("task_1")
        with pytest.raises(RateLimitError) as info:
            c.tasks.get("task_1")
    assert info.value.retry_after is not None
