# Generated from tests/_async/test_annotations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import json
import pickle
from types import MappingProxyType
from typing import Any

import httpx
import pytest
import respx

from avala import AvalaError, BulkEditError, Client, NotFoundError, ValidationError
from avala.types import BulkEditResult
from tests.helpers import url

OWNER = "serve.robotics@avala.ai"
ROUTE = url(f"/datasets/{OWNER}/lidar-set/bulk-edition/")


def edit(n: int) -> dict[str, Any]:
    return {
        "action": "upsert",
        "object_uuid": f"obj-{n}",
        "object_type": "cuboid",
        "sequence_uid": "seq_1",
        "dataset_item_uid": None,
        "object_data": {"label": "car", "position": {"px": n, "py": 0.0, "pz": 0.0}},
    }


EDITS = [edit(n) for n in range(5)]


def test_posts_each_chunk_as_an_array_and_yields_results(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(ROUTE).mock(
        side_effect=[
            httpx.Response(200, json={"updated": 2}),
            httpx.Response(200, json={"updated": 2}),
            httpx.Response(201, json={"updated": 1}),
        ]
    )
    results = [
        pair for pair in client.annotations.bulk_edit(OWNER, "lidar-set", EDITS, chunk_size=2)
    ]
    assert results == [(0, {"updated": 2}), (1, {"updated": 2}), (2, {"updated": 1})]
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [EDITS[0:2], EDITS[2:4], EDITS[4:5]]
    assert route.calls.last.request.headers["content-type"] == "application/json"


def test_each_chunk_has_its_own_idempotency_key(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(ROUTE).respond(200, json={"updated": 1})
    for _ in client.annotations.bulk_edit(OWNER, "lidar-set", EDITS, chunk_size=2):
        pass
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert len(set(keys)) == 3
    assert [key.rsplit("-", 1)[1] for key in keys] == ["0", "1", "2"]


def test_chunk_keys_derive_from_a_caller_key(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(ROUTE).respond(200, json={"updated": 1})
    for _ in client.annotations.bulk_edit(
        OWNER, "lidar-set", EDITS[:3], chunk_size=2, idempotency_key="batch-7"
    ):
        pass
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert keys == ["batch-7-chunk-0", "batch-7-chunk-1"]


def test_a_retried_chunk_reuses_its_key(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(ROUTE).mock(
        side_effect=[
            httpx.Response(503, json={"detail": "busy"}),
            httpx.Response(200, json={"updated": 2}),
            httpx.Response(200, json={"updated": 1}),
        ]
    )
    results = [
        pair for pair in client.annotations.bulk_edit(OWNER, "lidar-set", EDITS[:3], chunk_size=2)
    ]
    assert results == [(0, {"updated": 2}), (1, {"updated": 1})]
    first, retry, second = (call.request for call in route.calls)
    assert first.headers["idempotency-key"] == retry.headers["idempotency-key"]
    assert first.content == retry.content
    assert second.headers["idempotency-key"] != first.headers["idempotency-key"]


def test_a_failing_chunk_raises_the_typed_error_with_progress(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(ROUTE).mock(
        side_effect=[
            httpx.Response(200, json={"updated": 2}),
            httpx.Response(400, json={"detail": "object_type is invalid"}),
        ]
    )
    seen: list[tuple[int, dict[str, Any]]] = []
    with pytest.raises(BulkEditError) as caught:
        client.annotations.bulk_edit(
            OWNER, "lidar-set", EDITS, chunk_size=2, on_chunk=lambda i, r: seen.append((i, r))
        )
    assert seen == [(0, {"updated": 2})]
    assert route.call_count == 2  # the third chunk was never sent
    exc = caught.value
    assert isinstance(exc, RuntimeError)  # as code written for the official SDK catches
    assert isinstance(exc, ValidationError)  # and as the chunk's own error
    assert isinstance(exc.error, ValidationError)
    assert exc.__cause__ is exc.error
    assert exc.status_code == 400
    assert exc.chunk_index == 1
    assert exc.chunks_succeeded == 1
    assert exc.chunks_total == 3
    assert exc.edits_applied == 2
    assert exc.results == [(0, {"updated": 2})]
    assert "bulk_edit chunk 1 of 3 failed" in str(exc)
    assert "object_type is invalid" in str(exc)
    restored = pickle.loads(pickle.dumps(exc))
    assert (restored.chunk_index, restored.edits_applied) == (1, 2)
    assert isinstance(restored, ValidationError)
    assert isinstance(restored.error, ValidationError)


def test_a_failing_first_chunk_keeps_its_typed_error(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(ROUTE).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError) as caught:
        client.annotations.bulk_edit(OWNER, "lidar-set", EDITS)
    exc = caught.value
    assert isinstance(exc, BulkEditError)
    assert isinstance(exc, RuntimeError)
    assert isinstance(exc, AvalaError)
    assert isinstance(exc.error, NotFoundError)
    assert exc.chunks_succeeded == 0
    assert exc.edits_applied == 0
    assert exc.results == []


def test_default_chunk_size_is_500(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(ROUTE).respond(200, json={"updated": 1})
    edits = [edit(n) for n in range(501)]
    indexes = [i for i, _ in client.annotations.bulk_edit(OWNER, "lidar-set", edits)]
    assert indexes == [0, 1]
    assert [len(json.loads(c.request.content)) for c in route.calls] == [500, 1]


def test_accepts_tuples_and_read_only_mappings(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(ROUTE).respond(204)
    edits = (MappingProxyType(edit(0)),)
    results = [pair for pair in client.annotations.bulk_edit(OWNER, "lidar-set", edits)]
    assert results == [(0, {})]
    assert json.loads(route.calls.last.request.content) == [edit(0)]


def test_no_edits_sends_nothing(client: Client, respx_mock: respx.MockRouter) -> None:
    results = [pair for pair in client.annotations.bulk_edit(OWNER, "lidar-set", [])]
    assert results == []
    assert not respx_mock.calls


def test_the_call_writes_every_chunk_before_returning(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(ROUTE).respond(200, json={"updated": 2})
    progress: list[int] = []
    result = client.annotations.bulk_edit(
        OWNER, "lidar-set", EDITS, chunk_size=2, on_chunk=lambda index, _: progress.append(index)
    )
    assert route.call_count == 3  # sent at the call, not when the result is iterated
    assert progress == [0, 1, 2]
    assert isinstance(result, BulkEditResult)
    assert [index for index, _ in result] == [0, 1, 2]
    assert len(result) == 3


def test_the_result_also_supports_async_for(client: Client, respx_mock: respx.MockRouter) -> None:
    """The official SDK's async spelling: `for i, r in ....bulk_edit(...)`."""
    respx_mock.post(ROUTE).respond(200, json={"updated": 2})
    result = client.annotations.bulk_edit(OWNER, "lidar-set", EDITS, chunk_size=2)
    assert [index for index, _ in result] == [0, 1, 2]


@pytest.mark.parametrize(
    ("edits", "chunk_size", "error", "match"),
    [
        (EDITS, 0, ValueError, "chunk_size must be > 0"),
        (EDITS, -3, ValueError, "chunk_size must be > 0"),
        (EDITS, 2.5, TypeError, "chunk_size must be an int"),
        (EDITS, True, TypeError, "chunk_size must be an int"),
        ('[{"action": "upsert"}]', 10, TypeError, "edits must be a list of dicts"),
        (edit(0), 10, TypeError, "edits must be a list of dicts"),
        (iter(EDITS), 10, TypeError, "edits must be a list of dicts"),
        ([*EDITS, "upsert"], 2, TypeError, r"edits\[5\] must be a dict"),
    ],
)
def test_bad_arguments_fail_before_any_chunk_is_sent(
    client: Client,
    respx_mock: respx.MockRouter,
    edits: Any,
    chunk_size: Any,
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        client.annotations.bulk_edit(OWNER, "lidar-set", edits, chunk_size=chunk_size)
    assert not respx_mock.calls


def test_bad_path_parameters_fail_before_any_request(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="slug"):
        client.annotations.bulk_edit(OWNER, "", EDITS)
    assert not respx_mock.calls
