"""Stopping the benchmark's child processes (the API server, the official SDK's worker)."""

from __future__ import annotations

import subprocess
from typing import Any


def stop(process: subprocess.Popen[Any], *, ask: str = "terminate") -> None:
    """Ask a child to stop (`terminate`, or `close-stdin` for a worker reading commands),
    kill it if it has not exited after 15 s, and close its stdout."""
    if process.poll() is None:
        if ask == "close-stdin":
            if process.stdin is not None:
                process.stdin.close()
        else:
            process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
