"""Every integrity rule of the resolver, end to end: the local API's answers are tampered with
on their way to the client, and the client must refuse them with the documented reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from avala import (
    DatasetDownloadError,
    DatasetIntegrityError,
    DatasetResolverError,
    DatasetRevisionWithdrawnError,
)
from avala._async._load import AsyncResolvedDataset, async_load
from avala.testing import LocalAvala
from avala.testing._h_resolver import PublishedFile
from tests._async.conftest import NO_BACKOFF

Tamper = Callable[[httpx.Request, httpx.Response, Any], "httpx.Response | None"]


class TamperingTransport(httpx.AsyncBaseTransport):
    """The local API, with `tamper(request, response, json)` free to replace any answer."""

    def __init__(self, api: LocalAvala, tamper: Tamper) -> None:
        self.inner = api.async_httpx_client()._transport
        self.tamper = tamper

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        await response.aread()
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        replaced = self.tamper(request, response, data)
        if replaced is not None:
            return replaced
        # A fresh copy: the original's stream is consumed.
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(response.content),
        )


def answer(status: int, data: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers or {})


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


@pytest.fixture
def reference(api: LocalAvala) -> str:
    files = [PublishedFile(f"e/{i}.mcap", "episode", i, data=b"e" * 10) for i in range(3)]
    files += [PublishedFile(f"f/{i:03d}.jpg", "frame", i, i % 3, data=b"f" * 5) for i in range(150)]
    return str(api.publish_revision(owner="acme", name="nav", files=files)["canonical_reference"])


async def _load(api: LocalAvala, reference: str, tamper: Tamper) -> AsyncResolvedDataset:
    http = httpx.AsyncClient(transport=TamperingTransport(api, tamper))
    return await async_load(
        reference, base_url=api.base_url, http_client=http, retry_policy=NO_BACKOFF
    )


def _pages(mutate: Callable[[dict[str, Any]], None]) -> Tamper:
    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        if request.url.path.endswith("/objects/") and isinstance(data, dict):
            mutate(data)
            return answer(response.status_code, data)
        return None

    return tamper


def _grants(mutate: Callable[[dict[str, Any], dict[str, str]], None]) -> Tamper:
    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        if request.url.path.endswith("/access/") and isinstance(data, dict):
            headers = {"date": response.headers["date"]}
            mutate(data, headers)
            return answer(response.status_code, data, headers)
        return None

    return tamper


async def _walk_error(
    api: LocalAvala, reference: str, tamper: Tamper, role: str | None = None
) -> str:
    dataset = await _load(api, reference, tamper)
    collection = dataset.objects if role is None else dataset.for_role(role)
    with pytest.raises(DatasetIntegrityError) as caught:
        async for _ in collection:
            pass
    return caught.value.reason


async def test_repeated_cursor(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        page["next_cursor"] = "p100"  # the second page points back at itself

    assert await _walk_error(api, reference, _pages(mutate)) == "invalid_cursor_sequence"


async def test_order(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        page["results"].reverse()

    assert await _walk_error(api, reference, _pages(mutate)) == "invalid_manifest_order"


async def test_duplicate_path(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        if len(page["results"]) > 1:
            page["results"][1]["logical_path"] = page["results"][0]["logical_path"] + "x"
            page["results"][0]["logical_path"] = page["results"][1]["logical_path"]

    assert await _walk_error(api, reference, _pages(mutate)) in (
        "duplicate_manifest_object",
        "invalid_manifest_order",
    )


async def test_missing_object(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        if page["next_cursor"] is None and page["results"]:
            page["results"].pop()

    assert await _walk_error(api, reference, _pages(mutate)) == "manifest_object_count_mismatch"


async def test_dangling_episode_reference(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        for item in page["results"]:
            if item["role"] == "frame":
                item["episode_ordinal"] = 77

    assert await _walk_error(api, reference, _pages(mutate)) == "dangling_episode_reference"
    assert (
        await _walk_error(api, reference, _pages(mutate), "frame") == "dangling_episode_reference"
    )


async def test_page_of_another_revision(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        page["manifest_sha256"] = "0" * 64

    assert await _walk_error(api, reference, _pages(mutate)) == "object_page_identity_mismatch"


async def test_object_of_an_unknown_role_in_a_role_walk(api: LocalAvala, reference: str) -> None:
    def mutate(page: dict[str, Any]) -> None:
        for item in page["results"]:
            item["role"] = "other"

    assert await _walk_error(api, reference, _pages(mutate), "frame") == "object_identity_mismatch"


@pytest.mark.parametrize(
    ("mutation", "reason"),
    [
        (lambda d, h: h.clear(), "missing_grant_date"),
        (lambda d, h: h.update(date="not a date"), "invalid_grant_date"),
        (lambda d, h: d.update(sha256="0" * 64), "access_grant_identity_mismatch"),
        (lambda d, h: d.update(expires_at="2099-01-01T00:00:00Z"), "invalid_grant_expiry"),
        (lambda d, h: d.update(url="https://evil.example.test/x"), "untrusted_download_host"),
        (
            lambda d, h: d.update(provider="aws_s3", url="https://b.s3.amazonaws.com.evil.test/x"),
            "untrusted_download_host",
        ),
        (
            lambda d, h: d.update(url="https://127.0.0.1.evil.test:8443/x"),
            "invalid_access_grant_url",
        ),
        (lambda d, h: d.update(url="http://192.168.0.1/x"), "invalid_access_grant_url"),
    ],
)
async def test_bad_grants(
    api: LocalAvala,
    reference: str,
    mutation: Callable[[dict[str, Any], dict[str, str]], None],
    reason: str,
) -> None:
    dataset = await _load(api, reference, _grants(mutation))
    episode = await dataset.episodes[0]
    with pytest.raises(DatasetIntegrityError) as caught:
        await episode.read()
    assert caught.value.reason == reason
    assert "evil" not in str(caught.value)


async def test_grant_falls_back_to_get_on_405(api: LocalAvala, reference: str) -> None:
    methods: list[str] = []

    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        if request.url.path.endswith("/access/"):
            methods.append(request.method)
            if request.method == "POST":
                return answer(405, {"detail": 'Method "POST" not allowed.'})
        return None

    dataset = await _load(api, reference, tamper)
    assert await (await dataset.episodes[1]).read() == b"e" * 10
    assert methods == ["POST", "GET"]


async def test_non_json_resolve_answer(api: LocalAvala, reference: str) -> None:
    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        return httpx.Response(200, text="<html>maintenance</html>")

    with pytest.raises(DatasetIntegrityError) as caught:
        await _load(api, reference, tamper)
    assert caught.value.reason == "invalid_resolver_response"


@pytest.mark.parametrize(
    ("body", "error", "reason"),
    [
        ("gone", DatasetResolverError, "invalid_withdrawal"),
        ({"schema_version": 1, "code": "other"}, DatasetIntegrityError, "invalid_withdrawal"),
    ],
)
async def test_malformed_tombstones(
    api: LocalAvala, reference: str, body: Any, error: type[Exception], reason: str
) -> None:
    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        return answer(410, body)

    with pytest.raises(error) as caught:
        await _load(api, reference, tamper)
    assert getattr(caught.value, "reason", None) == reason
    assert not isinstance(caught.value, DatasetRevisionWithdrawnError)


async def test_tombstone_of_another_revision(api: LocalAvala, reference: str) -> None:
    uid = reference.removeprefix("avala://datasets/").split("@")[0]
    other = {
        "schema_version": 1,
        "code": "dataset_revision_withdrawn",
        "canonical_reference": f"avala://datasets/{uid}@{'1' * 64}",
        "dataset_uid": uid,
        "revision_sha256": "1" * 64,
    }

    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        return answer(410, other)

    with pytest.raises(DatasetIntegrityError) as caught:
        await _load(api, reference, tamper)
    assert caught.value.reason == "withdrawal_identity_mismatch"


@pytest.mark.parametrize(
    ("status", "reason"), [(302, "redirect_rejected"), (404, "provider_response")]
)
async def test_storage_answers_that_are_not_retried(
    api: LocalAvala, reference: str, status: int, reason: str
) -> None:
    calls: list[int] = []

    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        if "/_local/storage/" in request.url.path:
            calls.append(status)
            return httpx.Response(status, headers={"location": "https://elsewhere.example.test/"})
        return None

    dataset = await _load(api, reference, tamper)
    with pytest.raises(DatasetDownloadError) as caught:
        await (await dataset.episodes[0]).read()
    assert caught.value.reason == reason
    assert caught.value.status_code == status
    assert calls == [status]


async def test_refused_request(api: LocalAvala, reference: str) -> None:
    def tamper(
        request: httpx.Request, response: httpx.Response, data: Any
    ) -> httpx.Response | None:
        return answer(403, {"detail": "You do not have permission to perform this action."})

    with pytest.raises(DatasetResolverError) as caught:
        await _load(api, reference, tamper)
    assert caught.value.reason == "request_rejected"
    assert caught.value.status_code == 403
