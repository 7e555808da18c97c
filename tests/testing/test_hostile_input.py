"""Bodies the API cannot store or answer again are refused (400/413) before any handler writes,
on every route that takes a body, and the instance keeps serving afterwards."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from avala.testing import LocalAvala
from avala.testing._app import _ROUTER
from avala.testing._validate import MAX_JSON_DEPTH, check_json_input
from avala.testing._wire import ApiError, json_bytes

KEY = {"X-Avala-Api-Key": "test-key", "Content-Type": "application/json"}

SURROGATE_NAME = b'{"name": "\\ud800", "project": "proj_123", "type": "annotation"}'
SURROGATE_KEY = b'{"\\udfff": 1, "name": "ok", "project": "proj_123", "type": "annotation"}'
DEEP = b"[" * 100_000 + b"]" * 100_000
TOO_DEEP = b'{"name": "x", "metadata": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}"
HUGE_FLOAT = b'{"name": "x", "project": "proj_123", "threshold": 1e400}'

# Values that make each route reach its body: demo objects, by parameter name and route.
PARAMS = {
    "owner": "demo-org",
    "slug": "demo-org",
    "team_slug": "core-team",
    "project_uid": "proj_123",
    "sequence_uid": "seq-0001",
    "upload_uid": "x",
}


# Route parameters of objects that exist only once a test creates them.
NO_DEMO_OBJECT = ("upload_uid", "sha", "object_uid")


def without_demo_object(pattern: str) -> bool:
    return any("{" + name + "}" in pattern for name in NO_DEMO_OBJECT)


def body_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.pattern)
        for route in _ROUTER.routes()
        for method in route.handlers
        if method in ("POST", "PUT", "PATCH")
    )


def concrete(api: LocalAvala, pattern: str) -> str:
    """`pattern` with its parameters filled from the demo data, so handlers find their
    objects and reach the body."""
    ids = api.demo_ids
    by_prefix = {
        "/tasks/": "task_1",
        "/users/me/projects/": "proj_123",
        "/datasets/{uid}": ids["dataset.training-data"],
        "/fleet/devices/": ids["device.robot-01"],
        "/fleet/recordings/": ids["recording.robot-01"],
        "/fleet/rules/": ids["rule.low-battery"],
        "/fleet/alerts/": ids["alert.open"],
        "/fleet/alert-channels/": ids["alert_channel.slack"],
        "/agents/": ids["agent.qa"],
        "/webhooks/": ids["webhook.main"],
        "/inference-providers/": ids["inference_provider.openai"],
        "/storage-configs/": ids["storage_config.s3"],
        "/projects/": ids["quality_target.accuracy"],
    }
    values = dict(PARAMS)
    values["sequence_uid"] = ids["sequence.seq-0001"]
    values["issue_uid"] = ids["issue.task_456.0"]
    values["invitation_uid"] = ids["invitation.carol"]
    values["user_uid"] = ids["user.alice"]
    values["uid"] = next((v for p, v in by_prefix.items() if pattern.startswith(p)), "x")
    if pattern.startswith("/datasets/{owner}/{slug}/"):
        values["slug"] = "training-data"
    path = pattern
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    # Objects the demo data has none of (upload sessions, resolver objects) get a placeholder:
    # such a route answers 404 before it reads its body, which is as safe.
    for name in NO_DEMO_OBJECT:
        path = path.replace("{" + name + "}", "x")
    assert "{" not in path, pattern
    return path


def snapshot(api: LocalAvala) -> dict[str, Any]:
    return {name: api.store.objects(name) for name in api.store.collections()}


def send(api: LocalAvala, method: str, path: str, body: bytes) -> httpx.Response:
    with api.httpx_client(headers=KEY) as http:
        return http.request(method, path, content=body)


ROUTES = body_routes()


def test_the_route_table_is_covered() -> None:
    assert len(ROUTES) >= 50  # every body route of every handler module, not a sample


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (SURROGATE_NAME, 400, "not valid Unicode"),
        (SURROGATE_KEY, 400, "not valid Unicode"),
        (DEEP, 400, "nested too deeply"),
        (TOO_DEEP, 400, f"nested deeper than {MAX_JSON_DEPTH}"),
        (HUGE_FLOAT, 400, "out of range"),
    ],
    ids=["surrogate-value", "surrogate-key", "100000-deep", "too-deep", "1e400"],
)
def test_every_body_route_refuses_unanswerable_json(body: bytes, status: int, detail: str) -> None:
    api = LocalAvala(data="demo")
    refused = 0
    for method, pattern in ROUTES:
        response = send(api, method, concrete(api, pattern), body)
        assert response.status_code < 500, (method, pattern, response.text)
        if response.status_code == status and detail in response.json().get("detail", ""):
            refused += 1
    assert api.errors == []
    # Every route that reads its body refuses it; the few actions that ignore theirs (test,
    # acknowledge, leave...) may succeed, as on the real API, but store nothing from it.
    placeholders = sum(without_demo_object(pattern) for _, pattern in ROUTES)
    assert refused >= len(ROUTES) - 12 - placeholders, refused
    json_bytes(snapshot(api))  # everything stored can still be answered
    with api.httpx_client(headers=KEY) as http:
        for route in _ROUTER.routes():
            if "GET" in route.handlers and "{" not in route.pattern:
                assert http.get(route.pattern).status_code < 500, route.pattern


def test_a_bad_request_does_not_poison_later_listings() -> None:
    api = LocalAvala(data="demo")
    before = snapshot(api)
    with api.httpx_client(headers=KEY) as http:
        for body in (SURROGATE_NAME, SURROGATE_KEY, DEEP, TOO_DEEP, HUGE_FLOAT):
            assert http.post("/tasks/", content=body).status_code == 400
            assert http.patch("/tasks/task_1/", content=body).status_code == 400
            assert http.post("/datasets/", content=body).status_code == 400
        assert snapshot(api) == before  # nothing stored, nothing changed
        listing = http.get("/tasks/", params={"limit": 1000})
        assert listing.status_code == 200
        assert all(t["name"] != "\ud800" for t in listing.json()["results"])
        good = http.post("/tasks/", json={"name": "fine", "project": "proj_123"})
        assert good.status_code == 201, good.text


def test_request_body_limit_is_413_and_stores_nothing() -> None:
    api = LocalAvala(data="demo", max_body_bytes=10_000)
    before = snapshot(api)
    body = json.dumps({"name": "x" * 20_000, "project": "proj_123"}).encode()
    refused = sum(
        send(api, method, concrete(api, pattern), body).status_code == 413
        for method, pattern in ROUTES
        if method != "POST" or not pattern.endswith(("/test/", "/compute/", "/evaluate/"))
    )
    placeholders = sum(without_demo_object(pattern) for _, pattern in ROUTES)
    assert refused >= len(ROUTES) - 12 - placeholders, refused
    for name in ("tasks", "datasets", "agents", "webhooks", "projects"):
        assert api.store.objects(name) == before[name]
    response = send(api, "POST", "/tasks/", body)
    assert response.status_code == 413
    assert "limit is 10,000" in response.json()["detail"]
    assert "limit" not in response.json()  # not a quota answer: no `limit`/`used` fields
    small = json.dumps({"name": "x" * 9_000, "project": "proj_123"}).encode()
    assert send(api, "POST", "/tasks/", small).status_code == 201


def test_default_body_limit_refuses_a_60_mb_name() -> None:
    api = LocalAvala(data="demo")
    tasks = api.store.count("tasks")
    body = b'{"name": "' + b"x" * (60 * 1024 * 1024) + b'", "project": "proj_123"}'
    assert send(api, "POST", "/tasks/", body).status_code == 413
    assert api.store.count("tasks") == tasks


def test_deep_body_with_an_idempotency_key_is_a_400() -> None:
    api = LocalAvala(data="demo")
    with api.httpx_client(headers={**KEY, "Idempotency-Key": "k1"}) as http:
        assert http.post("/tasks/", content=DEEP).status_code == 400


def test_legitimate_unicode_and_nesting_pass() -> None:
    check_json_input({"name": "Zürich 🚗 ☃", "nested": [[[{"a": [1.5, "é"]}]]]})
    nested: Any = []
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    check_json_input(nested)
    with pytest.raises(ApiError):
        check_json_input([nested])
    api = LocalAvala(data="demo")
    with api.httpx_client(headers=KEY) as http:
        created = http.post("/tasks/", json={"name": "Zürich 🚗", "project": "proj_123"})
        assert created.status_code == 201
        assert http.get(f"/tasks/{created.json()['uid']}/").json()["name"] == "Zürich 🚗"


def test_an_unencodable_answer_is_a_500_not_a_crash() -> None:
    """Defence in depth: a handler bug that returns unencodable data answers 500 and is kept in
    `api.errors`; the exception never escapes into the caller's HTTP client."""
    api = LocalAvala(data="demo")
    api.store.col("tasks").get("task_1")["name"] = "\ud800"  # as if a handler had stored it
    with api.httpx_client(headers=KEY) as http:
        response = http.get("/tasks/task_1/")
    assert response.status_code == 500
    assert "UnicodeEncodeError" in response.json()["detail"]
    assert len(api.errors) == 1
