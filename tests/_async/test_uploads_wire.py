"""Upload request shapes (respx): 412 = already stored, refused URLs, failed presigns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
import respx

from avala import APIConnectionError, AsyncClient, UnsafeURLError
from tests.helpers import url

BATCH = "9f0c1b7e-2f7c-4a53-9a5e-6a8f3c2d1e00"
UPLOAD = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
STORE = "https://bucket.s3.us-east-1.amazonaws.com/k?X-Amz-Signature=SECRET"
PRESIGN = url("/datasets/manual-upload/file-upload-url/")
COMPLETE = url(f"/datasets/manual-upload/uploads/{UPLOAD}/complete/")


def source_file(tmp_path: Path, data: bytes = b"payload") -> str:
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    return str(path)


def remote_paths(state: Path) -> list[str]:
    """Paths the journal records as possibly stored: the snapshot's, plus the lines since."""
    (snapshot,) = (state / "uploads" / "datasets").glob("*.json")
    (journal,) = (state / "uploads" / "datasets").glob("*.journal")
    remote = set(json.loads(snapshot.read_text())["remote"])
    remote.update(json.loads(line)["r"] for line in journal.read_text().splitlines())
    return sorted(remote)


async def test_put_412_means_already_stored(
    client: AsyncClient, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    presign = respx_mock.post(PRESIGN).mock(
        return_value=httpx.Response(
            200,
            json={
                "method": "PUT",
                "upload_uid": UPLOAD,
                "url": STORE,
                "headers": {"If-None-Match": "*"},
            },
        )
    )
    put = respx_mock.put(STORE).mock(return_value=httpx.Response(412))
    complete = respx_mock.post(COMPLETE).mock(return_value=httpx.Response(200, json={}))
    skipped: list[str] = []
    sent = await client.datasets.upload_files(
        dataset_name="D",
        files=[(source_file(tmp_path), "f.bin")],
        dataset_upload_uid=BATCH,
        on_skipped=skipped.append,
    )
    assert sent == 0
    assert skipped == ["f.bin"]
    body = json.loads(presign.calls.last.request.content)
    assert body == {
        "dataset_name": "D",
        "file_path_in_dataset": "f.bin",
        "content_length": 7,
        "upload_protocol_version": 2,
        "dataset_upload_uid": BATCH,
    }
    request = put.calls.last.request
    assert request.headers["if-none-match"] == "*"
    assert "x-avala-api-key" not in request.headers
    assert complete.call_count == 1


async def test_a_storage_url_off_the_allow_list_is_refused_before_any_byte(
    client: AsyncClient, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    respx_mock.post(PRESIGN).mock(
        return_value=httpx.Response(
            200, json={"url": "https://evil.example.com/drop?sig=SECRET", "fields": {}}
        )
    )
    evil = respx_mock.post("https://evil.example.com/drop").mock(return_value=httpx.Response(204))
    with pytest.raises(UnsafeURLError) as info:
        await client.datasets.upload_files(
            dataset_name="D", files=[(source_file(tmp_path), "f.bin")]
        )
    assert "SECRET" not in str(info.value)
    assert evil.call_count == 0
    assert remote_paths(Path(os.environ["AVALA_STATE_DIR"])) == []


async def test_a_presign_that_never_reached_the_api_is_not_possibly_uploaded(
    client: AsyncClient, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    respx_mock.post(PRESIGN).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APIConnectionError):
        await client.datasets.upload_files(
            dataset_name="D", files=[(source_file(tmp_path), "f.bin")]
        )
    assert remote_paths(Path(os.environ["AVALA_STATE_DIR"])) == []
    # So the file may leave the upload without tripping the "no longer in the source" guard.
    respx_mock.post(PRESIGN).mock(
        return_value=httpx.Response(200, json={"url": STORE, "fields": {"key": "k"}})
    )
    respx_mock.post(STORE).mock(return_value=httpx.Response(204))
    other = tmp_path / "other.bin"
    other.write_bytes(b"x")
    assert await client.datasets.upload_files(dataset_name="D", files=[(str(other), "o")]) == 1
