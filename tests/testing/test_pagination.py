"""Cursor pagination: opaque cursors, absolute next/previous URLs, filters kept, stable order."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from avala.testing import LocalAvala


def cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


def walk(client: httpx.Client, path: str, **params: str | int) -> list[str]:
    seen: list[str] = []
    page = client.get(path, params=params).json()
    while True:
        seen += [obj["uid"] for obj in page["results"]]
        if page["next"] is None:
            return seen
        page = client.get(page["next"]).json()


def test_next_url_is_absolute_and_keeps_filters(client: httpx.Client) -> None:
    page = client.get("/tasks/", params={"project": "proj_123", "limit": 2}).json()
    assert [t["uid"] for t in page["results"]] == ["task_1", "task_2"]
    assert page["previous"] is None
    parts = urlsplit(page["next"])
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost", "/api/v1/tasks/")
    query = parse_qs(parts.query)
    assert query["project"] == ["proj_123"]
    assert query["limit"] == ["2"]
    assert list(query) == sorted(query)  # DRF's replace_query_param sorts
    second = client.get(page["next"]).json()
    assert [t["uid"] for t in second["results"]] == ["task_3", "task_456"]
    assert second["next"] is None  # only four tasks in proj_123
    back = client.get(second["previous"]).json()
    assert [t["uid"] for t in back["results"]] == ["task_1", "task_2"]
    assert back["previous"] is None
    assert back["next"] is not None


def test_walk_many_pages_forward_and_back(api: LocalAvala, client: httpx.Client) -> None:
    created = api.seed_tasks(95, "proj_456")
    expected = ["task_789", "task_790", *created]
    assert walk(client, "/tasks/", project="proj_456", limit=10) == expected
    assert walk(client, "/tasks/", project="proj_456") == expected  # default page size 20
    page = client.get("/tasks/", params={"project": "proj_456", "limit": 10}).json()
    for _ in range(3):
        page = client.get(page["next"]).json()
    back = client.get(page["previous"]).json()
    assert [t["uid"] for t in back["results"]] == expected[20:30]


def test_pages_are_stable_while_objects_change(client: httpx.Client) -> None:
    page = client.get("/tasks/", params={"limit": 2}).json()
    first = [t["uid"] for t in page["results"]]
    client.delete(f"/tasks/{first[0]}/")
    client.post("/tasks/", json={"name": "late", "project": "proj_123"})
    rest = walk(client, "/tasks/", cursor=cursor_of(page["next"]), limit=2)
    assert rest[:4] == ["task_3", "task_456", "task_789", "task_790"]
    assert not set(first) & set(rest)  # nothing repeated
    assert len(rest) == 5  # the late task comes last


def test_server_side_url_uses_the_request_host(api: LocalAvala) -> None:
    with api.httpx_client(
        base_url="http://127.0.0.1:8765/api/v1", headers={"X-Avala-Api-Key": "k"}
    ) as http:
        page = http.get("/agents/", params={"limit": 1}).json()
    assert page["next"].startswith("http://127.0.0.1:8765/api/v1/agents/?cursor=")
    assert page["next"].endswith("&limit=1")


@pytest.mark.parametrize(
    ("limit", "expected"), [("0", 1), ("-5", 1), ("5000", 1000), ("abc", 20), ("", 20)]
)
def test_limit_is_clamped(api: LocalAvala, client: httpx.Client, limit: str, expected: int) -> None:
    api.seed_tasks(1100)
    page = client.get("/tasks/", params={"limit": limit}).json()
    assert len(page["results"]) == expected


def test_invalid_cursor_is_404(client: httpx.Client) -> None:
    response = client.get("/tasks/", params={"cursor": "not-a-cursor!"})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid cursor"})


def test_empty_list(client: httpx.Client) -> None:
    page = client.get("/tasks/", params={"project": "nope"}).json()
    assert page == {"results": [], "next": None, "previous": None}


async def test_async_client_paginates(aclient: httpx.AsyncClient) -> None:
    page = (await aclient.get("/fleet/events/", params={"limit": 2})).json()
    rest = (await aclient.get(page["next"])).json()
    assert len(page["results"]) == 2
    assert len(rest["results"]) == 1
    assert rest["next"] is None


def test_sdk_organizations_list_honours_limit(api: LocalAvala) -> None:
    from avala import Client

    with Client("k", base_url=api.base_url, http_client=api.httpx_client()) as client:
        for i in range(3):
            client.organizations.create(name=f"Org {i}")
        page = client.organizations.list(limit=1)
        assert len(page.items) == 1
        assert page.has_more
        walked = [org.slug for p in page.iter_pages() for org in p.items]
        assert len(walked) == len(set(walked)) == 4
