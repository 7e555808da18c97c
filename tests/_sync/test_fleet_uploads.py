# Generated from tests/_async/test_fleet_uploads.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""`client.fleet.uploads` against the local API: fresh uploads, resumes (after storage
failures, a lost `init` answer, a new API key, a moved source), refusals, typed errors and
secrets hygiene, for both protocols."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from avala import (
    APIConnectionError,
    AuthenticationError,
    Client,
    ConflictError,
    FileChangedError,
    ForbiddenError,
    NotFoundError,
    StorageError,
    UploadError,
    UploadStateError,
)
from avala._sync.resources.fleet_uploads import FleetUploads
from avala.testing import LocalAvala
from avala.testing._storage_faults import StorageFaultConfig
from avala.types.fleet_upload import UploadProgress
from tests._sync.conftest import NO_BACKOFF
from tests.helpers import API_KEY, url


def make_source(root: Path, count: int, *, size: int = 100, suffix: str = ".bin") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        folder = root / f"d{i % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"f{i:05d}{suffix}").write_bytes(os.urandom(size + i % 7))
    return root


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


def client_for(api: LocalAvala, http: httpx.Client, **kwargs: Any) -> Client:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("retry_policy", NO_BACKOFF)
    return Client(base_url=api.base_url, http_client=http, **kwargs)


@pytest.fixture
def fleet(api: LocalAvala) -> Iterator[Client]:
    with api.httpx_client() as http, client_for(api, http) as client:
        yield client


def stored(api: LocalAvala) -> int:
    return api.objects.stats.objects_stored


# -- the guarded protocol -----------------------------------------------------------------


def test_fresh_upload_sends_each_file_once_and_completes(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(tmp_path / "src", 30, size=5000)
    recording = api.add_recording()
    opened: list[str] = []
    real_open = os.open

    def counting_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(source)):
            opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_open)
    progress: list[UploadProgress] = []
    session = fleet.fleet.uploads.upload_recording(recording, source, on_progress=progress.append)
    total = sum(p.stat().st_size for p in source.rglob("*") if p.is_file())
    assert session.status == "completed"
    assert (session.total_files, session.confirmed_files) == (30, 30)
    assert session.total_bytes == session.confirmed_bytes == total
    # One read per file: hashed while it streamed to storage.
    assert len(opened) == 30
    assert len(set(opened)) == 30
    assert api.objects.stats.bytes_received == total
    assert api.objects.stats.api_key_seen == 0
    for path in source.rglob("*.bin"):
        key = f"{session.s3_prefix}{path.relative_to(source).as_posix()}"
        assert api.objects.read_back(key) == path.read_bytes()
    assert progress[-1] == UploadProgress(30, 30, total, total, 0)
    uploaded = [p.uploaded_bytes for p in progress]
    assert len(progress) > 30  # per byte chunk, not per file
    assert max(uploaded) <= total
    assert (fleet.fleet.recordings.get(recording)).status == "ready"


def test_rerun_after_completion_sends_nothing(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 5)
    recording = api.add_recording()
    first = fleet.fleet.uploads.upload_recording(recording, source)
    before = api.objects.stats.bytes_received
    again = fleet.fleet.uploads.upload_recording(recording, source)
    assert again.uid == first.uid
    assert again.status == "completed"
    assert api.objects.stats.bytes_received == before


def test_storage_failure_is_typed_and_resume_sends_only_the_rest(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 250)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00150")
    with pytest.raises(StorageError) as failed:
        fleet.fleet.uploads.upload_recording(recording, source)
    assert failed.value.path is not None
    assert "f00150" in failed.value.path
    assert failed.value.status_code in (500, 503)
    first_run = stored(api)
    assert 0 < first_run < 250
    api.storage_faults = StorageFaultConfig()
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.status == "completed"
    # Nothing stored twice: files sent before the failure are confirmed, not re-sent.
    assert stored(api) == 250


def test_resume_with_more_than_a_thousand_pending_files(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 2500, size=10)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00030")
    with pytest.raises(StorageError):
        fleet.fleet.uploads.upload_recording(recording, source)
    status = fleet.fleet.uploads.get_upload_status(recording)
    assert status.total_files - status.confirmed_files > 2000
    assert len(status.pending_paths) == 1000  # one page: the rest needs paging
    api.storage_faults = StorageFaultConfig()
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.confirmed_files == 2500
    assert stored(api) == 2500


