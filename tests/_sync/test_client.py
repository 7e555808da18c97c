# Generated from tests/_async/test_client.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import httpx
import pytest
import respx

from avala import APIConnectionError, AvalaError, Client, NotFoundError
from tests.helpers import API_KEY, BASE_URL, url

TASK = {"uid": "task_1", "status": "pending"}


def test_every_request_carries_key_accept_and_user_agent(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    client.tasks.get("task_1")
    headers = route.calls.last.request.headers
    assert headers["x-avala-api-key"] == API_KEY
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("avala-python/")
    assert f"({type(client).__name__};" in headers["user-agent"]
    assert "idempotency-key" not in headers
    assert "content-type" not in headers


def test_default_and_per_call_headers(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    with Client(api_key=API_KEY, base_url=BASE_URL, default_headers={"X-Team": "vision"}) as client:
        client.tasks.get("task_1", extra_headers={"X-Trace": "t1"})
    headers = route.calls.last.request.headers
    assert headers["x-team"] == "vision"
    assert headers["x-trace"] == "t1"


def test_api_key_and_base_url_from_environment(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    monkeypatch.setenv("AVALA_API_KEY", "env-key")
    monkeypatch.setenv("AVALA_BASE_URL", "http://127.0.0.1:9/api/v1")
    route = respx_mock.get("http://127.0.0.1:9/api/v1/tasks/task_1/").respond(200, json=TASK)
    with Client() as client:
        assert client.base_url == "http://127.0.0.1:9/api/v1"
        client.tasks.get("task_1")
    assert route.calls.last.request.headers["x-avala-api-key"] == "env-key"


def test_missing_key_and_unsafe_base_url_fail_at_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AVALA_API_KEY", raising=False)
    with pytest.raises(ValueError, match="AVALA_API_KEY"):
        Client()
    with pytest.raises(ValueError, match="Refusing plain http"):
        Client(api_key="k", base_url="http://api.avala.ai/api/v1")
    with pytest.raises(TypeError, match="http_client"):
        Client(api_key="k", http_client=object())  # type: ignore[arg-type]


def test_repr_never_shows_the_key() -> None:
    client = Client(api_key="avk_supersecretvalue123", base_url=BASE_URL)
    assert "supersecret" not in repr(client)
    assert "supersecret" not in repr(client.__dict__)
    assert BASE_URL in repr(client)


def test_context_manager_closes_the_pool() -> None:
    with Client(api_key=API_KEY, base_url=BASE_URL) as client:
        pool = client._http._http
        assert not pool.is_closed
    assert pool.is_closed
    client.close()  # closing twice is fine


def test_a_closed_client_refuses_new_calls() -> None:
    client = Client(api_key=API_KEY, base_url=BASE_URL)
    client.close()
    with pytest.raises(APIConnectionError, match="closed"):
        client.tasks.get("task_1")


def test_a_callers_http_client_is_used_and_never_closed(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    own = httpx.Client(headers={"X-From-Own-Client": "yes"})
    with Client(api_key=API_KEY, base_url=BASE_URL, http_client=own) as client:
        client.tasks.get("task_1")
    assert route.calls.last.request.headers["x-from-own-client"] == "yes"
    assert not own.is_closed
    own.close()


def test_redirects_are_never_followed(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(
        302, headers={"Location": "https://elsewhere.example/steal"}
    )
    other = respx_mock.get("https://elsewhere.example/steal").respond(200, json=TASK)
    own = httpx.Client(follow_redirects=True)
    with Client(api_key=API_KEY, base_url=BASE_URL, http_client=own) as client:
        with pytest.raises(AvalaError, match="redirect") as info:
            client.tasks.get("task_1")
    own.close()
    assert info.value.status_code == 302
    assert route.call_count == 1
    assert not other.called


def test_rate_limit_info_tracks_the_last_response(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    assert client.rate_limit_info == {
        "x-ratelimit-limit": None,
        "x-ratelimit-remaining": None,
        "x-ratelimit-reset": None,
    }
    limits = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "60"}
    respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK, headers=limits)
    respx_mock.get(url("/tasks/gone/")).respond(404, json={"detail": "Not found."})
    client.tasks.get("task_1")
    info = client.rate_limit_info
    assert info.get("x-ratelimit-limit") == "100"
    assert info.get("x-ratelimit-remaining") == "99"
    assert info.get("x-ratelimit-reset") == "60"
    info["x-ratelimit-limit"] = "mutated"
    assert client.rate_limit_info["x-ratelimit-limit"] == "100"
    with pytest.raises(NotFoundError):
        client.tasks.get("gone")
    assert client.rate_limit_info["x-ratelimit-limit"] is None


def test_per_call_timeout_reaches_httpx(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    client.tasks.get("task_1", timeout=1.5)
    assert route.calls.last.request.extensions["timeout"]["read"] == 1.5
    client.tasks.get("task_1", timeout=httpx.Timeout(9.0, connect=1.0))
    timeout = route.calls.last.request.extensions["timeout"]
    assert (timeout["connect"], timeout["read"]) == (1.0, 9.0)
    client.tasks.get("task_1")
    assert route.calls.last.request.extensions["timeout"]["read"] == 30.0


def test_extra_query_and_a_misspelt_keyword(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    client.tasks.get("task_1", extra_query={"expand": "project"})
    assert route.calls.last.request.url.params["expand"] == "project"
    with pytest.raises(TypeError, match="unexpected keyword argument 'projct'"):
        client.tasks.get("task_1", projct="p")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="max_retries"):
        client.tasks.get("task_1", max_retries=-1)
    assert route.call_count == 1
