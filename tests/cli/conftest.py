"""Fixtures of the `avala` command line tests: the CLI runs in process (`main([...])`) against
the local Avala API served on a loopback port in this process."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

pytest.importorskip("click")
pytest.importorskip("rich")
pytest.importorskip("uvicorn")

from avala.cli import main  # noqa: E402
from avala.testing import LocalAvala, RunningServer  # noqa: E402

KEY = "test-key"
_ENV = (
    "AVALA_API_KEY",
    "AVALA_BASE_URL",
    "AVALA_PROFILE",
    "AVALA_OUTPUT",
    "AVALA_CONFIG_FILE",
    "XDG_CONFIG_HOME",
    "COLUMNS",
)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


Run = Callable[..., Result]


@dataclass
class Served:
    api: LocalAvala
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def ids(self) -> dict[str, str]:
        return self.api.demo_ids


@pytest.fixture(scope="session")
def shared() -> Iterator[Served]:
    """One demo API for tests that only read, or create objects of their own."""
    api = LocalAvala(data="demo")
    with api.serve() as server:
        yield Served(api, server)


@pytest.fixture
def fresh() -> Iterator[Served]:
    """A fresh demo API, for tests that count or change shared objects."""
    api = LocalAvala(data="demo")
    with api.serve() as server:
        yield Served(api, server)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key, URL or profile leaks in from the machine; the config dir is temporary."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("AVALA_NO_PROGRESS", "1")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """`cli(*args, stdin=None)`: run `avala` in process, return code and captured output."""

    def run(*args: str, stdin: str | None = None) -> Result:
        import io

        capsys.readouterr()
        old_stdin = sys.stdin
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main([str(a) for a in args])
        finally:
            sys.stdin = old_stdin
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def avala(cli: Run, shared: Served) -> Run:
    """`cli` wired to the shared API with a key and JSON output."""

    def run(*args: str, stdin: str | None = None) -> Result:
        return cli(
            "--base-url", shared.base_url, "--api-key", KEY, "-o", "json", *args, stdin=stdin
        )

    return run
