"""Cross-cutting HTTP behaviour: routing, auth, error shapes, headers, rate limit, idempotency."""

from __future__ import annotations

import threading

import httpx
import pytest

from avala.testing import LocalAvala, Request, Response
from avala.testing._routes import Router, split_path


def noop(ctx: object) -> object:
    return ctx


# -- router ----------------------------------------------------------------------------------


def test_router_prefers_literals_and_backtracks() -> None:
    router = Router()
    for pattern in (
        "/slices/{owner}/{slug}/",
        "/slices/{owner}/list/",
        "/slices/{owner}/{slug}/items/list/",
    ):
        router.add("GET", pattern, noop)  # type: ignore[arg-type]
    found = router.resolve(["slices", "o", "list"])
    assert found is not None
    assert found[0].pattern == "/slices/{owner}/list/"
    found = router.resolve(["slices", "o", "list", "items", "list"])
    assert found is not None
    assert found[1] == {"owner": "o", "slug": "list"}
    assert router.resolve(["slices", "o", "x", "items"]) is None


def test_split_path_decodes_after_splitting() -> None:
    assert split_path("/api/v1/agents/a%2Fb/", "/api/v1") == ["agents", "a/b"]
    assert split_path("/api/v1/agents/a%40b.c/", "/api/v1") == ["agents", "a@b.c"]
    assert split_path("/api/v1/agents", "/api/v1") is None
    assert split_path("/other/agents/", "/api/v1") is None


