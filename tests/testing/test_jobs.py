"""Jobs advance one state every `job_steps` polls, so `wait()` helpers can be exercised."""

from __future__ import annotations

from typing import Any

import httpx

from avala.testing import LocalAvala

KEY = {"X-Avala-Api-Key": "k"}


def poll(client: httpx.Client, path: str, times: int) -> list[dict[str, Any]]:
    return [client.get(path).json() for _ in range(times)]


def test_export_progression(client: httpx.Client) -> None:
    export = client.post("/exports/", json={"project": "proj_123"}).json()
    assert export["status"] == "pending"
    states = poll(client, f"/exports/{export['uid']}/", 3)
    assert [s["status"] for s in states] == ["processing", "exported", "exported"]
    assert states[0]["download_url"] is None
    # The finished export's file is in the object store, behind a presigned URL.
    url = str(states[1]["download_url"])
    assert "/_local/storage/exports/" in url
    served = client.get(url)
    assert served.status_code == 200
    assert served.content.startswith(b"PK")
    listed = client.get("/exports/").json()["results"]
    assert next(e for e in listed if e["uid"] == export["uid"])["status"] == "exported"


def test_export_failure_and_knob(api: LocalAvala, client: httpx.Client) -> None:
    failing = client.post("/exports/", json={"project": "proj_fail"}).json()
    states = [s["status"] for s in poll(client, f"/exports/{failing['uid']}/", 3)]
    assert states == ["processing", "failed", "failed"]
    ds = api.demo_ids["dataset.street-images"]
    api.fail_jobs_for.add(ds)
    by_dataset = client.post("/exports/", json={"dataset": ds}).json()
    assert poll(client, f"/exports/{by_dataset['uid']}/", 2)[-1]["status"] == "failed"


def test_job_steps_slow_things_down() -> None:
    api = LocalAvala(job_steps=3)
    with api.httpx_client(headers=KEY) as client:
        export = client.post("/exports/", json={}).json()
        states = [s["status"] for s in poll(client, f"/exports/{export['uid']}/", 6)]
        assert states == [
            "pending",
            "pending",
            "processing",
            "processing",
            "processing",
            "exported",
        ]


def test_auto_label_progression(client: httpx.Client) -> None:
    job = client.post("/projects/proj_123/auto-label/", json={"labels": ["car", "bus"]}).json()
    running, done = poll(client, f"/auto-label-jobs/{job['uid']}/", 2)
    assert running["status"] == "running"
    assert running["started_at"]
    assert 0 < running["progress_pct"] < 100
    assert running["processed_items"] == 1
    assert done["status"] == "completed"
    assert done["progress_pct"] == 100.0
    assert done["processed_items"] == done["total_items"] == 3
    assert done["successful_items"] + done["skipped_items"] == 3
    assert done["summary"]["labels_created"] == done["successful_items"] * 2
    assert client.delete(f"/auto-label-jobs/{job['uid']}/").status_code == 400  # finished


def test_auto_label_failure(client: httpx.Client) -> None:
    job = client.post("/projects/proj_fail/auto-label/", json={}).json()
    final = poll(client, f"/auto-label-jobs/{job['uid']}/", 2)[-1]
    assert final["status"] == "failed"
    assert final["error_message"]
    assert final["failed_items"] == final["total_items"]


def test_auto_label_cancel(client: httpx.Client) -> None:
    job = client.post("/projects/proj_123/auto-label/", json={}).json()
    client.get(f"/auto-label-jobs/{job['uid']}/")
    response = client.delete(f"/auto-label-jobs/{job['uid']}/")
    assert (response.status_code, response.content) == (204, b"")
    after = client.get(f"/auto-label-jobs/{job['uid']}/").json()
    assert after["status"] == "cancelled"
    assert after["completed_at"]
    assert client.get(f"/auto-label-jobs/{job['uid']}/").json()["status"] == "cancelled"


def test_new_dataset_becomes_created_after_two_polls(client: httpx.Client) -> None:
    body = {"name": "D", "slug": "d", "data_type": "image"}
    dataset = client.post("/datasets/", json=body).json()
    assert dataset["status"] == "creating"
    states = [d["status"] for d in poll(client, f"/datasets/{dataset['uid']}/", 3)]
    assert states == ["creating", "created", "created"]
    health = client.get("/datasets/demo/d/health/").json()
    assert health["dataset_status"] == "created"


def test_demo_pending_export_advances(api: LocalAvala, client: httpx.Client) -> None:
    uid = api.demo_ids["export.pending"]
    assert [s["status"] for s in poll(client, f"/exports/{uid}/", 2)] == ["processing", "exported"]
