# mypy: ignore-errors
# (this file runs against the official `avala` package, not this repository's)
"""Drive every method of the OFFICIAL avala 0.10.0 SDK against a running local Avala API.

Not collected by pytest (no `test_` prefix) and never imported by the test process: the official
package is also named `avala`, so `test_official_sdk.py` runs this file with another interpreter
(`AVALA_OFFICIAL_SDK_PYTHON`, a virtualenv holding `avala==0.10.0`):

    python official_sdk_compat.py <base_url> <base_url of a server started with --api-key right>

Exit status 0 when every check passed; failures are printed one per line.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

os.environ["AVALA_ALLOW_INSECURE_BASE_URL"] = "1"

import avala  # the official SDK
from avala import AsyncClient, Client
from avala.errors import (
    AuthenticationError,
    NotFoundError,
    ValidationError,
)

BASE = sys.argv[1]
RESTRICTED = sys.argv[2]
failures: list[str] = []
count = 0


def check(name: str, fn: Callable[[], Any]) -> Any:
    global count
    count += 1
    try:
        return fn()
    except Exception as exc:
        failures.append(name)
        print(f"FAIL {name}: {type(exc).__name__}: {str(exc)[:300]}")
        return None


def expect(exc_type: type[BaseException], fn: Callable[[], Any]) -> bool:
    try:
        fn()
    except exc_type:
        return True
    raise AssertionError(f"expected {exc_type.__name__}")


c = Client(api_key="k", base_url=BASE)
# projects / tasks
check("projects.list", lambda: c.projects.list(limit=2))
check("projects.get", lambda: c.projects.get("proj_123"))
tasks = check("tasks.list", lambda: c.tasks.list(project="proj_123", status="pending", limit=2))
assert tasks is not None, "tasks.list failed"
assert tasks.has_more, tasks
check(
    "tasks.list.next", lambda: c.tasks.list(project="proj_123", cursor=tasks.next_cursor, limit=2)
)
check("tasks.get", lambda: c.tasks.get("task_456"))
# agents
ag = check(
    "agents.create",
    lambda: c.agents.create(
        name="A",
        events=["task.completed"],
        is_active=True,
        callback_url="https://x.example/cb",
        task_types=["annotation"],
    ),
)
check("agents.list", lambda: c.agents.list())
check("agents.get", lambda: c.agents.get(ag.uid))
check("agents.update", lambda: c.agents.update(ag.uid, name="B", is_active=False))
check("agents.test", lambda: c.agents.test(ag.uid))
check("agents.list_executions", lambda: c.agents.list_executions(ag.uid))
check("agents.delete", lambda: c.agents.delete(ag.uid))
# datasets
dsl = check(
    "datasets.list", lambda: c.datasets.list(data_type="lidar", name="train", visibility="private")
)
ds = dsl.items[0]
check("datasets.get", lambda: c.datasets.get(ds.uid))
check("datasets.get_by_slug", lambda: c.datasets.get_by_slug("demo-org", "training-data"))
items = check("datasets.list_items", lambda: c.datasets.list_items("demo-org", "training-data"))
check(
    "datasets.get_item",
    lambda: c.datasets.get_item("demo-org", "training-data", items.items[0].uid),
)
seqs = check(
    "datasets.list_sequences", lambda: c.datasets.list_sequences("demo-org", "training-data")
)
seq_uid = seqs.items[0].uid
check(
    "datasets.get_sequence", lambda: c.datasets.get_sequence("demo-org", "training-data", seq_uid)
)
check("datasets.get_frame", lambda: c.datasets.get_frame("demo-org", "training-data", seq_uid, 1))
check(
    "datasets.get_calibration",
    lambda: c.datasets.get_calibration("demo-org", "training-data", seq_uid),
)
check("datasets.get_health", lambda: c.datasets.get_health("demo-org", "training-data"))
newds = check(
    "datasets.create", lambda: c.datasets.create(name="New DS", slug="new-ds", data_type="image")
)
check("datasets.wait", lambda: c.datasets.wait(newds.uid, interval=1.0, timeout=20))
check("datasets.transfer", lambda: c.datasets.transfer("demo", "new-ds", owner_username="alice"))
check("datasets.manual_upload_quota", lambda: c.datasets.manual_upload_quota())
check("datasets.manual_upload_allowed_mimes", lambda: c.datasets.manual_upload_allowed_mimes())
check(
    "datasets.create_manual_upload_url",
    lambda: c.datasets.create_manual_upload_url(
        dataset_name="x", file_path_in_dataset="a.jpg", content_length=10
    ),
)
check(
    "datasets.create_from_manual_upload",
    lambda: c.datasets.create_from_manual_upload(name="M", slug="m-ds", data_type="image"),
)
# annotation issues
issue = check(
    "annotation_issues.create",
    lambda: c.annotation_issues.create(
        seq_uid,
        tool_uid="qc-tool-cuboid",
        problem_uid="qc-problem-wrong-class",
        project_uid="proj_123",
        priority="high",
        coordinates={"x": 1},
        should_delete=False,
    ),
)
check(
    "annotation_issues.list_by_sequence",
    lambda: c.annotation_issues.list_by_sequence(seq_uid, project_uid="proj_123"),
)
check(
    "annotation_issues.update",
    lambda: c.annotation_issues.update(seq_uid, issue.uid, status="closed"),
)
check(
    "annotation_issues.list_by_dataset",
    lambda: c.annotation_issues.list_by_dataset("demo-org", "training-data"),
)
check(
    "annotation_issues.get_metrics",
    lambda: c.annotation_issues.get_metrics("demo-org", "training-data"),
)
check("annotation_issues.list_tools", lambda: c.annotation_issues.list_tools(dataset_type="lidar"))
check("annotation_issues.delete", lambda: c.annotation_issues.delete(seq_uid, issue.uid))
# annotations bulk edit
check(
    "annotations.bulk_edit",
    lambda: list(
        c.annotations.bulk_edit(
            "demo-org",
            "training-data",
            [{"action": "delete", "object_uuid": "o1", "sequence_uid": seq_uid}] * 3,
            chunk_size=2,
        )
    ),
)
# auto-label
job = check(
    "auto_label_jobs.create",
    lambda: c.auto_label_jobs.create(
        "proj_123", model_type="default", confidence_threshold=0.5, labels=["car"], dry_run=True
    ),
)
check("auto_label_jobs.list", lambda: c.auto_label_jobs.list(project="proj_123"))
check("auto_label_jobs.get", lambda: c.auto_label_jobs.get(job.uid))
check("auto_label_jobs.cancel", lambda: c.auto_label_jobs.cancel(job.uid))
# consensus
check("consensus.get_summary", lambda: c.consensus.get_summary("proj_123"))
check("consensus.list_scores", lambda: c.consensus.list_scores("proj_123"))
check("consensus.compute", lambda: c.consensus.compute("proj_123"))
check("consensus.get_config", lambda: c.consensus.get_config("proj_123"))
check("consensus.update_config", lambda: c.consensus.update_config("proj_123", iou_threshold=0.7))
# exports
ex = check("exports.create", lambda: c.exports.create(project="proj_123"))
check("exports.list", lambda: c.exports.list())
check("exports.get", lambda: c.exports.get(ex.uid))
w = check("exports.wait", lambda: c.exports.wait(ex.uid, interval=0.5, timeout=20))
assert w.status == "exported", w
exf = check("exports.create(fail)", lambda: c.exports.create(project="proj_fail"))
w = check("exports.wait(fail)", lambda: c.exports.wait(exf.uid, interval=0.5, timeout=20))
assert w.status == "failed", w
# fleet
dev = check(
    "fleet.devices.register",
    lambda: c.fleet.devices.register(name="d", type="robot", tags=["a"], metadata={"k": 1}),
)
assert dev.device_token
check("fleet.devices.list", lambda: c.fleet.devices.list(status="online", type="robot"))
check("fleet.devices.get", lambda: c.fleet.devices.get(dev.uid))
check("fleet.devices.update", lambda: c.fleet.devices.update(dev.uid, status="offline"))
recs = check("fleet.recordings.list", lambda: c.fleet.recordings.list())
rec = recs.items[0]
check("fleet.recordings.list(device)", lambda: c.fleet.recordings.list(device_id=rec.device))
check("fleet.recordings.get", lambda: c.fleet.recordings.get(rec.uid))
check("fleet.recordings.update", lambda: c.fleet.recordings.update(rec.uid, tags=["x"]))
ev = check(
    "fleet.events.create",
    lambda: c.fleet.events.create(
        recording=rec.uid,
        device=rec.device,
        label="l",
        type="marker",
        timestamp="2026-01-01T00:00:00Z",
        duration_ms=5,
    ),
)
check(
    "fleet.events.create_batch",
    lambda: c.fleet.events.create_batch(
        events=[
            {
                "recording": rec.uid,
                "device": rec.device,
                "label": "l",
                "type": "t",
                "timestamp": "2026-01-01T00:00:00Z",
            }
        ]
        * 2
    ),
)
check("fleet.events.list", lambda: c.fleet.events.list(recording_id=rec.uid, device_id=rec.device))
check("fleet.events.get", lambda: c.fleet.events.get(ev.uid))
check("fleet.events.delete", lambda: c.fleet.events.delete(ev.uid))
rule = check(
    "fleet.rules.create",
    lambda: c.fleet.rules.create(
        name="r", condition={"a": 1}, actions=[{"type": "alert"}], enabled=False
    ),
)
check("fleet.rules.list", lambda: c.fleet.rules.list(enabled=False))
check("fleet.rules.get", lambda: c.fleet.rules.get(rule.uid))
check("fleet.rules.update", lambda: c.fleet.rules.update(rule.uid, enabled=True))
check("fleet.rules.delete", lambda: c.fleet.rules.delete(rule.uid))
alerts = check("fleet.alerts.list", lambda: c.fleet.alerts.list(status="open"))
al = alerts.items[0]
check("fleet.alerts.get", lambda: c.fleet.alerts.get(al.uid))
check("fleet.alerts.acknowledge", lambda: c.fleet.alerts.acknowledge(al.uid))
check("fleet.alerts.resolve", lambda: c.fleet.alerts.resolve(al.uid))
check("fleet.alerts.resolve(note)", lambda: c.fleet.alerts.resolve(al.uid, resolution_note="ok"))
ch = check(
    "fleet.alert_channels.create",
    lambda: c.fleet.alert_channels.create(name="c", type="slack", config={"a": 1}),
)
check("fleet.alert_channels.list", lambda: c.fleet.alert_channels.list())
check("fleet.alert_channels.test", lambda: c.fleet.alert_channels.test(ch.uid))
check("fleet.alert_channels.delete", lambda: c.fleet.alert_channels.delete(ch.uid))
check("fleet.devices.delete", lambda: c.fleet.devices.delete(dev.uid))
check("fleet.recordings.delete", lambda: c.fleet.recordings.delete(rec.uid))
# inference providers
ip = check(
    "inference_providers.create",
    lambda: c.inference_providers.create(
        name="p", provider_type="openai", config={"m": 1}, is_active=True
    ),
)
check("inference_providers.list", lambda: c.inference_providers.list())
check("inference_providers.get", lambda: c.inference_providers.get(ip.uid))
check("inference_providers.update", lambda: c.inference_providers.update(ip.uid, description="d"))
check("inference_providers.test", lambda: c.inference_providers.test(ip.uid))
check("inference_providers.delete", lambda: c.inference_providers.delete(ip.uid))
# organizations
check("organizations.list", lambda: c.organizations.list())
check("organizations.list(page)", lambda: c.organizations.list(page=1))
org = check("organizations.get", lambda: c.organizations.get("demo-org"))
check("organizations.slug_for_uid", lambda: c.organizations.slug_for_uid(org.uid))
neworg = check(
    "organizations.create",
    lambda: c.organizations.create(name="My Org", industry="robotics", email="a@b.co"),
)
check("organizations.update", lambda: c.organizations.update(neworg.slug, description="d"))
check("organizations.industry_choices", lambda: c.organizations.industry_choices())
members = check(
    "organizations.list_members", lambda: c.organizations.list_members("demo-org", search="bob")
)
bob = members.items[0].user_uid
alice = c.organizations.list_members("demo-org", role="owner").items[0].user_uid
check(
    "organizations.update_member_role",
    lambda: c.organizations.update_member_role("demo-org", bob, role="admin"),
)
inv = check(
    "organizations.create_invitation",
    lambda: c.organizations.create_invitation("demo-org", email="zed@example.com", role="member"),
)
check("organizations.list_invitations", lambda: c.organizations.list_invitations("demo-org"))
check(
    "organizations.resend_invitation",
    lambda: c.organizations.resend_invitation("demo-org", inv.uid),
)
check(
    "organizations.cancel_invitation",
    lambda: c.organizations.cancel_invitation("demo-org", inv.uid),
)
team = check(
    "organizations.create_team",
    lambda: c.organizations.create_team("demo-org", name="New Team", color="#fff"),
)
check("organizations.list_teams", lambda: c.organizations.list_teams("demo-org"))
check("organizations.get_team", lambda: c.organizations.get_team("demo-org", team.slug))
check(
    "organizations.update_team",
    lambda: c.organizations.update_team("demo-org", team.slug, description="x"),
)
check(
    "organizations.add_team_member",
    lambda: c.organizations.add_team_member("demo-org", team.slug, user_uid=bob),
)
check(
    "organizations.list_team_members",
    lambda: c.organizations.list_team_members("demo-org", team.slug),
)
check(
    "organizations.update_team_member_role",
    lambda: c.organizations.update_team_member_role("demo-org", team.slug, bob, role="lead"),
)
check(
    "organizations.remove_team_member",
    lambda: c.organizations.remove_team_member("demo-org", team.slug, bob),
)
check("organizations.delete_team", lambda: c.organizations.delete_team("demo-org", team.slug))
check("organizations.remove_member", lambda: c.organizations.remove_member("demo-org", bob))
me = c.organizations.list_members("demo-org", search="demo").items[0].user_uid
check(
    "organizations.transfer_ownership",
    lambda: c.organizations.transfer_ownership("demo-org", new_owner_uid=me),
)
check(
    "organizations.transfer_ownership(back)",
    lambda: c.organizations.transfer_ownership("demo-org", new_owner_uid=alice),
)
check("organizations.leave", lambda: c.organizations.leave("demo-org"))
check("organizations.delete", lambda: c.organizations.delete(neworg.slug))
# quality targets
qt = check(
    "quality_targets.create",
    lambda: c.quality_targets.create(
        "proj_123",
        name="q",
        metric="accuracy",
        threshold=0.99,
        operator="gte",
        notify_emails=["a@b.co"],
    ),
)
check("quality_targets.list", lambda: c.quality_targets.list("proj_123"))
check("quality_targets.get", lambda: c.quality_targets.get("proj_123", qt.uid))
check("quality_targets.update", lambda: c.quality_targets.update("proj_123", qt.uid, threshold=0.5))
check("quality_targets.evaluate", lambda: c.quality_targets.evaluate("proj_123"))
check("quality_targets.delete", lambda: c.quality_targets.delete("proj_123", qt.uid))
# slices
sl = check(
    "slices.create",
    lambda: c.slices.create(
        name="list",
        visibility="private",
        sub_slices=[{"dataset": ds.uid, "query": "label=car"}],
        organization="demo-org",
    ),
)
check("slices.list", lambda: c.slices.list("demo-org"))
check("slices.get", lambda: c.slices.get("demo-org", "demo-slice"))
sitems = check("slices.list_items(slug=list)", lambda: c.slices.list_items("demo-org", sl.slug))
check("slices.get_item", lambda: c.slices.get_item("demo-org", sl.slug, sitems.items[0].uid))
# storage configs
sc = check(
    "storage_configs.create",
    lambda: c.storage_configs.create(
        name="s",
        provider="aws_s3",
        organization="demo-org",
        s3_bucket_name="b",
        s3_secret_access_key="secret",
        s3_access_key_id="AKIA",
    ),
)
check("storage_configs.list", lambda: c.storage_configs.list(organization="demo-org"))
check("storage_configs.setup_info", lambda: c.storage_configs.setup_info(organization="demo-org"))
check("storage_configs.test", lambda: c.storage_configs.test(sc.uid))
check("storage_configs.get", lambda: c.storage_configs.get(sc.uid, organization="demo-org"))
check("storage_configs.delete", lambda: c.storage_configs.delete(sc.uid))
# webhooks
wh = check(
    "webhooks.create",
    lambda: c.webhooks.create(target_url="https://x.example/h", events=["task.completed"]),
)
check("webhooks.list", lambda: c.webhooks.list())
check("webhooks.get", lambda: c.webhooks.get(wh.uid))
check("webhooks.update", lambda: c.webhooks.update(wh.uid, is_active=False))
check("webhooks.test", lambda: c.webhooks.test(wh.uid))
dl = check("webhook_deliveries.list", lambda: c.webhook_deliveries.list())
check("webhook_deliveries.get", lambda: c.webhook_deliveries.get(dl.items[0].uid))
check("webhooks.delete", lambda: c.webhooks.delete(wh.uid))
# errors
check("NotFoundError", lambda: expect(NotFoundError, lambda: c.tasks.get("nope")))
check(
    "AuthenticationError",
    lambda: expect(
        AuthenticationError, lambda: Client(api_key="wrong", base_url=RESTRICTED).tasks.list()
    ),
)
check("restricted ok", lambda: Client(api_key="right", base_url=RESTRICTED).tasks.list())
check(
    "ValidationError",
    lambda: expect(ValidationError, lambda: c.webhooks.create(target_url="notaurl", events=[])),
)
check(
    "rate_limit_info",
    lambda: c.rate_limit_info["limit"] or (_ for _ in ()).throw(AssertionError("no rl")),
)
check(
    "signup", lambda: avala.signup(email="new@example.com", password="longpassword", base_url=BASE)
)
c.close()


async def run_async():
    async with AsyncClient(api_key="k", base_url=BASE) as ac:
        p, d, a = await asyncio.gather(ac.projects.list(), ac.datasets.list(), ac.agents.list())
        t = await ac.tasks.get("task_1")
        ex = await ac.exports.create(project="proj_123")
        await ac.exports.wait(ex.uid, interval=0.5, timeout=10)
        await ac.organizations.list()
        return len(p.items), len(d.items), len(a.items), t.uid


check("async", lambda: asyncio.run(run_async()))
print(f"{count} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