def test_encoded_slash_stays_one_segment(client: httpx.Client) -> None:
    response = client.get("/agents/a%2Fb/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_owner_with_at_and_dot(client: httpx.Client) -> None:
    body = {"name": "S", "slug": "s", "data_type": "image", "owner_name": "serve.robotics@avala.ai"}
    assert client.post("/datasets/", json=body).status_code == 201
    got = client.get("/datasets/serve.robotics@avala.ai/s/")
    assert got.status_code == 200
    assert got.json()["owner_name"] == "serve.robotics@avala.ai"
    assert client.get("/datasets/serve.robotics%40avala.ai/s/health/").status_code == 200


def test_slice_slugged_list(client: httpx.Client, api: LocalAvala) -> None:
    ds = api.demo_ids["dataset.training-data"]
    body = {"name": "List", "visibility": "public", "sub_slices": [{"dataset": ds}]}
    created = client.post("/slices/", json=body).json()
    assert created["slug"] == "list"
    listing = client.get("/slices/demo/list/").json()  # still the list route
    assert [s["slug"] for s in listing["results"]] == ["list"]
    items = client.get("/slices/demo/list/items/list/").json()  # items of the slice "list"
    assert len(items["results"]) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/datasets/manual-upload/quota/",
        "/datasets/manual-upload/allowed-mimes/",
        "/organizations/industry-choices/",
        "/storage-configs/setup-info/",
    ],
)
def test_literal_routes_win(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_literal_action_routes_win(client: httpx.Client, api: LocalAvala) -> None:
    evaluation = client.post("/projects/proj_123/quality-targets/evaluate/")
    assert evaluation.status_code == 200
    assert isinstance(evaluation.json(), list)
    rec, dev = api.demo_ids["recording.robot-01"], api.demo_ids["device.robot-01"]
    event = {
        "recording": rec,
        "device": dev,
        "label": "l",
        "type": "t",
        "timestamp": "2026-01-01T00:00:00Z",
    }
    assert client.post("/fleet/events/batch/", json={"events": [event]}).json() == {"created": 1}


# -- error shapes ----------------------------------------------------------------------------


def test_trailing_slash_is_required(client: httpx.Client) -> None:
    for path in ("/tasks", "/tasks/task_1", "/users/me"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_unknown_route(client: httpx.Client) -> None:
    assert client.get("/does-not-exist/").status_code == 404
    assert client.get("http://localhost/api/v2/tasks/").status_code == 404


def test_method_not_allowed(client: httpx.Client) -> None:
    response = client.put("/tasks/task_1/", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}
    assert response.headers["allow"] == "DELETE, GET, PATCH, OPTIONS"
    assert client.delete("/users/me/").status_code == 405


def test_missing_fields_and_bad_types(client: httpx.Client) -> None:
    response = client.post("/webhooks/", json={"is_active": "maybe"})
    assert response.status_code == 400
    assert response.json() == {
        "target_url": ["This field is required."],
        "events": ["This field is required."],
        "is_active": ["Must be a valid boolean."],
    }
    response = client.post("/fleet/rules/", json={"name": "r", "condition": [], "actions": {}})
    assert response.json() == {
        "condition": ['Expected a dictionary of items but got type "list".'],
        "actions": ['Expected a list of items but got type "dict".'],
    }
    assert client.patch("/tasks/task_1/", json={"status": None}).json() == {
        "status": ["This field may not be null."]
    }
    assert client.post("/agents/", json=[1]).json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_non_json_body(client: httpx.Client) -> None:
    response = client.post(
        "/tasks/", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")
    response = client.post("/tasks/", content=b"name=x", headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_404_before_body_parsing(client: httpx.Client) -> None:
    response = client.patch(
        "/tasks/nope/", content=b"{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 404


def test_void_actions_are_204_with_empty_body(client: httpx.Client) -> None:
    response = client.delete("/tasks/task_1/")
    assert (response.status_code, response.content) == (204, b"")


def test_head_and_options(client: httpx.Client) -> None:
    head = client.head("/tasks/task_1/")
    assert (head.status_code, head.content) == (200, b"")
    options = client.options("/tasks/")
    assert options.status_code == 200
    assert options.headers["allow"] == "GET, POST, OPTIONS"


# -- authentication --------------------------------------------------------------------------


def test_missing_or_empty_key(api: LocalAvala) -> None:
    with api.httpx_client() as http:
        for headers in ({}, {"X-Avala-Api-Key": ""}):
            response = http.get("/tasks/", headers=headers)
            assert response.status_code == 401
            assert response.json() == {"detail": "Authentication credentials were not provided."}
            assert response.headers["x-ratelimit-limit"]


def test_any_key_by_default_and_bearer_is_not_enough(api: LocalAvala) -> None:
    with api.httpx_client() as http:
        assert http.get("/tasks/", headers={"X-Avala-Api-Key": "anything"}).status_code == 200
        assert http.get("/tasks/", headers={"Authorization": "Bearer k"}).status_code == 401


def test_restricted_key() -> None:
    api = LocalAvala(api_key="right")
    with api.httpx_client() as http:
        wrong = http.get("/tasks/", headers={"X-Avala-Api-Key": "wrong"})
        assert (wrong.status_code, wrong.json()) == (401, {"detail": "Invalid API key."})
        assert http.get("/tasks/", headers={"X-Avala-Api-Key": "right"}).status_code == 200


def test_unknown_route_is_404_even_without_key(api: LocalAvala) -> None:
    with api.httpx_client() as http:
        assert http.get("/nope/").status_code == 404


def test_signup_needs_no_key_and_issues_a_working_one() -> None:
    api = LocalAvala("empty", api_key="admin-only")
    with api.httpx_client() as http:
        body = {"email": "Ann@Example.com", "password": "correct horse", "first_name": "Ann"}
        response = http.post("/signup/", json=body)
        assert response.status_code == 201
        signup = response.json()
        assert signup["user"]["email"] == "ann@example.com"
        assert signup["user"]["first_name"] == "Ann"
        key = signup["api_key"]
        assert key.startswith("avk_")
        assert len(key) == 44
        me = http.get("/users/me/", headers={"X-Avala-Api-Key": key}).json()
        assert me["uid"] == signup["user"]["uid"]
        assert http.post("/signup/", json=body).json() == {
            "email": ["A user with this email already exists."]
        }
        short = http.post("/signup/", json={"email": "b@example.com", "password": "short"})
        assert short.status_code == 400
        assert "password" in short.json()


def test_empty_data_has_only_the_user() -> None:
    api = LocalAvala("empty")
    assert api.store.collections() == ["users"]
    with api.httpx_client(headers={"X-Avala-Api-Key": "k"}) as http:
        assert http.get("/users/me/").status_code == 200
        assert http.get("/tasks/").json()["results"] == []


# -- headers, rate limit ---------------------------------------------------------------------


def test_request_id_and_rate_limit_headers_on_every_response(client: httpx.Client) -> None:
    responses = [client.get("/tasks/"), client.get("/nope/"), client.put("/tasks/")]
    assert [r.headers["x-request-id"] for r in responses] == [
        "req_000001",
        "req_000002",
        "req_000003",
    ]
    for response in responses:
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            response.headers
        )
    assert int(responses[0].headers["x-ratelimit-remaining"]) < int(
        responses[0].headers["x-ratelimit-limit"]
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_window() -> None:
    clock = FakeClock()
    api = LocalAvala(rate_limit=3, clock=clock)
    with api.httpx_client(headers={"X-Avala-Api-Key": "k"}) as http:
        remaining = [http.get("/tasks/").headers["x-ratelimit-remaining"] for _ in range(3)]
        assert remaining == ["2", "1", "0"]
        throttled = http.get("/tasks/")
        assert throttled.status_code == 429
        assert throttled.headers["retry-after"] == "1"
        assert throttled.json() == {
            "detail": "Request was throttled. Expected available in 1 seconds."
        }
        other_key = http.get("/tasks/", headers={"X-Avala-Api-Key": "other"})
        assert other_key.status_code == 200  # buckets are per key
        clock.now += 1.0
        assert http.get("/tasks/").status_code == 200
    assert api.stats.throttled == 1
    assert api.stats.statuses[429] == 1


# -- idempotency -----------------------------------------------------------------------------


def test_idempotency_key_replays_without_writing_twice(
    api: LocalAvala, client: httpx.Client
) -> None:
    before = api.store.count("tasks")
    headers = {"Idempotency-Key": "abc"}
    body = {"name": "once", "project": "proj_123"}
    first = client.post("/tasks/", json=body, headers=headers)
    second = client.post("/tasks/", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert api.store.count("tasks") == before + 1
    assert api.stats.replays == 1
    third = client.post("/tasks/", json=body, headers={"Idempotency-Key": "other"})
    assert third.json()["uid"] != first.json()["uid"]


def test_idempotency_key_with_another_body_is_refused(client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "k1"}
    assert (
        client.post(
            "/tasks/", json={"name": "a", "project": "proj_123"}, headers=headers
        ).status_code
        == 201
    )
    response = client.post("/tasks/", json={"name": "b", "project": "proj_123"}, headers=headers)
    assert response.status_code == 422


def test_idempotency_errors_are_not_recorded(api: LocalAvala, client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "k2"}
    body = {"name": "Again", "slug": "street-images", "data_type": "image"}
    assert client.post("/datasets/", json=body, headers=headers).status_code == 400  # slug taken
    client.delete(f"/datasets/{api.demo_ids['dataset.street-images']}/")
    # the failed attempt wrote nothing and was not recorded: the retry runs for real
    retry = client.post("/datasets/", json=body, headers=headers)
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers


def test_idempotency_scope_is_method_and_path(client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "same"}
    a = client.patch("/tasks/task_1/", json={"status": "done"}, headers=headers)
    b = client.patch("/tasks/task_2/", json={"status": "done"}, headers=headers)
    assert a.json()["uid"] == "task_1"
    assert b.json()["uid"] == "task_2"
    assert "idempotent-replayed" not in b.headers


def test_threads_share_one_instance(api: LocalAvala) -> None:
    def work() -> None:
        with api.httpx_client(headers={"X-Avala-Api-Key": "k"}) as http:
            for i in range(50):
                assert (
                    http.post("/tasks/", json={"name": f"t{i}", "project": "proj_123"}).status_code
                    == 201
                )

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert api.store.count("tasks") == 6 + 200
    assert len({t["uid"] for t in api.store.objects("tasks")}) == 206


def test_handle_directly() -> None:
    api = LocalAvala()
    response = api.handle(Request("GET", "/api/v1/tasks/task_1/", headers={"x-avala-api-key": "k"}))
    assert isinstance(response, Response)
    assert response.json()["uid"] == "task_1"
    assert api.log[-1].status == 200
    assert api.log[-1].path == "/api/v1/tasks/task_1/"
