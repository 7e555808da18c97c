"""The Avala API every benchmark talks to: `LocalAvala` served by uvicorn on loopback, in a
process of its own so that client and server never share a GIL.

    python -m benchmarks.server --small 10000 --large 100000

Seeds two projects (so a walk of `--small` tasks and one of `--large` tasks hit the same
server), serves on 127.0.0.1 with a free port, prints ONE line of JSON (`Fixture`) and then
waits for SIGTERM/SIGINT. `LaunchedServer` starts and stops it from the benchmark process.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType, TracebackType

from . import processes

API_KEY = "avk_bench_0123456789"
READY_TIMEOUT = 120.0


@dataclass(frozen=True)
class Fixture:
    """What the launcher prints once it serves."""

    base_url: str
    small_project: str
    large_project: str
    small_tasks: int
    large_tasks: int
    task_ids: list[str]
    """Uids of tasks that exist (for `tasks.get`), at most `--ids` of them."""


def build(small: int, large: int, ids: int) -> tuple[object, Fixture]:
    """Build and seed a `LocalAvala` (empty world, two projects created through the API)."""
    from avala.testing import LocalAvala

    api = LocalAvala(data="empty", log_size=1)
    projects: dict[str, str] = {}
    with api.httpx_client(headers={"X-Avala-Api-Key": API_KEY}) as http:
        for name in ("bench-small", "bench-large"):
            response = http.post("/users/me/projects/", json={"name": name})
            response.raise_for_status()
            projects[name] = response.json()["uid"]
    # The small project first: listing the large one then scans past it only once (first page).
    small_ids = api.seed_tasks(small, project=projects["bench-small"], name="Small task")
    large_ids = api.seed_tasks(large, project=projects["bench-large"], name="Large task")
    task_ids = (small_ids + large_ids)[:ids]
    return api, Fixture(
        base_url="",
        small_project=projects["bench-small"],
        large_project=projects["bench-large"],
        small_tasks=small,
        large_tasks=large,
        task_ids=task_ids,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--small", type=int, default=10_000, help="tasks in the small project")
    parser.add_argument("--large", type=int, default=100_000, help="tasks in the large project")
    parser.add_argument("--ids", type=int, default=10_000, help="task uids to print")
    args = parser.parse_args(argv)

    api, fixture = build(args.small, args.large, args.ids)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = api.serve(host="127.0.0.1", port=0)  # type: ignore[attr-defined]
    try:
        data = asdict(fixture) | {"base_url": server.base_url}
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


class LaunchedServer:
    """`with LaunchedServer(python, small=..., large=...) as server: server.fixture.base_url`"""

    def __init__(
        self,
        python: str = sys.executable,
        *,
        small: int = 10_000,
        large: int = 100_000,
        ids: int = 10_000,
        cwd: Path | None = None,
    ) -> None:
        self.command = [
            python,
            "-m",
            "benchmarks.server",
            f"--small={small}",
            f"--large={large}",
            f"--ids={ids}",
        ]
        self.cwd = cwd or Path(__file__).resolve().parent.parent
        self.process: subprocess.Popen[str] | None = None
        self._fixture: Fixture | None = None

    @property
    def fixture(self) -> Fixture:
        if self._fixture is None:
            raise RuntimeError("the server is not running")
        return self._fixture

    def start(self) -> Fixture:
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        line = _readline(self.process, READY_TIMEOUT)
        if not line:
            self.stop()
            raise RuntimeError(f"the benchmark server did not start: {' '.join(self.command)}")
        self._fixture = Fixture(**json.loads(line))
        return self._fixture

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server process has used so far; None off Linux."""
        if self.process is None:
            return None
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            processes.stop(process)

    def __enter__(self) -> LaunchedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line, or "" if the process dies or stays silent past `timeout`."""
    result: list[str] = []
    reader = threading.Thread(
        target=lambda: result.append(process.stdout.readline() if process.stdout else ""),
        daemon=True,
    )
    reader.start()
    deadline = time.monotonic() + timeout
    while reader.is_alive() and time.monotonic() < deadline and process.poll() is None:
        reader.join(0.05)
    reader.join(0.5)
    return result[0] if result else ""


if __name__ == "__main__":
    sys.exit(main())
