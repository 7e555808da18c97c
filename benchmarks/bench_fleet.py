"""10. Fleet recording uploads against the local API and its object store, served by a
process of its own on a loopback port (`python -m benchmarks.bench_fleet --serve N`, which
creates N recordings since the API has no route for that).

- a recording of a few large files (16 x 64 MiB = 1 GiB; `--quick`: 8 x 8 MiB), guarded
  protocol, 4 files in flight: `client.fleet.uploads.upload_recording` (sync client, every
  API call included: status, init, urls, confirm, finalize) against raw httpx PUTting the same
  files, streamed from disk, to presigned URLs obtained before the clock starts;
- a recording of many small files (2,000 x 4 KiB; `--quick`: 200), same comparison;
- peak RSS of a process uploading the large recording (guarded) plus a managed MCAP recording
  of 2 x 200 MiB (64 MiB parts; `--quick`: 2 x 70 MiB) with the SDK, against a process doing
  the same guarded PUTs with raw httpx.

Targets: large-file throughput at least 0.8x raw (time at most 1.25x), small files at least
0.5x raw (the SDK also confirms every file: time at most 2x), SDK peak RSS under 150 MiB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from . import processes
from .results import Results, interleave

SECTION = "10. fleet uploads"
API_KEY = "avk_bench_fleet_0123456789"
MiB = 1024 * 1024
CHUNK = MiB
RSS_BUDGET = 150 * MiB


class FleetServer:
    """The local API with `recordings` fresh recordings, in a process of its own."""

    def __init__(self, recordings: int) -> None:
        self.count = recordings
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.recordings: list[str] = []

    def __enter__(self) -> FleetServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_fleet", "--serve", str(self.count)],
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        try:
            info = json.loads(line)
        except ValueError:
            processes.stop(self.process, ask="close-stdin")
            raise RuntimeError(f"the local API did not start: {line!r}") from None
        self.base_url = info["base_url"]
        self.recordings = info["recordings"]
        return self

    def take(self) -> str:
        return self.recordings.pop()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            processes.stop(self.process, ask="close-stdin")


def serve(count: int) -> None:
    """Child process: serve the local API until stdin closes."""
    from avala.testing import LocalAvala

    api = LocalAvala(data="empty")
    recordings = [api.add_recording() for _ in range(count)]
    with api.serve() as server:
        print(json.dumps({"base_url": server.base_url, "recordings": recordings}), flush=True)
        sys.stdin.read()


def _write_random(path: Path, size: int) -> None:
    block = os.urandom(CHUNK)
    with path.open("wb") as handle:
        left = size
        while left > 0:
            handle.write(block[: min(CHUNK, left)])
            left -= CHUNK


def make_source(root: Path, count: int, size: int, suffix: str = ".bin") -> Path:
    folder = root / f"{count}x{size}{suffix}"
    if folder.exists():
        return folder
    tmp = root / f".{folder.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for i in range(count):
        sub = tmp / f"d{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        target = sub / f"f{i:05d}{suffix}"
        if size >= CHUNK:
            _write_random(target, size)
        else:
            target.write_bytes(os.urandom(size))
    tmp.rename(folder)
    return folder


def _sdk(base_url: str, recording: str, source: Path, workers: int) -> float:
    from avala import Client

    with (
        tempfile.TemporaryDirectory(prefix="avala-bench-state-") as state,
        Client(api_key=API_KEY, base_url=base_url) as client,
    ):
        start = time.perf_counter()
        session = client.fleet.uploads.upload_recording(
            recording, source, max_workers=workers, state_dir=state
        )
        seconds = time.perf_counter() - start
        if session.status not in ("completing", "completed"):
            raise RuntimeError(f"upload ended {session.status}")
        return seconds


def _files(source: Path) -> list[tuple[Path, str]]:
    return [(p, p.relative_to(source).as_posix()) for p in sorted(source.rglob("*")) if p.is_file()]


def _stream(path: Path) -> Any:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _raw(base_url: str, recording: str, source: Path, workers: int) -> float:
    """The same files PUT with plain httpx to URLs presigned before the clock starts."""
    files = _files(source)
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    with (
        httpx.Client(base_url=base_url, headers={"X-Avala-Api-Key": API_KEY}, timeout=600) as api,
        httpx.Client(limits=limits, timeout=600) as storage,
    ):
        base = f"/fleet/recordings/{recording}/upload/"
        manifest = [{"path": rel, "size_bytes": p.stat().st_size} for p, rel in files]
        session = api.post(base + "init/", json={"files": manifest}).json()["uid"]
        urls: dict[str, str] = {}
        for start in range(0, len(files), 100):
            batch = [rel for _, rel in files[start : start + 100]]
            answer = api.post(
                base + "urls/", json={"session_uid": session, "file_paths": batch}
            ).json()
            urls.update({g["path"]: g["put_url"] for g in answer["urls"]})

        def put(item: tuple[Path, str]) -> None:
            path, rel = item
            size = path.stat().st_size
            response = storage.put(
                urls[rel],
                content=_stream(path),
                headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
            )
            response.raise_for_status()

        began = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(put, files))
        return time.perf_counter() - began


_RSS_CHILD = """
import sys, tempfile
mode, base_url, key = sys.argv[1:4]
if mode == "sdk":
    from avala import Client
    recording, source, managed_recording, managed_source = sys.argv[4:8]
    with tempfile.TemporaryDirectory() as state, Client(api_key=key, base_url=base_url) as client:
        client.fleet.uploads.upload_recording(recording, source, max_workers=4, state_dir=state)
        status = client.fleet.uploads.upload_managed_recording(
            managed_recording, managed_source, max_workers=2, wait_timeout=60, state_dir=state
        )
        assert status.finalization is not None and status.finalization.state == "succeeded"
