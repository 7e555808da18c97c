"""Every resource group through the command line against the local API: list, get, create,
update, delete and the special actions, each checked against what the API then holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import KEY, Result, Run, Served


@pytest.fixture
def run(cli: Run, fresh: Served) -> Run:
    """`cli` against a fresh demo API (these tests change data), JSON output."""

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return cli("--base-url", fresh.base_url, "--api-key", KEY, "-o", "json", *args, stdin=stdin)

    return invoke


def ok(result: Result) -> Any:
    assert result.code == 0, f"exit {result.code}: {result.stderr}"
    return json.loads(result.stdout) if result.stdout.strip() else None


def uids(items: list[dict[str, Any]]) -> set[str]:
    return {item["uid"] for item in items}


def test_projects(run: Run) -> None:
    assert {"proj_123", "proj_456"} <= uids(ok(run("projects", "list")))
    created = ok(run("projects", "create", "--name", "From the shell"))
    assert created["name"] == "From the shell"
    assert ok(run("projects", "get", created["uid"]))["uid"] == created["uid"]
    updated = ok(
        run("projects", "update", created["uid"], "--name", "Renamed", "--status", "archived")
    )
    assert (updated["name"], updated["status"]) == ("Renamed", "archived")
    assert run("projects", "delete", created["uid"]).stdout == ""
    assert run("projects", "get", created["uid"]).code == 4


def test_tasks(run: Run) -> None:
    task = ok(run("tasks", "create", "--name", "Label it", "--project-id", "proj_123"))
    listed = ok(run("tasks", "list", "--project-id", "proj_123", "--status", "pending"))
    assert task["uid"] in uids(listed)
    assert all(t["project"] == "proj_123" for t in listed)
    done = ok(run("tasks", "update", task["uid"], "--status", "completed"))
    assert done["status"] == "completed"
    assert ok(run("tasks", "get", task["uid"]))["status"] == "completed"
    ok(run("tasks", "delete", task["uid"]))
    assert run("tasks", "get", task["uid"]).code == 4


def test_datasets(run: Run, fresh: Served) -> None:
    seq, item = fresh.ids["sequence.seq-0001"], fresh.ids["item.training-data.0"]
    created = ok(
        run(
            "datasets", "create", "--name", "Shell Data", "--data-type", "lidar",
            "--metadata", '{"source": "cli"}', "--no-create-metadata",
            "--wait", "--wait-interval", "0.5",
        )
    )  # fmt: skip
    assert created["status"] == "created"
    assert created["slug"] == "shell-data"
    assert ok(run("datasets", "get", created["uid"]))["data_type"] == "lidar"
    assert ok(run("datasets", "update", created["uid"], "--name", "Renamed"))["name"] == "Renamed"
    assert created["uid"] in uids(ok(run("datasets", "list", "--data-type", "lidar")))
    ok(run("datasets", "wait", created["uid"], "--interval", "0.5"))
    ok(run("datasets", "delete", created["uid"]))

    by_slug = ok(run("datasets", "get-by-slug", "demo-org", "training-data"))
    assert by_slug["uid"] == fresh.ids["dataset.training-data"]
    assert ok(run("datasets", "get-health", "demo-org", "training-data"))["item_count"] >= 1
    assert item in uids(ok(run("datasets", "list-items", "demo-org", "training-data")))
    assert ok(run("datasets", "get-item", "demo-org", "training-data", item))["uid"] == item
    assert seq in uids(ok(run("datasets", "list-sequences", "demo-org", "training-data")))
    assert ok(run("datasets", "get-sequence", "demo-org", "training-data", seq))["uid"] == seq
    frame = ok(run("datasets", "get-frame", "demo-org", "training-data", seq, "1"))
    assert frame["key"] == "frame-001"
    calibration = ok(run("datasets", "get-calibration", "demo-org", "training-data", seq))
    assert calibration["sequence_uid"] == seq
    assert "image/jpeg" in ok(run("datasets", "manual-upload-allowed-mimes"))["mime_types"]
    assert ok(run("datasets", "manual-upload-quota"))["limit"] > 0
    url = ok(
        run(
            "datasets", "create-manual-upload-url", "--dataset-name", "uploads",
            "--file-path-in-dataset", "a/b.jpg", "--content-length", "10",
        )
    )  # fmt: skip
    assert isinstance(url, dict)
    assert url
    manual = ok(
        run("datasets", "create-from-manual-upload", "--name", "Up", "--data-type", "image")
    )
    assert manual["name"] == "Up"
    moved = ok(run("datasets", "transfer", "demo", manual["slug"], "--organization-uid",
                   fresh.ids["organization.demo-org"]))  # fmt: skip
    assert moved["owner_name"] == "demo-org"


def test_exports_create_wait_and_wait_id(run: Run, fresh: Served) -> None:
    export = ok(
        run("exports", "create", "--project", "proj_123", "--wait", "--wait-interval", "0.5")
    )
    assert export["status"] == "exported"
    assert export["download_url"]
    pending = fresh.ids["export.pending"]
    assert ok(run("exports", "get", pending))["status"] != "exported"
    assert ok(run("exports", "wait", pending, "--interval", "0.5"))["status"] == "exported"
    assert {export["uid"], pending} <= uids(ok(run("exports", "list")))
    ok(run("exports", "delete", export["uid"]))
    assert run("exports", "get", export["uid"]).code == 4


def test_a_failed_wait_prints_the_object_and_exits_1(run: Run) -> None:
    result = run("exports", "create", "--project", "proj_fail", "--wait", "--wait-interval", "0.5")
    assert result.code == 1
    assert json.loads(result.stdout)["status"] == "failed"
    assert "finished with status 'failed'" in result.stderr


def test_a_dataset_that_ends_in_error_is_a_failed_wait(run: Run) -> None:
    created = ok(run("datasets", "create", "--name", "Doomed", "--project-id", "proj_fail"))
    result = run("datasets", "wait", created["uid"], "--interval", "1")
    assert result.code == 1
    assert json.loads(result.stdout)["status"] == "error"
    assert "finished with status 'error'" in result.stderr
    fine = ok(run("datasets", "create", "--name", "Fine", "--project-id", "proj_123"))
    assert ok(run("datasets", "wait", fine["uid"], "--interval", "1"))["status"] == "created"


def test_a_cancelled_job_is_a_failed_wait(run: Run) -> None:
    job = ok(run("auto-label-jobs", "create", "proj_123", "--labels", "car"))
    ok(run("auto-label-jobs", "cancel", job["uid"]))
    result = run("auto-label-jobs", "wait", job["uid"], "--interval", "0.5")
    assert result.code == 1
    assert "finished with status 'cancelled'" in result.stderr


def test_auto_label_jobs(run: Run, fresh: Served) -> None:
    job = ok(run("auto-label-jobs", "create", "proj_123", "--labels", "car", "--labels", "person"))
    assert job["labels"] == ["car", "person"]
    assert job["uid"] in uids(ok(run("auto-label-jobs", "list", "--project-id", "proj_123")))
    ok(run("auto-label-jobs", "cancel", job["uid"]))
    assert ok(run("auto-label-jobs", "get", job["uid"]))["status"] == "cancelled"
    done = fresh.ids["auto_label_job.done"]
    assert ok(run("auto-label-jobs", "wait", done, "--interval", "0.5"))["status"] == "completed"
    waited = ok(
        run(
            "auto-label-jobs", "create", "proj_456", "--dry-run", "--wait", "--wait-interval", "0.5"
        )
    )
    assert waited["status"] == "completed"


def test_agents(run: Run, fresh: Served) -> None:
    agent = ok(
        run(
            "agents", "create", "--name", "Reviewer", "--events", "task.completed",
            "--events", "task.created", "--callback-url", "https://example.com/cb", "--is-active",
        )
    )  # fmt: skip
    assert agent["events"] == ["task.completed", "task.created"]
    assert agent["is_active"] is True
    updated = ok(run("agents", "update", agent["uid"], "--no-is-active", "--events", "[]"))
    assert updated["is_active"] is False
    assert updated["events"] == []
    assert ok(run("agents", "get", agent["uid"]))["name"] == "Reviewer"
    assert agent["uid"] in uids(ok(run("agents", "list")))
    qa = fresh.ids["agent.qa"]
    assert isinstance(ok(run("agents", "list-executions", qa)), list)
    assert isinstance(ok(run("agents", "test", qa)), dict)
    ok(run("agents", "delete", agent["uid"]))
    assert run("agents", "get", agent["uid"]).code == 4


def test_annotation_issues(run: Run, fresh: Served) -> None:
    seq = fresh.ids["sequence.seq-0001"]
    tools = ok(run("annotation-issues", "list-tools", "--dataset-type", "image"))
    tool = tools[0]
    issue = ok(
        run(
            "annotation-issues", "create", seq, "--tool-uid", tool["uid"],
            "--problem-uid", tool["problems"][0]["uid"], "--priority", "low",
            "--description", "from the shell", "--query-params", '{"frame": 3}',
        )
    )  # fmt: skip
    assert issue["description"] == "from the shell"
    assert issue["uid"] in uids(ok(run("annotation-issues", "list-by-sequence", seq)))
    listed = ok(run("annotation-issues", "list", "--task-id", "task_456"))
    assert len(listed) == 3
    by_dataset = ok(run("annotation-issues", "list-by-dataset", "demo-org", "training-data"))
    assert issue["uid"] in uids(by_dataset)
    metrics = ok(run("annotation-issues", "get-metrics", "demo-org", "training-data"))
    assert "status_count" in metrics
    closed = ok(run("annotation-issues", "update", seq, issue["uid"], "--status", "closed"))
    assert closed["status"] == "closed"
    ok(run("annotation-issues", "delete", seq, issue["uid"]))
    assert issue["uid"] not in uids(ok(run("annotation-issues", "list-by-sequence", seq)))


def test_annotations_bulk_edit_from_a_file(run: Run, fresh: Served, tmp_path: Path) -> None:
    seq = fresh.ids["sequence.seq-0001"]
    edit = {
        "action": "upsert",
        "object_uuid": "obj-new",
        "object_type": "cuboid",
        "sequence_uid": seq,
        "object_data": {"label": "car"},
    }
    edits = tmp_path / "edits.json"
    edits.write_text(
        json.dumps([edit, {**edit, "object_uuid": "obj-2"}, {**edit, "object_uuid": "obj-3"}])
    )
    result = ok(
        run(
            "annotations",
            "bulk-edit",
            "demo-org",
            "training-data",
            f"@{edits}",
            "--chunk-size",
            "2",
        )
    )
    assert [chunk["chunk"] for chunk in result] == [0, 1]
    assert all(isinstance(chunk["result"], dict) for chunk in result)


def test_consensus(run: Run) -> None:
    assert ok(run("consensus", "compute", "proj_123"))["status"]
    config = ok(
        run(
            "consensus",
            "update-config",
            "proj_123",
            "--iou-threshold",
            "0.65",
            "--min-annotations",
            "3",
        )
    )
    assert (config["iou_threshold"], config["min_annotations"]) == (0.65, 3)
    assert ok(run("consensus", "get-config", "proj_123"))["iou_threshold"] == 0.65
    assert "mean_score" in ok(run("consensus", "get-summary", "proj_123"))
    assert isinstance(ok(run("consensus", "list-scores", "proj_123")), list)


def test_fleet_devices_and_recordings(run: Run, fresh: Served) -> None:
    device = ok(
        run(
            "fleet", "devices", "register", "--name", "rover-9", "--type", "rover",
            "--tags", "field", "--tags", "beta", "--metadata", '{"site": "lyon"}',
        )
    )  # fmt: skip
    assert device["tags"] == ["field", "beta"]
    assert device["metadata"] == {"site": "lyon"}
    updated = ok(
        run("fleet", "devices", "update", device["uid"], "--status", "offline", "--tags", "[]")
    )
    assert updated["status"] == "offline"
    assert updated.get("tags", []) == []
    assert device["uid"] in uids(ok(run("fleet", "devices", "list", "--type", "rover")))
    assert ok(run("fleet", "devices", "get", device["uid"]))["name"] == "rover-9"
    ok(run("fleet", "devices", "delete", device["uid"]))

    recording = fresh.ids["recording.robot-01"]
    assert recording in uids(
        ok(run("fleet", "recordings", "list", "--device-id", fresh.ids["device.robot-01"]))
    )
    tagged = ok(run("fleet", "recordings", "update", recording, "--tags", "keep"))
    assert tagged["tags"] == ["keep"]
    assert ok(run("fleet", "recordings", "get", recording))["uid"] == recording
    ok(run("fleet", "recordings", "delete", fresh.ids["recording.drone-02"]))


def test_fleet_events(run: Run, fresh: Served) -> None:
    recording, device = fresh.ids["recording.robot-01"], fresh.ids["device.robot-01"]
    event = ok(
        run(
            "fleet", "events", "create", "--recording", recording, "--device", device,
            "--label", "hard brake", "--type", "marker", "--timestamp", "2025-12-31T10:00:30Z",
            "--severity", "warning",
        )
    )  # fmt: skip
    assert event["label"] == "hard brake"
    assert event["uid"] in uids(ok(run("fleet", "events", "list", "--recording-id", recording)))
    assert ok(run("fleet", "events", "get", event["uid"]))["type"] == "marker"
    batch = json.dumps(
        [
            {"recording": recording, "device": device, "label": f"e{i}", "type": "marker",
             "timestamp": "2025-12-31T10:00:40Z"}
            for i in range(3)
        ]
    )  # fmt: skip
    assert ok(run("fleet", "events", "create-batch", "--events", "@-", stdin=batch)) == 3
    ok(run("fleet", "events", "delete", event["uid"]))


def test_fleet_rules_alerts_and_channels(run: Run, fresh: Served) -> None:
    rule = ok(
        run(
            "fleet", "rules", "create", "--name", "Too hot", "--condition",
            '{"metric": "temp", "op": ">", "value": 80}', "--actions", '[{"type": "alert"}]',
        )
    )  # fmt: skip
    assert rule["condition"]["metric"] == "temp"
    assert ok(run("fleet", "rules", "update", rule["uid"], "--no-enabled"))["enabled"] is False
    assert rule["uid"] in uids(ok(run("fleet", "rules", "list", "--no-enabled")))
    assert ok(run("fleet", "rules", "get", rule["uid"]))["name"] == "Too hot"
    ok(run("fleet", "rules", "delete", rule["uid"]))

    alert = fresh.ids["alert.open"]
    assert alert in uids(ok(run("fleet", "alerts", "list", "--status", "open")))
    assert ok(run("fleet", "alerts", "acknowledge", alert))["status"] == "acknowledged"
    resolved = ok(run("fleet", "alerts", "resolve", alert, "--resolution-note", "fixed"))
    assert resolved["status"] == "resolved"
    assert resolved["resolution_note"] == "fixed"
    assert ok(run("fleet", "alerts", "get", alert))["status"] == "resolved"

    channel = ok(
        run(
            "fleet", "alert-channels", "create", "--name", "ops", "--type", "email",
            "--config", '{"recipients": ["ops@example.com"]}',
        )
    )  # fmt: skip
    assert (
        ok(run("fleet", "alert-channels", "update", channel["uid"], "--name", "ops2"))["name"]
        == "ops2"
    )
    assert channel["uid"] in uids(ok(run("fleet", "alert-channels", "list")))
    assert ok(run("fleet", "alert-channels", "get", channel["uid"]))["type"] == "email"
    assert isinstance(ok(run("fleet", "alert-channels", "test", channel["uid"])), dict)
    ok(run("fleet", "alert-channels", "delete", channel["uid"]))


def test_inference_providers(run: Run) -> None:
    provider = ok(
        run(
            "inference-providers", "create", "--name", "Mine", "--provider-type", "openai",
            "--config", '{"api_key": "sk-secret", "model": "gpt-4o"}',
        )
    )  # fmt: skip
    updated = ok(
        run(
            "inference-providers", "update", provider["uid"], "--description", "d", "--no-is-active"
        )
    )
    assert updated["description"] == "d"
    assert updated["is_active"] is False
    assert provider["uid"] in uids(ok(run("inference-providers", "list")))
    assert ok(run("inference-providers", "get", provider["uid"]))["name"] == "Mine"
    assert isinstance(ok(run("inference-providers", "test", provider["uid"])), dict)
    ok(run("inference-providers", "delete", provider["uid"]))


def test_organizations(run: Run, fresh: Served) -> None:
    org = ok(
        run("organizations", "create", "--name", "Shell Org", "--website", "https://example.org")
    )
    slug = org["slug"]
    assert slug in {o["slug"] for o in ok(run("organizations", "list"))}
    assert ok(run("organizations", "update", slug, "--description", "d"))["description"] == "d"
    assert ok(run("organizations", "get", slug))["name"] == "Shell Org"
    assert ok(run("organizations", "slug-for-uid", org["uid"])) == slug
    assert isinstance(ok(run("organizations", "industry-choices")), dict)

    team = ok(run("organizations", "create-team", slug, "--name", "Core", "--color", "#00ff00"))
    assert (
        ok(run("organizations", "update-team", slug, team["slug"], "--name", "Core 2"))["name"]
        == "Core 2"
    )
    assert ok(run("organizations", "get-team", slug, team["slug"]))["uid"] == team["uid"]
    assert team["uid"] in uids(ok(run("organizations", "list-teams", slug)))

    members = ok(run("organizations", "list-members", "demo-org"))
    bob = next(m for m in members if m["username"] == "bob")["user_uid"]
    ok(run("organizations", "update-member-role", "demo-org", bob, "--role", "admin"))
    assert {m["username"]: m["role"] for m in ok(run("organizations", "list-members", "demo-org"))}[
        "bob"
    ] == "admin"
    core = "core-team"
    ok(run("organizations", "add-team-member", "demo-org", core, "--user-uid", bob))
    assert bob in {
        m["user_uid"] for m in ok(run("organizations", "list-team-members", "demo-org", core))
    }
    ok(run("organizations", "update-team-member-role", "demo-org", core, bob, "--role", "member"))
    ok(run("organizations", "remove-team-member", "demo-org", core, bob))
    ok(run("organizations", "remove-member", "demo-org", bob))

    invitation = ok(
        run("organizations", "create-invitation", "demo-org", "--email", "dan@example.com")
    )
    assert invitation["uid"] in uids(ok(run("organizations", "list-invitations", "demo-org")))
    ok(run("organizations", "resend-invitation", "demo-org", invitation["uid"]))
    ok(run("organizations", "cancel-invitation", "demo-org", invitation["uid"]))
    ok(run("organizations", "delete-team", slug, team["slug"]))

    ok(run("organizations", "transfer-ownership", slug, "--new-owner-uid", fresh.ids["user.demo"]))
    ok(run("organizations", "leave", "demo-org"))
    ok(run("organizations", "delete", slug))
    assert run("organizations", "get", slug).code == 4


def test_quality_targets(run: Run) -> None:
    target = ok(
        run(
            "quality-targets", "create", "proj_123", "--name", "Precision", "--metric",
            "accuracy", "--threshold", "0.9", "--notify-emails", "qa@example.com",
        )
    )  # fmt: skip
    assert target["threshold"] == 0.9
    assert target["notify_emails"] == ["qa@example.com"]
    assert (
        ok(run("quality-targets", "update", "proj_123", target["uid"], "--threshold", "0.8"))[
            "threshold"
        ]
        == 0.8
    )
    assert target["uid"] in uids(ok(run("quality-targets", "list", "proj_123")))
    assert ok(run("quality-targets", "get", "proj_123", target["uid"]))["name"] == "Precision"
    assert isinstance(ok(run("quality-targets", "evaluate", "proj_123")), list)
    ok(run("quality-targets", "delete", "proj_123", target["uid"]))


def test_slices(run: Run, fresh: Served) -> None:
    assert "demo-slice" in {s["slug"] for s in ok(run("slices", "list", "demo-org"))}
    assert ok(run("slices", "get", "demo-org", "demo-slice"))["name"] == "Demo Slice"
    items = ok(run("slices", "list-items", "demo-org", "demo-slice"))
    assert (
        ok(run("slices", "get-item", "demo-org", "demo-slice", items[0]["uid"]))["uid"]
        == items[0]["uid"]
    )
    created = ok(
        run(
            "slices", "create", "--name", "Cars", "--visibility", "private", "--organization",
            "demo-org", "--sub-slices",
            json.dumps([{"dataset": fresh.ids["dataset.training-data"], "query": "label=car"}]),
        )
    )  # fmt: skip
    assert created["name"] == "Cars"


def test_storage_configs(run: Run) -> None:
    config = ok(
        run(
            "storage-configs", "create", "--name", "Bucket", "--provider", "aws_s3",
            "--s3-bucket-name", "my-bucket", "--s3-bucket-region", "eu-west-1",
            "--s3-access-key-id", "AKIA", "--s3-secret-access-key", "shh",
        )
    )  # fmt: skip
    assert config["s3_bucket_name"] == "my-bucket"
    assert (
        ok(run("storage-configs", "update", config["uid"], "--s3-bucket-prefix", "raw/"))[
            "s3_bucket_prefix"
        ]
        == "raw/"
    )
    assert config["uid"] in uids(ok(run("storage-configs", "list")))
    assert ok(run("storage-configs", "get", config["uid"]))["name"] == "Bucket"
    assert isinstance(ok(run("storage-configs", "test", config["uid"])), dict)
    assert ok(run("storage-configs", "setup-info"))["external_id"]
    ok(run("storage-configs", "delete", config["uid"]))


def test_webhooks_and_deliveries(run: Run, fresh: Served) -> None:
    hook = ok(
        run(
            "webhooks", "create", "--target-url", "https://example.com/hook",
            "--events", "task.completed", "--events", "export.completed",
        )
    )  # fmt: skip
    assert hook["events"] == ["task.completed", "export.completed"]
    assert ok(run("webhooks", "update", hook["uid"], "--no-is-active"))["is_active"] is False
    assert hook["uid"] in uids(ok(run("webhooks", "list")))
    assert ok(run("webhooks", "get", hook["uid"]))["target_url"] == "https://example.com/hook"
    assert isinstance(ok(run("webhooks", "test", hook["uid"])), dict)
    ok(run("webhooks", "delete", hook["uid"]))

    delivery = fresh.ids["webhook_delivery.main"]
    assert delivery in uids(ok(run("webhook-deliveries", "list")))
    assert ok(run("webhook-deliveries", "get", delivery))["uid"] == delivery
