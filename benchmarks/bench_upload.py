"""9. Dataset uploads against the local object store, on a loopback server of its own.

- one large file (1 GiB; `--quick`: 64 MiB), protocol v2 multipart with 16 MiB parts:
  `client.datasets.upload_files` (sync client) against raw httpx PUTting the same file ranges
  to the same kind of presigned part URLs, 4 parts in flight (what the SDK keeps per file),
  URLs presigned before the clock starts;
- many small files (10,000 of 4 KiB; `--quick`: 500), protocol v2 single PUTs, 8 in flight:
  the SDK (presign, PUT, complete per file) against raw httpx PUTting the same bytes to
  presigned URLs obtained before the clock starts (the storage transfers alone);
- peak RSS of `avala datasets upload` (the CLI, a process of its own) sending 1 GiB plus
  1,000 small files (`--quick`: 64 MiB plus 100), against a budget of 150 MiB.

Targets: large-file throughput at least 0.8x raw (time at most 1.25x), small files at least
0.7x raw (time at most 1.43x), RSS under the budget.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from avala import Client

from . import processes
from .results import Results, interleave

SECTION = "9. uploads"
API_KEY = "avk_bench_upload_0123456789"
MiB = 1024 * 1024
PART_SIZE = 16 * MiB
RSS_BUDGET = 150 * MiB
CHUNK = 1024 * 1024


class UploadServer:
    """`python -m avala.testing` on a free loopback port, in its own process."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> UploadServer:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "avala.testing",
                "--port",
                "0",
                "--data",
                "empty",
                "--upload-quota",
                str(1 << 50),
                "--part-size",
                str(PART_SIZE),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("AVALA_BASE_URL="):
            processes.stop(self.process)
            raise RuntimeError(f"the local API did not start: {line!r}")
        self.base_url = line.removeprefix("AVALA_BASE_URL=")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            processes.stop(self.process)


def _write_random(path: Path, size: int) -> None:
    block = os.urandom(CHUNK)
    with path.open("wb") as handle:
        left = size
        while left > 0:
            handle.write(block[: min(CHUNK, left)])
            left -= CHUNK


def make_sources(root: Path, large: int, small: int, small_size: int) -> tuple[Path, Path]:
    root.mkdir(parents=True, exist_ok=True)
    big = root / "large.bin"
    if not big.exists() or big.stat().st_size != large:
        _write_random(big, large)
    folder = root / f"small-{small}"
    if not folder.exists():
        tmp = root / f".small-{small}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        for i in range(small):
            sub = tmp / f"d{i // 1000:02d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"f{i:05d}.bin").write_bytes(os.urandom(small_size))
        tmp.rename(folder)
    return big, folder


def _sdk_upload(base_url: str, files: list[tuple[str, str]], name: str) -> float:
    with (
        tempfile.TemporaryDirectory(prefix="avala-bench-state-") as state,
        Client(api_key=API_KEY, base_url=base_url) as client,
    ):
        batch = client.datasets.prepare_manual_upload_batch(name, resume=False, state_dir=state)
        start = time.perf_counter()
        client.datasets.upload_files(
            dataset_name=name, files=files, dataset_upload_uid=batch, state_dir=state
        )
        return time.perf_counter() - start


