"""The local API's object store: presigned URLs, ranges, multipart, form POST, faults, streaming."""

from __future__ import annotations

import base64
import hashlib
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from avala.testing import LocalAvala
from avala.testing._objects import ObjectStore
from avala.testing._storage_faults import StorageFaultConfig

DATA = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


@pytest.fixture
def http(api: LocalAvala) -> Iterator[httpx.Client]:
    with api.httpx_client() as client:
        yield client


def put(http: httpx.Client, api: LocalAvala, key: str, data: bytes = DATA) -> httpx.Response:
    return http.put(api.objects.presign("PUT", key), content=data)


def etag_of(data: bytes) -> str:
    """The store's ETag: size and CRC-32 of the bytes."""
    return f'"{len(data):024x}{zlib.crc32(data):08x}"'


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def read_until_dropped(client: httpx.Client, url: str) -> bytes:
    """The bytes of a 200 download received before the connection drops (it must drop)."""
    received = bytearray()
    try:
        with client.stream("GET", url) as response:
            assert response.status_code == 200
            for chunk in response.iter_raw():
                received += chunk
    except httpx.RemoteProtocolError:
        return bytes(received)
    raise AssertionError("the download was not dropped")


# -- the store's own API ---------------------------------------------------------------------


def test_store_api_round_trip() -> None:
    store = ObjectStore()
    info = store.put_bytes("a/b.bin", DATA, content_type="image/png")
    assert info.size == len(DATA)
    assert info.etag == etag_of(DATA)
    assert store.exists("a/b.bin")
    assert not store.exists("a/c.bin")
    assert store.size("a/b.bin") == len(DATA)
    assert store.sha256("a/b.bin") == hashlib.sha256(DATA).hexdigest()
    with store.open("a/b.bin") as fh:
        assert fh.read() == DATA
    assert store.read_back("a/b.bin") == DATA
    store.put_bytes("z.bin", b"z")
    assert store.keys() == ["a/b.bin", "z.bin"]
    assert store.keys("a/") == ["a/b.bin"]
    with pytest.raises(ValueError, match="limit"):
        store.read_back("a/b.bin", limit=10)
    assert store.delete("a/b.bin") is True
    assert store.delete("a/b.bin") is False
    with pytest.raises(KeyError):
        store.size("a/b.bin")
    assert store.stats.objects_stored == 2
    assert store.stats.bytes_stored == len(DATA) + 1
    root = store.root
    assert root.exists()
    store.close()
    assert not root.exists()


def test_store_multipart_api() -> None:
    store = ObjectStore()
    upload = store.create_multipart("big.bin")
    assert store.multipart_key(upload) == "big.bin"
    for number, chunk in ((2, b"world"), (1, b"hello ")):
        writer = store.begin_part(upload, number)
        writer.write(chunk)
        writer.commit()
    assert [(p.part_number, p.size) for p in store.list_parts(upload)] == [(1, 6), (2, 5)]
    info = store.complete_multipart(upload)
    assert store.read_back("big.bin") == b"hello world"
    assert info.etag.endswith('-2"')
    assert store.complete_multipart(upload) == info  # idempotent
    assert store.stats.parts_stored == 2
    assert store.stats.objects_stored == 1
    gap = store.create_multipart("gap.bin")
    writer = store.begin_part(gap, 2)
    writer.write(b"x")
    writer.commit()
    with pytest.raises(ValueError, match="missing parts"):
        store.complete_multipart(gap)
    with pytest.raises(KeyError):
        store.list_parts("nope")


def test_store_multipart_in_place() -> None:
    store = ObjectStore()
    upload = store.create_multipart("fixed.bin", part_size=4)
    for number, chunk in ((3, b"xyz!"), (2, b"4567"), (1, b"0123"), (3, b"89")):
        writer = store.begin_part(upload, number)
        writer.write(chunk)
        writer.commit()  # part 3 is sent twice, shorter the second time
    assert [p.size for p in store.list_parts(upload)] == [4, 4, 2]
    store.complete_multipart(upload)
    assert store.read_back("fixed.bin") == b"0123456789"
    assert store.stats.parts_stored == 4
    odd = store.create_multipart("odd.bin", part_size=4)
    for number, chunk in ((1, b"012"), (2, b"3")):
        writer = store.begin_part(odd, number)
        writer.write(chunk)
        writer.commit()
    with pytest.raises(ValueError, match="part size"):
        store.complete_multipart(odd)
    writer = store.begin_part(odd, 1)
    with pytest.raises(ValueError, match="at most 4 bytes"):
        writer.write(b"01234")
    writer.abort()
    assert [p.part_number for p in store.list_parts(odd)] == [2]  # the overwritten copy is gone


