"""The local API's dataset upload routes: quota, presign v1/v2, parts, complete, create."""

from __future__ import annotations

import signal
import subprocess
import sys
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from avala.testing import LocalAvala
from tests.testing.test_server import ROOT, env, first_line

KEY = {"X-Avala-Api-Key": "k"}
BATCH = "5f0c7c1e-9d1c-4e59-9d0b-7d1f0c2a9e11"
BIG = bytes(range(256)) * 20  # 5,120 bytes: 3 parts of 2,048 with the settings below


@pytest.fixture
def api() -> LocalAvala:
    local = LocalAvala(data="demo")
    local.settings.multipart_threshold = 4096
    local.settings.multipart_part_size = 2048
    return local


@pytest.fixture
def client(api: LocalAvala) -> Iterator[httpx.Client]:
    with api.httpx_client(headers=KEY) as http:
        yield http


@pytest.fixture
def storage(api: LocalAvala) -> Iterator[httpx.Client]:
    """A client without the API key, as storage requests must be."""
    with api.httpx_client() as http:
        yield http


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def presign(
    client: httpx.Client, path: str, size: int, *, batch: str | None = BATCH, **extra: Any
) -> Any:
    body: dict[str, Any] = {
        "dataset_name": "Street",
        "file_path_in_dataset": path,
        "content_length": size,
        **extra,
    }
    if batch is not None:
        body.update(upload_protocol_version=2, dataset_upload_uid=batch)
    return client.post("/datasets/manual-upload/file-upload-url/", json=body)


def sign_parts(client: httpx.Client, upload_uid: str, numbers: list[int]) -> list[Any]:
    path = f"/datasets/manual-upload/uploads/{upload_uid}/parts/"
    parts: list[Any] = ok(client.post(path, json={"part_numbers": numbers}))["parts"]
    return parts


def complete(client: httpx.Client, upload_uid: str) -> httpx.Response:
    return client.post(f"/datasets/manual-upload/uploads/{upload_uid}/complete/", json={})


def create_dataset(client: httpx.Client, **extra: Any) -> Any:
    body = {"name": "Street", "slug": "street-up", "data_type": "image", **extra}
    return ok(client.post("/datasets/manual-upload/", json=body), 201)


def items_of(client: httpx.Client, owner: str, slug: str) -> list[Any]:
    results: list[Any] = ok(client.get(f"/datasets/{owner}/{slug}/items/", params={"limit": 100}))[
        "results"
    ]
    return results


# -- quota and mimes -------------------------------------------------------------------------


def test_quota_counts_reservations() -> None:
    api = LocalAvala(data="demo", upload_quota_bytes=100)
    with api.httpx_client(headers=KEY) as client:
        assert ok(client.get("/datasets/manual-upload/quota/")) == {"used": 0, "limit": 100}
        ok(presign(client, "a.jpg", 60, batch=None))
        ok(presign(client, "a.jpg", 70, batch=None))  # a re-presign replaces its reservation
        assert ok(client.get("/datasets/manual-upload/quota/")) == {"used": 70, "limit": 100}
        refused = presign(client, "b.jpg", 31, batch=None)
        assert refused.status_code == 413
        assert refused.json() == {"detail": "Upload quota exceeded.", "limit": 100, "used": 70}
        org = api.demo_ids["organization.demo-org"]
        org_quota = client.get("/datasets/manual-upload/quota/", params={"organization_uid": org})
        assert ok(org_quota) == {"used": 0, "limit": 100}
        ok(presign(client, "b.jpg", 31, batch=None, organization_uid=org))
        unknown = client.get("/datasets/manual-upload/quota/", params={"organization_uid": "x"})
        assert unknown.status_code == 400


def test_allowed_mimes(client: httpx.Client) -> None:
    mimes = ok(client.get("/datasets/manual-upload/allowed-mimes/"))
    assert "image/jpeg" in mimes["mime_types"]
    assert mimes["video_prefix"] == "video/"


@pytest.mark.parametrize("path", ["", "/abs.jpg", "a/../b.jpg", "a//b.jpg", "./a.jpg"])
def test_bad_paths_are_refused(client: httpx.Client, path: str) -> None:
    assert presign(client, path, 1).status_code == 400


