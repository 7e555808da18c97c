from __future__ import annotations

import httpx
import pytest
import respx

from avala import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    RateLimitError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from tests.helpers import API_KEY, BASE_URL, url

TASK = {"uid": "task_1", "status": "pending"}


def fail(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"detail": f"failure {status}"}, headers=headers)


async def test_5xx_is_retried_until_success(
    client: AsyncClient, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(
        side_effect=[fail(503), fail(500), httpx.Response(200, json=TASK)]
    )
    task = await client.tasks.get("task_1")
    assert task.uid == "task_1"
    assert route.call_count == 3
    assert len(sleeps) == 2


async def test_exhausted_retries_raise_the_last_typed_error(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(
        side_effect=[fail(503), fail(502), fail(500)]
    )
    with pytest.raises(ServerError) as info:
        await client.tasks.get("task_1")
    assert info.value.status_code == 500
    assert route.call_count == 3  # max_retries=2: one try plus two retries


async def test_max_retries_zero_on_the_client_or_per_call(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(return_value=fail(503))
    async with AsyncClient(api_key=API_KEY, base_url=BASE_URL, max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.tasks.get("task_1")
        assert route.call_count == 1
        with pytest.raises(ServerError):
            await client.tasks.get("task_1", max_retries=3)
        assert route.call_count == 1 + 4


async def test_client_errors_are_not_retried(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/tasks/task_1/")).respond(400, json={"status": ["Invalid."]})
    with pytest.raises(ValidationError) as info:
        await client.tasks.update("task_1", status="bogus")
    assert info.value.details == [{"field": "status", "message": "Invalid."}]
    assert route.call_count == 1


async def test_writes_reuse_one_idempotency_key_across_attempts(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/tasks/task_1/")).mock(
        side_effect=[fail(502), httpx.ConnectError("reset"), httpx.Response(200, json=TASK)]
    )
    await client.tasks.update("task_1", status="completed")
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert route.call_count == 3
    assert len(keys) == 1
    route.side_effect = None
    route.return_value = httpx.Response(200, json=TASK)
    await client.tasks.update("task_1", status="completed")
    assert route.calls.last.request.headers["idempotency-key"] not in keys


async def test_caller_supplied_idempotency_key(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/tasks/task_1/")).respond(200, json=TASK)
    await client.tasks.update("task_1", status="completed", idempotency_key="job-42-step-3")
    assert route.calls.last.request.headers["idempotency-key"] == "job-42-step-3"


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ReadError("reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteError("broken pipe"),
    ],
)
async def test_network_errors_are_retried_then_wrapped(
    client: AsyncClient, respx_mock: respx.MockRouter, error: Exception
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(side_effect=error)
    with pytest.raises(APIConnectionError) as info:
        await client.tasks.get("task_1")
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.__cause__ is error
    assert "GET /tasks/task_1/" in str(info.value)
    assert route.call_count == 3


@pytest.mark.parametrize(
    "error", [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.PoolTimeout("full")]
)
async def test_timeouts_are_retried_then_raise_api_timeout_error(
    client: AsyncClient, respx_mock: respx.MockRouter, error: Exception
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(side_effect=error)
    with pytest.raises(APITimeoutError):
        await client.tasks.get("task_1")
    assert route.call_count == 3


async def test_network_error_then_success(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/task_1/")).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=TASK)]
    )
    assert (await client.tasks.get("task_1")).uid == "task_1"


async def test_retry_after_is_honoured(
    client: AsyncClient, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/tasks/task_1/")).mock(
        side_effect=[
            fail(429, **{"Retry-After": "3"}),
            fail(503, **{"Retry-After": "1.5"}),
            httpx.Response(200, json=TASK),
        ]
    )
    await client.tasks.get("task_1")
    assert sleeps == [3.0, 1.5]


async def test_retry_after_beyond_the_cap_raises_at_once(
    client: AsyncClient, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/tasks/task_1/")).mock(
        return_value=fail(429, **{"Retry-After": "3600"})
    )
    with pytest.raises(RateLimitError) as info:
        await client.tasks.get("task_1")
    assert info.value.retry_after == 3600.0
    assert route.call_count == 1
    assert sleeps == []


async def test_http_date_retry_after_is_a_rate_limit_error_not_a_crash(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/tasks/task_1/")).mock(
        return_value=fail(429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    )
    with pytest.raises(RateLimitError) as info:
        await client.tasks.get("task_1", max_retries=0)
    assert info.value.retry_after == 0.0


async def test_backoff_follows_the_policy(
    respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/tasks/task_1/")).mock(return_value=fail(500))
    policy = RetryPolicy(initial_delay=0.25, max_delay=1.0, jitter=0.0)
    async with AsyncClient(
        api_key=API_KEY, base_url=BASE_URL, max_retries=4, retry_policy=policy
    ) as client:
        with pytest.raises(ServerError):
            await client.tasks.get("task_1")
    assert sleeps == [0.25, 0.5, 1.0, 1.0]