def test_every_instance_has_a_store(api: LocalAvala) -> None:
    assert isinstance(api.objects, ObjectStore)
    assert api.stats.storage is api.objects.stats
    assert LocalAvala(data="empty").objects is not api.objects
    assert api.objects.presign("GET", "k").startswith("http://localhost/_local/storage/k?")


# -- presigned requests, in process ----------------------------------------------------------


def test_put_then_get(api: LocalAvala, http: httpx.Client) -> None:
    stored = put(http, api, "dir/file.bin")
    assert stored.status_code == 200
    assert stored.headers["etag"] == etag_of(DATA)
    got = http.get(api.objects.presign("GET", "dir/file.bin"))
    assert got.status_code == 200
    assert got.content == DATA
    assert got.headers["accept-ranges"] == "bytes"
    assert got.headers["etag"] == stored.headers["etag"]
    head = http.head(api.objects.presign("HEAD", "dir/file.bin"))
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(DATA))
    assert head.content == b""
    stats = api.objects.stats
    assert stats.bytes_received == len(DATA)
    assert stats.bytes_stored == len(DATA)
    assert stats.bytes_served == len(DATA)
    assert stats.objects_stored == 1
    assert stats.statuses[200] == 3
    assert stats.key("dir/file.bin").writes == 1
    assert stats.key("dir/file.bin").reads == 2


@pytest.mark.parametrize("key", ["sp ace/ünï.bin", "a/../b.bin", "100%/x?y#z.bin", "=eq/a+b.bin"])
def test_hostile_keys_round_trip(api: LocalAvala, http: httpx.Client, key: str) -> None:
    assert put(http, api, key, b"odd").status_code == 200
    assert api.objects.keys() == [key]
    assert http.get(api.objects.presign("GET", key)).content == b"odd"


def test_missing_object_is_404(api: LocalAvala, http: httpx.Client) -> None:
    response = http.get(api.objects.presign("GET", "absent"))
    assert response.status_code == 404
    assert b"NoSuchKey" in response.content


@pytest.mark.parametrize(
    ("header", "status", "content_range", "body"),
    [
        ("bytes=0-9", 206, "bytes 0-9/10240", DATA[:10]),
        ("bytes=10000-", 206, "bytes 10000-10239/10240", DATA[10000:]),
        ("bytes=-5", 206, "bytes 10235-10239/10240", DATA[-5:]),
        ("bytes=10230-99999", 206, "bytes 10230-10239/10240", DATA[10230:]),
        ("bytes=0-1,5-6", 200, None, DATA),  # several ranges: the whole object
        ("items=0-1", 200, None, DATA),
    ],
)
def test_range(
    api: LocalAvala,
    http: httpx.Client,
    header: str,
    status: int,
    content_range: str | None,
    body: bytes,
) -> None:
    put(http, api, "r.bin")
    response = http.get(api.objects.presign("GET", "r.bin"), headers={"Range": header})
    assert response.status_code == status
    assert response.headers.get("content-range") == content_range
    assert response.content == body
    assert response.headers["content-length"] == str(len(body))


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0"])
def test_range_not_satisfiable(api: LocalAvala, http: httpx.Client, header: str) -> None:
    put(http, api, "r.bin")
    response = http.get(api.objects.presign("GET", "r.bin"), headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */10240"


def test_conditional_get(api: LocalAvala, http: httpx.Client) -> None:
    etag = put(http, api, "c.bin").headers["etag"]
    url = api.objects.presign("GET", "c.bin")
    stale = http.get(url, headers={"Range": "bytes=0-3", "If-Range": '"other"'})
    assert stale.status_code == 200
    assert stale.content == DATA
    fresh = http.get(url, headers={"Range": "bytes=0-3", "If-Range": etag})
    assert fresh.status_code == 206
    assert fresh.content == DATA[:4]
    assert http.get(url, headers={"If-Match": '"other"'}).status_code == 412
    assert http.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_put_if_none_match(api: LocalAvala, http: httpx.Client) -> None:
    guard = {"If-None-Match": "*"}
    first = http.put(api.objects.presign("PUT", "once.bin"), content=b"one", headers=guard)
    assert first.status_code == 200
    again = http.put(api.objects.presign("PUT", "once.bin"), content=b"two", headers=guard)
    assert again.status_code == 412
    assert api.objects.read_back("once.bin") == b"one"
    assert api.objects.stats.bytes_received == 6  # the refused body was still read
    assert api.objects.stats.bytes_stored == 3


def test_content_md5_is_checked(api: LocalAvala, http: httpx.Client) -> None:
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    refused = http.put(
        api.objects.presign("PUT", "m.bin"), content=DATA, headers={"Content-MD5": wrong}
    )
    assert refused.status_code == 400
    assert b"BadDigest" in refused.content
    assert not api.objects.exists("m.bin")
    right = base64.b64encode(hashlib.md5(DATA).digest()).decode()
    accepted = http.put(
        api.objects.presign("PUT", "m.bin"), content=DATA, headers={"Content-MD5": right}
    )
    assert accepted.status_code == 200


# -- signatures ------------------------------------------------------------------------------


def test_tampered_urls_are_refused(api: LocalAvala, http: httpx.Client) -> None:
    put(http, api, "secret.bin")
    url = api.objects.presign("GET", "secret.bin")
    signature = dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]
    forged = [
        url.replace("secret.bin", "other.bin"),
        with_query(url, **{"X-Amz-Signature": "0" * 64}),
        with_query(url, **{"X-Amz-Expires": "3000"}),
        with_query(url, **{"X-Amz-Date": "20990101T000000Z"}),
        url.split("?")[0],
        url.replace(signature, signature[::-1]),
    ]
    for target in forged:
        response = http.get(target)
        assert response.status_code == 403, target
        assert b"<Code>" in response.content
    assert http.put(url, content=b"x").status_code == 403  # a GET URL does not allow PUT
    assert api.objects.stats.rejected == len(forged) + 1
    assert api.objects.read_back("secret.bin") == DATA


