"""`avala view FILE` end to end in process (serving is interrupted at once)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("click")

from avala.cli._app import run
from avala.viewer import ViewerServer
from tests.integrations.test_viewer import write_mcap


def test_view_prints_the_viewer_url_and_stops_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "secret-customer-name.mcap"
    write_mcap(path, messages=10)
    served: list[ViewerServer] = []

    def interrupted(self: ViewerServer, poll_interval: float = 0.5) -> None:
        served.append(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(ViewerServer, "serve_forever", interrupted)
    assert run(["view", str(path), "--no-browser", "--viewer-url", "https://viewer.test/"]) == 0
    out = capsys.readouterr().out
    (server,) = served
    assert (
        f"https://viewer.test/mcap?url=http%3A%2F%2F127.0.0.1%3A{server.port}%2Frecording.mcap"
        in out
    )
    assert "secret-customer-name" not in out.split("Viewer:")[1]
    assert server.allowed_origin == "https://viewer.test"
    assert server._fd == -1  # closed on the way out


def test_view_refuses_a_file_that_is_not_mcap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert run(["view", str(path), "--no-browser"]) == 1
    assert "does not look like an MCAP file" in capsys.readouterr().err


def test_view_needs_an_absolute_viewer_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.mcap"
    write_mcap(path, messages=1)
    assert run(["view", str(path), "--no-browser", "--viewer-url", "avala.ai"]) == 2
    assert "--viewer-url" in capsys.readouterr().err