def _file_range(path: str, offset: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(offset)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                raise OSError("short read")
            length -= len(chunk)
            yield chunk


def _presign(api: httpx.Client, name: str, rel: str, size: int, batch: str) -> dict[str, Any]:
    response = api.post(
        "/datasets/manual-upload/file-upload-url/",
        json={
            "dataset_name": name,
            "file_path_in_dataset": rel,
            "content_length": size,
            "upload_protocol_version": 2,
            "dataset_upload_uid": batch,
        },
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def _raw_large(base_url: str, path: Path, name: str) -> float:
    size = path.stat().st_size
    headers = {"X-Avala-Api-Key": API_KEY}
    with (
        httpx.Client(base_url=base_url, headers=headers, timeout=600) as api,
        httpx.Client(timeout=600) as storage,
    ):
        batch = str(uuid.uuid4())
        answer = _presign(api, name, path.name, size, batch)
        upload = answer["upload_uid"]
        numbers = list(range(1, int(answer["part_count"]) + 1))
        parts = api.post(
            f"/datasets/manual-upload/uploads/{upload}/parts/", json={"part_numbers": numbers}
        ).json()["parts"]
        part_size = int(answer["part_size"])

        def put(part: dict[str, Any]) -> None:
            offset = (part["part_number"] - 1) * part_size
            length = min(part_size, size - offset)
            response = storage.put(
                part["url"],
                content=_file_range(str(path), offset, length),
                headers={"Content-Length": str(length)},
            )
            response.raise_for_status()

        start = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(put, parts))
        seconds = time.perf_counter() - start
        api.post(f"/datasets/manual-upload/uploads/{upload}/complete/", json={}).raise_for_status()
        return seconds


def _raw_small(base_url: str, files: list[tuple[str, str]], name: str) -> float:
    headers = {"X-Avala-Api-Key": API_KEY}
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    with (
        httpx.Client(base_url=base_url, headers=headers) as api,
        httpx.Client(limits=limits) as storage,
    ):
        batch = str(uuid.uuid4())
        targets = []
        for local, rel in files:
            size = os.path.getsize(local)
            answer = _presign(api, name, rel, size, batch)
            targets.append((local, answer["url"], answer.get("headers") or {}))

        def put(target: tuple[str, str, dict[str, str]]) -> None:
            local, url, extra = target
            with open(local, "rb") as handle:
                data = handle.read()
            response = storage.put(url, content=data, headers=extra)
            if response.status_code not in (200, 412):
                response.raise_for_status()

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(put, targets))
        return time.perf_counter() - start


def _raw_small_protocol(base_url: str, files: list[tuple[str, str]], name: str) -> float:
    """The whole protocol by hand, as any client must run it: presign, PUT, complete."""
    headers = {"X-Avala-Api-Key": API_KEY}
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    with (
        httpx.Client(base_url=base_url, headers=headers, limits=limits) as api,
        httpx.Client(limits=limits) as storage,
    ):
        batch = str(uuid.uuid4())

        def one(entry: tuple[str, str]) -> None:
            local, rel = entry
            with open(local, "rb") as handle:
                data = handle.read()
            answer = _presign(api, name, rel, len(data), batch)
            response = storage.put(answer["url"], content=data, headers=answer.get("headers") or {})
            if response.status_code not in (200, 412):
                response.raise_for_status()
            done = api.post(
                f"/datasets/manual-upload/uploads/{answer['upload_uid']}/complete/", json={}
            )
            done.raise_for_status()

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(one, files))
        return time.perf_counter() - start


# Runs the CLI in this process, then reports the process's own peak resident set (VmHWM):
# the memory map of the exec'd interpreter only. `ru_maxrss` of a waited child would also count
# the benchmark's pages the child carried between fork and exec.
_CLI_CHILD = """
import os, runpy, sys
code = 0
try:
    runpy.run_module("avala.cli", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
with open(os.environ["AVALA_BENCH_PEAK_FILE"], "w") as out:
    out.write(str(peak))
sys.exit(code)
"""


def _cli_peak_rss(base_url: str, source: Path, name: str) -> float:
    """Peak resident set of the `avala datasets upload` process, in bytes (its VmHWM)."""
    with tempfile.TemporaryDirectory(prefix="avala-bench-state-") as state:
        peak_file = Path(state) / "peak-rss"
        env = {
            **os.environ,
            "AVALA_STATE_DIR": state,
            "AVALA_NO_PROGRESS": "1",
            "AVALA_BENCH_PEAK_FILE": str(peak_file),
        }
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _CLI_CHILD,
                "--base-url",
                base_url,
                "--api-key",
                API_KEY,
                "-o",
                "json",
                "datasets",
                "upload",
                "--source",
                str(source),
                "--name",
                name,
                "--slug",
                name,
                "--data-type",
                "image",
                "--no-resume",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the CLI failed: {done.stderr.strip()[-300:]}")
        return float(peak_file.read_text())