def test_expired_url_is_refused(api: LocalAvala, http: httpx.Client) -> None:
    now = [1_800_000_000.0]
    api.objects.clock = lambda: now[0]
    put(http, api, "e.bin")
    url = api.objects.presign("GET", "e.bin", expires_in=60)
    now[0] += 59
    assert http.get(url).status_code == 200
    now[0] += 2
    expired = http.get(url)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content


def test_signed_content_length(api: LocalAvala, http: httpx.Client) -> None:
    url = api.objects.presign("PUT", "len.bin", headers={"Content-Length": "4"})
    assert "X-Amz-SignedHeaders=content-length%3Bhost" in url
    assert http.put(url, content=b"12345").status_code == 403
    assert http.put(url, content=b"1234").status_code == 200


def test_api_key_on_storage_is_counted(api: LocalAvala, http: httpx.Client) -> None:
    url = api.objects.presign("PUT", "k.bin")
    assert http.put(url, content=b"x", headers={"X-Avala-Api-Key": "leak"}).status_code == 200
    assert http.get(api.objects.presign("GET", "k.bin")).status_code == 200
    assert api.objects.stats.api_key_seen == 1


def test_r2_shaped_urls(api: LocalAvala, http: httpx.Client) -> None:
    upload = api.objects.create_multipart("__o__=/org/__cloud__/s1/cam 0.mcap")
    url = api.objects.presign(
        "PUT",
        "__o__=/org/__cloud__/s1/cam 0.mcap",
        upload_id=upload,
        part_number=1,
        headers={"Content-Length": "3"},
        host_style="r2",
    )
    parts = urlsplit(url)
    assert parts.scheme == "https"
    assert parts.hostname is not None
    assert parts.hostname.endswith(".r2.cloudflarestorage.com")
    assert len(parts.hostname.split(".")[0]) == 32
    assert parts.path == "/avala-local/__o__%3D/org/__cloud__/s1/cam%200.mcap"
    names = [name for name, _ in parse_qsl(parts.query)]
    assert names == [
        "uploadId",
        "partNumber",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ]
    response = http.put(url, content=b"abc")
    assert response.status_code == 200
    assert response.headers["etag"]
    assert [p.size for p in api.objects.list_parts(upload)] == [3]


# -- multipart and form uploads over HTTP ----------------------------------------------------