else:
    from benchmarks.bench_fleet import _raw
    from pathlib import Path
    _raw(base_url, sys.argv[4], Path(sys.argv[5]), 4)
# VmHWM belongs to this process's own memory map: unlike ru_maxrss, it does not include the
# parent's resident set inherited across fork/exec.
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            print(int(line.split()[1]) * 1024)
"""


def _peak_rss(args: list[str]) -> float:
    """Peak resident set (VmHWM) of a child process running `_RSS_CHILD` with `args`, in bytes."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, *args],
        capture_output=True,
        text=True,
        cwd=str(Path(__file__).resolve().parent.parent),
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the upload process failed: {done.stderr.strip()[-400:]}")
    return float(done.stdout.split()[-1])


def run(
    results: Results,
    workdir: Path,
    *,
    large_files: int,
    large_size: int,
    small_files: int,
    small_size: int,
    managed_size: int,
    rounds: int,
) -> None:
    large = make_source(workdir, large_files, large_size)
    small = make_source(workdir, small_files, small_size)
    managed = make_source(workdir, 2, managed_size, ".mcap")
    needed = 4 * rounds + 4
    with FleetServer(needed) as server:
        base = server.base_url
        mib = large_files * large_size / MiB
        lp = "fleet.large"
        results.sample(f"{lp}.sdk", f"{large_files} x {large_size // MiB} MiB recording: this SDK")
        results.sample(
            f"{lp}.raw", f"{large_files} x {large_size // MiB} MiB recording: raw httpx PUTs"
        )
        interleave(
            results,
            {
                f"{lp}.sdk": lambda: _sdk(base, server.take(), large, 4),
                f"{lp}.raw": lambda: _raw(base, server.take(), large, 4),
            },
            rounds,
        )
        results.check(
            SECTION,
            f"{mib:,.0f} MiB recording: SDK time / raw (target throughput >= 0.8x raw)",
            f"{lp}.sdk",
            f"{lp}.raw",
            "at_most",
            1.25,
        )
        sp = "fleet.small"
        results.sample(f"{sp}.sdk", f"{small_files:,} files of {small_size} B: this SDK")
        results.sample(f"{sp}.raw", f"{small_files:,} files of {small_size} B: raw httpx PUTs")
        interleave(
            results,
            {
                f"{sp}.sdk": lambda: _sdk(base, server.take(), small, 8),
                f"{sp}.raw": lambda: _raw(base, server.take(), small, 8),
            },
            rounds,
        )
        results.check(
            SECTION,
            f"{small_files:,} small files: SDK time / raw (target throughput >= 0.5x raw)",
            f"{sp}.sdk",
            f"{sp}.raw",
            "at_most",
            2.0,
        )
        rp = "fleet.rss"
        results.sample(
            f"{rp}.sdk",
            f"peak RSS: SDK, {mib:,.0f} MiB guarded + 2 x {managed_size // MiB} MiB managed",
            "bytes",
        )
        results.sample(f"{rp}.raw", f"peak RSS: raw httpx, {mib:,.0f} MiB guarded", "bytes")
        results.sample(f"{rp}.budget", "budget", "bytes").add(float(RSS_BUDGET))
        interleave(
            results,
            {
                f"{rp}.sdk": lambda: _peak_rss(
                    ["sdk", base, API_KEY, server.take(), str(large), server.take(), str(managed)]
                ),
                f"{rp}.raw": lambda: _peak_rss(["raw", base, API_KEY, server.take(), str(large)]),
            },
            1,
        )
        results.check(
            SECTION, "SDK upload peak RSS / 150 MiB", f"{rp}.sdk", f"{rp}.budget", "at_most", 1.0
        )
        results.check(
            SECTION,
            "SDK upload peak RSS / raw httpx (information)",
            f"{rp}.sdk",
            f"{rp}.raw",
            "at_most",
        )
    for key, size in ((lp, large_files * large_size / 1e6), (sp, small_files * small_size / 1e6)):
        sdk, raw = results.samples[f"{key}.sdk"], results.samples[f"{key}.raw"]
        if sdk.median and raw.median:
            results.notes.append(
                f"Fleet uploads, {sdk.label.split(':')[0]}: this SDK {size / sdk.median:,.0f} MB/s, "
                f"raw httpx {size / raw.median:,.0f} MB/s ({raw.median / sdk.median:.2f}x)."
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        print("usage: python -m benchmarks.bench_fleet --serve N", file=sys.stderr)
        sys.exit(2)
