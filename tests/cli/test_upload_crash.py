"""Crash safety: `avala datasets upload` killed with SIGKILL part-way, then run again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from avala._async._uploads import PART_CONCURRENCY
from tests.cli.conftest import KEY, Served

MiB = 1024 * 1024
PART = 5 * MiB  # the local API's part size
WORKERS = 2


def _tree(root: Path) -> dict[str, bytes]:
    files = {f"big/{i}.bin": os.urandom(3 * PART + 1000 * i) for i in range(4)}
    files.update({f"small/{i:03d}.txt": os.urandom(2000 + i) for i in range(60)})
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _command(served: Served, source: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "avala.cli",
        "--base-url",
        served.base_url,
        "--api-key",
        KEY,
        "-o",
        "json",
        "datasets",
        "upload",
        "--source",
        str(source),
        "--name",
        "Crash",
        "--slug",
        "crash",
        "--data-type",
        "image",
        "--workers",
        str(WORKERS),
    ]


def _stored(served: Served) -> dict[str, bytes]:
    out = {}
    for key in served.api.objects.keys(prefix=""):
        _, _, dataset, rel = key.split("/", 3)
        if dataset == "Crash":
            with served.api.objects.open(key) as handle:
                out[rel] = handle.read()
    return out


def test_sigkill_part_way_then_the_same_command_completes(fresh: Served, tmp_path: Path) -> None:
    files = _tree(tmp_path / "src")
    total = sum(map(len, files.values()))
    env = {**os.environ, "AVALA_NO_PROGRESS": "1"}
    command = _command(fresh, tmp_path / "src")
    stats = fresh.api.objects.stats

    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while stats.bytes_stored < total * 0.4 and process.poll() is None:
        assert time.monotonic() < deadline, "the upload made no progress"
        time.sleep(0.005)
    assert process.poll() is None, "the upload finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored_before = stats.bytes_stored
    received_before = stats.bytes_received
    assert 0 < stored_before < total

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert '"item_count": 64' in rerun.stdout

    # Every byte the store holds is the source's.
    assert _stored(fresh) == files
    # Nothing was stored twice: completed files and parts the server had were not resent...
    assert stats.bytes_stored == total
    # ...and what went over the wire twice is at most the parts in flight at the kill.
    in_flight = WORKERS * PART_CONCURRENCY * PART
    assert stats.bytes_received - total <= in_flight
    assert stats.bytes_received - received_before <= total - stored_before + in_flight
    assert stats.api_key_seen == 0
