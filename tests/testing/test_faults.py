"""Seeded fault injection: reproducible sequences, drops before/after the write, storms, latency."""

from __future__ import annotations

import time

import httpx
import pytest

from avala.testing import FaultConfig, LocalAvala

KEY = {"X-Avala-Api-Key": "k"}
TASK = {"name": "t", "project": "proj_123"}


def outcomes(config: FaultConfig, n: int = 300) -> list[str]:
    api = LocalAvala(faults=config)
    seen = []
    with api.httpx_client(headers=KEY) as http:
        for _ in range(n):
            try:
                seen.append(str(http.get("/tasks/task_1/").status_code))
            except httpx.RemoteProtocolError:
                seen.append("drop")
    return seen


MIXED = FaultConfig(fail_rate=0.2, drop_rate=0.1, storm_429_rate=0.02, seed=7)


def test_same_seed_same_sequence() -> None:
    first = outcomes(MIXED)
    assert first == outcomes(MIXED)
    assert first != outcomes(FaultConfig(fail_rate=0.2, drop_rate=0.1, storm_429_rate=0.02, seed=8))
    assert set(first) == {"200", "500", "502", "503", "429", "drop"}
    assert 30 <= sum(s in ("500", "502", "503") for s in first) <= 90  # about 20% of 300
    assert 10 <= first.count("drop") <= 50


def test_counters_match_what_clients_saw() -> None:
    api = LocalAvala(faults=MIXED)
    drops = 0
    with api.httpx_client(headers=KEY) as http:
        for _ in range(200):
            try:
                http.get("/tasks/")
            except httpx.RemoteProtocolError:
                drops += 1
    faults = api.stats.faults
    assert api.stats.requests == 200
    assert faults["drop_before"] + faults["drop_after"] == drops
    assert faults["http_500"] == api.stats.statuses[500]
    assert faults["storm_429"] == api.stats.statuses[429]
    assert sum(api.stats.statuses.values()) + drops == 200
    assert api.stats.faults_total == 200 - api.stats.statuses[200]


def test_drop_before_does_not_write(api: LocalAvala, client: httpx.Client) -> None:
    before = api.store.count("tasks")
    api.queue_faults("drop_before")
    with pytest.raises(
        httpx.RemoteProtocolError, match="Server disconnected without sending a response"
    ):
        client.post("/tasks/", json=TASK)
    assert api.store.count("tasks") == before
    assert api.log[-1].status is None
    assert api.log[-1].fault == "drop_before"


def test_drop_after_writes_and_idempotent_retry_replays(
    api: LocalAvala, client: httpx.Client
) -> None:
    before = api.store.count("tasks")
    api.queue_faults("drop_after")
    headers = {"Idempotency-Key": "retry-me"}
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/tasks/", json=TASK, headers=headers)
    assert api.store.count("tasks") == before + 1  # the write happened, the answer was lost
    retry = client.post("/tasks/", json=TASK, headers=headers)
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert api.store.count("tasks") == before + 1
    created = [t for t in api.store.objects("tasks") if t["name"] == "t"]
    assert [t["uid"] for t in created] == [retry.json()["uid"]]


def test_naive_retry_after_drop_duplicates(api: LocalAvala, client: httpx.Client) -> None:
    api.queue_faults("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/tasks/", json=TASK)
    client.post("/tasks/", json=TASK)
    assert len([t for t in api.store.objects("tasks") if t["name"] == "t"]) == 2


def test_drop_phase_after_only() -> None:
    api = LocalAvala(faults=FaultConfig(drop_rate=1.0, drop_phase="after"))
    with api.httpx_client(headers=KEY) as http:
        for _ in range(5):
            with pytest.raises(httpx.RemoteProtocolError):
                http.post("/tasks/", json=TASK)
    assert api.stats.faults["drop_after"] == 5
    assert len([t for t in api.store.objects("tasks") if t["name"] == "t"]) == 5


def test_error_answers_have_proxy_shapes(api: LocalAvala, client: httpx.Client) -> None:
    before = api.store.count("tasks")
    api.queue_faults("http_500", "http_502", "http_503")
    r500, r502, r503 = (client.post("/tasks/", json=TASK) for _ in range(3))
    assert (r500.status_code, r500.json()) == (500, {"detail": "A server error occurred."})
    assert r502.status_code == 502
    assert r502.headers["content-type"] == "text/html"
    assert b"502 Bad Gateway" in r502.content
    assert r503.status_code == 503
    assert "detail" in r503.json()
    assert all("x-request-id" in r.headers for r in (r500, r502, r503))
    assert api.store.count("tasks") == before


def test_storm_429_with_retry_after() -> None:
    config = FaultConfig(storm_429_rate=0.1, storm_length=4, retry_after=2, seed=3)
    api = LocalAvala(faults=config)
    statuses = []
    with api.httpx_client(headers=KEY) as http:
        for _ in range(200):
            response = http.get("/tasks/")
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert response.headers["retry-after"] == "2"
                assert response.json()["detail"].startswith("Request was throttled.")
    runs, current = [], 0
    for status in [*statuses, 200]:
        if status == 429:
            current += 1
        elif current:
            runs.append(current)
            current = 0
    assert runs
    assert all(run >= 4 for run in runs)


def test_faults_hit_unauthenticated_requests_but_never_signup() -> None:
    api = LocalAvala(faults=FaultConfig(fail_rate=1.0, latency_ms=200))
    with api.httpx_client() as http:
        assert http.get("/tasks/").status_code in (500, 502, 503)
        start = time.perf_counter()
        response = http.post("/signup/", json={"email": "a@b.co", "password": "password1"})
        assert response.status_code == 201
        assert time.perf_counter() - start < 0.15  # no latency either
    assert api.stats.faults_total == 1


def test_latency_sync_and_async() -> None:
    api = LocalAvala(faults=FaultConfig(latency_ms=60))
    with api.httpx_client(headers=KEY) as http:
        start = time.perf_counter()
        assert http.get("/tasks/").status_code == 200
        assert time.perf_counter() - start >= 0.06
    assert api.stats.faults["latency"] == 1


async def test_async_latency_and_drop() -> None:
    api = LocalAvala(faults=FaultConfig(latency_ms=60))
    async with api.async_httpx_client(headers=KEY) as http:
        start = time.perf_counter()
        assert (await http.get("/tasks/")).status_code == 200
        assert time.perf_counter() - start >= 0.06
        api.faults = FaultConfig()
        api.queue_faults("drop_after")
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post("/tasks/", json=TASK)
    assert len([t for t in api.store.objects("tasks") if t["name"] == "t"]) == 1


def test_setting_faults_restarts_the_sequence() -> None:
    api = LocalAvala(faults=MIXED)
    with api.httpx_client(headers=KEY) as http:

        def run() -> list[int | None]:
            seen: list[int | None] = []
            for _ in range(50):
                try:
                    seen.append(http.get("/tasks/task_1/").status_code)
                except httpx.RemoteProtocolError:
                    seen.append(None)
            return seen

        first = run()
        api.faults = MIXED
        assert run() == first


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fail_rate": 1.5},
        {"fail_rate": 0.6, "drop_rate": 0.6},
        {"latency_ms": -1},
        {"storm_length": 0},
        {"fail_statuses": (404,)},
    ],
)
def test_invalid_fault_config(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        FaultConfig(**kwargs)  # type: ignore[arg-type]


def test_unknown_queued_fault(api: LocalAvala) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        api.queue_faults("explode")
