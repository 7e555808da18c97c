"""`avala view`'s loopback server, hit over real sockets: ranges, Host checks, CORS, ETag."""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from avala.viewer import (
    MCAP_MAGIC,
    ViewerServer,
    build_viewer_url,
    origin_of,
    parse_ranges,
    serve_file,
)

VIEWER = "https://avala.ai"


def write_mcap(path: Path, messages: int = 2000) -> None:
    from mcap.writer import Writer

    with path.open("wb") as stream:
        writer = Writer(stream)
        writer.start(profile="", library="avala-tests")
        schema = writer.register_schema(name="demo", encoding="jsonschema", data=b"{}")
        channel = writer.register_channel(topic="/demo", message_encoding="json", schema_id=schema)
        for i in range(messages):
            data = b'{"i": %d, "pad": "%s"}' % (i, b"x" * 200)
            writer.add_message(channel, log_time=i, data=data, publish_time=i)
        writer.finish()


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    path = tmp_path / "customer-route-7.mcap"
    write_mcap(path)
    return path


@pytest.fixture
def server(recording: Path) -> Iterator[ViewerServer]:
    srv = serve_file(recording, allowed_origin=VIEWER)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def url(srv: ViewerServer) -> str:
    return f"http://127.0.0.1:{srv.port}/recording.mcap"


def test_the_served_file_is_a_real_mcap_read_back_whole(
    server: ViewerServer, recording: Path
) -> None:
    from mcap.reader import make_reader

    body = httpx.get(url(server)).content
    assert body == recording.read_bytes()
    assert body.startswith(MCAP_MAGIC)
    import io

    topics = {channel.topic for _, channel, _ in make_reader(io.BytesIO(body)).iter_messages()}
    assert topics == {"/demo"}


def test_head_and_etag_use_nanosecond_mtime(server: ViewerServer, recording: Path) -> None:
    response = httpx.head(url(server))
    stat = os.stat(recording)
    assert response.status_code == 200
    assert response.headers["content-length"] == str(stat.st_size)
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"] == f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-7", (0, 7)),
        ("bytes=100-", (100, None)),
        ("bytes=-16", (-16, None)),
        ("bytes=10-10", (10, 10)),
    ],
)
def test_single_ranges_are_exact(
    server: ViewerServer, recording: Path, header: str, span: tuple[int, int | None]
) -> None:
    data = recording.read_bytes()
    size = len(data)
    start, end = span
    expected = data[start:] if end is None else data[start : end + 1]
    first = start % size
    response = httpx.get(url(server), headers={"Range": header})
    assert response.status_code == 206
    assert response.content == expected
    assert response.headers["content-range"] == f"bytes {first}-{first + len(expected) - 1}/{size}"
    assert response.headers["content-length"] == str(len(expected))


def test_end_past_the_file_is_clamped(server: ViewerServer, recording: Path) -> None:
    size = recording.stat().st_size
    response = httpx.get(url(server), headers={"Range": f"bytes={size - 3}-{size + 100}"})
    assert response.status_code == 206
    assert response.content == recording.read_bytes()[-3:]