# -- protocol v1 -----------------------------------------------------------------------------


def test_v1_form_post_then_create(
    api: LocalAvala, client: httpx.Client, storage: httpx.Client
) -> None:
    files = {"a.jpg": b"alpha", "sub dir/ünï.jpg": b"beta" * 100}
    for path, data in files.items():
        target = ok(presign(client, path, len(data), batch=None))
        assert target["method"] == "POST"
        assert target["url"] == "http://localhost/_local/storage/"
        posted = storage.post(target["url"], data=target["fields"], files={"file": ("f", data)})
        assert posted.status_code == 204
    dataset = create_dataset(client)
    assert dataset["status"] == "creating"
    assert dataset["item_count"] == 2
    items = items_of(client, "demo", "street-up")
    assert sorted(i["key"] for i in items) == sorted(files)
    for item in items:
        assert storage.get(item["url"]).content == files[item["key"]]
    assert api.objects.stats.api_key_seen == 0


def test_v1_when_the_server_prefers_it(api: LocalAvala, client: httpx.Client) -> None:
    api.settings.upload_protocol = 1
    assert ok(presign(client, "a.jpg", 5))["method"] == "POST"


# -- protocol v2: single PUT ----------------------------------------------------------------


def test_v2_put(api: LocalAvala, client: httpx.Client, storage: httpx.Client) -> None:
    target = ok(presign(client, "one.bin", 5))
    assert target["method"] == "PUT"
    assert target["complete"] is False
    assert target["headers"] == {"Content-Length": "5", "If-None-Match": "*"}
    assert (
        storage.put(target["url"], content=b"12345", headers=target["headers"]).status_code == 200
    )
    replay = storage.put(target["url"], content=b"12345", headers=target["headers"])
    assert replay.status_code == 412  # already stored
    done = ok(complete(client, target["upload_uid"]))
    assert done["status"] == "complete"
    assert done["size"] == 5
    assert ok(complete(client, target["upload_uid"])) == done  # idempotent
    again = ok(presign(client, "one.bin", 5))
    assert again["upload_uid"] == target["upload_uid"]
    assert again["complete"] is True
    key = next(iter(api.objects.keys()))
    assert key.endswith("/Street/one.bin")
    assert key.startswith("__u__=/")
    assert api.objects.read_back(key) == b"12345"


