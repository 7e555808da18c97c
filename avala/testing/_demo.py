"""Seed data. `seed_base` is all `data="empty"` gets (the caller's user, for `/users/me/`);
`seed_demo` adds one coherent world that documentation examples and tests can rely on.

Well-known ids: projects `proj_123` ("Demo Project"), `proj_456`, `proj_fail` (its jobs fail);
tasks `task_1`, `task_2`, `task_3`, `task_456` (pending, in `proj_123`, issues on `task_456`);
organization slug `demo-org`; dataset `demo-org/training-data`; the pending export `exp_123`; the
webhook `wh_1`. Every other id is generated from the seed; `seed_demo` returns them all by name
(exposed as `LocalAvala.demo_ids`).
"""

from __future__ import annotations

from typing import Any

from ._crud import make
from ._h_account import PROJECT, TASK, new_user
from ._h_datasets import DATASET, ITEM, SEQUENCE
from ._h_fleet import ALERT, ALERT_CHANNEL, DEVICE, EVENT, RECORDING, RULE
from ._h_issues import ISSUE, nested_problem, nested_tool
from ._h_jobs import AUTO_LABEL_JOB, EXPORT
from ._h_orgs import INVITATION, ORGANIZATION, TEAM, add_member, add_team_member
from ._h_platform import (
    AGENT,
    AGENT_EXECUTION,
    INFERENCE_PROVIDER,
    WEBHOOK,
    WEBHOOK_DELIVERY,
)
from ._h_quality import CONSENSUS_CONFIG, CONSENSUS_SCORE, QUALITY_TARGET
from ._h_slices import SLICE, add_slice_items
from ._h_storage import STORAGE_CONFIG
from ._store import Obj, Store

__all__ = ["seed_base", "seed_demo"]


def seed_base(store: Store) -> Obj:
    """The user every API key maps to unless it was issued by `/signup/`."""
    user = new_user(store, "demo@avala.ai", "demo", first_name="Demo", last_name="User")
    return store.col("users").add(user)


def _add(store: Store, collection: str, defaults: dict[str, Any], **values: Any) -> Obj:
    return store.col(collection).add(make(store, defaults, values))


def _frames(base_url: str, count: int) -> list[dict[str, Any]]:
    frames = []
    for i in range(count):
        frames.append(
            {
                "key": f"frame-{i:03d}",
                "model": "pinhole",
                "device_position": {"x": float(i), "y": 0.5 * i, "z": 1.8},
                "device_heading": {"x": 0.0, "y": 0.0, "z": 0.0, "w": 1.0},
                "lidar_url": f"{base_url}/frame-{i:03d}/lidar.pcd",
                "images": [
                    {
                        "image_url": f"{base_url}/frame-{i:03d}/{camera}.jpg",
                        "camera": camera,
                        "model": "pinhole",
                        "position": {"x": offset, "y": 0.0, "z": 1.6},
                        "heading": {"x": 0.0, "y": 0.0, "z": 0.0, "w": 1.0},
                        "width": 1920,
                        "height": 1080,
                        "fx": 1000.0,
                        "fy": 1000.0,
                        "cx": 960.0,
                        "cy": 540.0,
                    }
                    for camera, offset in (("front", 0.0), ("left", -0.5))
                ],
            }
        )
    return frames


