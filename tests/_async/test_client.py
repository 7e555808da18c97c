from __future__ import annotations

import httpx
import pytest
import respx

from avala import APIConnectionError, AsyncClient, AvalaError, ClientClosedError, NotFoundError
from tests.helpers import API_KEY, BASE_URL, page, url

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
        pool = client._http.http_client
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
        "limit": None,
        "remaining": None,
        "reset": None,
    }
    limits = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "60"}
    respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK, headers=limits)
    respx_mock.get(url("/tasks/gone/")).respond(404, json={"detail": "Not found."})
    await client.tasks.get("task_1")
    info = client.rate_limit_info
    assert info.get("x-ratelimit-limit") == "100"
    assert info.get("x-ratelimit-remaining") == "99"
    assert info.get("x-ratelimit-reset") == "60"
    assert (info["limit"], info["remaining"], info["reset"]) == ("100", "99", "60")
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


async def test_a_closed_client_fails_at_once_without_retrying(
    respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    client = AsyncClient(api_key=API_KEY, base_url=BASE_URL, max_retries=12)
    await client.close()
    with pytest.raises(ClientClosedError, match="closed"):
        await client.tasks.get("task_1")
    with pytest.raises(ClientClosedError):
        await client.tasks.list()
    assert sleeps == []
    assert not route.called


async def test_a_callers_client_closed_under_the_sdk_fails_at_once(
    respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    own = httpx.AsyncClient()
    client = AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=own, max_retries=5)
    await own.aclose()
    with pytest.raises(ClientClosedError):
        await client.tasks.get("task_1")
    assert sleeps == []


async def test_a_callers_client_keeps_its_own_timeout(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    own = httpx.AsyncClient(timeout=0.05)
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=own) as client:
        await client.tasks.get("task_1")
        assert route.calls.last.request.extensions["timeout"]["read"] == 0.05
        assert client.timeout == httpx.Timeout(0.05)
        await client.tasks.get("task_1", timeout=2.0)  # per call still wins
        assert route.calls.last.request.extensions["timeout"]["read"] == 2.0
    async with AsyncClient(
        api_key=API_KEY, base_url=BASE_URL, http_client=own, timeout=7.0
    ) as client:
        await client.tasks.get("task_1")  # an explicit client timeout wins
        assert route.calls.last.request.extensions["timeout"]["read"] == 7.0
    await own.aclose()


async def test_none_means_no_timeout_at_construction_and_per_call(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, timeout=None) as client:
        await client.tasks.get("task_1")
        assert route.calls.last.request.extensions["timeout"]["read"] is None
        assert client.timeout is None
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        await client.tasks.get("task_1", timeout=None)
        assert route.calls.last.request.extensions["timeout"]["read"] is None


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (float("inf"), ValueError),
        (1e300, ValueError),
        (float("nan"), ValueError),
        (0, ValueError),
        (-1, ValueError),
        ("5", TypeError),
    ],
)
async def test_a_bad_timeout_fails_before_any_request_and_is_not_retried(
    respx_mock: respx.MockRouter, sleeps: list[float], value: object, error: type[Exception]
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    with pytest.raises(error, match="timeout"):
        AsyncClient(api_key=API_KEY, base_url=BASE_URL, timeout=value)  # type: ignore[arg-type]
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL) as client:
        with pytest.raises(error, match="timeout"):
            await client.tasks.get("task_1", timeout=value)  # type: ignore[arg-type]
    assert not route.called
    assert sleeps == []


async def test_with_raw_response_returns_this_calls_response(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    headers = {"X-Request-Id": "req_42", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "7"}
    respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK, headers=headers)
    for raw in (client.with_raw_response.tasks, client.tasks.with_raw_response):
        response = await raw.get("task_1")
        assert response.parse().uid == "task_1"
        assert response.data is response.parse()
        assert response.status_code == 200
        assert response.headers["x-request-id"] == "req_42"
        assert response.request_id == "req_42"
        assert response.rate_limit_info["remaining"] == "7"
        assert response.rate_limit_info["x-ratelimit-limit"] == "100"
    assert client.with_raw_response.tasks.get.__doc__ == client.tasks.get.__doc__


async def test_with_raw_response_covers_nested_resources_and_list(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/")).respond(
        200, json=page([TASK], next_path="/tasks/?cursor=c2"), headers={"X-Request-Id": "p1"}
    )
    listing = await client.with_raw_response.tasks.list()
    assert listing.request_id == "p1"
    assert [t.uid for t in listing.parse().items] == ["task_1"]
    assert listing.parse().has_more
    respx_mock.get(url("/fleet/devices/")).respond(
        200, json=page([]), headers={"X-Request-Id": "d"}
    )
    devices = await client.with_raw_response.fleet.devices.list()
    assert devices.request_id == "d"


async def test_with_raw_response_raises_errors_as_usual(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/gone/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        await client.with_raw_response.tasks.get("gone")


async def test_with_options_shares_the_pool_and_changes_only_what_it_names(
    respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).respond(200, json=TASK)
    flaky = respx_mock.get(url("/tasks/flaky/")).respond(503, json={"detail": "busy"})
    client = AsyncClient(api_key=API_KEY, base_url=BASE_URL, default_headers={"X-Team": "a"})
    copy = client.with_options(timeout=3.0, max_retries=0, default_headers={"X-Extra": "b"})
    assert copy._http.http_client is client._http.http_client
    assert (copy.timeout, copy.max_retries) == (3.0, 0)
    assert (client.timeout, client.max_retries) == (30.0, 2)
    await copy.tasks.get("task_1")
    sent = route.calls.last.request
    assert sent.extensions["timeout"]["read"] == 3.0
    assert (sent.headers["x-team"], sent.headers["x-extra"]) == ("a", "b")
    assert sent.headers["x-avala-api-key"] == API_KEY
    with pytest.raises(AvalaError):
        await copy.tasks.get("flaky")
    assert flaky.call_count == 1  # max_retries=0 on the copy
    await client.tasks.get("task_1")
    assert "x-extra" not in route.calls.last.request.headers
    assert route.calls.last.request.extensions["timeout"]["read"] == 30.0
    await copy.close()  # the copy leaves the shared pool open
    assert not client._http.http_client.is_closed
    with pytest.raises(ClientClosedError):
        await copy.tasks.get("task_1")
    await client.tasks.get("task_1")
    await client.close()
    assert client._http.http_client.is_closed
    with pytest.raises(ValueError, match="timeout"):
        client.with_options(timeout=float("inf"))