def test_multipart_parts_over_http(api: LocalAvala, http: httpx.Client) -> None:
    upload = api.objects.create_multipart("mp.bin")
    chunks = [DATA[:4000], DATA[4000:8000], DATA[8000:]]
    for number in (3, 1, 2):
        url = api.objects.presign("PUT", "mp.bin", upload_id=upload, part_number=number)
        response = http.put(url, content=chunks[number - 1])
        assert response.status_code == 200
        assert response.headers["etag"] == etag_of(chunks[number - 1])
    assert api.objects.stats.parts_stored == 3
    assert not api.objects.exists("mp.bin")
    api.objects.complete_multipart(upload)
    assert api.objects.read_back("mp.bin") == DATA
    late = api.objects.presign("PUT", "mp.bin", upload_id=upload, part_number=1)
    assert http.put(late, content=b"x").status_code == 404  # completed uploads take no parts
    other = api.objects.create_multipart("other.bin")
    wrong_key = api.objects.presign("PUT", "mp.bin", upload_id=other, part_number=1)
    assert http.put(wrong_key, content=b"x").status_code == 404


def test_oversized_part_is_refused(api: LocalAvala, http: httpx.Client) -> None:
    upload = api.objects.create_multipart("fixed.bin", part_size=1000)
    url = api.objects.presign("PUT", "fixed.bin", upload_id=upload, part_number=1)
    response = http.put(url, content=DATA[:1001])
    assert response.status_code == 400
    assert b"EntityTooLarge" in response.content
    assert api.objects.list_parts(upload) == []
    assert http.put(url, content=DATA[:1000]).status_code == 200


def test_form_post_upload(api: LocalAvala, http: httpx.Client) -> None:
    form = api.objects.presign_post("ds/a b.jpg", max_size=len(DATA), content_type="image/jpeg")
    response = http.post(form["url"], data=form["fields"], files={"file": ("a b.jpg", DATA)})
    assert response.status_code == 204
    assert api.objects.read_back("ds/a b.jpg") == DATA
    assert api.objects.info("ds/a b.jpg").content_type == "image/jpeg"
    assert api.objects.stats.bytes_stored == len(DATA)
    too_big = http.post(form["url"], data=form["fields"], files={"file": ("x", DATA + b"!")})
    assert too_big.status_code == 400
    assert b"EntityTooLarge" in too_big.content
    tampered = {**form["fields"], "key": "ds/elsewhere.jpg"}
    refused = http.post(form["url"], data=tampered, files={"file": ("x", b"1")})
    assert refused.status_code == 403
    odd_name = {"file": ('we"ird; name="key".jpg', b"odd")}
    assert http.post(form["url"], data=form["fields"], files=odd_name).status_code == 204
    assert api.objects.read_back("ds/a b.jpg") == b"odd"
    no_file = http.post(form["url"], data=form["fields"], files={"other": ("x", b"1")})
    assert no_file.status_code == 400
    assert api.objects.keys() == ["ds/a b.jpg"]


def test_form_post_body_split_anywhere(api: LocalAvala) -> None:
    """The streaming form parser must not care where chunk boundaries fall."""
    form = api.objects.presign_post("split.bin")
    request = httpx.Request("POST", form["url"], data=form["fields"], files={"file": ("f", DATA)})
    body = request.read()
    for size in (1, 7, 64, 4096):
        chunks = [body[i : i + size] for i in range(0, len(body), size)]
        with api.httpx_client() as client:
            response = client.post(
                form["url"],
                content=iter(chunks),
                headers={"content-type": request.headers["content-type"]},
            )
        assert response.status_code == 204, size
        assert api.objects.read_back("split.bin") == DATA


def test_expired_form_is_refused(api: LocalAvala, http: httpx.Client) -> None:
    now = [1_800_000_000.0]
    api.objects.clock = lambda: now[0]
    form = api.objects.presign_post("late.bin", expires_in=10)
    now[0] += 11
    response = http.post(form["url"], data=form["fields"], files={"file": ("f", b"1")})
    assert response.status_code == 403


# -- faults ----------------------------------------------------------------------------------


def test_queued_5xx(api: LocalAvala, http: httpx.Client) -> None:
    api.queue_storage_faults("http_503", "http_500")
    slow_down = put(http, api, "f.bin")
    assert slow_down.status_code == 503
    assert "retry-after" not in slow_down.headers
    assert put(http, api, "f.bin").status_code == 500
    assert put(http, api, "f.bin").status_code == 200
    assert api.objects.stats.faults == {"http_503": 1, "http_500": 1}
    assert api.objects.stats.bytes_stored == len(DATA)
    assert api.objects.stats.bytes_received == 3 * len(DATA)


