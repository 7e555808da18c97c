"""`avala.async_load` against the local API: every resolver rule and error, verified and
resumable downloads, no credential anywhere."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from avala import (
    DatasetDownloadError,
    DatasetIntegrityError,
    DatasetReferenceError,
    DatasetResolverError,
    DatasetRevisionWithdrawnError,
    DownloadError,
    MutableDatasetAliasWarning,
    UnsupportedDatasetModeError,
)
from avala._async._load import AsyncResolvedDataset, async_load
from avala.testing import LocalAvala
from avala.testing._h_resolver import PublishedFile, configure
from tests._async.conftest import NO_BACKOFF

MIB = 1024 * 1024
KEY = "avk_should_never_travel_0123456789"


def _bytes(label: str, size: int) -> bytes:
    seed = hashlib.sha256(label.encode()).digest()
    return (seed * (size // 32 + 1))[:size]


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="demo")


@pytest.fixture
def published(api: LocalAvala) -> dict[str, Any]:
    """A revision of 3 episodes, 6 frames pointing at them, a 3 MiB recording and a map."""
    files = [
        PublishedFile(f"episodes/{i}.mcap", "episode", i, data=_bytes(f"e{i}", 1000 + i))
        for i in range(3)
    ]
    files += [
        PublishedFile(f"frames/{i}.jpg", "frame", i, i // 2, "image/jpeg", _bytes(f"f{i}", 500))
        for i in range(6)
    ]
    files.append(PublishedFile("big/recording.bin", "recording", 0, 0, data=_bytes("big", 3 * MIB)))
    files.append(PublishedFile("map.json", "map", 0, data=b'{"map": true}'))
    return api.publish_revision(owner="acme", name="navigation", files=files)


async def _load(api: LocalAvala, reference: str, **kwargs: Any) -> AsyncResolvedDataset:
    kwargs.setdefault("retry_policy", NO_BACKOFF)
    return await async_load(
        reference,
        base_url=api.base_url,
        http_client=api.async_httpx_client(headers={"X-Avala-Api-Key": KEY}),
        **kwargs,
    )


@pytest.fixture
async def dataset(
    api: LocalAvala, published: dict[str, Any]
) -> AsyncIterator[AsyncResolvedDataset]:
    async with await _load(api, published["canonical_reference"]) as ds:
        yield ds


def _file_names(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def _resolver_requests(api: LocalAvala, suffix: str = "") -> list[Any]:
    return [e for e in api.log if "/resolve/" in e.path and e.path.endswith(suffix)]


# -- resolving -----------------------------------------------------------------------------------


async def test_canonical_reference_resolves_without_any_credential(
    api: LocalAvala, published: dict[str, Any], dataset: AsyncResolvedDataset
) -> None:
    assert dataset.canonical_reference == published["canonical_reference"]
    assert dataset.display_reference == f"acme/navigation@{published['revision_sha256']}"
    assert dataset.object_count == 11
    assert dataset.total_size_bytes == published["total_size_bytes"]
    assert dataset.rights["access"] == "open_download"
    await dataset.episodes[0]
    await (await dataset.episodes.get(1)).read()
    assert _resolver_requests(api)
    for exchange in _resolver_requests(api):
        assert "x-avala-api-key" not in exchange.headers
    assert api.objects.stats.api_key_seen == 0


async def test_alias_warns_and_resolves_to_the_same_revision(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    with pytest.warns(MutableDatasetAliasWarning):
        ds = await _load(api, "acme/navigation")
    assert ds.requested_reference == "acme/navigation@main"
    assert ds.canonical_reference == published["canonical_reference"]
    await ds.close()
    pinned = await _load(api, "acme/navigation", revision=published["revision_sha256"])
    assert pinned.revision_sha256 == published["revision_sha256"]
    await pinned.close()


async def test_demo_revision_is_published(api: LocalAvala) -> None:
    with pytest.warns(MutableDatasetAliasWarning):
        ds = await _load(api, "demo-org/training-data@main")
    roles = [obj.role async for obj in ds.objects]
    assert roles.count("episode") == 2
    assert roles.count("frame") == 4
    await ds.close()


async def test_bad_arguments(api: LocalAvala, published: dict[str, Any]) -> None:
    with pytest.raises(DatasetReferenceError) as caught:
        await _load(api, "acme/navigation@main", revision="main")
    assert caught.value.reason == "selector_and_revision"
    with pytest.raises(UnsupportedDatasetModeError):
        await _load(api, published["canonical_reference"], streaming=False)
    with pytest.raises(ValueError, match="plain http"):
        await async_load(published["canonical_reference"], base_url="http://example.test/api/v1")


async def test_base_url_comes_from_the_environment(
    api: LocalAvala, published: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVALA_BASE_URL", api.base_url)
    ds = await async_load(published["canonical_reference"], http_client=api.async_httpx_client())
    assert (await ds.episodes[2]).logical_path == "episodes/2.mcap"
    assert await (await ds.episodes[2]).read() == _bytes("e2", 1002)
    await ds.close()


async def test_unknown_dataset_is_not_found(api: LocalAvala) -> None:
    with pytest.warns(MutableDatasetAliasWarning), pytest.raises(DatasetResolverError) as caught:
        await _load(api, "acme/nothing-here")
    assert caught.value.reason == "not_found"
    assert caught.value.status_code == 404


async def test_withdrawn_revision_is_gone_through_any_reference(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    api.withdraw_revision(published["canonical_reference"])
    with pytest.raises(DatasetRevisionWithdrawnError) as caught:
        await _load(api, published["canonical_reference"])
    assert caught.value.revision_sha256 == published["revision_sha256"]
    assert caught.value.dataset_uid == published["dataset_uid"]
    # An alias pointing at a withdrawn revision is a withdrawal too, not an integrity error.
    with pytest.warns(MutableDatasetAliasWarning), pytest.raises(DatasetRevisionWithdrawnError):
        await _load(api, "acme/navigation@main")


async def test_withdrawal_after_load_stops_pages(
    api: LocalAvala, published: dict[str, Any], dataset: AsyncResolvedDataset
) -> None:
    api.withdraw_revision(published["canonical_reference"])
    with pytest.raises(DatasetRevisionWithdrawnError):
        [obj async for obj in dataset.objects]


async def test_rate_limit_storm_is_waited_out(
    api: LocalAvala, published: dict[str, Any], sleeps: list[float]
) -> None:
    api.queue_faults("storm_429", "storm_429", "storm_429")
    ds = await _load(api, published["canonical_reference"])
    assert ds.object_count == 11
    assert sleeps == [1.0, 1.0, 1.0]
    await ds.close()


async def test_server_errors_are_retried_then_reported(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    api.queue_faults("http_503", "drop_before")
    ds = await _load(api, published["canonical_reference"])
    await ds.close()
    api.queue_faults("http_503", "http_502", "http_500")
    with pytest.raises(DatasetResolverError) as caught:
        await _load(api, published["canonical_reference"])
    assert caught.value.reason == "service_unavailable"
    api.queue_faults("drop_before", "drop_before", "drop_before")
    with pytest.raises(DatasetResolverError) as caught:
        await _load(api, published["canonical_reference"])
    assert caught.value.reason == "transport_error"


async def test_identity_mismatch_is_refused(
    api: LocalAvala, published: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala.testing import _h_resolver

    original = _h_resolver._document

    def lying(revision: Any, requested: str) -> dict[str, Any]:
        document = original(revision, requested)
        document["revision_sha256"] = "0" * 64
        return document

    monkeypatch.setattr(_h_resolver, "_document", lying)
    with pytest.raises(DatasetIntegrityError) as caught:
        await _load(api, published["canonical_reference"])
    assert caught.value.reason == "resolver_identity_mismatch"


# -- walking -------------------------------------------------------------------------------------


async def test_objects_walk_in_manifest_order(dataset: AsyncResolvedDataset) -> None:
    keys = [(o.role, o.ordinal, o.logical_path) async for o in dataset.objects]
    assert keys == sorted(keys)
    assert len(keys) == 11
    assert [o.ordinal async for o in dataset.episodes] == [0, 1, 2]


async def test_role_walk_checks_episode_references_in_one_batch(
    api: LocalAvala, dataset: AsyncResolvedDataset
) -> None:
    frames = [o async for o in dataset.for_role("frame")]
    assert [f.episode_ordinal for f in frames] == [0, 0, 1, 1, 2, 2]
    batches = [e for e in _resolver_requests(api, "/objects/") if ("role", "episode") in e.query]
    assert len(batches) == 1
    assert ("ordinals", "0") in batches[0].query


async def test_lookup_by_ordinal(dataset: AsyncResolvedDataset) -> None:
    frame = await dataset.for_role("frame")[3]
    assert frame.logical_path == "frames/3.jpg"
    assert frame.episode_ordinal == 1
    with pytest.raises(IndexError):
        await dataset.episodes.get(99)
    with pytest.raises(IndexError):
        await dataset.episodes.get(-1)
    with pytest.raises(TypeError):
        await dataset.objects.get(0)
    with pytest.raises(ValueError, match="role"):
        dataset.for_role("Not A Role")


async def test_extra_manifest_fields_are_kept(dataset: AsyncResolvedDataset) -> None:
    obj = await dataset.for_role("map").get(0)
    assert obj.extra_fields == {}
    assert obj.content_type == "application/octet-stream"
    assert obj.sha256 == hashlib.sha256(b'{"map": true}').hexdigest()


# -- bytes ---------------------------------------------------------------------------------------


async def test_read_and_open_return_verified_bytes(dataset: AsyncResolvedDataset) -> None:
    episode = await dataset.episodes[1]
    assert await episode.read() == _bytes("e1", 1001)
    handle = await episode.open()
    try:
        assert await handle.read(4) == _bytes("e1", 4)
        await handle.seek(0)
        assert await handle.read() == _bytes("e1", 1001)
    finally:
        await handle.close()
    with pytest.raises(UnsupportedDatasetModeError):
        await episode.read(max_bytes=10)


async def test_grant_is_reused_until_it_expires(
    api: LocalAvala, dataset: AsyncResolvedDataset
) -> None:
    episode = await dataset.episodes[0]
    await episode.read()
    await episode.read()
    handle = await episode.open()
    await handle.close()
    assert len(_resolver_requests(api, "/access/")) == 1


async def test_grant_too_short_is_refused(api: LocalAvala, dataset: AsyncResolvedDataset) -> None:
    configure(api, grant_ttl=3)
    episode = await dataset.episodes[0]
    with pytest.raises(DatasetIntegrityError) as caught:
        await episode.read()
    assert caught.value.reason == "grant_expiry_too_short"
    assert len(_resolver_requests(api, "/access/")) == 2


async def test_download_resumes_after_a_dropped_connection(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    big = await dataset.for_role("recording").get(0)
    api.queue_storage_faults("drop")
    seen: list[int] = []
    dest = await big.download(tmp_path / "rec.bin", on_progress=seen.append)
    assert dest.read_bytes() == _bytes("big", 3 * MIB)
    assert sum(seen) == 3 * MIB
    stats = api.objects.stats
    # The retry asked only for the missing tail: nothing was served twice.
    assert stats.bytes_served <= 3 * MIB
    assert stats.faults["drop"] == 1
    assert len(_resolver_requests(api, "/access/")) == 1
    assert os.listdir(tmp_path) == ["rec.bin"]


async def test_download_restarts_when_ranges_are_not_allowed(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    configure(api, range_supported=False)
    big = await dataset.for_role("recording").get(0)
    api.queue_storage_faults("drop")
    seen: list[int] = []
    dest = await big.download(tmp_path / "rec.bin", on_progress=seen.append)
    assert dest.read_bytes() == _bytes("big", 3 * MIB)
    assert sum(seen) == 3 * MIB  # what was thrown away is taken back from the progress
    assert api.objects.stats.bytes_served > 3 * MIB


@pytest.mark.parametrize(
    ("fault", "reason"), [("corrupt", "sha256_mismatch"), ("truncate", "size_mismatch")]
)
async def test_corruption_is_detected_and_leaves_nothing(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path, fault: str, reason: str
) -> None:
    big = await dataset.for_role("recording").get(0)
    api.queue_storage_faults(fault)
    with pytest.raises(DatasetDownloadError) as caught:
        await big.download(tmp_path / "rec.bin")
    assert caught.value.reason == reason
    assert caught.value.object_uid == big.object_uid
    assert "/_local/storage/" not in str(caught.value)
    assert os.listdir(tmp_path) == []
    api.queue_storage_faults(fault)
    with pytest.raises(DatasetDownloadError):
        await big.read()


async def test_storage_errors_are_retried(
    api: LocalAvala, dataset: AsyncResolvedDataset, sleeps: list[float]
) -> None:
    episode = await dataset.episodes[2]
    api.queue_storage_faults("http_503", "http_500")
    assert await episode.read() == _bytes("e2", 1002)
    assert len(sleeps) == 2
    api.queue_storage_faults("http_503", "http_503", "http_503")
    with pytest.raises(DatasetDownloadError) as caught:
        await episode.read()
    assert caught.value.reason == "provider_response"
    assert caught.value.status_code == 503


async def test_dataset_download_writes_verified_copies_and_skips_them_later(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    seen: list[int] = []
    summary = await dataset.download(tmp_path / "out", concurrency=4, on_progress=seen.append)
    assert (summary.downloaded, summary.skipped) == (11, 0)
    assert sum(seen) == dataset.total_size_bytes
    out = tmp_path / "out"
    assert (out / "episodes" / "1.mcap").read_bytes() == _bytes("e1", 1001)
    assert (out / "big" / "recording.bin").stat().st_size == 3 * MIB
    (out / "frames" / "0.jpg").write_bytes(b"tampered")
    served = api.objects.stats.bytes_served
    again = await dataset.download(out, concurrency=4)
    assert (again.downloaded, again.skipped) == (1, 10)
    assert api.objects.stats.bytes_served - served == 500
    assert (out / "frames" / "0.jpg").read_bytes() == _bytes("f0", 500)


async def test_dataset_download_of_some_roles(
    dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    summary = await dataset.download(tmp_path, roles=["episode", "map"], concurrency=2)
    assert summary.downloaded == 4
    assert _file_names(tmp_path) == [
        "0.mcap",
        "1.mcap",
        "2.mcap",
        "map.json",
    ]


async def test_dataset_download_into_a_file_is_a_typed_error(
    dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    occupied = tmp_path / "taken"
    occupied.write_bytes(b"not a folder")
    with pytest.raises(DownloadError) as info:
        await dataset.download(occupied)
    assert info.value.reason == "local_storage_error"
    assert occupied.read_bytes() == b"not a folder"


async def test_dataset_download_stops_at_the_first_failure(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path
) -> None:
    api.queue_storage_faults("corrupt")
    with pytest.raises(DatasetDownloadError):
        await dataset.download(tmp_path, roles=["episode"], concurrency=1)
    assert not any(name.endswith(".avala-part") for name in _file_names(tmp_path))


async def test_an_http_client_with_a_key_never_sends_it(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    http = api.async_httpx_client(
        headers={"X-Avala-Api-Key": KEY, "Authorization": "Bearer x"}, cookies={"s": "1"}
    )
    ds = await async_load(published["canonical_reference"], base_url=api.base_url, http_client=http)
    await (await ds.episodes[0]).read()
    for exchange in api.log:
        assert "x-avala-api-key" not in exchange.headers
        assert "authorization" not in exchange.headers
        assert "cookie" not in exchange.headers
    assert api.objects.stats.api_key_seen == 0
    await ds.close()
    assert not http.is_closed  # the caller's client stays the caller's
    await http.aclose()


async def test_grants_for_another_host_are_refused(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    # Served to a client that believes it talks to the hosted API: the loopback grant URL is
    # not an allowed storage host there.
    ds = await async_load(
        published["canonical_reference"],
        base_url="https://api.avala.ai/api/v1",
        http_client=api.async_httpx_client(),
    )
    with pytest.raises(DatasetIntegrityError) as caught:
        await (await ds.episodes[0]).read()
    assert caught.value.reason == "untrusted_download_host"
    await ds.close()


async def test_transport_errors_keep_urls_out(api: LocalAvala, published: dict[str, Any]) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    ds = await async_load(
        published["canonical_reference"],
        base_url=api.base_url,
        http_client=api.async_httpx_client(),
        retry_policy=NO_BACKOFF,
    )
    episode = await ds.episodes[0]
    ds._client._http = httpx.AsyncClient(transport=httpx.MockTransport(broken))
    with pytest.raises(DatasetResolverError) as caught:
        await episode.read()
    assert caught.value.reason == "transport_error"
    assert caught.value.__cause__ is None
    assert "http" not in str(caught.value)
    await ds._client._http.aclose()


async def test_own_client_over_a_loopback_server(
    api: LocalAvala, published: dict[str, Any]
) -> None:
    # No http_client: the resolver builds its own (no proxies from the environment, no
    # redirects) and the loopback API may hand out plain-http URLs on its own host.
    pytest.importorskip("uvicorn")
    with api.serve() as server:
        async with await async_load(
            published["canonical_reference"], base_url=server.base_url, retry_policy=NO_BACKOFF
        ) as ds:
            episode = await ds.episodes[1]
            assert await episode.read() == _bytes("e1", 1001)
    assert api.objects.stats.api_key_seen == 0


async def test_a_long_rate_limit_is_not_waited_for(
    api: LocalAvala, published: dict[str, Any], sleeps: list[float]
) -> None:
    from avala.testing import FaultConfig

    api.faults = FaultConfig(retry_after=600.0)
    api.queue_faults("storm_429")
    with pytest.raises(DatasetResolverError) as caught:
        await _load(api, published["canonical_reference"])
    assert caught.value.reason == "rate_limited"
    assert caught.value.status_code == 429
    assert sleeps == []


async def test_signed_urls_stay_out_of_logs(
    api: LocalAvala, dataset: AsyncResolvedDataset, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with api.async_httpx_client() as http:
        await http.get("/resolve/acme/navigation@main/")
    assert "HTTP Request" in caplog.text  # what httpx's client logs for every request
    caplog.clear()
    api.queue_storage_faults("drop")
    await (await dataset.for_role("recording").get(0)).download(tmp_path / "r.bin")
    assert "X-Amz-Signature" not in caplog.text
    assert "/_local/storage/" not in caplog.text
