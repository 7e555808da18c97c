# Generated from tests/_async/test_uploads_transfer.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""Storage requests: no credentials, no URL in errors or logs, streamed bodies, retries."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
import respx

from avala import Client, FileChangedError, StorageError, UnsafeURLError
from avala._sync._transfer import FileSlice, FormUpload, Transfer
from tests.helpers import API_KEY

STORE = "https://bucket.s3.us-east-1.amazonaws.com/key?X-Amz-Signature=SIGNATURE"


DATA = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    return path


def transfer_of(client: Client, chunk_size: int = 1000) -> Transfer:
    return Transfer(client._http, chunk_size=chunk_size)


def test_put_streams_a_file_range_without_credentials(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    route = respx_mock.put(STORE).mock(return_value=httpx.Response(200, headers={"ETag": '"e"'}))
    seen: list[int] = []
    response = transfer_of(client).send(
        "PUT",
        STORE,
        headers={"X-Avala-Api-Key": API_KEY, "Authorization": "Bearer x", "x-amz-meta": "1"},
        body=FileSlice(source, 1000, 5000),
        on_bytes=seen.append,
    )
    assert response.status_code == 200
    assert response.headers["etag"] == '"e"'
    request = route.calls.last.request
    assert request.content == DATA[1000:6000]
    assert request.headers["content-length"] == "5000"
    assert request.headers["x-amz-meta"] == "1"
    for name in ("x-avala-api-key", "authorization", "cookie"):
        assert name not in request.headers
    assert sum(seen) == 5000
    assert max(seen) <= 1000


def test_transient_failures_are_retried_and_progress_taken_back(
    client: Client, respx_mock: respx.MockRouter, source: Path, sleeps: list[float]
) -> None:
    route = respx_mock.put(STORE).mock(
        side_effect=[httpx.Response(503), httpx.ConnectError("boom"), httpx.Response(200)]
    )
    seen: list[int] = []
    transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10240), on_bytes=seen.append)
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert sum(seen) == 10240
    assert any(n < 0 for n in seen)


def test_a_refusal_is_a_storage_error_without_the_url(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    body = b"<Error><Code>SignatureDoesNotMatch</Code><Key>key</Key></Error>"
    respx_mock.put(STORE).mock(return_value=httpx.Response(403, content=body))
    with pytest.raises(StorageError) as info:
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10))
    error = info.value
    assert error.status_code == 403
    assert "SignatureDoesNotMatch" in str(error)
    assert "SIGNATURE" not in str(error)
    assert "amazonaws" not in str(error)
    assert error.__cause__ is None


def test_connection_failures_hide_the_url(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    respx_mock.put(STORE).mock(side_effect=httpx.ConnectError(f"cannot reach {STORE}"))
    with pytest.raises(StorageError) as info:
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10), max_retries=1)
    assert "SIGNATURE" not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    assert info.value.status_code is None


def test_retry_after_beyond_the_policy_bound_is_not_waited_for(
    client: Client, respx_mock: respx.MockRouter, source: Path, sleeps: list[float]
) -> None:
    route = respx_mock.put(STORE).mock(
        return_value=httpx.Response(503, headers={"Retry-After": "100000"})
    )
    with pytest.raises(StorageError):
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10))
    assert route.call_count == 1
    assert sleeps == []


def test_retry_after_within_bound_is_honoured(
    client: Client, respx_mock: respx.MockRouter, source: Path, sleeps: list[float]
) -> None:
    respx_mock.put(STORE).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)]
    )
    transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10))
    assert sleeps == [7.0]


def test_accepted_statuses_are_returned(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    respx_mock.put(STORE).mock(return_value=httpx.Response(412))
    response = transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10), accept=(412,))
    assert response.status_code == 412


def test_redirects_are_not_followed(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    respx_mock.put(STORE).mock(
        return_value=httpx.Response(307, headers={"Location": "https://evil.example/x"})
    )
    other = respx_mock.put("https://evil.example/x").mock(return_value=httpx.Response(200))
    with pytest.raises(StorageError) as info:
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10))
    assert info.value.status_code == 307
    assert other.call_count == 0


def test_a_file_shorter_than_announced_is_a_changed_file(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    respx_mock.put(STORE).mock(return_value=httpx.Response(200))
    with pytest.raises(FileChangedError):
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 10000, 1000))


def test_form_post_streams_fields_then_the_file(
    client: Client, respx_mock: respx.MockRouter, source: Path
) -> None:
    route = respx_mock.post(STORE).mock(return_value=httpx.Response(204))
    form = FormUpload(
        fields={"key": "ds/a b.bin", "policy": "p"},
        file=FileSlice(source, 0, 10240),
        filename='a "b".bin',
        content_type="application/octet-stream",
    )
    seen: list[int] = []
    transfer_of(client).send("POST", STORE, body=form, on_bytes=seen.append)
    request = route.calls.last.request
    assert int(request.headers["content-length"]) == len(request.content)
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    parts = request.content.split(b"--" + boundary)
    assert b'name="key"\r\n\r\nds/a b.bin\r\n' in parts[1]
    assert b'name="policy"\r\n\r\np\r\n' in parts[2]
    head, _, data = parts[3].partition(b"\r\n\r\n")
    assert b'name="file"; filename="a %22b%22.bin"' in head
    assert data == DATA + b"\r\n"
    assert parts[4] == b"--\r\n"
    assert sum(seen) == 10240


def test_storage_requests_are_not_logged_with_their_url(
    client: Client,
    respx_mock: respx.MockRouter,
    source: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    respx_mock.put(STORE).mock(return_value=httpx.Response(200))
    with caplog.at_level(logging.DEBUG):
        transfer_of(client).send("PUT", STORE, body=FileSlice(source, 0, 10))
    assert "SIGNATURE" not in caplog.text


def test_stream_reads_a_response_in_chunks(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(STORE).mock(return_value=httpx.Response(206, content=b"x" * 5000))
    chunks: list[bytes] = []
    with transfer_of(client).stream("GET", STORE, headers={"Range": "bytes=0-"}) as resp:
        assert resp.status_code == 206
        for chunk in resp.iter_bytes():
            chunks.append(chunk)
    assert b"".join(chunks) == b"x" * 5000
    request = route.calls.last.request
    assert request.headers["range"] == "bytes=0-"
    assert "x-avala-api-key" not in request.headers


def test_check_url_refuses_hosts_outside_the_allow_list(client: Client) -> None:
    with pytest.raises(UnsafeURLError):
        transfer_of(client).check_url("https://evil.example.com/x?sig=1")
    assert transfer_of(client).check_url(STORE) == STORE