@pytest.mark.parametrize(
    "header", ["bytes=99999999-", "bytes=5-1", "bytes=abc", "bytes=-0", "bytes=1-2,x"]
)
def test_unsatisfiable_or_malformed_ranges_are_416(
    server: ViewerServer, recording: Path, header: str
) -> None:
    response = httpx.get(url(server), headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{recording.stat().st_size}"
    assert response.content == b""


def test_multiple_ranges_come_back_as_multipart(server: ViewerServer, recording: Path) -> None:
    data = recording.read_bytes()
    response = httpx.get(url(server), headers={"Range": "bytes=0-7, 100-199, -5"})
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    body = response.content
    assert len(body) == int(response.headers["content-length"])
    parts = body.split(b"--" + boundary)
    assert parts[0] == b""
    assert parts[-1] == b"--\r\n"
    seen = []
    for part in parts[1:-1]:
        head, payload = part.split(b"\r\n\r\n", 1)
        assert payload.endswith(b"\r\n")
        content_range = next(
            line for line in head.split(b"\r\n") if line.startswith(b"Content-Range")
        )
        span, _size = content_range.split(b" ")[-1].split(b"/")
        start, end = (int(x) for x in span.split(b"-"))
        assert payload[:-2] == data[start : end + 1]
        seen.append((start, end))
    assert seen == [(0, 7), (100, 199), (len(data) - 5, len(data) - 1)]


def test_other_units_are_ignored_and_stale_if_range_sends_the_whole_file(
    server: ViewerServer, recording: Path
) -> None:
    size = recording.stat().st_size
    assert httpx.get(url(server), headers={"Range": "items=0-1"}).status_code == 200
    stale = httpx.get(url(server), headers={"Range": "bytes=0-1", "If-Range": '"0-0"'})
    assert stale.status_code == 200
    assert len(stale.content) == size
    etag = httpx.head(url(server)).headers["etag"]
    fresh = httpx.get(url(server), headers={"Range": "bytes=0-1", "If-Range": etag})
    assert fresh.status_code == 206


def raw_request(srv: ViewerServer, host: str, method: str = "GET") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    try:
        connection.putrequest(method, "/recording.mcap", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example.com", "attacker.test:{port}", "127.0.0.1:1", ""])
def test_requests_for_another_host_are_refused(server: ViewerServer, host: str) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header gives it away.
    assert raw_request(server, host.format(port=server.port)) == 421


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_loopback_host_names_are_served(server: ViewerServer, host: str) -> None:
    assert raw_request(server, host.format(port=server.port), "HEAD") == 200


def test_cors_only_for_the_viewer_origin(server: ViewerServer) -> None:
    allowed = httpx.get(url(server), headers={"Origin": VIEWER, "Range": "bytes=0-0"})
    assert allowed.headers["access-control-allow-origin"] == VIEWER
    assert "Content-Range" in allowed.headers["access-control-expose-headers"]
    other = httpx.get(url(server), headers={"Origin": "https://evil.example", "Range": "bytes=0-0"})
    assert "access-control-allow-origin" not in other.headers
    preflight = httpx.request(
        "OPTIONS",
        url(server),
        headers={"Origin": VIEWER, "Access-Control-Request-Private-Network": "true"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-private-network"] == "true"
    denied = httpx.request(
        "OPTIONS",
        url(server),
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert "access-control-allow-private-network" not in denied.headers


def test_every_path_serves_the_one_file(server: ViewerServer, recording: Path) -> None:
    other = httpx.get(f"http://127.0.0.1:{server.port}/../../etc/passwd")
    assert other.content == recording.read_bytes()


def test_only_loopback_hosts_can_be_bound(recording: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve_file(recording, host="0.0.0.0")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mcap"
    empty.write_bytes(b"")
    srv = serve_file(empty)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        assert httpx.get(url(srv)).content == b""
        assert httpx.get(url(srv), headers={"Range": "bytes=0-"}).status_code == 416
    finally:
        srv.shutdown()
        srv.server_close()


def test_parse_ranges() -> None:
    assert parse_ranges("bytes=0-4", 10) == [(0, 4)]
    assert parse_ranges("bytes=8-", 10) == [(8, 9)]
    assert parse_ranges("bytes=-100", 10) == [(0, 9)]
    assert parse_ranges("bytes=20-30, 0-0", 10) == [(0, 0)]
    assert parse_ranges("bytes=" + ",".join(["0-0"] * 65), 10) == []
    assert parse_ranges("none", 10) is None


def test_viewer_url_never_carries_the_file_name() -> None:
    viewer = build_viewer_url("https://avala.ai/", 8123)
    assert viewer.startswith(
        "https://avala.ai/mcap?url=http%3A%2F%2F127.0.0.1%3A8123%2Frecording.mcap"
    )
    assert "utm_source=cli" in viewer
    assert "url=http%3A%2F%2F%5B%3A%3A1%5D%3A9%2F" in build_viewer_url("https://a.b", 9, host="::1")
    assert origin_of("HTTPS://Avala.AI:443/x") == "https://avala.ai"
    assert origin_of("http://h:8080") == "http://h:8080"
    assert origin_of("nonsense") == ""
