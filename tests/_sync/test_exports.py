# Generated from tests/_async/test_exports.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import itertools
import json
import sys
from types import SimpleNamespace

import httpx
import pytest
import respx

from avala import Client, NotFoundError, WaitTimeoutError
from avala.types.exports import Export
from tests.helpers import page, url

EXPORT = {
    "uid": "exp_1",
    "status": "pending",
    "download_url": None,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:05:00Z",
}
DONE = {**EXPORT, "status": "exported", "download_url": "https://data.avala.ai/exp_1.zip"}


def export(status: str) -> httpx.Response:
    return httpx.Response(200, json={**EXPORT, "status": status})


@pytest.fixture
def ticking_clock(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The polling helper's clock advances one second per reading, so a wait times out
    after a known number of polls without any real sleeping."""
    ticks = itertools.count()
    helper = sys.modules[client.exports._wait_until.__module__]
    monkeypatch.setattr(helper, "time", SimpleNamespace(monotonic=lambda: float(next(ticks))))


def test_list_pages(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/exports/")).respond(
        200, json=page([{**EXPORT, "status": "completed"}], "/exports/?cursor=c2&limit=1")
    )
    first = client.exports.list(limit=1)
    assert dict(route.calls.last.request.url.params) == {"limit": "1"}
    assert first.items == [
        Export(
            uid="exp_1",
            status="completed",
            created_at=first.items[0].created_at,
            updated_at=first.items[0].updated_at,
        )
    ]
    assert first.has_more
    assert first.next_cursor == "c2"


def test_list_walks_every_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/exports/")).mock(
        side_effect=[
            httpx.Response(200, json=page([EXPORT], "/exports/?cursor=c2")),
            httpx.Response(200, json=page([DONE | {"uid": "exp_2"}])),
        ]
    )
    uids = [e.uid for e in client.exports.list().auto_paging_iter()]
    assert uids == ["exp_1", "exp_2"]
    assert route.calls.last.request.url.params["cursor"] == "c2"


def test_create_sends_only_given_fields(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/exports/")).respond(201, json=EXPORT)
    created = client.exports.create(project="proj_1")
    assert created.status == "pending"
    assert json.loads(route.calls.last.request.content) == {"project": "proj_1"}
    client.exports.create(dataset="ds_1", project="proj_1")
    assert json.loads(route.calls.last.request.content) == {
        "project": "proj_1",
        "dataset": "ds_1",
    }
    client.exports.create()
    assert json.loads(route.calls.last.request.content) == {}


def test_get(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/exports/exp_1/")).respond(200, json=DONE)
    result = client.exports.get(id="exp_1")
    assert result.id == "exp_1"
    assert result.download_url == "https://data.avala.ai/exp_1.zip"
    assert result.updated_at is not None
    assert result.updated_at.minute == 5


def test_delete(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.delete(url("/exports/exp_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert client.exports.delete("exp_1") is None
    assert client.exports.delete("exp_1") is None


def test_delete_missing_raises_not_found(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.delete(url("/exports/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        client.exports.delete("nope")


@pytest.mark.parametrize("final", ["exported", "completed", "failed"])
def test_wait_returns_on_every_terminal_status(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float], final: str
) -> None:
    respx_mock.get(url("/exports/exp_1/")).mock(
        side_effect=[export("pending"), export("processing"), export(final)]
    )
    polled: list[str | None] = []
    finished = client.exports.wait("exp_1", on_poll=lambda e: polled.append(e.status))
    assert finished.status == final
    assert polled == ["pending", "processing", final]
    assert sleeps == [2.0, 2.0]


def test_wait_keeps_polling_through_unknown_statuses(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/exports/exp_1/")).mock(
        side_effect=[export("queued"), httpx.Response(200, json=DONE)]
    )
    finished = client.exports.wait("exp_1", interval=3.0)
    assert finished.download_url == "https://data.avala.ai/exp_1.zip"
    assert sleeps == [3.0]


def test_wait_never_polls_faster_than_twice_a_second(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/exports/exp_1/")).mock(
        side_effect=[export("processing"), export("exported")]
    )
    client.exports.wait("exp_1", interval=0.0)
    assert sleeps == [0.5]


def test_wait_times_out_with_the_last_export(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float], ticking_clock: None
) -> None:
    route = respx_mock.get(url("/exports/exp_1/")).mock(return_value=export("processing"))
    with pytest.raises(WaitTimeoutError) as caught:
        client.exports.wait("exp_1", interval=2.0, timeout=3.0)
    assert isinstance(caught.value.last, Export)
    assert caught.value.last.status == "processing"
    assert "timeout=3s" in str(caught.value)  # names the argument to raise
    assert route.call_count == 3
    assert sleeps == [2.0, 1.0]


def test_wait_passes_request_options_to_each_poll(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/exports/exp_1/")).mock(side_effect=[export("exported")])
    client.exports.wait("exp_1", extra_headers={"x-trace": "t1"}, max_retries=0)
    assert route.calls.last.request.headers["x-trace"] == "t1"


def test_wait_rejects_unknown_options(client: Client, respx_mock: respx.MockRouter) -> None:
    with pytest.raises(TypeError, match="bogus"):
        client.exports.wait("exp_1", bogus=1)  # type: ignore[call-arg]
    assert not respx_mock.calls


def test_wait_accepts_the_official_on_poll_spelling(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/exports/exp_1/")).mock(
        side_effect=[
            httpx.Response(200, json={**EXPORT, "status": "processing"}),
            httpx.Response(200, json={**EXPORT, "status": "exported"}),
        ]
    )
    polls: list[str] = []
    export = client.exports.wait("exp_1", _on_poll=lambda: polls.append("poll"))
    assert export.status == "exported"
    assert polls == ["poll", "poll"]
    with pytest.raises(TypeError, match="not both"):
        client.exports.wait("exp_1", on_poll=print, _on_poll=print)
