"""The local API's public dataset resolver, over plain httpx: no key needed, the documented
document shapes, cursors, exact lookups, grants with `Date`, tombstones, ranged downloads."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from avala.testing import LocalAvala
from avala.testing._h_resolver import PublishedFile, configure


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="demo")


@pytest.fixture
def http(api: LocalAvala) -> httpx.Client:
    return api.httpx_client()  # no API key at all


@pytest.fixture
def revision(api: LocalAvala) -> dict[str, Any]:
    files = [PublishedFile(f"e/{i}.mcap", "episode", i, data=b"e" * (100 + i)) for i in range(3)]
    files += [PublishedFile(f"f/{i}.jpg", "frame", i, i % 3, data=b"f" * 10) for i in range(250)]
    return api.publish_revision(owner="acme", name="nav", files=files)


def _objects_path(revision: dict[str, Any]) -> str:
    return f"/resolve/uid/{revision['dataset_uid']}/{revision['revision_sha256']}/objects/"


def test_resolve_friendly_and_canonical_without_a_key(
    http: httpx.Client, revision: dict[str, Any]
) -> None:
    friendly = http.get("/resolve/acme/nav@main/")
    assert friendly.status_code == 200
    doc = friendly.json()
    assert doc["requested_reference"] == "acme/nav@main"
    assert doc["canonical_reference"] == revision["canonical_reference"]
    assert doc["manifest"]["object_count"] == 253
    assert doc["manifest"]["objects_path"] == _objects_path(revision)
    sha = revision["revision_sha256"]
    canonical = http.get(f"/resolve/uid/{revision['dataset_uid']}/{sha}/")
    assert canonical.json()["requested_reference"] == revision["canonical_reference"]
    assert http.get(f"/resolve/acme/nav@{sha}/").status_code == 200
    assert http.get("/resolve/acme/other@main/").status_code == 404
    assert http.get("/tasks/").status_code == 401  # only the resolver is public


def test_cursor_pages(http: httpx.Client, revision: dict[str, Any]) -> None:
    path = _objects_path(revision)
    first = http.get(path, params={"limit": 100}).json()
    assert first["previous_cursor"] is None
    assert len(first["results"]) == 100
    second = http.get(path, params={"limit": 100, "cursor": first["next_cursor"]}).json()
    assert second["previous_cursor"] is not None
    third = http.get(path, params={"limit": 100, "cursor": second["next_cursor"]}).json()
    assert third["next_cursor"] is None
    keys = [(o["role"], o["ordinal"]) for p in (first, second, third) for o in p["results"]]
    assert keys == sorted(keys)
    assert len(keys) == 253
    frames = http.get(path, params={"role": "frame", "limit": 100}).json()
    assert {o["role"] for o in frames["results"]} == {"frame"}


def test_exact_lookups(http: httpx.Client, revision: dict[str, Any]) -> None:
    path = _objects_path(revision)
    one = http.get(path, params={"role": "frame", "ordinal": 7}).json()
    assert [o["ordinal"] for o in one["results"]] == [7]
    assert one["next_cursor"] is None
    many = http.get(
        path, params=[("role", "episode"), ("ordinals", 2), ("ordinals", 0), ("ordinals", 9)]
    )
    assert [o["ordinal"] for o in many.json()["results"]] == [0, 2]


def test_grant_has_a_date_and_a_ranged_download(
    http: httpx.Client, revision: dict[str, Any]
) -> None:
    path = _objects_path(revision)
    episode = http.get(path, params={"role": "episode", "ordinal": 1}).json()["results"][0]
    response = http.post(episode["access_path"], params={"transport": "avala-edge-v1"})
    assert response.status_code == 200
    grant = response.json()
    date = parsedate_to_datetime(response.headers["date"])
    expires = datetime.fromisoformat(grant["expires_at"].replace("Z", "+00:00"))
    assert 0 < (expires - date).total_seconds() <= 300
    assert grant["object_uid"] == episode["object_uid"]
    assert grant["size_bytes"] == 101
    assert grant["range_supported"] is True
    assert http.get(episode["access_path"]).status_code == 200  # legacy GET works too
    part = http.get(grant["url"], headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    assert part.content == b"e"
    whole = http.get(grant["url"])
    assert whole.content == b"e" * 101


def test_knobs(api: LocalAvala, http: httpx.Client, revision: dict[str, Any]) -> None:
    configure(api, range_supported=False, grant_ttl=30)
    path = _objects_path(revision)
    episode = http.get(path, params={"role": "episode", "ordinal": 0}).json()["results"][0]
    grant = http.post(episode["access_path"]).json()
    assert grant["range_supported"] is False
    assert "X-Amz-Expires=30" in grant["url"]


def test_withdrawn_revision_answers_410_everywhere(
    api: LocalAvala, http: httpx.Client, revision: dict[str, Any]
) -> None:
    api.withdraw_revision("acme/nav@main")
    for path in ("/resolve/acme/nav@main/", _objects_path(revision)):
        response = http.get(path)
        assert response.status_code == 410
        body = response.json()
        assert body["code"] == "dataset_revision_withdrawn"
        assert body["canonical_reference"] == revision["canonical_reference"]
    with pytest.raises(ValueError, match="no such"):
        api.withdraw_revision("acme/unknown@main")


def test_a_new_revision_moves_the_alias(
    api: LocalAvala, http: httpx.Client, revision: dict[str, Any]
) -> None:
    newer = api.publish_revision(
        revision["dataset_uid"],
        owner="acme",
        name="nav",
        files=[PublishedFile("a.txt", "file", 0, data=b"a")],
    )
    assert newer["revision_sha256"] != revision["revision_sha256"]
    assert http.get("/resolve/acme/nav@main/").json()["revision_sha256"] == newer["revision_sha256"]
    old = f"/resolve/acme/nav@{revision['revision_sha256']}/"
    assert http.get(old).json()["manifest"]["object_count"] == 253


def test_uploaded_dataset_items_can_be_published(api: LocalAvala) -> None:
    dataset = api.demo_ids.get("dataset.training-data")
    assert dataset is not None
    api.objects.put_bytes("uploads/x/rec.mcap", b"mcap")
    api.store.col("dataset_items").add(
        {
            "uid": "item-x",
            "dataset": dataset,
            "key": "rec.mcap",
            "_object_key": "uploads/x/rec.mcap",
        }
    )
    info = api.publish_revision(dataset, aliases=("v1",))
    assert info["object_count"] == 1
    assert info["reference"].endswith("@v1")
