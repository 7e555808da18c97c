"""One line on stderr and a distinct exit code per error class; a traceback only with --debug."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from avala.cli._errors import (
    EXIT_AUTH,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_RATE_LIMITED,
    EXIT_SERVER,
    EXIT_USAGE,
    EXIT_VALIDATION,
    describe,
)
from avala.errors import ConflictError, ForbiddenError, ServerError
from avala.testing import LocalAvala

from .conftest import KEY, Result, Run, Served


def one_error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("avala: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def locked() -> Iterator[str]:
    """An API that accepts only the key "right"."""
    with LocalAvala(data="demo", api_key="right").serve() as server:
        yield server.base_url


def test_exit_codes_are_distinct() -> None:
    codes = [EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND, EXIT_VALIDATION]
    codes += [EXIT_RATE_LIMITED, EXIT_SERVER, EXIT_INTERRUPTED]
    assert len(set(codes)) == len(codes)
    assert (EXIT_ERROR, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND) == (1, 2, 3, 4)
    assert (EXIT_VALIDATION, EXIT_RATE_LIMITED, EXIT_SERVER, EXIT_INTERRUPTED) == (5, 6, 7, 130)


def test_wrong_key_is_an_auth_error_and_never_printed(cli: Run, locked: str) -> None:
    result = cli("--base-url", locked, "--api-key", "wrong-key-123", "projects", "list")
    assert result.code == EXIT_AUTH
    line = one_error_line(result)
    assert "authentication failed" in line
    assert "avala configure" in line
    assert "wrong-key-123" not in result.stdout + result.stderr
    assert result.stdout == ""
    good = cli("--base-url", locked, "--api-key", "right", "-o", "json", "projects", "list")
    assert good.code == 0


def test_no_key_at_all_is_an_auth_error(cli: Run, shared: Served) -> None:
    result = cli("--base-url", shared.base_url, "projects", "list")
    assert result.code == EXIT_AUTH
    assert "no API key" in one_error_line(result)


def test_not_found(avala: Run) -> None:
    result = avala("tasks", "get", "no_such_task")
    assert result.code == EXIT_NOT_FOUND
    assert "tasks get no_such_task" in one_error_line(result)
    assert result.stdout == ""


def test_validation_error_names_the_field(avala: Run) -> None:
    result = avala("tasks", "create", "--name", "x", "--project-id", "no_such_project")
    assert result.code == EXIT_VALIDATION
    line = one_error_line(result)
    assert "project" in line
    assert "(HTTP 400)" in line


def test_rate_limited_without_retries(cli: Run) -> None:
    # A frozen clock: the one-request window never resets, so the second request is a 429.
    api = LocalAvala(data="demo", rate_limit=1, clock=lambda: 0.0)
    with api.serve() as server:
        base = ("--base-url", server.base_url, "--api-key", KEY, "--max-retries", "0")
        assert cli(*base, "-o", "json", "projects", "get", "proj_123").code == 0
        result = cli(*base, "projects", "get", "proj_123")
    assert result.code == EXIT_RATE_LIMITED
    assert "rate limited" in one_error_line(result)


def test_server_error_after_retries(cli: Run, fresh: Served) -> None:
    fresh.api.queue_faults("http_503", "http_503")
    result = cli(
        "--base-url", fresh.base_url, "--api-key", KEY, "--max-retries", "1", "projects", "list"
    )
    assert result.code == EXIT_SERVER
    assert "server error" in one_error_line(result)
    assert fresh.api.stats.statuses[503] == 2  # the SDK retried once before giving up


def test_network_error_against_a_closed_port(cli: Run) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    url = f"http://127.0.0.1:{port}/api/v1"
    result = cli("--base-url", url, "--api-key", KEY, "--max-retries", "0", "projects", "list")
    assert result.code == EXIT_SERVER
    assert "network error" in one_error_line(result)


def test_quota_exceeded_is_a_generic_error(avala: Run) -> None:
    result = avala(
        "datasets", "create-manual-upload-url", "--dataset-name", "d",
        "--file-path-in-dataset", "big.bin", "--content-length", str(10**15),
    )  # fmt: skip
    assert result.code == EXIT_ERROR
    assert "413" in one_error_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ["projects", "list", "--no-such-option"],
        ["projects", "frobnicate"],
        ["no-such-resource", "list"],
        ["tasks", "create", "--name", "x"],  # --project-id is required
        ["tasks", "list", "--limit", "0"],
        ["datasets", "create", "--name", "x", "--metadata", "{not json"],
        ["datasets", "create", "--name", "x", "--metadata", "[1, 2]"],  # an object is expected
        ["fleet", "events", "create", "--recording", "r", "--device", "d", "--label", "l",
         "--type", "t", "--timestamp", "yesterday"],
        ["-o", "yaml", "projects", "list"],
    ],
)  # fmt: skip
def test_usage_errors_exit_2(avala: Run, args: list[str]) -> None:
    result = avala(*args)
    assert result.code == EXIT_USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_argument_caught_by_the_sdk_is_a_usage_error(avala: Run) -> None:
    result = avala("exports", "wait", "exp_1", "--interval", "-1")
    assert result.code == EXIT_USAGE
    assert "invalid argument" in one_error_line(result)


def test_wait_timeout_is_a_generic_error(avala: Run, shared: Served) -> None:
    # job_steps high: the export stays pending for the whole (zero-second) wait.
    shared.api.job_steps = 100
    try:
        created = avala("exports", "create", "--dataset", shared.ids["dataset.street-images"])
        uid = created.json()["uid"]
        result = avala("exports", "wait", uid, "--timeout", "0")
    finally:
        shared.api.job_steps = 1
    assert result.code == EXIT_ERROR
    assert "Gave up waiting" in one_error_line(result)


def test_ctrl_c_exits_130_without_a_traceback(avala: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from avala._sync.resources.projects import Projects

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Projects, "list", interrupted)
    result = avala("projects", "list")
    assert result.code == EXIT_INTERRUPTED
    assert "Traceback" not in result.stderr
    assert "interrupted" in result.stderr


def test_debug_shows_the_traceback(avala: Run) -> None:
    result = avala("--debug", "tasks", "get", "no_such_task")
    assert result.code == EXIT_NOT_FOUND
    assert "Traceback" in result.stderr
    assert "GET /tasks/no_such_task/ -> 404" in result.stderr  # request log of --debug


def test_unexpected_exceptions_are_one_line_too(
    avala: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala._sync.resources.projects import Projects

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Projects, "list", broken)
    result = avala("projects", "list")
    assert result.code == EXIT_ERROR
    assert "RuntimeError: boom" in one_error_line(result)


def test_describe_maps_every_class() -> None:
    assert describe(ForbiddenError("no", 403))[0] == EXIT_AUTH
    assert describe(ServerError("down", 502))[0] == EXIT_SERVER
    assert describe(ConflictError("busy", 409))[0] == EXIT_ERROR


def test_sigint_during_a_wait_exits_130_quietly(fresh: Served) -> None:
    root = Path(__file__).resolve().parents[2]
    fresh.api.job_steps = 1000  # the export never finishes during this test
    pending = fresh.ids["export.pending"]
    before = len(fresh.api.log)
    args = ["--base-url", fresh.base_url, "--api-key", KEY, "exports", "wait", pending]
    with subprocess.Popen(
        [sys.executable, "-m", "avala.cli", *args, "--interval", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as process:
        deadline = time.monotonic() + 15
        while len(fresh.api.log) == before:  # the first poll arrived: now it sleeps
            assert time.monotonic() < deadline
            assert process.poll() is None
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == EXIT_INTERRUPTED
    assert stdout == ""
    assert stderr.strip() == "avala: interrupted"
