"""The loopback server: `python -m avala.testing`, `serve_in_thread`, drops over ASGI, plugin."""

from __future__ import annotations

import importlib.metadata
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from avala.testing import FaultConfig, LocalAvala, serve_in_thread
from avala.testing.__main__ import main
from avala.testing._server import client_url

pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
KEY = {"X-Avala-Api-Key": "k"}


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def first_line(proc: subprocess.Popen[str], timeout: float = 15.0) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "the server printed nothing"
    return proc.stdout.readline().strip()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_exits_cleanly(stop_signal: signal.Signals) -> None:
    command = [sys.executable, "-m", "avala.testing", "--port", "0", "--api-key", "k"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            line = first_line(proc)
            assert line.startswith("AVALA_BASE_URL=http://127.0.0.1:")
            base_url = line.split("=", 1)[1]
            assert base_url.endswith("/api/v1")
            assert not base_url.endswith(":0/api/v1")
            with httpx.Client(base_url=base_url, headers=KEY) as http:
                assert http.get("/tasks/task_1/").json()["uid"] == "task_1"
                assert http.get("/tasks/", headers={"X-Avala-Api-Key": "x"}).status_code == 401
            proc.send_signal(stop_signal)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.stderr is not None
        assert "Traceback" not in proc.stderr.read()


def test_cli_stops_on_an_early_signal() -> None:
    command = [sys.executable, "-m", "avala.testing", "--port", "0"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            first_line(proc)
            proc.send_signal(signal.SIGINT)  # possibly before uvicorn installed its handlers
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_cli_without_uvicorn_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # makes `import uvicorn` fail
    assert main(["--port", "0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "pip install 'avala[local]'" in captured.err
    assert captured.err.count("\n") == 1


def test_cli_rejects_bad_fault_rates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--fail-rate", "2"]) == 2
    assert "fail_rate" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_cli_rejects_a_bad_port_with_exit_2(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", port])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port" in err
    assert "Traceback" not in err


def test_cli_bad_port_in_a_real_process_is_one_line_and_exit_2() -> None:
    command = [sys.executable, "-m", "avala.testing", "--port", "99999"]
    result = subprocess.run(
        command, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "99999 is not a port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "url", "note"),
    [
        ("127.0.0.1", "http://127.0.0.1:8765/api/v1", None),
        ("localhost", "http://localhost:8765/api/v1", None),
        ("::1", "http://[::1]:8765/api/v1", None),
        ("0.0.0.0", "http://127.0.0.1:8765/api/v1", "every interface"),
        ("::", "http://[::1]:8765/api/v1", "every interface"),
        ("192.168.1.20", "http://192.168.1.20:8765/api/v1", "not a loopback address"),
    ],
)
def test_printed_url_is_one_the_sdk_accepts_or_explained(
    host: str, url: str, note: str | None
) -> None:
    from avala import Client

    shown, message = client_url(host, 8765)
    assert shown == url
    if note is None:
        assert message is None
        Client("k", base_url=shown).close()  # accepted: plain http to loopback
    else:
        assert message is not None
        assert note in message
    if note == "every interface":
        Client("k", base_url=shown).close()


def test_cli_on_every_interface_prints_a_loopback_url() -> None:
    from avala import Client

    command = [sys.executable, "-m", "avala.testing", "--port", "0", "--host", "0.0.0.0"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            line = first_line(proc)
            assert line.startswith("AVALA_BASE_URL=http://127.0.0.1:")
            with Client("k", base_url=line.split("=", 1)[1]) as client:
                assert client.tasks.get("task_1").uid == "task_1"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.stderr is not None
        assert "every interface" in proc.stderr.read()


def test_serve_in_thread_context_manager_and_unpacking() -> None:
    api = LocalAvala()
    with (
        serve_in_thread(api) as server,
        httpx.Client(base_url=server.base_url, headers=KEY) as http,
    ):
        page = http.get("/tasks/", params={"limit": 2}).json()
        assert page["next"].startswith(server.base_url + "/tasks/?cursor=")
        assert http.get(page["next"]).status_code == 200
    base_url, stop = serve_in_thread(api)
    try:
        assert httpx.get(f"{base_url}/users/me/", headers=KEY).status_code == 200
    finally:
        stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/users/me/", headers=KEY)


def test_dropped_connection_over_asgi_is_a_transport_error(
    capfd: pytest.CaptureFixture[str],
) -> None:
    api = LocalAvala()
    with (
        serve_in_thread(api) as server,
        httpx.Client(base_url=server.base_url, headers=KEY) as http,
    ):
        api.queue_faults("drop_after", "drop_before")
        body = {"name": "dropped", "project": "proj_123"}
        for _ in range(2):
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                http.post("/tasks/", json=body, headers={"Idempotency-Key": "d1"})
        retry = http.post("/tasks/", json=body, headers={"Idempotency-Key": "d1"})
        assert retry.status_code == 201
        assert retry.headers["idempotent-replayed"] == "true"
    assert len([t for t in api.store.objects("tasks") if t["name"] == "dropped"]) == 1
    assert api.stats.statuses[500] == 0
    assert "Exception in ASGI application" not in capfd.readouterr().err


def test_latency_and_errors_over_asgi() -> None:
    api = LocalAvala(faults=FaultConfig(latency_ms=50))
    with (
        serve_in_thread(api) as server,
        httpx.Client(base_url=server.base_url, headers=KEY) as http,
    ):
        start = time.perf_counter()
        assert http.get("/tasks/").status_code == 200
        assert time.perf_counter() - start >= 0.05
        api.queue_faults("http_502")
        bad = http.get("/tasks/")
        assert bad.status_code == 502
        assert bad.headers["content-type"] == "text/html"
        missing = http.get("/tasks")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Not found."}


def test_pytest_plugin_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_uses_plugin.py").write_text(
        "import httpx\n"
        "def test_local(avala_local):\n"
        "    with avala_local.httpx_client(headers={'X-Avala-Api-Key': 'k'}) as http:\n"
        "        assert http.get('/tasks/task_1/').status_code == 200\n"
        "def test_server(avala_local_server):\n"
        "    url = avala_local_server.base_url + '/users/me/'\n"
        "    assert httpx.get(url, headers={'X-Avala-Api-Key': 'k'}).status_code == 200\n"
    )
    registered = any(ep.name == "avala" for ep in importlib.metadata.entry_points(group="pytest11"))
    plugin = [] if registered else ["-p", "avala.testing.pytest_plugin"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin, str(tmp_path)],
        cwd=tmp_path,
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
