from __future__ import annotations

import httpx
import pytest
import respx

from avala import APIConnectionError, AsyncClient, AvalaError, NotFoundError
from tests.helpers import API_KEY, BASE_URL, url

TASK = {"uid": "task_1", "status": "pending"}


async def test_every_request_carries_key_accept_and_user_agent(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    await client.tasks.get("task_1")
    headers = route.calls.last.request.headers
    assert headers["x-avala-api-key"] == API_KEY
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("avala-python/")
    assert f"({type(client).__name__};" in headers["user-agent"]
    assert "idempotency-key" not in headers
    assert "content-type" not in headers


async def test_default_and_per_call_headers(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    async with AsyncClient(
        api_key=API_KEY, base_url=BASE_URL, default_headers={"X-Team": "vision"}
    ) as client:
        await client.tasks.get("task_1", extra_headers={"X-Trace": "t1"})
    headers = route.calls.last.request.headers
    assert headers["x-team"] == "vision"
    assert headers["x-trace"] == "t1"


async def test_api_key_and_base_url_from_environment(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    monkeypatch.setenv("AVALA_API_KEY", "env-key")
    monkeypatch.setenv("AVALA_BASE_URL", "http://127.0.0.1:9/api/v1")
    route = respx_mock.get("http://127.0.0.1:9/api/v1/tasks/task_1/").respond(200, json=TASK)
    async with AsyncClient() as client:
        assert client.base_url == "http://127.0.0.1:9/api/v1"
        await client.tasks.get("task_1")
    assert route.calls.last.request.headers["x-avala-api-key"] == "env-key"


def test_missing_key_and_unsafe_base_url_fail_at_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AVALA_API_KEY", raising=False)
    with pytest.raises(ValueError, match="AVALA_API_KEY"):
        AsyncClient()
    with pytest.raises(ValueError, match="Refusing plain http"):
        AsyncClient(api_key="k", base_url="http://api.avala.ai/api/v1")
    with pytest.raises(TypeError, match="http_client"):
        AsyncClient(api_key="k", http_client=object())  # type: ignore[arg-type]


def test_repr_never_shows_the_key() -> None:
    client = AsyncClient(api_key="avk_supersecretvalue123", base_url=BASE_URL)
    assert "supersecret" not in repr(client)
    assert "supersecret" not in repr(client.__dict__)
    assert BASE_URL in repr(client)


async def test_context_manager_closes_the_pool() -> None:
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        pool = client._http._http
        assert not pool.is_closed
    assert pool.is_closed
    await client.close()  # closing twice is fine


async def test_a_closed_client_refuses_new_calls() -> None:
    client = AsyncClient(api_key=API_KEY, base_url=BASE_URL)
    await client.close()
    with pytest.raises(APIConnectionError, match="closed"):
        await client.tasks.get("task_1")


async def test_a_callers_http_client_is_used_and_never_closed(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    own = httpx.AsyncClient(headers={"X-From-Own-Client": "yes"})
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=own) as client:
        await client.tasks.get("task_1")
    assert route.calls.last.request.headers["x-from-own-client"] == "yes"
    assert not own.is_closed
    await own.aclose()


async def test_redirects_are_never_followed(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(
        302, headers={"Location": "https://elsewhere.example/steal"}
    )
    other = respx_mock.get("https://elsewhere.example/steal").respond(200, json=TASK)
    own = httpx.AsyncClient(follow_redirects=True)
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=own) as client:
        with pytest.raises(AvalaError, match="redirect") as info:
            await client.tasks.get("task_1")
    await own.aclose()
    assert info.value.status_code == 302
    assert route.call_count == 1
    assert not other.called


async def test_rate_limit_info_tracks_the_last_response(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    assert client.rate_limit_info == {
        "x-ratelimit-limit": None,
        "x-ratelimit-remaining": None,
        "x-ratelimit-reset": None,
    }
    limits = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "60"}
    respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK, headers=limits)
    respx_mock.get(url("/tasks/gone/")).respond(404, json={"detail": "Not found."})
    await client.tasks.get("task_1")
    info = client.rate_limit_info
    assert info.get("x-ratelimit-limit") == "100"
    assert info.get("x-ratelimit-remaining") == "99"
    assert info.get("x-ratelimit-reset") == "60"
    info["x-ratelimit-limit"] = "mutated"
    assert client.rate_limit_info["x-ratelimit-limit"] == "100"
    with pytest.raises(NotFoundError):
        await client.tasks.get("gone")
    assert client.rate_limit_info["x-ratelimit-limit"] is None


async def test_per_call_timeout_reaches_httpx(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    await client.tasks.get("task_1", timeout=1.5)
    assert route.calls.last.request.extensions["timeout"]["read"] == 1.5
    await client.tasks.get("task_1", timeout=httpx.Timeout(9.0, connect=1.0))
    timeout = route.calls.last.request.extensions["timeout"]
    assert (timeout["connect"], timeout["read"]) == (1.0, 9.0)
    await client.tasks.get("task_1")
    assert route.calls.last.request.extensions["timeout"]["read"] == 30.0


async def test_extra_query_and_a_misspelt_keyword(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    await client.tasks.get("task_1", extra_query={"expand": "project"})
    assert route.calls.last.request.url.params["expand"] == "project"
    with pytest.raises(TypeError, match="unexpected keyword argument 'projct'"):
        await client.tasks.get("task_1", projct="p")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="max_retries"):
        await client.tasks.get("task_1", max_retries=-1)
    assert route.call_count == 1
