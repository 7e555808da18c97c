"""Every route family of the contract: create / get / list / update / delete and actions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from avala.testing import LocalAvala


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


def uids(page: dict[str, Any]) -> list[str]:
    return [obj["uid"] for obj in page["results"]]


# -- account, projects, tasks ------------------------------------------------------------------


def test_users_me_has_uid_username_email(client: httpx.Client) -> None:
    me = ok(client.get("/users/me/"))
    assert set(me) == {"uid", "username", "email"}
    assert me["username"] == "demo"


def test_projects_crud(client: httpx.Client) -> None:
    assert "proj_123" in uids(ok(client.get("/users/me/projects/")))
    assert ok(client.get("/users/me/projects/proj_123/"))["name"] == "Demo Project"
    new = ok(client.post("/users/me/projects/", json={"name": "P"}), 201)
    assert new["status"] == "active"
    assert (
        ok(client.patch(f"/users/me/projects/{new['uid']}/", json={"status": "archived"}))["status"]
        == "archived"
    )
    task = ok(client.post("/tasks/", json={"name": "t", "project": new["uid"]}), 201)
    ok(client.delete(f"/users/me/projects/{new['uid']}/"), 204)
    assert client.get(f"/users/me/projects/{new['uid']}/").status_code == 404
    assert client.get(f"/tasks/{task['uid']}/").status_code == 404  # cascaded


def test_tasks_crud_and_filters(client: httpx.Client) -> None:
    listed = ok(client.get("/tasks/", params={"project": "proj_123", "status": "pending"}))
    assert uids(listed) == ["task_1", "task_2", "task_3", "task_456"]
    assert uids(ok(client.get("/tasks/", params={"status": "completed"}))) == ["task_790"]
    new = ok(
        client.post("/tasks/", json={"name": "n", "project": "proj_123", "type": "review"}), 201
    )
    assert new["status"] == "pending"
    assert new["type"] == "review"
    patched = ok(client.patch(f"/tasks/{new['uid']}/", json={"status": "completed"}))
    assert patched["status"] == "completed"
    assert patched["name"] == "n"
    assert patched["updated_at"] > new["updated_at"]
    ok(client.delete(f"/tasks/{new['uid']}/"), 204)
    assert client.get(f"/tasks/{new['uid']}/").status_code == 404


def test_task_create_validates_project(client: httpx.Client) -> None:
    response = client.post("/tasks/", json={"name": "n", "project": "nope"})
    assert response.status_code == 400
    assert list(response.json()) == ["project"]


def test_seed_tasks_bulk(api: LocalAvala, client: httpx.Client) -> None:
    created = api.seed_tasks(1000)
    assert len(set(created)) == 1000
    page = ok(client.get("/tasks/", params={"project": "proj_123", "limit": 1000}))
    assert len(page["results"]) == 1000
    assert page["next"]


# -- agents, webhooks, inference providers ---------------------------------------------------


def test_agents_crud_and_actions(client: httpx.Client) -> None:
    agent = ok(client.post("/agents/", json={"name": "A", "events": ["task.completed"]}), 201)
    assert agent["is_active"] is True
    assert agent["secret"].startswith("agsec_")
    assert agent["execution_stats"] == {"total": 0, "failed": 0}
    assert ok(client.post(f"/agents/{agent['uid']}/test/")) == {
        "delivered": True,
        "status_code": 200,
    }
    runs = ok(client.get(f"/agents/{agent['uid']}/executions/"))["results"]
    assert [r["registration"] for r in runs] == [agent["uid"]]
    assert ok(client.get(f"/agents/{agent['uid']}/"))["execution_stats"]["total"] == 1
    assert (
        ok(client.patch(f"/agents/{agent['uid']}/", json={"is_active": False}))["is_active"]
        is False
    )
    ok(client.delete(f"/agents/{agent['uid']}/"), 204)
    assert client.get(f"/agents/{agent['uid']}/executions/").status_code == 404


def test_webhooks_and_deliveries(client: httpx.Client) -> None:
    hook = ok(
        client.post("/webhooks/", json={"target_url": "https://x.example/h", "events": ["a"]}), 201
    )
    assert hook["secret"].startswith("whsec_")
    patched = ok(client.patch(f"/webhooks/{hook['uid']}/", json={"secret": "s3", "events": ["b"]}))
    assert (patched["secret"], patched["events"]) == ("s3", ["b"])
    assert ok(client.post(f"/webhooks/{hook['uid']}/test/")) == {"delivered": True}
    deliveries = ok(client.get("/webhook-deliveries/"))["results"]
    mine = [d for d in deliveries if d["subscription"] == hook["uid"]]
    assert len(mine) == 1
    assert ok(client.get(f"/webhook-deliveries/{mine[0]['uid']}/"))["status"] == "delivered"
    ok(client.delete(f"/webhooks/{hook['uid']}/"), 204)


def test_inference_providers(client: httpx.Client) -> None:
    body = {"name": "p", "provider_type": "anthropic", "config": {"model": "m"}}
    provider = ok(client.post("/inference-providers/", json=body), 201)
    assert ok(client.post(f"/inference-providers/{provider['uid']}/test/")) == {
        "success": True,
        "latency_ms": 120,
    }
    got = ok(client.get(f"/inference-providers/{provider['uid']}/"))
    assert got["last_test_success"] is True
    assert got["last_test_at"]
    assert (
        ok(client.patch(f"/inference-providers/{provider['uid']}/", json={"description": "d"}))[
            "description"
        ]
        == "d"
    )
    ok(client.delete(f"/inference-providers/{provider['uid']}/"), 204)


# -- datasets --------------------------------------------------------------------------------


def test_datasets_filters(client: httpx.Client) -> None:
    def names(**q: str) -> list[str]:
        return [d["slug"] for d in ok(client.get("/datasets/", params=q))["results"]]

    assert names(data_type="image") == ["street-images"]
    assert names(name="TRAIN") == ["training-data"]  # icontains
    assert names(visibility="unlisted") == ["archive-videos"]
    assert names(status="creating") == []


def test_dataset_create_update_delete(client: httpx.Client) -> None:
    body = {"name": "D", "slug": "d", "data_type": "image", "project": "proj_123"}
    ds = ok(client.post("/datasets/", json=body), 201)
    assert (ds["owner_name"], ds["project"], ds["status"]) == ("demo", "proj_123", "creating")
    assert ok(client.get("/datasets/demo/d/"))["uid"] == ds["uid"]
    dup = client.post("/datasets/", json=body)
    assert dup.status_code == 400
    assert "slug" in dup.json()
    patched = ok(client.patch(f"/datasets/{ds['uid']}/", json={"visibility": "public"}))
    assert patched["visibility"] == "public"
    assert client.patch(f"/datasets/{ds['uid']}/", json={"visibility": "x"}).json() == {
        "visibility": ['"x" is not a valid choice.']
    }
    ok(client.delete(f"/datasets/{ds['uid']}/"), 204)
    assert client.get("/datasets/demo/d/").status_code == 404


def test_dataset_requires_slug_and_data_type(client: httpx.Client) -> None:
    response = client.post("/datasets/", json={"name": "D"})
    assert response.status_code == 400
    assert response.json() == {
        "slug": ["This field is required."],
        "data_type": ["This field is required."],
    }


def test_dataset_items_sequences_health(api: LocalAvala, client: httpx.Client) -> None:
    base = "/datasets/demo-org/training-data"
    items = ok(client.get(f"{base}/items/"))["results"]
    assert len(items) == 3
    assert items[0]["dataset_slug"] == "training-data"
    assert ok(client.get(f"{base}/items/{items[1]['uid']}/"))["key"] == "frame-001"
    other = api.demo_ids["item.street-images.0"]
    assert client.get(f"{base}/items/{other}/").status_code == 404  # item of another dataset
    sequences = ok(client.get(f"{base}/sequences/"))["results"]
    assert sequences[0]["frames"] is None  # list view leaves frames out
    detail = ok(client.get(f"{base}/sequences/{sequences[0]['uid']}/"))
    assert len(detail["frames"]) == 3
    assert detail["frames"][0]["images"][0]["camera"] == "front"
    health = ok(client.get(f"{base}/health/"))
    assert (health["data_type"], health["is_sequence"], health["total_frames"]) == (
        "lidar",
        True,
        3,
    )
    assert health["ingest_ok"] is True
    assert health["sequences"][0]["frame_count"] == 3


def test_dataset_transfer(api: LocalAvala, client: httpx.Client) -> None:
    moved = ok(
        client.post("/datasets/demo/street-images/transfer/", json={"owner_username": "bob"})
    )
    assert moved["owner_name"] == "bob"
    item = ok(client.get("/datasets/bob/street-images/items/"))["results"][0]
    assert item["dataset_owner_name"] == "bob"
    org = api.demo_ids["organization.demo-org"]
    ok(client.post("/datasets/bob/street-images/transfer/", json={"organization_uid": org}))
    assert ok(client.get("/datasets/demo-org/street-images/"))["owner_name"] == "demo-org"
    both = {"organization_uid": org, "owner_username": "x"}
    assert client.post("/datasets/demo-org/street-images/transfer/", json=both).status_code == 400


def test_manual_upload(api: LocalAvala) -> None:
    small = LocalAvala(upload_quota_bytes=100)
    with small.httpx_client(headers={"X-Avala-Api-Key": "k"}) as client:
        assert ok(client.get("/datasets/manual-upload/quota/")) == {"used": 0, "limit": 100}
        mimes = ok(client.get("/datasets/manual-upload/allowed-mimes/"))
        assert "image/jpeg" in mimes["mime_types"]
        assert mimes["video_prefix"] == "video/"
        body = {"dataset_name": "d", "file_path_in_dataset": "a.jpg", "content_length": 60}
        presign = ok(client.post("/datasets/manual-upload/file-upload-url/", json=body))
        assert presign["method"] == "POST"
        assert presign["url"].startswith("http://localhost/_local/storage/")
        body["file_path_in_dataset"] = "b.jpg"
        refused = client.post("/datasets/manual-upload/file-upload-url/", json=body)
        assert refused.status_code == 413
        assert refused.json() == {"detail": "Upload quota exceeded.", "limit": 100, "used": 60}
        manual = {"name": "M", "slug": "m", "data_type": "image"}
        assert ok(client.post("/datasets/manual-upload/", json=manual), 201)["status"] == "creating"


# -- annotation issues, bulk edit -------------------------------------------------------------


def test_annotation_issues_routes(api: LocalAvala, client: httpx.Client) -> None:
    seq = api.demo_ids["sequence.seq-0001"]
    by_task = ok(client.get("/annotation-issues/", params={"task": "task_456"}))["results"]
    assert len(by_task) == 3
    assert {i["task"] for i in by_task} == {"task_456"}
    assert (
        len(
            ok(client.get("/annotation-issues/", params={"task": "task_456", "status": "open"}))[
                "results"
            ]
        )
        == 2
    )
    body = {
        "tool_uid": "qc-tool-cuboid",
        "problem_uid": "qc-problem-bad-heading",
        "sequence_uid": seq,
    }
    issue = ok(client.post(f"/sequences/{seq}/annotation-issues/", json=body), 201)
    assert issue["tool"] == {"uid": "qc-tool-cuboid", "name": "Cuboid", "default": True}
    assert issue["reporter"]["username"] == "demo"
    assert issue["status"] == "open"
    assert len(ok(client.get(f"/sequences/{seq}/annotation-issues/"))) == 4  # bare array
    closed = ok(
        client.patch(
            f"/sequences/{seq}/annotation-issues/{issue['uid']}/", json={"status": "closed"}
        )
    )
    assert closed["closed_at"] is not None
    listed = ok(client.get("/datasets/demo-org/training-data/annotation-issues/"))
    assert isinstance(listed, list)
    assert len(listed) == 4
    metrics = ok(client.get("/datasets/demo-org/training-data/annotation-issues/metrics/"))
    assert metrics["status_count"] == {"open": 2, "resolved": 1, "closed": 1}
    ok(client.delete(f"/sequences/{seq}/annotation-issues/{issue['uid']}/"), 204)
    assert (
        client.delete(f"/sequences/other/annotation-issues/{by_task[0]['uid']}/").status_code == 404
    )
    mismatch = dict(body, sequence_uid="other")
    assert client.post(f"/sequences/{seq}/annotation-issues/", json=mismatch).status_code == 400


def test_qc_tools(client: httpx.Client) -> None:
    tools = ok(client.get("/qc-available-tools/", params={"dataset_type": "image"}))
    assert tools
    assert {t["dataset_type"] for t in tools} == {"image"}
    assert client.get("/qc-available-tools/").json() == {
        "dataset_type": ["This field is required."]
    }


def test_bulk_edit(api: LocalAvala, client: httpx.Client) -> None:
    edits = [{"action": "upsert", "object_uuid": f"o{i}"} for i in range(3)]
    assert ok(client.post("/datasets/demo-org/training-data/bulk-edition/", json=edits)) == {
        "updated": 3
    }
    assert api.store.count("annotation_edits") == 3
    bad = client.post("/datasets/demo-org/training-data/bulk-edition/", json=[{"action": "x"}, {}])
    assert bad.status_code == 400
    assert bad.json() == [{}, {"action": ["This field is required."]}]
    not_list = client.post("/datasets/demo-org/training-data/bulk-edition/", json={"action": "x"})
    assert not_list.status_code == 400
    assert client.post("/datasets/x/y/bulk-edition/", json=edits).status_code == 404


# -- consensus, quality targets ---------------------------------------------------------------


def test_consensus(client: httpx.Client) -> None:
    summary = ok(client.get("/projects/proj_123/consensus/"))
    assert summary["total_items"] == 3
    assert 0 < summary["mean_score"] < 1
    assert len(ok(client.get("/projects/proj_123/consensus/scores/"))["results"]) == 5
    assert ok(client.post("/projects/proj_123/consensus/compute/"))["status"] == "started"
    config = ok(client.get("/projects/proj_123/consensus/config/"))
    updated = ok(client.put("/projects/proj_123/consensus/config/", json={"min_annotations": 3}))
    assert updated["min_annotations"] == 3
    assert updated["iou_threshold"] == config["iou_threshold"]
    bad = client.put("/projects/proj_123/consensus/config/", json={"iou_threshold": 2})
    assert bad.json() == {"iou_threshold": ["Ensure this value is less than or equal to 1."]}
    assert client.get("/projects/nope/consensus/").status_code == 404
    fresh = ok(client.get("/projects/proj_456/consensus/config/"))  # created on demand
    assert (fresh["iou_threshold"], fresh["min_annotations"]) == (0.5, 2)


def test_quality_targets(client: httpx.Client) -> None:
    base = "/projects/proj_123/quality-targets/"
    target = ok(client.post(base, json={"name": "t", "metric": "accuracy", "threshold": 1.5}), 201)
    assert (target["operator"], target["is_breached"], target["breach_count"]) == ("gte", False, 0)
    assert len(ok(client.get(base))["results"]) == 3
    assert (
        ok(client.patch(f"{base}{target['uid']}/", json={"severity": "critical"}))["severity"]
        == "critical"
    )
    evaluation = ok(client.post(f"{base}evaluate/"))
    assert isinstance(evaluation, list)
    assert len(evaluation) == 3
    mine = next(e for e in evaluation if e["uid"] == target["uid"])
    assert mine["is_breached"] is True
    assert 0.5 <= mine["current_value"] < 1.0
    assert ok(client.get(f"{base}{target['uid']}/"))["breach_count"] == 1
    assert client.get(f"/projects/proj_456/quality-targets/{target['uid']}/").status_code == 404
    ok(client.delete(f"{base}{target['uid']}/"), 204)


# -- fleet -----------------------------------------------------------------------------------


def test_fleet_devices_recordings(api: LocalAvala, client: httpx.Client) -> None:
    device = ok(client.post("/fleet/devices/", json={"name": "d", "type": "robot"}), 201)
    assert device["device_token"].startswith("dvt_")
    assert ok(client.get(f"/fleet/devices/{device['uid']}/"))["device_token"] is None  # shown once
    assert len(ok(client.get("/fleet/devices/", params={"type": "drone"}))["results"]) == 1
    assert ok(client.patch(f"/fleet/devices/{device['uid']}/", json={"tags": ["x"]}))["tags"] == [
        "x"
    ]
    ok(client.delete(f"/fleet/devices/{device['uid']}/"), 204)
    robot = api.demo_ids["device.robot-01"]
    recordings = ok(client.get("/fleet/recordings/", params={"device": robot}))["results"]
    assert [r["device"] for r in recordings] == [robot]
    rec = recordings[0]["uid"]
    assert (
        ok(client.patch(f"/fleet/recordings/{rec}/", json={"status": "archived"}))["status"]
        == "archived"
    )
    ok(client.delete(f"/fleet/recordings/{rec}/"), 204)
    assert client.post("/fleet/recordings/", json={}).status_code == 405


def test_fleet_events_and_batch(api: LocalAvala, client: httpx.Client) -> None:
    rec, dev = api.demo_ids["recording.robot-01"], api.demo_ids["device.robot-01"]
    event = {
        "recording": rec,
        "device": dev,
        "label": "l",
        "type": "marker",
        "timestamp": "2026-01-02T03:04:05+00:00",
    }
    created = ok(client.post("/fleet/events/", json=event), 201)
    assert created["timestamp"] == "2026-01-02T03:04:05Z"
    assert ok(client.post("/fleet/events/batch/", json={"events": [event, event]}), 201) == {
        "created": 2
    }
    bad = client.post("/fleet/events/batch/", json={"events": [event, {"label": "x"}]})
    assert bad.status_code == 400
    assert bad.json()["events"][0] == {}
    assert api.store.count("fleet_events") == 6  # 3 demo + 1 + 2: nothing from the bad batch
    listed = ok(client.get("/fleet/events/", params={"recording": rec, "type": "marker"}))[
        "results"
    ]
    assert len(listed) == 4
    assert ok(client.get(f"/fleet/events/{created['uid']}/"))["label"] == "l"
    ok(client.delete(f"/fleet/events/{created['uid']}/"), 204)


def test_fleet_rules_alerts_channels(api: LocalAvala, client: httpx.Client) -> None:
    assert len(ok(client.get("/fleet/rules/", params={"enabled": "true"}))["results"]) == 1
    assert len(ok(client.get("/fleet/rules/", params={"enabled": "false"}))["results"]) == 1
    assert client.get("/fleet/rules/", params={"enabled": "maybe"}).status_code == 400
    rule = ok(client.post("/fleet/rules/", json={"name": "r", "condition": {}, "actions": []}), 201)
    assert (rule["enabled"], rule["hit_count"]) == (True, 0)
    ok(client.delete(f"/fleet/rules/{rule['uid']}/"), 204)
    alert = api.demo_ids["alert.open"]
    assert [
        a["uid"] for a in ok(client.get("/fleet/alerts/", params={"status": "open"}))["results"]
    ] == [alert]
    acked = ok(client.post(f"/fleet/alerts/{alert}/acknowledge/"))
    assert (acked["status"], acked["acknowledged_by"]) == ("acknowledged", "demo")
    resolved = ok(client.post(f"/fleet/alerts/{alert}/resolve/"))  # no body at all
    assert resolved["status"] == "resolved"
    assert resolved["resolution_note"] is None
    noted = ok(client.post(f"/fleet/alerts/{alert}/resolve/", json={"resolution_note": "fixed"}))
    assert noted["resolution_note"] == "fixed"
    assert client.post(f"/fleet/alerts/{alert}/acknowledge/").status_code == 400
    channel = ok(
        client.post("/fleet/alert-channels/", json={"name": "c", "type": "slack", "config": {}}),
        201,
    )
    assert ok(client.post(f"/fleet/alert-channels/{channel['uid']}/test/")) == {
        "ok": True,
        "delivered": True,
    }
    assert (
        ok(client.patch(f"/fleet/alert-channels/{channel['uid']}/", json={"name": "d"}))["name"]
        == "d"
    )
    assert ok(client.get(f"/fleet/alert-channels/{channel['uid']}/"))["name"] == "d"
    ok(client.delete(f"/fleet/alert-channels/{channel['uid']}/"), 204)


# -- organizations ---------------------------------------------------------------------------


def test_organization_crud(client: httpx.Client) -> None:
    org = ok(client.post("/organizations/", json={"name": "Acme Robotics"}), 201)
    assert (org["slug"], org["role"], org["member_count"]) == ("acme-robotics", "owner", 1)
    again = ok(client.post("/organizations/", json={"name": "Acme Robotics"}), 201)
    assert again["slug"] == "acme-robotics-2"
    assert (
        ok(client.patch("/organizations/acme-robotics/", json={"website": "w"}))["website"] == "w"
    )
    ok(client.delete("/organizations/acme-robotics/"), 204)
    assert client.get("/organizations/acme-robotics/").status_code == 404
    choices = ok(client.get("/organizations/industry-choices/"))
    assert {"value": "robotics", "label": "Robotics"} in choices["choices"]


def test_organization_members(api: LocalAvala, client: httpx.Client) -> None:
    base = "/organizations/demo-org"
    members = ok(client.get(f"{base}/members/"))["results"]
    assert {m["username"]: m["role"] for m in members} == {
        "alice": "owner",
        "demo": "admin",
        "bob": "member",
    }
    assert [
        m["username"]
        for m in ok(client.get(f"{base}/members/", params={"search": "BOB"}))["results"]
    ] == ["bob"]
    assert [
        m["username"]
        for m in ok(client.get(f"{base}/members/", params={"role": "owner"}))["results"]
    ] == ["alice"]
    bob, alice, me = (api.demo_ids[f"user.{n}"] for n in ("bob", "alice", "demo"))
    assert client.patch(f"{base}/members/{bob}/role/", json={"role": "admin"}).status_code == 204
    assert client.patch(f"{base}/members/{bob}/role/", json={"role": "boss"}).status_code == 400
    assert client.delete(f"{base}/members/{alice}/").status_code == 400  # the owner
    assert client.delete(f"{base}/members/{bob}/").status_code == 204
    assert client.delete(f"{base}/members/{bob}/").status_code == 404
    assert (
        client.post(f"{base}/transfer-ownership/", json={"new_owner_uid": bob}).status_code == 400
    )
    assert client.post(f"{base}/transfer-ownership/", json={"new_owner_uid": me}).status_code == 204
    assert ok(client.get(f"{base}/"))["role"] == "owner"
    assert client.post(f"{base}/leave/").status_code == 400  # owners must transfer first
    assert (
        client.post(f"{base}/transfer-ownership/", json={"new_owner_uid": alice}).status_code == 204
    )
    response = client.post(f"{base}/leave/")
    assert (response.status_code, response.content) == (204, b"")
    assert ok(client.get(f"{base}/"))["role"] is None


def test_organization_invitations(client: httpx.Client) -> None:
    base = "/organizations/demo-org/invitations/"
    invite = ok(client.post(base, json={"email": "new@example.com"}), 201)
    assert (invite["status"], invite["role"], invite["invited_by_username"]) == (
        "pending",
        "member",
        "demo",
    )
    assert client.post(base, json={"email": "new@example.com"}).status_code == 400
    assert client.post(base, json={"email": "not-an-email"}).json() == {
        "email": ["Enter a valid email address."]
    }
    assert len(ok(client.get(base))["results"]) == 2
    assert client.post(f"{base}{invite['uid']}/resend/").status_code == 204
    assert client.post(f"{base}{invite['uid']}/cancel/").status_code == 204
    assert client.post(f"{base}{invite['uid']}/cancel/").status_code == 404
    assert len(ok(client.get(base))["results"]) == 1


def test_organization_teams(api: LocalAvala, client: httpx.Client) -> None:
    base = "/organizations/demo-org/teams/"
    assert ok(client.get(f"{base}core-team/"))["member_count"] == 2
    team = ok(client.post(base, json={"name": "Night Shift", "color": "#000"}), 201)
    assert (team["slug"], team["organization_slug"]) == ("night-shift", "demo-org")
    assert ok(client.patch(f"{base}night-shift/", json={"description": "d"}))["description"] == "d"
    bob = api.demo_ids["user.bob"]
    member = ok(client.post(f"{base}night-shift/members/", json={"user_uid": bob}), 201)
    assert (member["user_uid"], member["role"]) == (bob, "member")
    assert client.post(f"{base}night-shift/members/", json={"user_uid": bob}).status_code == 400
    assert (
        client.post(f"{base}night-shift/members/", json={"user_uid": "stranger"}).status_code == 400
    )
    assert (
        client.patch(f"{base}night-shift/members/{bob}/role/", json={"role": "lead"}).status_code
        == 204
    )
    assert ok(client.get(f"{base}night-shift/members/"))["results"][0]["role"] == "lead"
    assert client.delete(f"{base}night-shift/members/{bob}/").status_code == 204
    assert client.delete(f"{base}night-shift/").status_code == 204
    assert client.get(f"{base}night-shift/").status_code == 404


def test_organizations_page_number_pagination(client: httpx.Client) -> None:
    for i in range(44):
        ok(client.post("/organizations/", json={"name": f"Org {i}"}), 201)
    assert len(ok(client.get("/organizations/"))["results"]) == 20  # the default page size
    first = ok(client.get("/organizations/", params={"limit": 20}))
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://localhost/api/v1/organizations/?limit=20&page=2"
    second = ok(client.get(first["next"]))
    assert second["previous"] == "http://localhost/api/v1/organizations/?limit=20"  # no page=1
    third = ok(client.get(second["next"]))
    assert len(third["results"]) == 5
    assert third["next"] is None
    assert third["previous"].endswith("page=2")
    seen = uids(first) + uids(second) + uids(third)
    assert len(set(seen)) == 45
    assert client.get("/organizations/", params={"page": 9}).json() == {"detail": "Invalid page."}
    assert uids(ok(client.get("/organizations/", params={"cursor": "x"}))) == uids(first)


def test_organizations_pages_honour_limit(client: httpx.Client) -> None:
    for i in range(6):
        ok(client.post("/organizations/", json={"name": f"Org {i}"}), 201)
    first = ok(client.get("/organizations/", params={"limit": 1}))
    assert len(first["results"]) == 1
    assert first["next"] == "http://localhost/api/v1/organizations/?limit=1&page=2"
    seen, page = uids(first), first
    while page["next"]:
        page = ok(client.get(page["next"]))
        assert len(page["results"]) == 1
        seen += uids(page)
    assert len(set(seen)) == len(seen) == 7
    assert len(ok(client.get("/organizations/", params={"limit": 5000}))["results"]) == 7


# -- storage configs, slices, exports, auto-label -----------------------------------------------


def test_storage_configs(api: LocalAvala, client: httpx.Client) -> None:
    body = {"name": "s", "provider": "aws_s3", "s3_bucket_name": "b", "s3_secret_access_key": "shh"}
    config = ok(
        client.post("/storage-configs/", params={"organization": "demo-org"}, json=body), 201
    )
    assert "s3_secret_access_key" not in config
    assert config["is_verified"] is False
    assert "shh" not in str(api.store.objects("storage_configs"))
    assert (
        len(ok(client.get("/storage-configs/", params={"organization": "demo-org"}))["results"])
        == 2
    )
    assert ok(client.get(f"/storage-configs/{config['uid']}/", params={"organization": "demo-org"}))
    assert (
        client.get(
            f"/storage-configs/{config['uid']}/", params={"organization": "other"}
        ).status_code
        == 404
    )
    assert ok(client.post(f"/storage-configs/{config['uid']}/test/")) == {"verified": True}
    assert (
        ok(client.patch(f"/storage-configs/{config['uid']}/", json={"name": "t"}))["is_verified"]
        is False
    )
    info = ok(client.get("/storage-configs/setup-info/", params={"organization": "demo-org"}))
    assert set(info) == {"avala_aws_account_id", "external_id"}
    assert (
        client.post("/storage-configs/", json={"name": "s", "provider": "ftp"}).status_code == 400
    )
    ok(client.delete(f"/storage-configs/{config['uid']}/"), 204)


def test_slices(api: LocalAvala, client: httpx.Client) -> None:
    ds = api.demo_ids["dataset.training-data"]
    body = {
        "name": "Cars",
        "visibility": "private",
        "sub_slices": [{"dataset": ds, "query": "label=car"}],
    }
    created = ok(client.post("/slices/", json=body), 201)
    assert (created["owner_name"], created["slug"], created["item_count"]) == ("demo", "cars", 3)
    listed = ok(client.get("/slices/demo/list/"))["results"]
    assert [s["slug"] for s in listed] == ["cars"]
    assert ok(client.get("/slices/demo/cars/"))["uid"] == created["uid"]
    items = ok(client.get("/slices/demo/cars/items/list/"))["results"]
    assert len(items) == 3
    assert ok(client.get(f"/slices/demo/cars/items/{items[0]['uid']}/"))["uid"] == items[0]["uid"]
    assert client.get("/slices/demo/cars/items/nope/").status_code == 404


def test_exports_crud(client: httpx.Client) -> None:
    export = ok(client.post("/exports/", json={}), 201)
    assert export["status"] == "pending"
    assert export["download_url"] is None
    assert export["uid"] in uids(ok(client.get("/exports/")))
    ok(client.delete(f"/exports/{export['uid']}/"), 204)
    assert client.get(f"/exports/{export['uid']}/").status_code == 404


def test_auto_label_list_and_create(client: httpx.Client) -> None:
    job = ok(client.post("/projects/proj_123/auto-label/", json={"labels": ["car"]}), 201)
    assert (job["status"], job["total_items"], job["labels"]) == ("pending", 3, ["car"])
    assert len(ok(client.get("/auto-label-jobs/", params={"project": "proj_123"}))["results"]) == 2
    assert ok(client.get("/auto-label-jobs/", params={"project": "proj_456"}))["results"] == []
    assert client.post("/projects/nope/auto-label/", json={}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/agents/nope/",
        "/tasks/nope/",
        "/datasets/nope/",
        "/datasets/nobody/nothing/",
        "/exports/nope/",
        "/auto-label-jobs/nope/",
        "/fleet/devices/nope/",
        "/fleet/alerts/nope/",
        "/organizations/nope/",
        "/organizations/demo-org/teams/nope/",
        "/slices/demo-org/nope/",
        "/storage-configs/nope/",
        "/webhooks/nope/",
        "/webhook-deliveries/nope/",
        "/inference-providers/nope/",
        "/users/me/projects/nope/",
        "/projects/nope/quality-targets/",
    ],
)
def test_unknown_ids_are_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
