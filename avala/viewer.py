"""Serve one local MCAP file to the hosted Avala viewer, from this machine only.

`avala view FILE` uses this module; so can scripts:

```python
import threading
from avala.viewer import build_viewer_url, serve_file

server = serve_file("drive.mcap", allowed_origin="https://avala.ai")
threading.Thread(target=server.serve_forever, daemon=True).start()
print(build_viewer_url("https://avala.ai", server.port))
```

The server binds a loopback address only, answers only requests whose `Host` header names
that address (so a web page cannot reach it through a DNS name it rebinds to 127.0.0.1),
serves the single file it opened whatever the request path (it never maps a path onto the
filesystem), and grants cross-origin reads to one origin only (the viewer's).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import urlencode, urlsplit

__all__ = [
    "DEFAULT_VIEWER_URL",
    "MCAP_MAGIC",
    "ViewerServer",
    "build_viewer_url",
    "origin_of",
    "parse_ranges",
    "serve_file",
]

MCAP_MAGIC = b"\x89MCAP0\r\n"
DEFAULT_VIEWER_URL = "https://avala.ai"

# The viewer fetches this path; the real file name (which may name a customer or a route)
# never leaves the machine.
SERVED_PATH = "recording.mcap"
_FUNNEL_PARAMS = {"utm_source": "cli", "utm_medium": "avala_view", "utm_campaign": "local_viewer"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 1 << 20
# More ranges than any viewer asks for at once; beyond this a request is refused (416) so
# a single request cannot make the server write the file many times over.
MAX_RANGES = 64


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of `url` as a browser writes it in `Origin` (host lower-cased,
    default port dropped, IPv6 in brackets); "" when `url` has no scheme or host."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return ""
    if not parts.scheme or not parts.hostname:
        return ""
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def build_viewer_url(viewer_base: str, port: int, *, host: str = "127.0.0.1") -> str:
    """The hosted viewer's URL that loads the file served on `host:port`."""
    local_url = f"http://{_url_host(host)}:{port}/{SERVED_PATH}"
    return f"{viewer_base.rstrip('/')}/mcap?{urlencode({'url': local_url, **_FUNNEL_PARAMS})}"


