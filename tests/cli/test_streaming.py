"""Listings print each page as it arrives (an interrupted listing keeps what it fetched), and a
reader that closes the pipe early (`| head`) is success, as for any Unix tool."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from avala.cli import main

from .conftest import KEY, Served

ROOT = Path(__file__).resolve().parents[2]


class RecordingStdout(io.StringIO):
    """stdout that notes how many requests the API had answered at each write."""

    def __init__(self, served: Served) -> None:
        super().__init__()
        self.served = served
        self.writes: list[tuple[int, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((self.requests(), text))
        return super().write(text)

    def requests(self) -> int:
        return sum(1 for e in self.served.api.log if e.path.endswith("/tasks/"))


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("mode", ["table", "json", "jsonl"])
def test_each_page_is_printed_before_the_next_is_fetched(
    fresh: Served, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    fresh.api.seed_tasks(44)  # 50 tasks with the demo's: five pages of ten
    out = RecordingStdout(fresh)
    monkeypatch.setattr(sys, "stdout", out)
    args = ["--base-url", fresh.base_url, "--api-key", KEY, "-o", mode]
    assert main([*args, "tasks", "list", "--page-size", "10"]) == 0
    rows = [(n, t) for n, t in out.writes if "task_1" in t or "Seeded task" in t]
    assert rows[0][0] == 1  # the first rows went out after the first page, not at the end
    assert {n for n, _ in rows} == {1, 2, 3, 4, 5}  # and every page right after its fetch


def test_an_interrupted_table_listing_has_printed_what_it_fetched(
    fresh: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while the third page loads: the first two pages are on stdout."""
    fresh.api.seed_tasks(44)
    from avala._sync import _pagination

    fetched = 0
    original = _pagination.Page.get_next_page

    def next_page(self: _pagination.Page[object]) -> _pagination.Page[object] | None:
        nonlocal fetched
        fetched += 1
        if fetched == 2:
            raise KeyboardInterrupt
        return original(self)

    monkeypatch.setattr(_pagination.Page, "get_next_page", next_page)
    args = ["--base-url", fresh.base_url, "--api-key", KEY, "-o", "table"]
    assert main([*args, "tasks", "list", "--page-size", "10"]) == 130
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["uid", "name"]
    assert len(out) == 2 + 20  # header, rule and the two fetched pages


def test_widths_come_from_the_first_page_and_later_rows_keep_them(
    fresh: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh.api.seed_tasks(20, name="Short")
    fresh.api.seed_tasks(5, name="A much, much longer task name than any on the first page")
    args = ["--base-url", fresh.base_url, "--api-key", KEY, "-o", "table"]
    assert main([*args, "tasks", "list", "--status", "pending", "--page-size", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    status_at = lines[0].index("status")
    assert all(line[status_at : status_at + 7] == "pending" for line in lines[2:])
    assert any("…" in line for line in lines[2:])  # the long names were cut to the column


def run_into_closed_pipe(served: Served, *args: str) -> subprocess.CompletedProcess[str]:
    """`avala ARGS | head -3` with a listing far larger than a pipe's buffer."""
    env = {
        **os.environ,
        "AVALA_API_KEY": KEY,
        "AVALA_BASE_URL": served.base_url,
        "AVALA_NO_PROGRESS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "avala.cli", *args]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        head = [proc.stdout.readline() for _ in range(3)]
        proc.stdout.close()  # what `head` does after its lines
        err = proc.stderr.read()
        code = proc.wait(timeout=60)
    assert all(head), head
    return subprocess.CompletedProcess(command, code, "".join(head), err)


@pytest.mark.parametrize("mode", ["table", "json", "jsonl"])
def test_a_closed_pipe_is_success(fresh: Served, mode: str) -> None:
    fresh.api.seed_tasks(3000)  # hundreds of kilobytes: the writer hits the closed pipe
    result = run_into_closed_pipe(fresh, "-o", mode, "tasks", "list", "--page-size", "500")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Broken pipe" not in result.stderr
    assert "error" not in result.stderr.lower()
