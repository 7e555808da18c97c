"""11. Dataset downloads from a published revision, against a loopback server of its own.

- many objects (1 GiB in 1,000 objects of 1 MiB; `--quick`: 64 MiB in 64): `dataset.download`
  (sync client, 8 at a time) against raw httpx GETting the same presigned URLs (granted before
  the clock starts) into files, 8 at a time, and against raw httpx running the same protocol
  (object pages, a grant and a GET per object, 8 at a time);
- one large object (1 GiB; `--quick`: 64 MiB): `object.download` against one raw httpx GET
  streamed into a file;
- peak RSS of `avala datasets download` (the CLI, a process of its own) fetching both.

The SDK does more than the raw baseline on every file: it resolves the revision, walks the
object pages, asks for each grant, hashes every byte (SHA-256), fsyncs and renames the file
into place. Targets: throughput at least 0.8x raw (time at most 1.25x), RSS under 150 MiB.

`python -m benchmarks.bench_download --serve OBJECTS SIZE BIG` is the server process: it
publishes the two revisions, prints `AVALA_BASE_URL=...`, `MANY=<ref>`, `ONE=<ref>`, and serves
until its stdin closes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from . import processes
from .results import Results, interleave

SECTION = "11. downloads"
MiB = 1024 * 1024
RSS_BUDGET = 150 * MiB
CHUNK = 1024 * 1024
CONCURRENCY = 8


def _serve(objects: int, size: int, big: int) -> int:
    from avala.testing import LocalAvala
    from avala.testing._h_resolver import PublishedFile

    api = LocalAvala(data="empty")
    block = os.urandom(CHUNK)
    files = []
    for i in range(objects):
        key = f"bench/many/{i:05d}"
        writer = api.objects.begin_write(key)
        left = size
        while left > 0:
            writer.write(block[: min(CHUNK, left)])
            left -= CHUNK
        writer.commit()
        files.append(PublishedFile(f"objects/{i:05d}.bin", "frame", i, key=key))
    many = api.publish_revision(owner="bench", name="many", files=files)
    writer = api.objects.begin_write("bench/one")
    left = big
    while left > 0:
        writer.write(os.urandom(min(CHUNK, left)))
        left -= CHUNK
    writer.commit()
    one = api.publish_revision(
        owner="bench", name="one", files=[PublishedFile("one.bin", "recording", 0, key="bench/one")]
    )
    with api.serve() as server:
        print(f"AVALA_BASE_URL={server.base_url}", flush=True)
        print(f"MANY={many['canonical_reference']}", flush=True)
        print(f"ONE={one['canonical_reference']}", flush=True)
        sys.stdin.read()
    return 0


class DownloadServer:
    def __init__(self, objects: int, size: int, big: int) -> None:
        self.args = (objects, size, big)
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.refs: dict[str, str] = {}

    def __enter__(self) -> DownloadServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_download", "--serve", *map(str, self.args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        lines = [self.process.stdout.readline().strip() for _ in range(3)]
        if not lines[0].startswith("AVALA_BASE_URL="):
            processes.stop(self.process)
            raise RuntimeError(f"the download server did not start: {lines!r}")
        self.base_url = lines[0].removeprefix("AVALA_BASE_URL=")
        self.refs = dict(line.split("=", 1) for line in lines[1:])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            processes.stop(self.process)


def _load(base_url: str, reference: str) -> Any:
    from avala import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(reference, base_url=base_url)


def _sdk_many(base_url: str, reference: str, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    with _load(base_url, reference) as dataset:
        summary = dataset.download(out, concurrency=CONCURRENCY)
    seconds = time.perf_counter() - start
    assert summary.downloaded == dataset.object_count, summary
    return seconds


def _sdk_one(base_url: str, reference: str, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    with _load(base_url, reference) as dataset:
        obj = dataset.for_role("recording")[0]
        obj.download(out / "one.bin")
    return time.perf_counter() - start


def _grants(base_url: str, reference: str) -> list[tuple[str, str]]:
    """(logical path, presigned URL) of every object, fetched before any clock starts."""
    uid, sha = reference.removeprefix("avala://datasets/").split("@")
    objects = f"{base_url}/resolve/uid/{uid}/{sha}/objects/"
    found: list[tuple[str, str]] = []
    with httpx.Client(timeout=60) as http:
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = http.get(objects, params=params).json()
            for item in page["results"]:
                grant = http.post(f"{base_url}{item['access_path']}").json()
                found.append((item["logical_path"], grant["url"]))
            cursor = page["next_cursor"]
            if cursor is None:
                return found


def _raw(targets: list[tuple[str, str]], out: Path, concurrency: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(timeout=600, limits=limits) as http:

        def get(target: tuple[str, str]) -> None:
            path = out / target[0]
            path.parent.mkdir(parents=True, exist_ok=True)
            with http.stream("GET", target[1]) as response, path.open("wb") as handle:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    handle.write(chunk)

        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(get, targets))
        return time.perf_counter() - start


def _raw_protocol(base_url: str, reference: str, out: Path, concurrency: int) -> float:
    """The whole protocol by hand, as any client must run it: object pages, then a grant and
    a GET per object (no verification), `concurrency` objects at a time."""
    shutil.rmtree(out, ignore_errors=True)
    uid, sha = reference.removeprefix("avala://datasets/").split("@")
    objects = f"{base_url}/resolve/uid/{uid}/{sha}/objects/"
    limits = httpx.Limits(
        max_connections=2 * concurrency, max_keepalive_connections=2 * concurrency
    )
    start = time.perf_counter()
    with httpx.Client(timeout=600, limits=limits) as http, ThreadPoolExecutor(concurrency) as pool:

        def one(item: dict[str, Any]) -> None:
            url = http.post(f"{base_url}{item['access_path']}").json()["url"]
            path = out / item["logical_path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            with http.stream("GET", url) as response, path.open("wb") as handle:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    handle.write(chunk)

        futures = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = http.get(objects, params=params).json()
            futures += [pool.submit(one, item) for item in page["results"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        for future in futures:
            future.result()
    return time.perf_counter() - start


# Runs the CLI and reports its peak resident set from /proc (VmHWM belongs to the process's
# own address space: unlike ru_maxrss it does not carry the forking parent's size over exec).
_MEASURED_CLI = (
    "import sys\n"
    "from avala.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "with open('/proc/self/status') as status:\n"
    "    peak = next(line.split()[1] for line in status if line.startswith('VmHWM'))\n"
    "sys.stderr.write(f'VMHWM_KB={peak}\\n')\n"
    "sys.exit(code)\n"
)


def _cli_peak_rss(base_url: str, reference: str, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "AVALA_NO_PROGRESS": "1"}
    command = ["--base-url", base_url, "-o", "json", "datasets", "download", reference, str(out)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED_CLI, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the CLI failed: {done.stderr.strip()[-300:]}")
    peak = [line for line in done.stderr.splitlines() if line.startswith("VMHWM_KB=")]
    return float(int(peak[-1].removeprefix("VMHWM_KB=")) * 1024)


def run(results: Results, *, objects: int, object_size: int, big: int, rounds: int) -> None:
    many_mib = objects * object_size / MiB
    big_mib = big / MiB
    work = Path(tempfile.mkdtemp(prefix="avala-bench-download-"))
    try:
        with DownloadServer(objects, object_size, big) as server:
            base, many, one = server.base_url, server.refs["MANY"], server.refs["ONE"]
            mp, op = "download.many", "download.one"
            results.sample(
                f"{mp}.sdk", f"{many_mib:,.0f} MiB in {objects:,} objects: dataset.download"
            )
            results.sample(
                f"{mp}.raw", f"{many_mib:,.0f} MiB in {objects:,} objects: raw httpx GETs"
            )
            results.sample(
                f"{mp}.protocol",
                f"{many_mib:,.0f} MiB in {objects:,} objects: raw httpx, pages + grant + GET",
            )
            results.sample(f"{op}.sdk", f"one {big_mib:,.0f} MiB object: object.download")
            results.sample(f"{op}.raw", f"one {big_mib:,.0f} MiB object: raw httpx GET")
            many_targets = _grants(base, many)
            one_targets = _grants(base, one)
            interleave(
                results,
                {
                    f"{mp}.sdk": lambda: _sdk_many(base, many, work / "sdk-many"),
                    f"{mp}.raw": lambda: _raw(many_targets, work / "raw-many", CONCURRENCY),
                    f"{mp}.protocol": lambda: _raw_protocol(
                        base, many, work / "raw-protocol", CONCURRENCY
                    ),
                    f"{op}.sdk": lambda: _sdk_one(base, one, work / "sdk-one"),
                    f"{op}.raw": lambda: _raw(one_targets, work / "raw-one", 1),
                },
                rounds,
            )
            results.check(
                SECTION,
                f"{objects:,} objects: SDK time / raw (target throughput >= 0.8x raw)",
                f"{mp}.sdk",
                f"{mp}.raw",
                "at_most",
                1.25,
            )
            results.check(
                SECTION,
                f"{objects:,} objects: SDK time / raw httpx running the same protocol "
                "(target throughput >= 0.8x)",
                f"{mp}.sdk",
                f"{mp}.protocol",
                "at_most",
                1.25,
            )
            results.check(
                SECTION,
                f"one {big_mib:,.0f} MiB object: SDK time / raw (target throughput >= 0.8x raw)",
                f"{op}.sdk",
                f"{op}.raw",
                "at_most",
                1.25,
            )
            rp = "download.rss"
            results.sample(
                f"{rp}.cli", f"CLI peak RSS, {many_mib:,.0f} MiB in {objects:,} objects", "bytes"
            )
            results.sample(f"{rp}.cli_one", f"CLI peak RSS, one {big_mib:,.0f} MiB object", "bytes")
            results.sample(f"{rp}.budget", "budget", "bytes").add(float(RSS_BUDGET))
            interleave(
                results,
                {
                    f"{rp}.cli": lambda: _cli_peak_rss(base, many, work / "cli-many"),
                    f"{rp}.cli_one": lambda: _cli_peak_rss(base, one, work / "cli-one"),
                },
                1,
            )
            for key in (f"{rp}.cli", f"{rp}.cli_one"):
                results.check(
                    SECTION,
                    f"{results.samples[key].label} / 150 MiB",
                    key,
                    f"{rp}.budget",
                    "at_most",
                    1.0,
                )
        for key, size in ((mp, many_mib), (op, big_mib)):
            sdk, raw = results.samples[f"{key}.sdk"], results.samples[f"{key}.raw"]
            if sdk.median and raw.median:
                results.notes.append(
                    f"Downloads, {sdk.label.split(':')[0]}: this SDK {size / sdk.median:,.0f} "
                    f"MiB/s (verified, renamed into place), raw httpx {size / raw.median:,.0f} MiB/s "
                    f"({raw.median / sdk.median:.2f}x)."
                )
        protocol, raw = results.samples[f"{mp}.protocol"], results.samples[f"{mp}.raw"]
        if protocol.median and raw.median:
            results.notes.append(
                "Downloads, many objects: each object costs any client a grant request before "
                "its GET, where the raw baseline, with URLs granted before its clock starts, "
                f"sends the GET alone; here that protocol takes {protocol.median / raw.median:.2f}x "
                "the raw GETs, so the SDK is compared with raw httpx running it too. The SDK "
                "also hashes every byte (SHA-256), which the raw clients skip."
            )
        results.notes.append(
            f"Downloads ran at load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs."
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        sys.exit(_serve(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
    from .report import checks_table, samples_table

    quick = "--quick" in sys.argv
    found = Results()
    run(
        found,
        objects=64 if quick else 1000,
        object_size=MiB,
        big=(64 if quick else 1024) * MiB,
        rounds=1 if quick else 3,
    )
    print("\n".join(samples_table(found)))
    print("\n".join(checks_table(found)))
    for note in found.notes:
        print("-", note)
