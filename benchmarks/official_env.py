"""The official SDK (`avala==0.10.0` from PyPI) in a virtual environment of its own.

It has the same import name as this SDK, so it can never live in our venv: the benchmark
creates `.bench/official-venv` (`python -m venv` + `pip install avala==0.10.0`), then runs
`benchmarks/official.py` there as a worker and talks to it over stdin/stdout, one JSON line
per request. When the venv cannot be built (PyPI unreachable), `OfficialSDK.start()` returns
None with the reason, and the official columns read "unavailable".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from . import processes

OFFICIAL_REQUIREMENT = "avala==0.10.0"
OFFICIAL_VERSION = "0.10.0"
ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "official.py"
DEFAULT_VENV = ROOT / ".bench" / "official-venv"
INSTALL_TIMEOUT = 300.0
REQUEST_TIMEOUT = 300.0


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    probe = "from importlib.metadata import version; print(version('avala'))"
    done = subprocess.run(
        [str(python), "-I", "-c", probe],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        timeout=60,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_venv(venv: Path = DEFAULT_VENV, log: Any = None) -> tuple[Path | None, str]:
    """(python of a venv holding the official SDK, "") or (None, why not)."""
    python = venv_python(venv)
    if _installed_version(python) == OFFICIAL_VERSION:
        return python, ""
    try:
        if not python.exists():
            venv.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [sys.executable, "-m", "venv", "--clear", str(venv)],
                check=True,
                capture_output=True,
                timeout=INSTALL_TIMEOUT,
            )
        if log:
            log(f"installing {OFFICIAL_REQUIREMENT} into {venv} ...")
        done = subprocess.run(
            # Short network timeouts: an unreachable index must not stall the whole suite.
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--timeout=30",
                "--retries=2",
                OFFICIAL_REQUIREMENT,
            ],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
            cwd=tempfile.gettempdir(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"cannot create {venv}: {exc}"
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["pip failed"]
        return None, f"pip install {OFFICIAL_REQUIREMENT} failed: {last[0]}"
    if _installed_version(python) != OFFICIAL_VERSION:
        return None, f"{OFFICIAL_REQUIREMENT} did not install into {venv}"
    return python, ""


class OfficialWorkerError(RuntimeError):
    pass


class OfficialSDK:
    """A running `official.py` worker: `sdk.call("get_seq", base_url=..., ids=[...])`."""

    def __init__(self, python: Path) -> None:
        self.python = python
        self._process = subprocess.Popen(
            [str(python), "-I", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=tempfile.gettempdir(),  # never the repository: its `avala` is ours
        )
        self.versions: dict[str, str] = self.call("versions")

    def call(self, op: str, **args: Any) -> Any:
        process = self._process
        if process.stdin is None or process.stdout is None or process.poll() is not None:
            raise OfficialWorkerError("the official SDK worker is not running")
        process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        process.stdin.flush()
        line = _readline_with_timeout(process, REQUEST_TIMEOUT)
        if not line:
            raise OfficialWorkerError(f"the official SDK worker gave no answer to {op!r}")
        answer = json.loads(line)
        if isinstance(answer, dict) and "error" in answer:
            raise OfficialWorkerError(f"official SDK {op}: {answer['error']}")
        return answer

    def close(self) -> None:
        processes.stop(self._process, ask="close-stdin")

    @classmethod
    def start(cls, venv: Path = DEFAULT_VENV, log: Any = None) -> tuple[OfficialSDK | None, str]:
        python, why = ensure_venv(venv, log)
        if python is None:
            return None, why
        try:
            return cls(python), ""
        except (OSError, OfficialWorkerError) as exc:
            return None, f"the official SDK worker did not start: {exc}"


def _readline_with_timeout(process: subprocess.Popen[str], timeout: float) -> str:
    result: list[str] = []
    stdout = process.stdout
    if stdout is None:
        return ""
    reader = threading.Thread(target=lambda: result.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else ""