def run(
    results: Results,
    workdir: Path,
    *,
    large_bytes: int,
    small_files: int,
    small_size: int,
    rss_small_files: int,
    rounds: int,
) -> None:
    big, folder = make_sources(workdir, large_bytes, small_files, small_size)
    small_list = [(str(p), p.relative_to(folder).as_posix()) for p in sorted(folder.rglob("*.bin"))]
    large_list = [(str(big), big.name)]
    gib = large_bytes / MiB
    mb = large_bytes / 1e6
    with UploadServer() as server:
        base = server.base_url
        lp = "upload.large"
        results.sample(f"{lp}.sdk", f"{gib:,.0f} MiB file: this SDK (sync Client)")
        results.sample(f"{lp}.raw", f"{gib:,.0f} MiB file: raw httpx, presigned parts")
        interleave(
            results,
            {
                f"{lp}.sdk": lambda: _sdk_upload(base, large_list, "bench-large"),
                f"{lp}.raw": lambda: _raw_large(base, big, "bench-large"),
            },
            rounds,
        )
        results.check(
            SECTION,
            f"{gib:,.0f} MiB file: SDK time / raw (target throughput >= 0.8x raw)",
            f"{lp}.sdk",
            f"{lp}.raw",
            "at_most",
            1.25,
        )
        sp = "upload.small"
        results.sample(f"{sp}.sdk", f"{small_files:,} files of {small_size} B: this SDK")
        results.sample(
            f"{sp}.raw", f"{small_files:,} files of {small_size} B: raw httpx, presigned PUTs"
        )
        results.sample(
            f"{sp}.protocol",
            f"{small_files:,} files of {small_size} B: raw httpx, presign + PUT + complete",
        )
        interleave(
            results,
            {
                f"{sp}.sdk": lambda: _sdk_upload(base, small_list, "bench-small"),
                f"{sp}.raw": lambda: _raw_small(base, small_list, "bench-small"),
                f"{sp}.protocol": lambda: _raw_small_protocol(base, small_list, "bench-small"),
            },
            rounds,
        )
        results.check(
            SECTION,
            f"{small_files:,} small files: SDK time / raw storage PUTs (target throughput "
            ">= 0.7x raw)",
            f"{sp}.sdk",
            f"{sp}.raw",
            "at_most",
            1.43,
        )
        results.check(
            SECTION,
            f"{small_files:,} small files: SDK time / raw httpx running the same protocol",
            f"{sp}.sdk",
            f"{sp}.protocol",
            "at_most",
            1.43,
        )

        rss_source = workdir / f"rss-{rss_small_files}"
        if not rss_source.exists():
            (rss_source / "small").mkdir(parents=True)
            os.link(big, rss_source / "large.bin")
            for local, rel in small_list[:rss_small_files]:
                os.link(local, rss_source / "small" / rel.replace("/", "_"))
        rp = "upload.rss"
        results.sample(
            f"{rp}.cli",
            f"CLI peak RSS, {gib:,.0f} MiB + {rss_small_files:,} small files",
            "bytes",
        )
        results.sample(f"{rp}.budget", "budget", "bytes").add(float(RSS_BUDGET))
        interleave(
            results,
            {f"{rp}.cli": lambda: _cli_peak_rss(base, rss_source, "bench-rss")},
            1,
        )
        results.check(
            SECTION, "CLI peak RSS / 150 MiB", f"{rp}.cli", f"{rp}.budget", "at_most", 1.0
        )
    protocol, raw = results.samples[f"{sp}.protocol"], results.samples[f"{sp}.raw"]
    if protocol.median and raw.median:
        results.notes.append(
            "Uploads, small files: each file costs any client three requests (presign, PUT, "
            "complete) where the raw baseline, with URLs presigned before its clock starts, "
            f"sends one; on this server that protocol alone takes {protocol.median / raw.median:.2f}x "
            "the raw PUTs, so the SDK is compared with raw httpx running the same protocol too."
        )
    for key, size in ((f"{lp}", mb), (f"{sp}", small_files * small_size / 1e6)):
        sdk, raw = results.samples[f"{key}.sdk"], results.samples[f"{key}.raw"]
        if sdk.median and raw.median:
            results.notes.append(
                f"Uploads, {results.samples[f'{key}.sdk'].label.split(':')[0]}: this SDK "
                f"{size / sdk.median:,.0f} MB/s, raw httpx {size / raw.median:,.0f} MB/s "
                f"({raw.median / sdk.median:.2f}x)."
            )
