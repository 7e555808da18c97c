"""`avala datasets upload` against the local API on a loopback port."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from avala.cli._upload import UploadProgress, human_bytes
from avala.testing import StorageFaultConfig
from tests.cli.conftest import KEY, Result, Run, Served


def _source(root: Path, count: int) -> dict[str, bytes]:
    files = {f"dir {i % 3}/f{i:03d}é.bin": os.urandom(300 + i) for i in range(count)}
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _run(cli: Run, served: Served, *args: str) -> Result:
    return cli("--base-url", served.base_url, "--api-key", KEY, "-o", "json", *args)


def _upload(source: Path, name: str = "Cli Set", *extra: str) -> tuple[str, ...]:
    return (
        "datasets",
        "upload",
        "--source",
        str(source),
        "--name",
        name,
        "--slug",
        "cli-set",
        "--data-type",
        "image",
        *extra,
    )


def _stored(served: Served, name: str) -> dict[str, bytes]:
    out = {}
    for key in served.api.objects.keys(prefix=""):
        _, _, dataset, rel = key.split("/", 3)
        if dataset == name:
            with served.api.objects.open(key) as handle:
                out[rel] = handle.read()
    return out


def test_upload_creates_the_dataset(cli: Run, fresh: Served, tmp_path: Path) -> None:
    files = _source(tmp_path / "src", 25)
    result = _run(
        cli, fresh, *_upload(tmp_path / "src", "Cli Set", "--wait", "--wait-timeout", "30")
    )
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["item_count"] == 25
    assert data["slug"] == "cli-set"
    assert data["status"] == "created"
    assert "Found 25 files" in result.stderr
    assert _stored(fresh, "Cli Set") == files
    assert fresh.api.objects.stats.api_key_seen == 0


def test_dry_run_sends_nothing(cli: Run, fresh: Served, tmp_path: Path) -> None:
    _source(tmp_path / "src", 30)
    before = fresh.api.stats.requests
    result = _run(cli, fresh, *_upload(tmp_path / "src", "Cli Set", "--dry-run"))
    assert result.code == 0, result.stderr
    assert "Would upload" in result.stderr
    assert "and 10 more files" in result.stderr
    assert fresh.api.stats.requests == before
    assert fresh.api.objects.stats.requests == 0


def test_failure_says_how_to_resume_and_the_rerun_finishes(
    cli: Run, fresh: Served, tmp_path: Path
) -> None:
    files = _source(tmp_path / "src", 10)
    fresh.api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f005")
    failed = _run(cli, fresh, *_upload(tmp_path / "src"))
    assert failed.code != 0
    assert "Re-run the same command to resume" in failed.stderr
    assert "Upload failed: The storage host answered HTTP 5" in failed.stderr
    assert "_local/storage" not in failed.stderr
    assert "sig=" not in failed.stderr
    received = fresh.api.objects.stats.bytes_stored
    fresh.api.storage_faults = StorageFaultConfig()
    done = _run(cli, fresh, *_upload(tmp_path / "src"))
    assert done.code == 0, done.stderr
    assert "already uploaded" in done.stderr
    assert _stored(fresh, "Cli Set") == files
    # Only the file that failed was sent by the rerun.
    assert fresh.api.objects.stats.bytes_stored - received == len(
        next(data for rel, data in files.items() if "f005" in rel)
    )


def test_quota_exceeded_is_explained(cli: Run, fresh: Served, tmp_path: Path) -> None:
    _source(tmp_path / "src", 5)
    fresh.api.settings.upload_quota_bytes = 400
    result = _run(cli, fresh, *_upload(tmp_path / "src", "Cli Set", "--workers", "1"))
    assert result.code != 0
    assert "Storage quota exceeded" in result.stderr
    assert "of 400 B used" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        ("--visibility", "public"),
        ("--storage-config", "sc_1"),
        ("--dataset", "ds_1"),
        ("--aws-profile", "p"),
        ("--workers", "0"),
        ("--data-type", "nope"),
    ],
)
def test_option_errors(cli: Run, fresh: Served, tmp_path: Path, extra: tuple[str, ...]) -> None:
    _source(tmp_path / "src", 1)
    assert _run(cli, fresh, *_upload(tmp_path / "src"), *extra).code == 2
    assert fresh.api.objects.stats.requests == 0


def test_empty_source_fails(cli: Run, fresh: Served, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = _run(cli, fresh, *_upload(tmp_path / "empty"))
    assert result.code == 1
    assert "No files found" in result.stderr


def test_upload_is_listed_with_the_datasets_commands(cli: Run, fresh: Served) -> None:
    result = _run(cli, fresh, "datasets", "--help")
    assert result.code == 0
    assert "  upload " in result.stdout


def test_progress_bar_counts_files_bytes_and_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from rich.console import Console

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    monkeypatch.delenv("AVALA_NO_PROGRESS", raising=False)
    monkeypatch.setattr(sys, "stderr", stream)
    with UploadProgress(3, 3000, {"a": 1000, "b": 1000, "c": 1000}) as bar:
        assert bar._progress is not None
        assert isinstance(bar._progress.console, Console)
        bar.on_skipped("a")
        bar.on_bytes("b", 600)
        bar.on_bytes("b", -600)  # a retried attempt is taken back
        bar.on_bytes("b", 1000)
        bar.on_progress("b", 1000)
        task = bar._progress.tasks[0]
        assert task.completed == 2000
        assert task.fields["files"] == 2
    assert bar.skipped == 1


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    with UploadProgress(1, 10, {"a": 10}) as bar:
        bar.on_bytes("a", 10)
        bar.on_progress("a", 10)
    assert bar._progress is None
    assert bar.files_done == 1


def test_human_bytes() -> None:
    assert human_bytes(400) == "400 B"
    assert human_bytes(1536) == "1.5 KiB"
    assert human_bytes(3 * 1024**3) == "3.0 GiB"


def test_a_taken_slug_fails_before_any_byte_is_sent(
    cli: Run, fresh: Served, tmp_path: Path
) -> None:
    _source(tmp_path / "first", 2)
    assert _run(cli, fresh, *_upload(tmp_path / "first")).code == 0
    received = fresh.api.objects.stats.bytes_received
    _source(tmp_path / "second", 3)
    result = _run(cli, fresh, *_upload(tmp_path / "second", "Another Set"))
    assert result.code != 0
    assert "slug already exists" in result.stderr
    assert fresh.api.objects.stats.bytes_received == received
    assert _stored(fresh, "Another Set") == {}