def test_lost_init_answer_is_recovered_by_the_next_run(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(tmp_path / "src", 12)
    recording = api.add_recording()
    real_init = FleetUploads.init_upload

    def lossy_init(self: FleetUploads, *args: Any, **kwargs: Any) -> Any:
        real_init(self, *args, **kwargs)  # the server creates the session...
        raise APIConnectionError("connection reset")  # ...and the answer never arrives

    monkeypatch.setattr(FleetUploads, "init_upload", lossy_init)
    with pytest.raises(APIConnectionError):
        fleet.fleet.uploads.upload_recording(recording, source)
    monkeypatch.setattr(FleetUploads, "init_upload", real_init)
    created = fleet.fleet.uploads.get_upload_status(recording)
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.uid == created.session_uid
    assert session.status == "completed"
    assert session.s3_prefix is not None
    assert session.s3_prefix.endswith(f"/{recording}/")
    assert stored(api) == 12


def test_init_conflict_after_a_lost_answer_adopts_the_session_in_the_same_run(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(tmp_path / "src", 4)
    recording = api.add_recording()
    real_init = FleetUploads.init_upload
    calls: list[int] = []

    def retried_init(self: FleetUploads, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        real_init(self, *args, **kwargs)  # created, answer lost, retried -> 409
        return real_init(self, *args, **kwargs)

    monkeypatch.setattr(FleetUploads, "init_upload", retried_init)
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert calls == [1]
    assert session.status == "completed"


def test_resume_with_a_new_api_key_and_a_moved_source(api: LocalAvala, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", 150)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00120")
    with api.httpx_client() as http, client_for(api, http, api_key="key-one") as one:
        with pytest.raises(StorageError):
            one.fleet.uploads.upload_recording(recording, source)
    first_run = stored(api)
    assert 0 < first_run < 150
    moved = tmp_path / "elsewhere" / "src"
    moved.parent.mkdir()
    shutil.move(str(source), moved)
    api.storage_faults = StorageFaultConfig()
    with api.httpx_client() as http, client_for(api, http, api_key="key-two") as two:
        session = two.fleet.uploads.upload_recording(recording, moved)
    assert session.status == "completed"
    assert stored(api) == 150


def test_receipt_holds_no_key_and_no_signed_url(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 3)
    fleet.fleet.uploads.upload_recording(api.add_recording(), source)
    files = [p for p in (Path(os.environ["AVALA_STATE_DIR"]) / "fleet").rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_text()
        assert API_KEY not in text
        assert "X-Amz-Signature" not in text
        assert os.stat(path).st_mode & 0o077 == 0


def test_a_file_changed_after_it_was_stored_is_refused(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 150)
    recording = api.add_recording()
    # f00062 is in the second batch of 100: the first batch is confirmed when it fails.
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00062")
    with pytest.raises(StorageError):
        fleet.fleet.uploads.upload_recording(recording, source)
    api.storage_faults = StorageFaultConfig()
    victim = source / "d0" / "f00000.bin"
    victim.write_bytes(b"x" * victim.stat().st_size)  # same size, other bytes
    with pytest.raises(FileChangedError) as changed:
        fleet.fleet.uploads.upload_recording(recording, source)
    assert changed.value.path == "d0/f00000.bin"


def test_a_file_added_between_runs_is_refused(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 150)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00120")
    with pytest.raises(StorageError):
        fleet.fleet.uploads.upload_recording(recording, source)
    api.storage_faults = StorageFaultConfig()
    (source / "new.bin").write_bytes(b"new")
    with pytest.raises(FileChangedError, match="151 files"):
        fleet.fleet.uploads.upload_recording(recording, source)


def test_symlinks_and_special_files_are_refused_before_any_request(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 3)
    outside = tmp_path / "secret.txt"
    outside.write_text("not for upload")
    (source / "link.txt").symlink_to(outside)
    with pytest.raises(UploadError, match="symlink"):
        fleet.fleet.uploads.upload_recording(api.add_recording(), source)
    (source / "link.txt").unlink()
    os.mkfifo(source / "pipe")
    with pytest.raises(UploadError, match="special file"):
        fleet.fleet.uploads.upload_recording(api.add_recording(), source)
    assert api.stats.requests == 0


def test_wrong_key_is_an_authentication_error(tmp_path: Path) -> None:
    api = LocalAvala(data="empty", api_key="the-right-key")
    source = make_source(tmp_path / "src", 2)
    recording = api.add_recording()
    with api.httpx_client() as http, client_for(api, http, api_key="wrong") as bad:
        with pytest.raises(AuthenticationError):
            bad.fleet.uploads.upload_recording(recording, source)


def test_network_failure_is_a_connection_error(api: LocalAvala, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", 2)
    recording = api.add_recording()
    api.queue_faults("drop_before")
    with api.httpx_client() as http, client_for(api, http, max_retries=0) as c:
        with pytest.raises(APIConnectionError):
            c.fleet.uploads.upload_recording(recording, source)


@respx.mock
def test_forbidden_and_conflict_stay_distinguishable(client: Client, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", 2)
    status = respx.get(url("/fleet/recordings/rec_1/upload/status/"))
    status.respond(403, json={"detail": "You do not have permission."})
    with pytest.raises(ForbiddenError):
        client.fleet.uploads.upload_recording("rec_1", source)
    status.respond(404, json={"detail": "No upload session found for this recording."})
    respx.post(url("/fleet/recordings/rec_1/upload/init/")).respond(409, json={"detail": "Busy."})
    with pytest.raises(ConflictError):
        client.fleet.uploads.upload_recording("rec_1", source)


@respx.mock
def test_another_404_is_not_taken_for_no_session(client: Client, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", 2)
    respx.get(url("/fleet/recordings/rec_1/upload/status/")).respond(
        404, json={"detail": "Not found."}
    )
    init = respx.post(url("/fleet/recordings/rec_1/upload/init/"))
    with pytest.raises(NotFoundError):
        client.fleet.uploads.upload_recording("rec_1", source)
    assert not init.called


@respx.mock
def test_grant_outside_the_session_prefix_is_refused_before_sending(
    client: Client, tmp_path: Path
) -> None:
    source = make_source(tmp_path / "src", 1)
    (path,) = [p.relative_to(source).as_posix() for p in source.rglob("*.bin")]
    respx.get(url("/fleet/recordings/rec_1/upload/status/")).respond(
        404, json={"detail": "No upload session found for this recording."}
    )
    respx.post(url("/fleet/recordings/rec_1/upload/init/")).respond(
        201,
        json={
            "uid": "sess_1",
            "total_files": 1,
            "total_bytes": (source / path).stat().st_size,
            "s3_prefix": "fleet/org/rec_1/",
            "status": "initiated",
        },
    )
    signed = "https://bucket.s3.amazonaws.com/fleet/other/x?X-Amz-Signature=deadbeef"
    respx.post(url("/fleet/recordings/rec_1/upload/urls/")).respond(
        200,
        json={
            "urls": [{"path": path, "put_url": signed, "s3_key": "fleet/other/x", "headers": {}}]
        },
    )
    put = respx.put(url__startswith="https://bucket.s3.amazonaws.com/")
    with pytest.raises(UploadStateError) as refused:
        client.fleet.uploads.upload_recording("rec_1", source)
    assert not put.called
    assert "deadbeef" not in str(refused.value)


def test_no_signed_url_in_errors_or_logs_and_no_logger_filters(
    api: LocalAvala, fleet: Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = make_source(tmp_path / "src", 3)
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StorageError) as failed:
        fleet.fleet.uploads.upload_recording(recording, source)
    chain: list[BaseException] = []
    error: BaseException | None = failed.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    for item in chain:
        assert "X-Amz-Signature" not in str(item)
        assert "/_local/storage/" not in repr(item)
    for record in caplog.records:
        assert "X-Amz-Signature" not in record.getMessage()
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.connection", ""):
        assert logging.getLogger(name).filters == []


def test_invalid_arguments(fleet: Client, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", 1)
    with pytest.raises(ValueError, match="max_workers"):
        fleet.fleet.uploads.upload_recording("rec_1", source, max_workers=0)
    with pytest.raises(ValueError, match="recording_uid"):
        fleet.fleet.uploads.upload_recording("bad uid!", source)


def test_collect_files_hashes_sorted_files(fleet: Client, tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "b").mkdir(parents=True)
    (source / "b" / "z.bin").write_bytes(b"zz")
    (source / "a.bin").write_bytes(b"")
    inventory = fleet.fleet.uploads.collect_files(source)
    assert [f.path for f in inventory.files] == ["a.bin", "b/z.bin"]
    assert inventory.total_bytes == 2
    assert (
        inventory.files[0].sha256
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert inventory.manifest() == [
        {"path": "a.bin", "size_bytes": 0},
        {"path": "b/z.bin", "size_bytes": 2},
    ]


def test_observer_polls_the_retained_session(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    api.job_steps = 3
    source = make_source(tmp_path / "src", 2)
    recording = api.add_recording()
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.status == "completing"
    seen = [(fleet.fleet.uploads.observe_upload(recording, session.uid)).status for _ in range(3)]
    assert seen[-1] == "completed"
    with pytest.raises(UploadStateError):
        fleet.fleet.uploads.observe_upload(recording, "another-session")


# -- the managed protocol -----------------------------------------------------------------


def make_mcaps(root: Path, sizes: list[int]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i, size in enumerate(sizes):
        (root / f"part{i}.mcap").write_bytes(os.urandom(size))
    return root


def test_managed_upload_publishes_and_resumes_nothing_twice(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_mcaps(tmp_path / "src", [1000, 64 * 1024 * 1024 + 10])
    recording = api.add_recording()
    progress: list[UploadProgress] = []
    status = fleet.fleet.uploads.upload_managed_recording(
        recording, source, wait_timeout=30, on_progress=progress.append
    )
    assert status.status == "completed"
    assert status.finalization is not None
    assert status.finalization.state == "succeeded"
    assert status.finalization.dataset_uid is not None
    assert status.confirmed_files == 2
    assert api.objects.stats.parts_stored == 3
    assert api.objects.stats.api_key_seen == 0
    assert progress[-1].uploaded_bytes == progress[-1].total_bytes == status.total_bytes
    before = api.objects.stats.bytes_received
    again = fleet.fleet.uploads.upload_managed_recording(recording, source)
    assert again.session_uid == status.session_uid
    assert api.objects.stats.bytes_received == before


def test_managed_resume_after_a_failed_part_sends_only_missing_parts(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_mcaps(tmp_path / "src", [3 * 64 * 1024 * 1024 + 1])
    recording = api.add_recording()
    calls = {"n": 0}
    real = api.objects.decide_fault

    def third_part_fails(method: str, key: str) -> str | None:
        if method == "PUT":
            calls["n"] += 1
            if calls["n"] >= 3:
                return "http_500"
        return real(method, key)

    api.objects.decide_fault = third_part_fails  # type: ignore[method-assign]
    with api.httpx_client() as http, client_for(api, http, max_retries=0) as c:
        with pytest.raises(StorageError):
            c.fleet.uploads.upload_managed_recording(recording, source, max_workers=1)
    assert api.objects.stats.parts_stored == 2
    api.objects.decide_fault = real  # type: ignore[method-assign]
    status = fleet.fleet.uploads.upload_managed_recording(recording, source, wait_timeout=30)
    assert api.objects.stats.parts_stored == 4
    assert status.finalization is not None
    assert status.finalization.state == "succeeded"


def test_managed_and_legacy_receipts_do_not_collide(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_mcaps(tmp_path / "src", [100, 200])
    recording = api.add_recording()
    legacy = fleet.fleet.uploads.upload_recording(recording, source)
    managed = fleet.fleet.uploads.upload_managed_recording(recording, source, wait_timeout=30)
    assert legacy.status == "completed"
    assert managed.finalization is not None
    assert managed.finalization.state == "succeeded"


def test_managed_limits_are_checked_before_any_request(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    recording = api.add_recording()
    source = make_mcaps(tmp_path / "big", [10])
    os.truncate(make_mcaps(source, [0]) / "part0.mcap", 8 * 1024**3 + 1)  # sparse: no 8 GiB on disk
    with pytest.raises(UploadError, match="8 GiB"):
        fleet.fleet.uploads.upload_managed_recording(recording, source)
    other = make_mcaps(tmp_path / "txt", [10])
    (other / "notes.txt").write_text("x")
    with pytest.raises(UploadError, match="mcap"):
        fleet.fleet.uploads.upload_managed_recording(recording, other)
    with pytest.raises(ValueError, match="canonical UUID"):
        fleet.fleet.uploads.upload_managed_recording("rec_1", other)
    with pytest.raises(ValueError, match="max_workers"):
        fleet.fleet.uploads.upload_managed_recording(recording, other, max_workers=5)
    with pytest.raises(ValueError, match="wait_timeout"):
        fleet.fleet.uploads.upload_managed_recording(recording, other, wait_timeout=float("inf"))
    assert api.stats.requests == 0


def test_managed_source_changed_between_runs_is_refused(
    api: LocalAvala, fleet: Client, tmp_path: Path
) -> None:
    source = make_mcaps(tmp_path / "src", [2 * 64 * 1024 * 1024])
    recording = api.add_recording()
    calls = {"n": 0}
    real = api.objects.decide_fault

    def second_part_fails(method: str, key: str) -> str | None:
        if method == "PUT":
            calls["n"] += 1
            if calls["n"] >= 2:
                return "http_500"
        return real(method, key)

    api.objects.decide_fault = second_part_fails  # type: ignore[method-assign]
    with api.httpx_client() as http, client_for(api, http, max_retries=0) as c:
        with pytest.raises(StorageError):
            c.fleet.uploads.upload_managed_recording(recording, source, max_workers=1)
    api.objects.decide_fault = real  # type: ignore[method-assign]
    descriptor = os.open(source / "part0.mcap", os.O_WRONLY)
    os.write(descriptor, b"changed")  # same size, other bytes
    os.close(descriptor)
    with pytest.raises(FileChangedError):
        fleet.fleet.uploads.upload_managed_recording(recording, source)


def _mock_session(source: Path, put_url: str) -> None:
    (path,) = [p.relative_to(source).as_posix() for p in source.rglob("*.bin")]
    size = (source / path).stat().st_size
    base = "/fleet/recordings/rec_1/upload/"
    counters = {"total_files": 1, "total_bytes": size}
    respx.get(url(base + "status/")).mock(
        side_effect=[
            httpx.Response(404, json={"detail": "No upload session found for this recording."}),
            httpx.Response(
                200,
                json={
                    "session_uid": "sess_1",
                    "status": "uploading",
                    **counters,
                    "confirmed_files": 1,
                    "confirmed_bytes": size,
                    "pending_paths": [],
                },
            ),
            httpx.Response(
                200,
                json={
                    "session_uid": "sess_1",
                    "status": "completing",
                    **counters,
                    "confirmed_files": 1,
                    "confirmed_bytes": size,
                    "pending_paths": [],
                },
            ),
        ]
    )
    respx.post(url(base + "init/")).respond(
        201,
        json={"uid": "sess_1", **counters, "s3_prefix": "fleet/org/rec_1/", "status": "initiated"},
    )
    respx.post(url(base + "urls/")).respond(
        200,
        json={
            "urls": [
                {
                    "path": path,
                    "put_url": put_url,
                    "s3_key": f"fleet/org/rec_1/{path}",
                    "headers": {},
                }
            ]
        },
    )
    respx.post(url(base + "confirm/")).respond(
        200,
        json={"session_uid": "sess_1", **counters, "confirmed_files": 1, "confirmed_bytes": size},
    )
    respx.post(url(base + "finalize/")).respond(200, json={"detail": "ok", "session_uid": "sess_1"})


@respx.mock
def test_storage_put_honours_a_bounded_retry_after(
    client: Client, tmp_path: Path, sleeps: list[float]
) -> None:
    source = make_source(tmp_path / "src", 1)
    (rel,) = [p.relative_to(source).as_posix() for p in source.rglob("*.bin")]
    put_url = f"https://bucket.s3.amazonaws.com/fleet/org/rec_1/{rel}?X-Amz-Signature=s3cr3t"
    _mock_session(source, put_url)
    put = respx.put(url__startswith="https://bucket.s3.amazonaws.com/").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "7"}),
            httpx.Response(200, headers={"ETag": '"etag-1"'}),
        ]
    )
    session = client.fleet.uploads.upload_recording("rec_1", source)
    assert session.status == "completing"
    assert put.call_count == 2
    assert 7 in sleeps
    assert "x-avala-api-key" not in put.calls[0].request.headers


@respx.mock
def test_storage_put_refuses_an_unbounded_retry_after(
    client: Client, tmp_path: Path, sleeps: list[float]
) -> None:
    source = make_source(tmp_path / "src", 1)
    (rel,) = [p.relative_to(source).as_posix() for p in source.rglob("*.bin")]
    put_url = f"https://bucket.s3.amazonaws.com/fleet/org/rec_1/{rel}?X-Amz-Signature=s3cr3t"
    _mock_session(source, put_url)
    put = respx.put(url__startswith="https://bucket.s3.amazonaws.com/").respond(
        503, headers={"Retry-After": "86400"}
    )
    with pytest.raises(StorageError) as failed:
        client.fleet.uploads.upload_recording("rec_1", source)
    assert put.call_count == 1
    assert failed.value.status_code == 503
    assert "s3cr3t" not in str(failed.value)
    assert all(wait < 86400 for wait in sleeps)


def test_managed_lost_multipart_init_answer_is_recovered(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala._sync._fleet_managed import ManagedRun

    source = make_mcaps(tmp_path / "src", [500])
    recording = api.add_recording()
    real_post = ManagedRun._post

    def lossy_post(self: ManagedRun, tail: str, payload: Any) -> Any:
        answer = real_post(self, tail, payload)
        if tail == "multipart/init/":
            raise APIConnectionError("connection reset")  # created, answer lost
        return answer

    monkeypatch.setattr(ManagedRun, "_post", lossy_post)
    with pytest.raises(APIConnectionError):
        fleet.fleet.uploads.upload_managed_recording(recording, source)
    monkeypatch.setattr(ManagedRun, "_post", real_post)
    status = fleet.fleet.uploads.upload_managed_recording(recording, source, wait_timeout=30)
    assert status.finalization is not None
    assert status.finalization.state == "succeeded"
    assert status.files[0].generation is not None
    assert status.files[0].generation.number == 1


def test_resume_from_a_copy_with_new_mtimes_rehashes_once_and_resends_nothing(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(tmp_path / "src", 150)
    recording = api.add_recording()
    # f00062 is in the second batch of 100: the first batch is confirmed when it fails.
    api.storage_faults = StorageFaultConfig(fail_rate=1.0, key_contains="f00062")
    with pytest.raises(StorageError):
        fleet.fleet.uploads.upload_recording(recording, source)
    api.storage_faults = StorageFaultConfig()
    first_run = stored(api)
    copy = tmp_path / "copy"
    shutil.copytree(source, copy, copy_function=shutil.copy)  # new mtimes, same bytes
    opened: list[str] = []
    real_open = os.open

    def counting_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(copy)):
            opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_open)
    session = fleet.fleet.uploads.upload_recording(recording, copy)
    assert session.status == "completed"
    assert stored(api) == 150
    # Each file opened once: stored ones to re-check their hash, the others to send them.
    assert len(opened) == len(set(opened)) == 150
    assert first_run >= 100


def test_lost_confirm_answer_is_recovered_without_resending(
    api: LocalAvala, fleet: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(tmp_path / "src", 150)
    recording = api.add_recording()
    real_confirm = FleetUploads.confirm_upload
    calls: list[int] = []

    def lossy_confirm(self: FleetUploads, *args: Any, **kwargs: Any) -> Any:
        answer = real_confirm(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise APIConnectionError("connection reset")  # confirmed, answer lost
        return answer

    monkeypatch.setattr(FleetUploads, "confirm_upload", lossy_confirm)
    with pytest.raises(APIConnectionError):
        fleet.fleet.uploads.upload_recording(recording, source)
    assert stored(api) >= 100
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.status == "completed"
    assert stored(api) == 150


def test_managed_storage_failure_names_no_grant(
    api: LocalAvala, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = make_mcaps(tmp_path / "src", [100])
    recording = api.add_recording()
    api.storage_faults = StorageFaultConfig(fail_rate=1.0)
    caplog.set_level(logging.DEBUG)
    with api.httpx_client() as http, client_for(api, http, max_retries=1) as c:
        with pytest.raises(StorageError) as failed:
            c.fleet.uploads.upload_managed_recording(recording, source)
    assert failed.value.path == "part0.mcap"
    error: BaseException | None = failed.value
    while error is not None:
        assert "X-Amz-Signature" not in str(error)
        assert "__cloud__" not in str(error)
        error = error.__cause__ or error.__context__
    assert not any("X-Amz-Signature" in r.getMessage() for r in caplog.records)


def test_unusual_names_and_empty_files(api: LocalAvala, fleet: Client, tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "caméra avant").mkdir(parents=True)
    names = {
        "caméra avant/0001 #1.bin": b"x" * 10,
        "100% done+?.bin": b"y",
        "empty.bin": b"",
    }
    for name, data in names.items():
        (source / name).write_bytes(data)
    recording = api.add_recording()
    session = fleet.fleet.uploads.upload_recording(recording, source)
    assert session.confirmed_files == 3
    for name, data in names.items():
        assert api.objects.read_back(f"{session.s3_prefix}{name}") == data