def seed_demo(store: Store, me: Obj) -> dict[str, str]:
    ids: dict[str, str] = {"user.demo": me["uid"]}
    users = store.col("users")
    alice = users.add(
        new_user(store, "alice@avala.ai", "alice", first_name="Alice", last_name="Ng")
    )
    bob = users.add(new_user(store, "bob@avala.ai", "bob", first_name="Bob", last_name="Ortiz"))
    ids.update({"user.alice": alice["uid"], "user.bob": bob["uid"]})

    # -- projects and tasks
    for uid, name in (
        ("proj_123", "Demo Project"),
        ("proj_456", "Second Project"),
        ("proj_fail", "Failing Project"),
    ):
        _add(store, "projects", PROJECT, uid=uid, name=name)
    for uid, name in (
        ("task_1", "Label batch 1"),
        ("task_2", "Label batch 2"),
        ("task_3", "Label batch 3"),
        ("task_456", "Review lidar sequence"),
    ):
        _add(store, "tasks", TASK, uid=uid, name=name, type="annotation", project="proj_123")
    _add(
        store,
        "tasks",
        TASK,
        uid="task_789",
        name="QA pass",
        type="review",
        status="in_progress",
        project="proj_456",
    )
    _add(
        store,
        "tasks",
        TASK,
        uid="task_790",
        name="Export prep",
        type="review",
        status="completed",
        project="proj_456",
    )

    # -- organization with members, a team and a pending invitation
    org = _add(
        store,
        "organizations",
        ORGANIZATION,
        name="Demo Org",
        slug="demo-org",
        handle="demo-org",
        description="Demo organization of the local Avala API.",
        website="https://example.com",
        industry="robotics",
        email="team@example.com",
        is_verified=True,
        plan="team",
    )
    ids["organization.demo-org"] = org["uid"]
    owner = add_member(store, org, alice, "owner")
    mine = add_member(store, org, me, "admin")
    add_member(store, org, bob, "member")
    team = _add(
        store,
        "teams",
        TEAM,
        name="Core Team",
        slug="core-team",
        description="Perception labelling",
        color="#3b82f6",
        _org=org["uid"],
    )
    ids["team.core-team"] = team["uid"]
    add_team_member(store, team, mine, "lead")
    add_team_member(store, team, owner, "member")
    invite = _add(
        store,
        "invitations",
        INVITATION,
        organization_name=org["name"],
        organization_slug=org["slug"],
        invited_by_username="alice",
        invited_email="carol@example.com",
        expires_at=store.clock.later(7 * 86400),
        _org=org["uid"],
    )
    invite["accept_url"] = invite["copy_link"] = (
        f"https://avala.ai/invitations/{invite['uid']}/accept/"
    )
    ids["invitation.carol"] = invite["uid"]

    # -- datasets, items, a sequence with frames
    training = _add(
        store,
        "datasets",
        DATASET,
        name="Training Data",
        slug="training-data",
        owner_name="demo-org",
        data_type="lidar",
        is_sequence=True,
        project="proj_123",
        item_count=3,
        predefined_labels=[{"name": "car"}, {"name": "pedestrian"}, {"name": "cyclist"}],
        _organization=org["uid"],
    )
    images = _add(
        store,
        "datasets",
        DATASET,
        name="Street Images",
        slug="street-images",
        owner_name=me["username"],
        data_type="image",
        visibility="public",
        project="proj_456",
        item_count=2,
    )
    videos = _add(
        store,
        "datasets",
        DATASET,
        name="Archive Videos",
        slug="archive-videos",
        owner_name="demo-org",
        data_type="video",
        is_sequence=True,
        visibility="unlisted",
        _organization=org["uid"],
    )
    ids.update(
        {
            "dataset.training-data": training["uid"],
            "dataset.street-images": images["uid"],
            "dataset.archive-videos": videos["uid"],
        }
    )
    base = "https://data.avala.ai/demo/training-data/seq-0001"
    frames = _frames(base, 3)
    sequence = _add(
        store,
        "dataset_sequences",
        SEQUENCE,
        key="seq-0001",
        custom_uuid="seq-0001",
        featured_image=f"{base}/frame-000/front.jpg",
        dataset_uid=training["uid"],
        dataset_data_type="lidar",
        device_id="robot-01",
        number_of_frames=len(frames),
        views=[{"camera": "front"}, {"camera": "left"}],
        frames=frames,
        camera_calibration=[
            {"camera_id": img["camera"], "model": img["model"], "width": 1920, "height": 1080}
            for img in frames[0]["images"]
        ],
        allow_lidar_calibration=True,
        lidar_calibration_enabled=True,
        camera_calibration_enabled=True,
    )
    ids["sequence.seq-0001"] = sequence["uid"]
    training_items = []
    for i in range(3):
        item = _add(
            store,
            "dataset_items",
            ITEM,
            id=101 + i,
            key=f"frame-{i:03d}",
            dataset=training["uid"],
            url=f"{base}/frame-{i:03d}/front.jpg",
            thumbnails=[f"{base}/frame-{i:03d}/front_thumb.jpg"],
            related_sequence_uid=sequence["uid"],
            metadata={"frame_index": i},
        )
        training_items.append(item)
        ids[f"item.training-data.{i}"] = item["uid"]
    for i in range(2):
        item = _add(
            store,
            "dataset_items",
            ITEM,
            id=201 + i,
            key=f"street-{i:03d}.jpg",
            dataset=images["uid"],
            url=f"https://data.avala.ai/demo/street-images/street-{i:03d}.jpg",
            metadata={"city": "Lisbon"},
        )
        ids[f"item.street-images.{i}"] = item["uid"]

    # -- annotation issues on task_456 (on the training sequence)
    project_ref = {"uid": "proj_123", "name": "Demo Project"}
    reporter = {
        "username": "alice",
        "picture": None,
        "full_name": "Alice Ng",
        "type": "customer",
        "is_staff": False,
    }
    for i, (status, priority, problem) in enumerate(
        (
            ("open", "high", "qc-problem-wrong-class"),
            ("open", "medium", "qc-problem-missing-object"),
            ("resolved", "low", "qc-problem-bad-heading"),
        )
    ):
        issue = _add(
            store,
            "annotation_issues",
            ISSUE,
            sequence_uid=sequence["uid"],
            dataset_item_uid=training_items[i]["uid"],
            project=project_ref,
            reporter=reporter,
            priority=priority,
            status=status,
            tool=nested_tool("qc-tool-cuboid"),
            problem=nested_problem(problem),
            description=f"Issue {i + 1} on frame {i}",
            frames_affected=f"{i}-{i + 1}",
            task="task_456",
            object_uid=f"obj-{i:03d}",
        )
        if status == "resolved":
            issue["closed_at"] = store.clock.now()
        ids[f"issue.task_456.{i}"] = issue["uid"]

    # -- agents, webhooks, inference provider
    agent = _add(
        store,
        "agents",
        AGENT,
        name="QA Agent",
        description="Checks finished tasks",
        events=["task.completed"],
        callback_url="https://example.com/hooks/agent",
        project="proj_123",
        task_types=["annotation"],
        secret=store.uids.token("agsec_", 20),
    )
    ids["agent.qa"] = agent["uid"]
    ids["agent.triage"] = _add(
        store,
        "agents",
        AGENT,
        name="Triage Agent",
        events=["issue.created"],
        is_active=False,
        secret=store.uids.token("agsec_", 20),
    )["uid"]
    for status, error in (("completed", None), ("failed", "Callback returned HTTP 500")):
        _add(
            store,
            "agent_executions",
            AGENT_EXECUTION,
            registration=agent["uid"],
            event_type="task.completed",
            task="task_1",
            status=status,
            error_message=error,
            event_payload={"task": "task_1"},
        )
    hook = _add(
        store,
        "webhooks",
        WEBHOOK,
        uid="wh_1",
        target_url="https://example.com/hooks/avala",
        events=["export.completed", "task.completed"],
        secret=store.uids.token("whsec_", 20),
    )
    ids["webhook.main"] = hook["uid"]
    ids["webhook_delivery.main"] = _add(
        store,
        "webhook_deliveries",
        WEBHOOK_DELIVERY,
        subscription=hook["uid"],
        event_type="task.completed",
        payload={"task": "task_1"},
        response_status=200,
        response_body="ok",
        attempts=1,
        status="delivered",
    )["uid"]
    ids["inference_provider.openai"] = _add(
        store,
        "inference_providers",
        INFERENCE_PROVIDER,
        name="OpenAI GPT",
        provider_type="openai",
        config={"model": "gpt-4o"},
        project="proj_123",
    )["uid"]

    # -- jobs
    ids["export.done"] = _add(
        store,
        "exports",
        EXPORT,
        status="exported",
        project="proj_123",
        download_url="https://data.avala.ai/exports/demo/export.zip",
    )["uid"]
    ids["export.pending"] = _add(store, "exports", EXPORT, uid="exp_123", dataset=training["uid"])[
        "uid"
    ]
    ids["auto_label_job.done"] = _add(
        store,
        "auto_label_jobs",
        AUTO_LABEL_JOB,
        project="proj_123",
        status="completed",
        model_type="default",
        labels=["car", "pedestrian"],
        total_items=3,
        processed_items=3,
        successful_items=3,
        progress_pct=100.0,
        started_at=store.clock.now(),
        completed_at=store.clock.now(),
        summary={"labels_created": 6, "dry_run": False},
    )["uid"]

    # -- fleet
    robot = _add(
        store,
        "devices",
        DEVICE,
        name="robot-01",
        type="robot",
        firmware_version="1.4.2",
        tags=["warehouse"],
        metadata={"site": "lisbon"},
        _token=store.uids.token("dvt_", 24),
    )
    drone = _add(
        store,
        "devices",
        DEVICE,
        name="drone-02",
        type="drone",
        status="offline",
        firmware_version="0.9.0",
        tags=["field"],
        _token=store.uids.token("dvt_", 24),
    )
    ids.update({"device.robot-01": robot["uid"], "device.drone-02": drone["uid"]})
    rec1 = _add(
        store,
        "recordings",
        RECORDING,
        device=robot["uid"],
        duration_seconds=120.5,
        size_bytes=52_428_800,
        topic_count=2,
        tags=["daily"],
        topics=[
            {"name": "/camera/front", "type": "sensor_msgs/Image"},
            {"name": "/lidar", "type": "sensor_msgs/PointCloud2"},
        ],
        started_at="2025-12-31T10:00:00Z",
        ended_at="2025-12-31T10:02:00Z",
    )
    rec2 = _add(store, "recordings", RECORDING, device=drone["uid"], status="processing", tags=[])
    ids.update({"recording.robot-01": rec1["uid"], "recording.drone-02": rec2["uid"]})
    for i, (kind, severity, label) in enumerate(
        (
            ("anomaly", "warning", "Hard brake"),
            ("marker", "info", "Dock reached"),
            ("anomaly", "critical", "Collision"),
        )
    ):
        ids[f"event.{i}"] = _add(
            store,
            "fleet_events",
            EVENT,
            recording=rec1["uid"],
            device=robot["uid"],
            type=kind,
            label=label,
            severity=severity,
            timestamp=f"2025-12-31T10:0{i}:30Z",
            duration_ms=500,
            tags=["auto"],
        )["uid"]
    rule = _add(
        store,
        "rules",
        RULE,
        name="Low battery",
        description="Battery under 20%",
        condition={"field": "battery", "op": "lt", "value": 20},
        actions=[{"type": "alert", "severity": "warning"}],
        hit_count=2,
    )
    ids["rule.low-battery"] = rule["uid"]
    ids["rule.disabled"] = _add(
        store,
        "rules",
        RULE,
        name="Overheat",
        enabled=False,
        condition={"field": "temperature", "op": "gt", "value": 80},
        actions=[{"type": "alert", "severity": "critical"}],
    )["uid"]
    ids["alert.open"] = _add(
        store,
        "alerts",
        ALERT,
        rule=rule["uid"],
        device=robot["uid"],
        recording=rec1["uid"],
        message="Battery at 15%",
        triggered_at="2025-12-31T10:01:00Z",
    )["uid"]
    ids["alert.acknowledged"] = _add(
        store,
        "alerts",
        ALERT,
        rule=rule["uid"],
        device=drone["uid"],
        severity="critical",
        status="acknowledged",
        message="Battery at 5%",
        acknowledged_by="alice",
        triggered_at="2025-12-31T09:00:00Z",
        acknowledged_at="2025-12-31T09:05:00Z",
    )["uid"]
    ids["alert_channel.slack"] = _add(
        store,
        "alert_channels",
        ALERT_CHANNEL,
        name="Ops Slack",
        type="slack",
        config={"channel": "#fleet-ops"},
    )["uid"]

    # -- storage, quality, consensus, slices
    ids["storage_config.s3"] = _add(
        store,
        "storage_configs",
        STORAGE_CONFIG,
        name="Demo S3",
        provider="aws_s3",
        s3_bucket_name="demo-bucket",
        s3_bucket_region="us-east-1",
        s3_bucket_prefix="avala/",
        s3_auth_method="iam_role",
        is_verified=True,
        last_verified_at=store.clock.now(),
        _organization="demo-org",
        _secrets={"s3_role_arn": "arn:aws:iam::123456789012:role/avala-demo"},
    )["uid"]
    for name, metric, threshold in (
        ("Consensus floor", "consensus_score", 0.7),
        ("Label accuracy", "accuracy", 0.95),
    ):
        ids[f"quality_target.{metric}"] = _add(
            store,
            "quality_targets",
            QUALITY_TARGET,
            name=name,
            metric=metric,
            threshold=threshold,
            project="proj_123",
            notify_emails=["qa@example.com"],
        )["uid"]
    ids["consensus_config.proj_123"] = _add(
        store, "consensus_configs", CONSENSUS_CONFIG, project="proj_123", iou_threshold=0.6
    )["uid"]
    for i, score in enumerate((0.91, 0.84, 0.77, 0.62, 0.95)):
        _add(
            store,
            "consensus_scores",
            CONSENSUS_SCORE,
            project="proj_123",
            dataset_item_uid=training_items[i % 3]["uid"],
            task_name=("Label batch 1", "Label batch 2")[i % 2],
            score=score,
            annotator_count=2 + i % 2,
            details={"iou": score},
        )
    demo_slice = _add(
        store,
        "slices",
        SLICE,
        name="Demo Slice",
        slug="demo-slice",
        owner_name="demo-org",
        organization={"uid": org["uid"], "name": org["name"], "slug": org["slug"]},
        sub_slices=[{"dataset": training["uid"], "query": "label=car"}],
    )
    add_slice_items(store, demo_slice, training_items[:2])
    ids["slice.demo-slice"] = demo_slice["uid"]
    return ids