def test_v2_put_lost_answer_is_complete(
    api: LocalAvala, client: httpx.Client, storage: httpx.Client
) -> None:
    target = ok(presign(client, "lost.bin", 3))
    api.queue_storage_faults("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        storage.put(target["url"], content=b"abc", headers=target["headers"])
    assert ok(presign(client, "lost.bin", 3))["complete"] is True
    ok(complete(client, target["upload_uid"]))


def test_v2_complete_before_upload_is_refused(client: httpx.Client) -> None:
    target = ok(presign(client, "never.bin", 3))
    assert complete(client, target["upload_uid"]).status_code == 400


def test_v2_put_size_is_signed(client: httpx.Client, storage: httpx.Client) -> None:
    target = ok(presign(client, "sized.bin", 3))
    assert storage.put(target["url"], content=b"abcd").status_code == 403


def test_v2_new_batch_may_replace_a_file(
    api: LocalAvala, client: httpx.Client, storage: httpx.Client
) -> None:
    first = ok(presign(client, "f.bin", 3))
    storage.put(first["url"], content=b"old", headers=first["headers"])
    ok(complete(client, first["upload_uid"]))
    other_batch = "0b9e0a3c-55a4-4b4f-8c51-3b0c2f7f1d22"
    second = ok(presign(client, "f.bin", 3, batch=other_batch))
    assert second["upload_uid"] != first["upload_uid"]
    assert second["complete"] is False
    assert "If-None-Match" not in second["headers"]
    assert storage.put(second["url"], content=b"new", headers=second["headers"]).status_code == 200
    ok(complete(client, second["upload_uid"]))
    assert api.objects.read_back(api.objects.keys()[0]) == b"new"


# -- protocol v2: multipart -----------------------------------------------------------------


def test_v2_multipart_resume(api: LocalAvala, client: httpx.Client, storage: httpx.Client) -> None:
    target = ok(presign(client, "big.bin", len(BIG)))
    assert target["method"] == "MULTIPART"
    assert (target["part_size"], target["part_count"]) == (2048, 3)
    assert target["uploaded_parts"] == []
    uid = target["upload_uid"]
    chunks = [BIG[:2048], BIG[2048:4096], BIG[4096:]]
    for part in sign_parts(client, uid, [1, 3]):
        assert part["headers"] == {"Content-Length": str(len(chunks[part["part_number"] - 1]))}
        body = chunks[part["part_number"] - 1]
        assert storage.put(part["url"], content=body, headers=part["headers"]).status_code == 200
    missing = complete(client, uid)
    assert missing.status_code == 400
    assert missing.json()["missing_parts"] == [2]
    resumed = ok(presign(client, "big.bin", len(BIG)))  # a retry or a new run
    assert resumed["upload_uid"] == uid
    assert [(p["part_number"], p["size"]) for p in resumed["uploaded_parts"]] == [
        (1, 2048),
        (3, 1024),
    ]
    assert resumed["uploaded_parts"][0]["etag"] == f"{2048:024x}{zlib.crc32(chunks[0]):08x}"
    (part,) = sign_parts(client, uid, [2])
    storage.put(part["url"], content=chunks[1], headers=part["headers"])
    done = ok(complete(client, uid))
    assert done["size"] == len(BIG)
    assert ok(complete(client, uid)) == done
    assert ok(presign(client, "big.bin", len(BIG)))["complete"] is True
    (key,) = api.objects.keys()
    assert api.objects.read_back(key) == BIG
    stats = api.objects.stats
    assert stats.parts_stored == 3
    assert stats.bytes_received == len(BIG)  # nothing sent twice
    assert stats.objects_stored == 1


def test_v2_multipart_part_validation(client: httpx.Client) -> None:
    uid = ok(presign(client, "big.bin", len(BIG)))["upload_uid"]
    path = f"/datasets/manual-upload/uploads/{uid}/parts/"
    for numbers in ([], [0], [4], ["1"], [True]):
        assert client.post(path, json={"part_numbers": numbers}).status_code == 400
    assert client.post(path, json={}).status_code == 400
    unknown = "/datasets/manual-upload/uploads/00000000-0000-4000-8000-000000000000/parts/"
    assert client.post(unknown, json={"part_numbers": [1]}).status_code == 404
    single = ok(presign(client, "small.bin", 10))["upload_uid"]
    small_parts = f"/datasets/manual-upload/uploads/{single}/parts/"
    assert client.post(small_parts, json={"part_numbers": [1]}).status_code == 400


def test_v2_size_change_starts_a_new_session(client: httpx.Client) -> None:
    first = ok(presign(client, "grow.bin", len(BIG)))
    second = ok(presign(client, "grow.bin", len(BIG) + 1))
    assert second["upload_uid"] != first["upload_uid"]
    assert complete(client, first["upload_uid"]).status_code == 400


def test_default_geometry_follows_the_contract() -> None:
    api = LocalAvala(data="empty", upload_quota_bytes=2**40)
    with api.httpx_client(headers=KEY) as client:
        assert ok(presign(client, "a", 8 * 1024 * 1024))["method"] == "PUT"
        big = ok(presign(client, "b", 8 * 1024 * 1024 + 1))
        assert (big["method"], big["part_size"], big["part_count"]) == ("MULTIPART", 5 * 2**20, 2)
        huge = ok(presign(client, "c", 100 * 2**30))
        assert huge["part_count"] <= 10_000
        assert 5 * 2**20 <= huge["part_size"] <= 128 * 2**20


# -- create from upload ----------------------------------------------------------------------


def test_create_lists_only_that_dataset(
    api: LocalAvala, client: httpx.Client, storage: httpx.Client
) -> None:
    for name, path in (("Street", "a.bin"), ("Other", "b.bin")):
        body = {"dataset_name": name, "file_path_in_dataset": path, "content_length": 1}
        target = ok(client.post("/datasets/manual-upload/file-upload-url/", json=body))
        storage.post(target["url"], data=target["fields"], files={"file": ("f", b"x")})
    dataset = create_dataset(client, dataset_upload_uid=BATCH)
    assert dataset["item_count"] == 1
    assert [i["key"] for i in items_of(client, "demo", "street-up")] == ["a.bin"]
    polls = [ok(client.get(f"/datasets/{dataset['uid']}/"))["status"] for _ in range(2)]
    assert polls == ["creating", "created"]


def test_create_for_an_organization(
    api: LocalAvala, client: httpx.Client, storage: httpx.Client
) -> None:
    org = api.demo_ids["organization.demo-org"]
    target = ok(presign(client, "o.bin", 2, organization_uid=org))
    storage.put(target["url"], content=b"hi", headers=target["headers"])
    ok(complete(client, target["upload_uid"]))
    assert api.objects.keys()[0].startswith(f"__o__=/{org}/Street/")
    create_dataset(client, organization_uid=org)
    (item,) = items_of(client, "demo-org", "street-up")
    assert storage.get(item["url"]).content == b"hi"
    assert create_dataset(client, slug="street-2")["item_count"] == 0  # personal root is empty


# -- faults on the API side ------------------------------------------------------------------


def test_api_faults_cover_upload_routes(client: httpx.Client, api: LocalAvala) -> None:
    api.queue_faults("http_503")
    assert presign(client, "a.bin", 10).status_code == 503
    uid = ok(presign(client, "big.bin", len(BIG)))["upload_uid"]
    api.queue_faults("http_502", "drop_before")
    assert (
        client.post(
            f"/datasets/manual-upload/uploads/{uid}/parts/", json={"part_numbers": [1]}
        ).status_code
        == 502
    )
    with pytest.raises(httpx.RemoteProtocolError):
        complete(client, uid)
    assert api.stats.faults["http_503"] == 1


# -- over the loopback server ----------------------------------------------------------------


def test_upload_over_the_server(api: LocalAvala) -> None:
    pytest.importorskip("uvicorn")
    with (
        api.serve() as server,
        httpx.Client(base_url=server.base_url, headers=KEY) as client,
        httpx.Client() as storage,
    ):
        origin = server.base_url.removesuffix("/api/v1")
        target = ok(presign(client, "big.bin", len(BIG)))
        parts = sign_parts(client, target["upload_uid"], [1, 2, 3])
        for part in parts:
            assert part["url"].startswith(origin + "/_local/storage/")
            start = (part["part_number"] - 1) * 2048
            body = BIG[start : start + 2048]
            assert (
                storage.put(part["url"], content=body, headers=part["headers"]).status_code == 200
            )
        ok(complete(client, target["upload_uid"]))
        create_dataset(client)
        (item,) = items_of(client, "demo", "street-up")
        assert item["url"].startswith(origin)
        assert storage.get(item["url"]).content == BIG
        stats = ok(client.get("/_local/stats/"))
    assert stats["parts_stored"] == 3
    assert stats["bytes_received"] == len(BIG)
    assert stats["bytes_served"] == len(BIG)
    assert stats["api_key_seen"] == 0


def test_upload_to_the_command_line_server() -> None:
    pytest.importorskip("uvicorn")
    command = [sys.executable, "-m", "avala.testing", "--port", "0", "--data", "empty"]
    command += ["--multipart-threshold", "3", "--part-size", "2"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            base_url = first_line(proc).split("=", 1)[1]
            with httpx.Client(base_url=base_url, headers=KEY) as client, httpx.Client() as storage:
                target = ok(presign(client, "cli.bin", 4))
                assert (target["method"], target["part_count"]) == ("MULTIPART", 2)
                for part in sign_parts(client, target["upload_uid"], [1, 2]):
                    assert part["url"].startswith(base_url.removesuffix("/api/v1"))
                    body = b"data"[(part["part_number"] - 1) * 2 :][:2]
                    put = storage.put(part["url"], content=body, headers=part["headers"])
                    assert put.status_code == 200
                ok(complete(client, target["upload_uid"]))
                stats = ok(storage.get(f"{base_url}/_local/stats/"))
            assert stats["objects_stored"] == 1
            assert stats["parts_stored"] == 2
            assert stats["bytes_received"] == 4
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