def parse_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The inclusive byte ranges a `Range` header asks for, clamped to a file of `size` bytes.

    Returns None when the header does not use the `bytes` unit (it is then ignored, as
    HTTP requires), and an empty list when it is malformed, asks for more than `MAX_RANGES`
    ranges, or none of its ranges is satisfiable (the answer is then 416). Unsatisfiable
    ranges in a list with satisfiable ones are dropped.
    """
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    specs = [s.strip() for s in spec.split(",")]
    if len(specs) > MAX_RANGES:
        return []
    ranges: list[tuple[int, int]] = []
    for item in specs:
        first, dash, last = item.partition("-")
        first, last = first.strip(), last.strip()
        if not dash or not (first or last):
            return []
        if not all(part.isdigit() for part in (first, last) if part):
            return []
        if not first:
            suffix = int(last)
            if suffix > 0 and size > 0:
                ranges.append((max(0, size - suffix), size - 1))
            continue
        start = int(first)
        end = int(last) if last else size - 1
        if last and end < start:
            return []
        if start < size:
            ranges.append((start, min(end, size - 1)))
    return ranges


class ViewerServer(ThreadingHTTPServer):
    """A loopback HTTP server streaming one file. Create it with `serve_file`.

    `port` is the bound port; `serve_forever()` runs it and `shutdown()` +
    `server_close()` stop it (the file descriptor is closed with the server).
    """

    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], path: Path, allowed_origin: str | None) -> None:
        # Opened before binding so an unreadable file fails without leaving a socket open.
        # Every request reads this descriptor: swapping the path afterwards changes nothing.
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(path, flags)
        try:
            stat = os.fstat(self._fd)
            self.address_family = _family(address[0])
            super().__init__(address, _Handler)
        except BaseException:
            os.close(self._fd)
            raise
        self.file_name = path.name
        self.file_size = stat.st_size
        # Nanosecond mtime: a rewrite within the same second still changes the tag.
        self.etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        self.allowed_origin = allowed_origin
        host, port = str(self.server_address[0]), int(self.server_address[1])
        self.host = host
        self.port = port
        names = {_url_host(host)}
        if ipaddress.ip_address(host) in (
            ipaddress.ip_address("127.0.0.1"),
            ipaddress.ip_address("::1"),
        ):
            names.add("localhost")
        self.allowed_hosts = frozenset(f"{name}:{port}" for name in names)
        self._lock = threading.Lock()

    def read_at(self, offset: int, length: int) -> bytes:
        """`length` bytes at `offset` of the served file (fewer at its end)."""
        if hasattr(os, "pread"):
            return os.pread(self._fd, length, offset)
        with self._lock:  # no pread on Windows: seek and read under a lock
            os.lseek(self._fd, offset, os.SEEK_SET)
            return os.read(self._fd, length)

    def server_close(self) -> None:
        try:
            super().server_close()
        finally:
            fd, self._fd = self._fd, -1
            if fd >= 0:
                os.close(fd)


def _family(host: str) -> int:
    import socket

    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _check_loopback(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"host must be a loopback IP address (127.0.0.1 or ::1), got {host!r}: the file "
            "is served to this machine only"
        )


def serve_file(
    file_path: str | os.PathLike[str],
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    allowed_origin: str | None = None,
) -> ViewerServer:
    """A server for `file_path` bound to `host:port` (not yet running).

    `port=0` picks a free port (read it back from `server.port`). `host` must be a loopback
    address. `allowed_origin` is the one web origin allowed to read the file cross-origin
    (the viewer's, e.g. "https://avala.ai"); None allows none.
    """
    _check_loopback(host)
    return ViewerServer((host, port), Path(file_path), allowed_origin)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def _server(self) -> ViewerServer:
        return cast(ViewerServer, self.server)

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    # --- guards and common headers -----------------------------------------------------

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host in self._server.allowed_hosts:
            return True
        self.send_response(421, "Misdirected Request")
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        return False

    def _cors_origin(self) -> str | None:
        origin = self.headers.get("Origin")
        allowed = self._server.allowed_origin
        if not origin or allowed is None:
            return None
        return origin if allowed == "*" or origin == allowed else None

    def _cors(self) -> None:
        origin = self._cors_origin()
        if origin is None:
            return
        self.send_header("Access-Control-Allow-Origin", origin)
        self.send_header("Vary", "Origin")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range, If-Range")
        self.send_header(
            "Access-Control-Expose-Headers", "Content-Range, Content-Length, Accept-Ranges, ETag"
        )

    def _start(self, status: int, length: int, content_type: str, *extra: tuple[str, str]) -> None:
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", self._server.etag)
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()

    # --- verbs ---------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        if not self._host_allowed():
            return
        self.send_response(204)
        self._cors()
        # Chromium's Private Network Access preflight: granted to the viewer's origin only.
        if (
            self.headers.get("Access-Control-Request-Private-Network") == "true"
            and self._cors_origin() is not None
        ):
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        if self._host_allowed():
            self._start(200, self._server.file_size, "application/octet-stream")

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        server = self._server
        size = server.file_size
        ranges = self._requested_ranges(size)
        if ranges is None:
            self._start(200, size, "application/octet-stream")
            self._stream([(0, size - 1)] if size else [])
        elif not ranges:
            self.send_response(416)
            self._cors()
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif len(ranges) == 1:
            start, end = ranges[0]
            self._start(
                206,
                end - start + 1,
                "application/octet-stream",
                ("Content-Range", f"bytes {start}-{end}/{size}"),
            )
            self._stream(ranges)
        else:
            self._multipart(ranges, size)

    def _requested_ranges(self, size: int) -> list[tuple[int, int]] | None:
        header = self.headers.get("Range")
        if not header:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range.strip() != self._server.etag:
            return None  # the client's copy is of another version: send the whole file
        return parse_ranges(header, size)

    def _multipart(self, ranges: list[tuple[int, int]], size: int) -> None:
        boundary = secrets.token_hex(16)
        heads = [
            (
                f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Range: bytes {start}-{end}/{size}\r\n\r\n"
            ).encode("ascii")
            for start, end in ranges
        ]
        tail = f"--{boundary}--\r\n".encode("ascii")
        length = sum(
            len(h) + (end - start + 1) + 2 for h, (start, end) in zip(heads, ranges, strict=True)
        )
        self._start(206, length + len(tail), f"multipart/byteranges; boundary={boundary}")
        for head, part in zip(heads, ranges, strict=True):
            if not self._write(head) or not self._stream([part]) or not self._write(b"\r\n"):
                return
        self._write(tail)

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the viewer cancelled this read (it seeks a lot)
            return False
        return True

    def _stream(self, ranges: list[tuple[int, int]]) -> bool:
        server = self._server
        for start, end in ranges:
            offset = start
            while offset <= end:
                chunk = server.read_at(offset, min(_CHUNK, end - offset + 1))
                if not chunk:
                    # The file shrank after it was opened: the promised length cannot be
                    # kept, so the connection is closed and the client sees a short body.
                    self.close_connection = True
                    return False
                if not self._write(chunk):
                    return False
                offset += len(chunk)
        return True
