"""The local API's fleet upload routes, spoken to directly (no SDK upload code)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import pytest

from avala._core._fleet_grants import validate_part_grant
from avala.testing import LocalAvala

NO_SESSION = {"detail": "No upload session found for this recording."}


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


@pytest.fixture
def http(api: LocalAvala) -> Any:
    with api.httpx_client(headers={"X-Avala-Api-Key": "k"}) as client:
        yield client


def test_legacy_session_lifecycle(api: LocalAvala, http: httpx.Client) -> None:
    rec = api.add_recording()
    base = f"/fleet/recordings/{rec}/upload/"
    missing = http.get(base + "status/")
    assert (missing.status_code, missing.json()) == (404, NO_SESSION)
    unknown = http.get("/fleet/recordings/nope/upload/status/")
    assert unknown.status_code == 404
    assert unknown.json() != NO_SESSION
    files = [{"path": f"f{i:04d}.bin", "size_bytes": 3} for i in range(1500)]
    init = http.post(base + "init/", json={"files": files})
    assert init.status_code == 201
    session = init.json()
    assert set(session) == {
        "uid",
        "total_files",
        "total_bytes",
        "confirmed_files",
        "confirmed_bytes",
        "s3_prefix",
        "status",
    }
    assert session["status"] == "initiated"
    assert session["s3_prefix"].startswith("fleet/")
    assert session["s3_prefix"].endswith(f"/{rec}/")
    assert http.post(base + "init/", json={"files": files}).status_code == 409
    status = http.get(base + "status/").json()
    assert len(status["pending_paths"]) == 1000
    page2 = http.get(base + "status/", params={"pending_after": status["pending_paths"][-1]}).json()
    assert len(page2["pending_paths"]) == 500
    assert page2["pending_paths"][0] == "f1000.bin"
    urls = http.post(
        base + "urls/",
        json={"session_uid": session["uid"], "file_paths": ["f0000.bin"], "ttl_seconds": 60},
    ).json()["urls"]
    (grant,) = urls
    assert grant["s3_key"] == session["s3_prefix"] + "f0000.bin"
    put = http.put(grant["put_url"], content=b"abc", headers=grant["headers"])
    assert put.status_code == 200
    etag = put.headers["etag"]
    confirm_url = base + "confirm/"
    wrong = http.post(
        confirm_url,
        json={
            "session_uid": session["uid"],
            "files": [{"path": "f0000.bin", "etag": "x", "size_bytes": 3}],
        },
    )
    assert wrong.status_code == 400
    unsent = http.post(
        confirm_url,
        json={
            "session_uid": session["uid"],
            "files": [{"path": "f0001.bin", "etag": "x", "size_bytes": 3}],
        },
    )
    assert unsent.status_code == 400
    ok = http.post(
        confirm_url,
        json={
            "session_uid": session["uid"],
            "files": [{"path": "f0000.bin", "etag": etag, "size_bytes": 3}],
        },
    )
    assert ok.json() == {
        "session_uid": session["uid"],
        "total_files": 1500,
        "total_bytes": 4500,
        "confirmed_files": 1,
        "confirmed_bytes": 3,
    }
    early = http.post(base + "finalize/", json={"session_uid": session["uid"]})
    assert early.status_code == 400


def test_legacy_finalize_progresses_as_polled(api: LocalAvala, http: httpx.Client) -> None:
    api.job_steps = 2
    rec = api.add_recording()
    base = f"/fleet/recordings/{rec}/upload/"
    session = http.post(base + "init/", json={"files": [{"path": "a", "size_bytes": 1}]}).json()
    (grant,) = http.post(
        base + "urls/", json={"session_uid": session["uid"], "file_paths": ["a"]}
    ).json()["urls"]
    etag = http.put(grant["put_url"], content=b"x").headers["etag"]
    http.post(
        base + "confirm/",
        json={
            "session_uid": session["uid"],
            "files": [{"path": "a", "etag": etag, "size_bytes": 1}],
        },
    )
    done = http.post(base + "finalize/", json={"session_uid": session["uid"]})
    assert done.json() == {
        "detail": "Upload finalized; processing started.",
        "session_uid": session["uid"],
    }
    assert http.post(base + "finalize/", json={"session_uid": session["uid"]}).status_code == 409
    assert http.get(base + "status/").json()["status"] == "completing"
    assert http.get(base + "status/").json()["status"] == "completed"
    assert http.get(f"/fleet/recordings/{rec}/").json()["status"] == "ready"


def test_managed_protocol_round_trip(api: LocalAvala, http: httpx.Client) -> None:
    rec = api.add_recording()
    base = f"/fleet/recordings/{rec}/managed-upload/"
    session = str(uuid.uuid4())
    env = {"protocol": "fleet-managed-mcap-v1", "session_uid": session}
    data = b"m" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert http.get(base + "status/", params=env).status_code == 404
    admitted = http.post(
        base + "admit/",
        json={**env, "files": [{"path": "r/a.mcap", "size_bytes": 100, "content_sha256": sha}]},
    )
    assert admitted.status_code == 200
    doc = admitted.json()
    assert set(doc) == {
        "protocol",
        "session_uid",
        "recording_uid",
        "status",
        "total_files",
        "total_bytes",
        "confirmed_files",
        "confirmed_bytes",
        "files",
        "finalization",
    }
    file_uid = doc["files"][0]["file_uid"]
    other = {**env, "session_uid": str(uuid.uuid4())}
    assert http.get(base + "status/", params=other).status_code == 409
    init = http.post(base + "multipart/init/", json={**env, "file_uid": file_uid}).json()
    assert set(init) == {
        "protocol",
        "session_uid",
        "file_uid",
        "generation_uid",
        "number",
        "state",
        "part_size",
        "part_count",
        "initialization_deadline",
    }
    generation = init["generation_uid"]
    again = http.post(base + "multipart/init/", json={**env, "file_uid": file_uid}).json()
    assert again["generation_uid"] == generation  # a retried init finds the same generation
    ids = {**env, "file_uid": file_uid, "generation_uid": generation}
    parts = http.post(base + "multipart/parts/", json={**ids, "numbers": [1]}).json()
    assert set(parts) == {"protocol", "session_uid", "file_uid", "generation_uid", "parts"}
    (grant,) = parts["parts"]
    checked = validate_part_grant(
        grant,
        part_number=1,
        offset=0,
        size=100,
        object_suffix=f"__cloud__/{session}/r/a.mcap",
        api_base_url=api.base_url,
    )
    assert http.put(checked.url, content=data, headers=grant["headers"]).status_code == 200
    progress = http.get(base + "multipart/progress/", params={**ids, "after": 0}).json()
    assert progress["parts"] == [{"part_number": 1, "size": 100}]
    assert progress["next_cursor"] is None
    final = http.post(
        base + "finalize/",
        json={**env, "files": [{"file_uid": file_uid, "generation_uid": generation}]},
    )
    assert final.json()["finalization"]["state"] == "pending"
    states = [
        http.get(base + "status/", params=env).json()["finalization"]["state"] for _ in range(2)
    ]
    assert states == ["running", "succeeded"]


def test_managed_content_mismatch(api: LocalAvala, http: httpx.Client) -> None:
    rec = api.add_recording()
    base = f"/fleet/recordings/{rec}/managed-upload/"
    env = {"protocol": "fleet-managed-mcap-v1", "session_uid": str(uuid.uuid4())}
    doc = http.post(
        base + "admit/",
        json={**env, "files": [{"path": "a.mcap", "size_bytes": 4, "content_sha256": "0" * 64}]},
    ).json()
    file_uid = doc["files"][0]["file_uid"]
    generation = http.post(base + "multipart/init/", json={**env, "file_uid": file_uid}).json()[
        "generation_uid"
    ]
    ids = {**env, "file_uid": file_uid, "generation_uid": generation}
    (grant,) = http.post(base + "multipart/parts/", json={**ids, "numbers": [1]}).json()["parts"]
    http.put(grant["url"], content=b"abcd", headers=grant["headers"])
    http.post(
        base + "finalize/",
        json={**env, "files": [{"file_uid": file_uid, "generation_uid": generation}]},
    )
    final = [http.get(base + "status/", params=env).json()["finalization"] for _ in range(2)][-1]
    assert (final["state"], final["code"]) == ("failed", "content_mismatch")


def test_managed_requests_are_strict(api: LocalAvala, http: httpx.Client) -> None:
    rec = api.add_recording()
    base = f"/fleet/recordings/{rec}/managed-upload/"
    env = {"protocol": "fleet-managed-mcap-v1", "session_uid": str(uuid.uuid4())}
    files = [{"path": "a.mcap", "size_bytes": 1, "content_sha256": "0" * 64}]
    assert http.post(base + "admit/", json={**env, "files": files, "extra": 1}).status_code == 400
    wrong = {**env, "protocol": "fleet-managed-mcap-v2"}
    assert http.post(base + "admit/", json={**wrong, "files": files}).status_code == 400
    extra_file_field = [{**files[0], "content_type": "x"}]
    assert http.post(base + "admit/", json={**env, "files": extra_file_field}).status_code == 400
    assert http.post(base + "admit/", json={**env, "files": files}).status_code == 200
    assert http.get(base + "status/", params={**env, "x": "1"}).status_code == 400