def test_upload_dropped_mid_body_stores_nothing(api: LocalAvala, http: httpx.Client) -> None:
    api.queue_storage_faults("drop")
    with pytest.raises(httpx.RemoteProtocolError):
        put(http, api, "d.bin")
    assert not api.objects.exists("d.bin")
    assert 0 < api.objects.stats.bytes_received <= len(DATA)
    assert list((api.objects.root / "tmp").iterdir()) == []  # no temporary file left behind


def test_upload_dropped_after_store(api: LocalAvala, http: httpx.Client) -> None:
    api.queue_storage_faults("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        put(http, api, "d.bin")
    assert api.objects.read_back("d.bin") == DATA  # landed, though the client cannot know


def test_download_faults(api: LocalAvala, http: httpx.Client) -> None:
    api.queue_storage_faults("truncate", "corrupt")
    put(http, api, "g.bin")  # download-only faults wait for a GET
    api.queue_storage_faults("drop")
    url = api.objects.presign("GET", "g.bin")
    truncated = http.get(url)
    assert truncated.status_code == 200
    assert truncated.content == DATA[: len(DATA) // 2]
    assert truncated.headers["content-length"] == str(len(DATA) // 2)
    corrupted = http.get(url)
    assert len(corrupted.content) == len(DATA)
    assert corrupted.content != DATA
    assert sum(a != b for a, b in zip(corrupted.content, DATA, strict=False)) == 1
    received = read_until_dropped(http, url)
    assert received == DATA[: len(DATA) // 2]
    ranged = http.get(url, headers={"Range": f"bytes={len(received)}-"})  # resume
    assert bytes(received) + ranged.content == DATA
    assert api.objects.stats.faults == {"truncate": 1, "corrupt": 1, "drop": 1}


def test_random_faults_are_seeded(api: LocalAvala) -> None:
    def run() -> list[int]:
        local = LocalAvala(data="empty")
        local.storage_faults = StorageFaultConfig(fail_rate=0.5, seed=3)
        with local.httpx_client() as client:
            return [put(client, local, f"k{i}", b"x").status_code for i in range(20)]

    first = run()
    assert first == run()
    assert {200, 500, 503} <= set(first) or {200, 500} <= set(first) or {200, 503} <= set(first)


def test_fault_filters() -> None:
    api = LocalAvala(data="empty")
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, methods=("GET",), key_contains="hot")
    with api.httpx_client() as client:
        assert put(client, api, "hot.bin").status_code == 200  # PUT is not faulted
        assert client.get(api.objects.presign("GET", "hot.bin")).status_code >= 500
        put(client, api, "cold.bin")
        assert client.get(api.objects.presign("GET", "cold.bin")).status_code == 200


def test_retry_after_and_reset(api: LocalAvala, http: httpx.Client) -> None:
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, fail_statuses=(503,), retry_after=2)
    assert put(http, api, "r.bin").headers["retry-after"] == "2"
    stats = api.objects.stats
    assert stats.requests == 1
    stats.reset()
    assert stats.requests == 0
    assert stats.faults == {}
    assert api.stats.storage is stats


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="add up"):
        StorageFaultConfig(fail_rate=0.6, drop_rate=0.6)
    with pytest.raises(ValueError, match="fail_statuses"):
        StorageFaultConfig(fail_statuses=(502,))
    with pytest.raises(ValueError, match="unknown fault"):
        LocalAvala(data="empty").queue_storage_faults("nope")


def test_stats_route(api: LocalAvala, http: httpx.Client) -> None:
    put(http, api, "s.bin")
    stats = http.get("/_local/stats/").json()
    assert stats["bytes_received"] == len(DATA)
    assert stats["objects_stored"] == 1
    assert stats["per_key"]["s.bin"]["bytes_stored"] == len(DATA)
    assert stats["api_key_seen"] == 0
    assert "requests" in stats["api"]


async def test_async_transport_streams(api: LocalAvala) -> None:
    async def body() -> AsyncIterator[bytes]:
        for i in range(0, len(DATA), 1000):
            yield DATA[i : i + 1000]

    async with api.async_httpx_client() as client:
        stored = await client.put(api.objects.presign("PUT", "a.bin"), content=body())
        assert stored.status_code == 200
        got = await client.get(api.objects.presign("GET", "a.bin"), headers={"Range": "bytes=5-9"})
        assert got.status_code == 206
        assert got.content == DATA[5:10]
        api.queue_storage_faults("drop")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(api.objects.presign("GET", "a.bin"))


# -- memory stays flat -----------------------------------------------------------------------

BIG = 48 * 1024 * 1024
CHUNK = 256 * 1024


def chunks(total: int) -> Iterator[bytes]:
    block = b"\xa5" * CHUNK
    for _ in range(total // CHUNK):
        yield block


def traced_peak(action: object) -> int:
    tracemalloc.start()
    try:
        action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def large_round_trip(api: LocalAvala, client: httpx.Client) -> None:
    assert client.put(api.objects.presign("PUT", "big.bin"), content=chunks(BIG)).status_code == 200
    total = 0
    with client.stream("GET", api.objects.presign("GET", "big.bin")) as response:
        for chunk in response.iter_raw():
            total += len(chunk)
    assert total == BIG


def test_in_process_large_body_streams(api: LocalAvala, http: httpx.Client) -> None:
    peak = traced_peak(lambda: large_round_trip(api, http))
    assert api.objects.size("big.bin") == BIG
    assert peak < 12 * 1024 * 1024, peak


# -- over the loopback server ----------------------------------------------------------------


@pytest.fixture
def served(api: LocalAvala) -> Iterator[str]:
    pytest.importorskip("uvicorn")
    with api.serve() as server:
        yield server.base_url


def test_server_round_trip(api: LocalAvala, served: str) -> None:
    origin = served.removesuffix("/api/v1")
    url = api.objects.presign("PUT", "srv/a b.bin")
    assert url.startswith(origin + "/_local/storage/")
    with httpx.Client() as client:
        assert client.put(url, content=DATA).status_code == 200
        get = api.objects.presign("GET", "srv/a b.bin")
        assert client.get(get).content == DATA
        ranged = client.get(get, headers={"Range": "bytes=-10"})
        assert ranged.status_code == 206
        assert ranged.content == DATA[-10:]
        assert client.get(get, headers={"Range": "bytes=20000-"}).status_code == 416
        assert client.head(get).headers["content-length"] == str(len(DATA))
        assert client.get(get.replace("srv", "vrs")).status_code == 403
        form = api.objects.presign_post("srv/form.bin")
        posted = client.post(form["url"], data=form["fields"], files={"file": ("f", DATA)})
        assert posted.status_code == 204
        stats = client.get(f"{served}/_local/stats/").json()
    assert api.objects.read_back("srv/form.bin") == DATA
    assert stats["objects_stored"] == 2
    assert stats["rejected"] == 1
    assert stats["bytes_served"] == len(DATA) + 10


def test_server_faults(api: LocalAvala, served: str) -> None:
    with httpx.Client() as client:
        api.queue_storage_faults("drop")
        with pytest.raises(httpx.TransportError):
            client.put(api.objects.presign("PUT", "x.bin"), content=DATA * 20)
        assert not api.objects.exists("x.bin")
        api.queue_storage_faults("http_503")
        assert client.put(api.objects.presign("PUT", "x.bin"), content=DATA).status_code == 503
        assert client.put(api.objects.presign("PUT", "x.bin"), content=DATA).status_code == 200
        api.queue_storage_faults("drop")
        received = read_until_dropped(client, api.objects.presign("GET", "x.bin"))
        assert received == DATA[: len(DATA) // 2]
        again = client.get(api.objects.presign("GET", "x.bin"))
        assert again.content == DATA  # the server survives its deliberate drops


def test_server_large_body_streams(api: LocalAvala, served: str) -> None:
    with httpx.Client() as client:
        peak = traced_peak(lambda: large_round_trip(api, client))
    assert api.objects.size("big.bin") == BIG
    assert api.objects.sha256("big.bin") == hashlib.sha256(b"\xa5" * BIG).hexdigest()
    assert peak < 12 * 1024 * 1024, peak


def test_server_stops_reading_for_a_client_that_left(api: LocalAvala, served: str) -> None:
    writer = api.objects.begin_write("left.bin")
    for chunk in chunks(BIG):
        writer.write(chunk)
    writer.commit()
    with (
        httpx.Client() as client,
        client.stream("GET", api.objects.presign("GET", "left.bin")) as response,
    ):
        next(response.iter_raw())
    served = -1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and served != api.objects.stats.bytes_served:
        served = api.objects.stats.bytes_served
        time.sleep(0.3)
    assert served < BIG // 2, served
