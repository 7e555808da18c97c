"""`avala import ...` in process against a served local Avala API."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("click")
pytest.importorskip("uvicorn")

import avala.importers
from avala.cli._app import run
from avala.testing import LocalAvala

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalAvala]:
    for name in (
        "AVALA_PROFILE",
        "AVALA_OUTPUT",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AVALA_CONFIG_FILE", "/nonexistent/avala-config")
    local = LocalAvala(data="demo")
    with local.serve() as server:
        monkeypatch.setenv("AVALA_API_KEY", "avk_cli_import")
        monkeypatch.setenv("AVALA_BASE_URL", server.base_url)
        yield local


def test_import_list(api: LocalAvala, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", "list"]) == 0
    assert capsys.readouterr().out.split() == ["cloud", "folder", "lerobot", "rosbag"]


def test_import_folder(api: LocalAvala, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "frames"
    source.mkdir()
    for i in range(2):
        (source / f"{i}.jpg").write_bytes(b"jpeg %d" % i)
    code = run(
        ["-o", "json", "import", "folder", "--source", str(source), "--name", "F", "--slug", "f"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = json.loads(captured.out)
    assert (out["slug"], out["data_type"], out["item_count"]) == ("f", "image", 2)


class Recorded:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, client: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return client.datasets.create(
            name=kwargs["name"], slug=kwargs["slug"], data_type=kwargs["data_type"]
        )


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    recorder = Recorded()
    monkeypatch.setattr(avala.importers, "import_cloud", recorder)
    return recorder


def test_import_cloud_takes_secrets_from_a_file_or_the_environment(
    api: LocalAvala, recorded: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAENV")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    args = [
        "import",
        "cloud",
        "s3://logs/runs/",
        "--name",
        "C",
        "--slug",
        "c",
        "--data-type",
        "mcap",
    ]
    assert (
        run([*args, "--secret-access-key", f"@{secret_file}", "--include-extensions", "mcap"]) == 0
    )
    call = recorded.calls[-1]
    assert call["secret_access_key"] == SECRET
    assert call["access_key_id"] == "AKIAENV"
    assert call["region"] == "eu-west-1"
    assert call["uri"] == "s3://logs/runs/"
    assert call["included_extensions"] == "mcap"


def test_import_cloud_reads_the_gcs_key_from_stdin(
    api: LocalAvala, recorded: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = json.dumps({"type": "service_account", "private_key": "k"})
    monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
    args = ["import", "cloud", "gs://cams", "--name", "G", "--slug", "g", "--data-type", "image"]
    assert run([*args, "--gcs-auth-json", "@-"]) == 0
    assert recorded.calls[-1]["gcs_auth_json"] == key


def test_import_cloud_errors_are_usage_errors(
    api: LocalAvala, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["import", "cloud", "ftp://x/y", "--name", "G", "--slug", "g", "--data-type", "image"]
    )
    assert code == 2
    assert "Unsupported cloud URI" in capsys.readouterr().err


def test_import_rosbag(api: LocalAvala, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("rosbags")
    pytest.importorskip("mcap_protobuf")
    from tests.integrations.test_rosbag import write_ros1_bag

    bag = write_ros1_bag(tmp_path / "drive.bag")
    code = run(
        [
            "-o",
            "json",
            "import",
            "rosbag",
            str(bag),
            "--name",
            "R",
            "--slug",
            "r",
            "--image-topics",
            "/cam/front",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["data_type"] == "mcap"
    assert "Note: Skipped" in captured.err
