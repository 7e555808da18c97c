"""`avala lerobot export` and `avala import lerobot` in process against a served local API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("click")
pytest.importorskip("uvicorn")
pytest.importorskip("lerobot")

from lerobot.datasets.lerobot_dataset import LeRobotDataset

from avala.cli._app import run
from avala.testing import LocalAvala

from .test_lerobot_export import OWNER, add_sequences
from .test_lerobot_import import write_dataset


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalAvala]:
    for name in ("AVALA_PROFILE", "AVALA_OUTPUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AVALA_CONFIG_FILE", "/nonexistent/avala-config")
    local = LocalAvala(data="empty")
    with local.serve() as server:
        monkeypatch.setenv("AVALA_API_KEY", "avk_cli_lerobot")
        monkeypatch.setenv("AVALA_BASE_URL", server.base_url)
        yield local


def test_lerobot_export(
    api: LocalAvala, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_sequences(api, "drive", [2, 1])
    out = tmp_path / "out"
    args = ["-o", "json", "lerobot", "export", f"{OWNER}/drive", "--repo-id", "me/drive"]
    args += ["--output", str(out), "--fps", "5", "--no-video", "--camera", "cam1"]
    code = run(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out) == {"output": str(out), "repo_id": "me/drive"}
    assert "perception-only" in captured.err
    dataset = LeRobotDataset("me/drive", root=out)
    assert (dataset.meta.total_episodes, len(dataset), dataset.meta.fps) == (2, 3, 5)
    assert list(dataset.meta.camera_keys) == ["observation.images.cam1"]


def test_lerobot_export_refuses_a_bad_reference(
    api: LocalAvala, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["lerobot", "export", "no-slash", "--repo-id", "me/x", "--output", str(tmp_path / "o")]
    )
    assert code != 0
    assert "OWNER/SLUG" in capsys.readouterr().err


def test_import_lerobot(
    api: LocalAvala, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_dataset(tmp_path / "ds", [2, 1, 1])
    args = ["-o", "json", "import", "lerobot", "--root", str(root), "--name", "Arm"]
    args += ["--slug", "arm", "--episodes", "0,2", "--state-keys", "action"]
    code = run(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = json.loads(captured.out)
    assert (out["slug"], out["data_type"], out["item_count"]) == ("arm", "mcap", 2)
    keys = sorted(Path(k).name for k in api.objects.keys(prefix="") if k.endswith(".mcap"))
    assert keys == ["episode_000000.mcap", "episode_000002.mcap"]
