"""Fleet receipts (paths, phases, corruption), journal replay, and the protocol checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from avala._core._fleet_inventory import scan_source
from avala._core._fleet_legacy import (
    check_confirm,
    check_etag,
    check_pending,
    check_status,
    is_no_session,
)
from avala._core._fleet_receipt import (
    JournalEntry,
    LegacyReceipt,
    canonical_api_url,
    canonical_uid,
    check_transition,
    manifest_digest,
    read_journal,
    receipt_paths,
    scope_of,
)
from avala.errors import FileChangedError, NotFoundError, UploadStateError
from avala.types.fleet_managed_upload import ManagedFleetUploadStatus
from avala.types.fleet_upload import UploadStatusResponse

REC = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"


@pytest.fixture
def inventory(tmp_path: Path) -> Any:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.bin").write_bytes(b"aa")
    (source / "b.bin").write_bytes(b"bbb")
    return scan_source(source)


def receipt(tmp_path: Path, inventory: Any) -> LegacyReceipt:
    path, _, _ = receipt_paths(
        tmp_path / "state", "legacy", scope_of("https://api.avala.ai/api/v1", REC)
    )
    return LegacyReceipt(
        path, "https://api.avala.ai/api/v1", REC, None, manifest_digest(inventory), 2, 5
    )


def test_protocols_have_their_own_receipts(tmp_path: Path) -> None:
    scope = scope_of("https://api.avala.ai/api/v1", REC)
    legacy = receipt_paths(tmp_path, "legacy", scope)
    managed = receipt_paths(tmp_path, "managed", scope)
    assert not set(legacy) & set(managed)


def test_scope_ignores_spelling_of_the_api_url_and_uid() -> None:
    assert canonical_api_url("https://API.avala.ai:443/api/v1/") == "https://api.avala.ai/api/v1"
    assert canonical_api_url("https://server.avala.ai/api/v1") == "https://api.avala.ai/api/v1"
    assert canonical_uid(REC.upper(), "uid") == REC
    assert canonical_uid("rec_1", "uid") == "rec_1"
    with pytest.raises(ValueError, match="uid"):
        canonical_uid("a/b", "uid")


def test_phase_transitions() -> None:
    check_transition(None, "initializing")
    check_transition("initializing", "initializing")  # an unanswered init may be sent again
    check_transition("active", "finalizing")
    for previous, phase in [(None, "active"), ("completed", "active"), ("finalizing", "active")]:
        with pytest.raises(UploadStateError):
            check_transition(previous, phase)


def test_receipt_round_trip_and_fixed_session(tmp_path: Path, inventory: Any) -> None:
    r = receipt(tmp_path, inventory)
    r.save("initializing")
    r.save("active", session_uid="sess_1", s3_prefix=f"fleet/org/{REC}/")
    loaded = LegacyReceipt.load(r.path, expected=receipt(tmp_path, inventory))
    assert loaded is not None
    assert (loaded.phase, loaded.session_uid, loaded.s3_prefix) == (
        "active",
        "sess_1",
        f"fleet/org/{REC}/",
    )
    with pytest.raises(UploadStateError):
        loaded.save("active", session_uid="sess_2")
    with pytest.raises(UploadStateError):
        loaded.save("active", s3_prefix="fleet/org/another/")
    assert r.path.stat().st_mode & 0o077 == 0


def test_receipt_for_a_changed_source_is_refused(tmp_path: Path, inventory: Any) -> None:
    r = receipt(tmp_path, inventory)
    r.save("initializing")
    (inventory.source / "c.bin").write_bytes(b"c")
    changed = scan_source(inventory.source)
    expected = LegacyReceipt(r.path, r.api, REC, None, manifest_digest(changed), 3, 6)
    with pytest.raises(FileChangedError, match="3 files"):
        LegacyReceipt.load(r.path, expected=expected)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d.update(version=99),
        lambda d: d.update(phase="bogus"),
        lambda d: d.update(recording_uid="other"),
        lambda d: d.update(phase="active", session_uid=None),
    ],
)
def test_corrupt_receipts_are_refused_not_ignored(
    tmp_path: Path, inventory: Any, mutate: Any
) -> None:
    r = receipt(tmp_path, inventory)
    r.save("initializing")
    data = json.loads(r.path.read_text())
    mutate(data)
    r.path.write_text(json.dumps(data))
    with pytest.raises(UploadStateError):
        LegacyReceipt.load(r.path, expected=receipt(tmp_path, inventory))
    r.path.write_text("{not json")
    with pytest.raises(UploadStateError):
        LegacyReceipt.load(r.path, expected=receipt(tmp_path, inventory))


def test_journal_skips_a_torn_tail_but_not_corruption(tmp_path: Path) -> None:
    path = tmp_path / "j"
    lines = [
        JournalEntry("s1", "a", 1, 2, "h", "e").line(),
        JournalEntry("s0", "b", 1, 2, "h", "e").line(),
    ]
    path.write_bytes(b"".join(lines) + b'{"v":"s1","p":"c"')
    assert set(read_journal(path, "s1")) == {"a"}
    path.write_bytes(b"garbage\n" + b"".join(lines))
    with pytest.raises(UploadStateError):
        read_journal(path, "s1")


def status(**changes: Any) -> UploadStatusResponse:
    data = {
        "session_uid": "s1",
        "status": "uploading",
        "total_files": 2,
        "total_bytes": 5,
        "confirmed_files": 1,
        "confirmed_bytes": 2,
        "pending_paths": ["b.bin"],
        **changes,
    }
    return msgspec.convert(data, UploadStatusResponse)


def test_status_checks(inventory: Any) -> None:
    check_status(status(), session_uid="s1", inventory=inventory)
    assert check_pending(["b.bin"], inventory, 2) == {"b.bin"}
    bad = [
        status(session_uid="other"),
        status(status="weird"),
        status(total_bytes=6),
        status(confirmed_files=3),
        status(status="abandoned"),
        status(status="completed"),
    ]
    for item in bad:
        with pytest.raises(UploadStateError):
            check_status(item, session_uid="s1", inventory=inventory)
    with pytest.raises(UploadStateError):
        check_pending(["b.bin", "b.bin"], inventory, 2)
    with pytest.raises(UploadStateError):
        check_pending(["a.bin"], inventory, 2)


def test_confirm_and_etag_checks(inventory: Any) -> None:
    good = {
        "session_uid": "s1",
        "total_files": 2,
        "total_bytes": 5,
        "confirmed_files": 2,
        "confirmed_bytes": 5,
    }
    assert check_confirm(good, session_uid="s1", inventory=inventory, at_least=1) == (2, 5)
    for change in (
        {"session_uid": "x"},
        {"confirmed_files": True},
        {"total_files": 3},
        {"confirmed_files": 0},
    ):
        with pytest.raises(UploadStateError):
            check_confirm({**good, **change}, session_uid="s1", inventory=inventory, at_least=1)
    assert check_etag('"abc"') == "abc"
    for raw in (None, "", '""', "a\nb", "x" * 129):
        with pytest.raises(UploadStateError):
            check_etag(raw)


def test_only_the_exact_no_session_body_means_absent() -> None:
    exact = NotFoundError("no", 404, {"detail": "No upload session found for this recording."})
    other = NotFoundError("no", 404, {"detail": "Not found."})
    assert is_no_session(exact)
    assert not is_no_session(other)


def managed_doc(**changes: Any) -> dict[str, Any]:
    original = {
        "file_uid": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        "path": "a.mcap",
        "size_bytes": 10,
        "content_sha256": "a" * 64,
        "content_type": "application/octet-stream",
        "content_encoding": "",
        "part_size": 64 * 1024**2,
        "part_count": 1,
        "verified": False,
        "generation": None,
    }
    doc = {
        "protocol": "fleet-managed-mcap-v1",
        "session_uid": "6a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "recording_uid": REC,
        "status": "initiated",
        "total_files": 1,
        "total_bytes": 10,
        "confirmed_files": 0,
        "confirmed_bytes": 0,
        "files": [original],
        "finalization": None,
    }
    doc.update(changes)
    return doc


def test_managed_status_is_strict() -> None:
    decode = lambda doc: msgspec.json.decode(json.dumps(doc), type=ManagedFleetUploadStatus)  # noqa: E731
    assert decode(managed_doc()).total_files == 1
    bad_original = managed_doc()
    bad_original["files"][0]["part_count"] = 2
    for doc in (
        managed_doc(extra=1),
        managed_doc(total_bytes=11),
        managed_doc(confirmed_files=1),
        managed_doc(session_uid="NOT-CANONICAL"),
        managed_doc(status="completed"),
        bad_original,
    ):
        with pytest.raises(msgspec.ValidationError):
            decode(doc)
