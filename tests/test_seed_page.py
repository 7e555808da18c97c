"""Every code block of the AsyncClient documentation page runs verbatim (examples/seed_page/)
against the local Avala API served on loopback, found through AVALA_BASE_URL."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avala import AsyncClient
from avala.testing import LocalAvala, RunningServer, serve_in_thread

SNIPPETS = Path(__file__).resolve().parent.parent / "examples" / "seed_page"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve_in_thread(LocalAvala(data="demo")) as running:
        yield running


@pytest.fixture(autouse=True)
def base_url(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVALA_BASE_URL", server.base_url)
    monkeypatch.delenv("AVALA_API_KEY", raising=False)


def run(name: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute one snippet as written; fragments with top-level `await` run as a coroutine,
    the way a notebook or an enclosing `async def` would run them."""
    source = (SNIPPETS / name).read_text()
    namespace = {"__name__": "__main__", **(namespace or {})}
    code = compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
    return namespace


def test_every_block_of_the_page_is_covered() -> None:
    covered = {
        name.split("test_", 1)[1]
        for name in globals()
        if name.startswith("test_") and name != "test_every_block_of_the_page_is_covered"
    }
    files = {p.stem.split("_", 1)[1] for p in SNIPPETS.glob("*.py")}
    assert files == covered


def test_initialization() -> None:
    namespace = run("01_initialization.py")
    assert isinstance(namespace["client"], AsyncClient)
    asyncio.run(namespace["client"].close())


def test_context_manager(capsys: pytest.CaptureFixture[str]) -> None:
    run("02_context_manager.py")
    assert "Demo Project" in capsys.readouterr().out


def test_manual_cleanup() -> None:
    namespace = run("03_manual_cleanup.py")
    assert namespace["main"]


def test_basic_usage() -> None:
    namespace = run("04_basic_usage.py", {"AsyncClient": AsyncClient})
    assert namespace["project"].id == "proj_123"
    assert namespace["dataset"].name == "Training Data"
    assert {t.id for t in namespace["tasks"]} >= {"task_1", "task_2", "task_3", "task_456"}


def test_concurrent_operations() -> None:
    projects, datasets, agents = run("05_concurrent_operations.py")["results"]
    assert len(projects)
    assert len(datasets)
    assert len(agents)


def test_batch_processing() -> None:
    namespace = run("06_batch_processing.py")
    updated = asyncio.run(namespace["process_tasks"](["task_1", "task_2", "task_3"]))
    assert [t.status for t in updated] == ["completed"] * 3


def test_error_handling(capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run("07_error_handling.py")
    found = asyncio.run(namespace["safe_fetch_tasks"](["task_1", "nope", "task_3"]))
    assert [t.id for t in found] == ["task_1", "task_3"]
    assert "Task nope not found" in capsys.readouterr().out


def test_resource_access() -> None:
    async def main() -> dict[str, Any]:
        async with AsyncClient(api_key="your_api_key") as client:
            namespace = {"client": client, "__name__": "__main__"}
            source = (SNIPPETS / "08_resource_access.py").read_text()
            code = compile(source, "08", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            await eval(code, namespace)
            return namespace

    namespace = asyncio.run(main())
    assert len(namespace["datasets"]) > 0
    assert all(issue.task == "task_456" for issue in namespace["issues"])


def test_rate_limit_info(capsys: pytest.CaptureFixture[str]) -> None:
    run("09_rate_limit_info.py", {"AsyncClient": AsyncClient})
    out = capsys.readouterr().out
    assert "Limit: None" not in out
    assert "Remaining: " in out
    assert "Reset: " in out


def test_asyncio_run() -> None:
    assert run("10_asyncio_run.py")["projects"].items


def test_jupyter() -> None:
    assert run("11_jupyter.py")["projects"].items


def test_fastapi() -> None:
    testclient = pytest.importorskip("fastapi.testclient")
    namespace = run("12_fastapi.py")
    with testclient.TestClient(namespace["app"]) as http:
        response = http.get("/projects")
    assert response.status_code == 200
    body = response.json()
    assert "Demo Project" in [p["name"] for p in body["items"]]
    assert body["has_more"] is False
