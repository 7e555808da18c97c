"""`exports.download`: the finished export's file, streamed, resumed, verified, keyless."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import httpx
import pytest
import respx

from avala import AsyncClient, ExportDownloadError, UnsafeURLError
from avala.testing import LocalAvala
from tests.helpers import API_KEY, url


async def _finished(local: AsyncClient) -> str:
    export = await local.exports.create(project="proj_123")
    done = await local.exports.wait(export.uid, interval=0.5)
    assert done.status == "exported"
    return export.uid


async def test_download_writes_the_export_file(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    uid = await _finished(local)
    seen: list[int] = []
    path = await local.exports.download(uid, tmp_path / "export.zip", on_progress=seen.append)
    with zipfile.ZipFile(path) as archive:
        assert "manifest.json" in archive.namelist()
    assert sum(seen) == path.stat().st_size
    assert local_api.objects.stats.api_key_seen == 0
    storage = [e for e in local_api.log if "/_local/storage/" in e.path]
    assert all("x-avala-api-key" not in e.headers for e in storage)


async def test_download_resumes_and_verifies(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path
) -> None:
    uid = await _finished(local)
    key = f"exports/{uid}/export.zip"
    size = local_api.objects.size(key)
    digest = local_api.objects.sha256(key)
    local_api.queue_storage_faults("drop")
    path = await local.exports.download(uid, tmp_path / "e.zip", sha256=digest)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert local_api.objects.stats.bytes_served <= size  # the retry fetched only the tail
    served = local_api.objects.stats.bytes_served
    await local.exports.download(uid, tmp_path / "e.zip", sha256=digest)
    assert local_api.objects.stats.bytes_served == served  # already there and verified


@pytest.mark.parametrize(
    ("fault", "reason"), [("corrupt", "sha256_mismatch"), ("truncate", "size_mismatch")]
)
async def test_corrupt_export_is_refused(
    local: AsyncClient, local_api: LocalAvala, tmp_path: Path, fault: str, reason: str
) -> None:
    uid = await _finished(local)
    digest = local_api.objects.sha256(f"exports/{uid}/export.zip")
    local_api.queue_storage_faults(fault)
    with pytest.raises(ExportDownloadError) as caught:
        await local.exports.download(uid, tmp_path / "e.zip", sha256=digest)
    assert caught.value.reason == "sha256_mismatch"
    assert caught.value.export_uid == uid
    assert os.listdir(tmp_path) == []


async def test_unfinished_export_is_not_ready(local: AsyncClient, tmp_path: Path) -> None:
    local_api_export = await local.exports.create(project="proj_fail")
    with pytest.raises(ExportDownloadError) as caught:
        await local.exports.download(local_api_export.uid, tmp_path / "e.zip")
    assert caught.value.reason == "not_ready"


async def test_refused_url_is_fetched_again_once(
    client: AsyncClient, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    done = {"uid": "exp_1", "status": "exported"}
    first = "https://data.avala.ai/exports/exp_1.zip?sig=old"
    second = "https://data.avala.ai/exports/exp_1.zip?sig=new"
    respx_mock.get(url("/exports/exp_1/")).mock(
        side_effect=[
            httpx.Response(200, json={**done, "download_url": first}),
            httpx.Response(200, json={**done, "download_url": second}),
        ]
    )
    old = respx_mock.get(first).respond(403, text="<Error>Request has expired</Error>")
    new = respx_mock.get(second).respond(200, content=b"zip-bytes")
    path = await client.exports.download("exp_1", tmp_path / "e.zip")
    assert path.read_bytes() == b"zip-bytes"
    assert old.call_count == 1
    assert new.call_count == 1
    assert "x-avala-api-key" not in new.calls[0].request.headers
    assert new.calls[0].request.headers["accept-encoding"] == "identity"


async def test_untrusted_download_url_is_refused(
    client: AsyncClient, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    evil = "https://evil.example.test/steal?key=" + API_KEY
    respx_mock.get(url("/exports/exp_1/")).respond(
        200, json={"uid": "exp_1", "status": "exported", "download_url": evil}
    )
    with pytest.raises(UnsafeURLError) as caught:
        await client.exports.download("exp_1", tmp_path / "e.zip")
    assert "steal" not in str(caught.value)
    assert API_KEY not in str(caught.value)
