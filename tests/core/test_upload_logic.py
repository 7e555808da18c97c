"""Pure upload logic: file selection, manifests, presign answers, journal replay."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from avala._core._upload_files import check_manifest, file_stamp, gather_local_files
from avala._core._upload_journal import (
    Journal,
    UploadState,
    fingerprint,
    pending_bytes,
    prepare_batch,
    replay,
    state_paths,
)
from avala._core._upload_plan import MIN_PART_SIZE, parse_part_urls, parse_presign
from avala.errors import UploadError, UploadStateError

MiB = 1024 * 1024
BATCH = "9f0c1b7e-2f7c-4a53-9a5e-6a8f3c2d1e00"
UPLOAD = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())


# -- gather_local_files ------------------------------------------------------------------


def test_gather_walks_sorted_with_posix_paths(tmp_path: Path) -> None:
    tree(tmp_path, ["b.txt", "a/z.txt", "a/y b.txt", ".hidden", "ü/ñ.bin"])
    rels = [rel for _, rel in gather_local_files(tmp_path)]
    assert sorted(rels) == sorted(["b.txt", "a/z.txt", "a/y b.txt", ".hidden", "ü/ñ.bin"])
    assert rels.index("a/y b.txt") < rels.index("a/z.txt")


def test_a_single_file_is_named_after_itself(tmp_path: Path) -> None:
    tree(tmp_path, ["one.bin"])
    assert gather_local_files(tmp_path / "one.bin") == [(str(tmp_path / "one.bin"), "one.bin")]


def test_symlinks_inside_are_followed_outside_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    tree(src, ["real.txt", "dir/x.txt"])
    (src / "alias.txt").symlink_to(src / "real.txt")
    (src / "dirlink").symlink_to(src / "dir")
    rels = [rel for _, rel in gather_local_files(src)]
    assert "alias.txt" in rels
    assert "dirlink/x.txt" not in rels  # the directory itself is walked once
    outside = tmp_path / "outside"
    tree(outside, ["secret.txt"])
    (src / "leak").symlink_to(outside)
    with pytest.raises(UploadError, match="outside the source"):
        gather_local_files(src)
    (src / "leak").unlink()
    (src / "leak.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(UploadError, match="outside the source") as info:
        gather_local_files(src)
    assert info.value.path == "leak.txt"


def test_special_files_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UploadError, match="not a regular file"):
        gather_local_files(tmp_path)


def test_the_state_dir_is_never_uploaded(tmp_path: Path) -> None:
    state = tmp_path / ".avala"
    tree(tmp_path, ["data.txt", ".avala/uploads/datasets/x.json"])
    assert [rel for _, rel in gather_local_files(tmp_path, state_root=state)] == ["data.txt"]
    with pytest.raises(ValueError, match="state directory"):
        gather_local_files(state / "uploads", state_root=state)


def test_missing_source_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        gather_local_files(tmp_path / "nope")


@pytest.mark.parametrize("rel", ["", "../x", "/x", "a/./b", "a//b", "a\\b", "x\n", "a/.."])
def test_manifest_refuses_unsafe_paths(rel: str) -> None:
    with pytest.raises(ValueError, match="path"):
        check_manifest([("f", rel)])


def test_manifest_refuses_duplicates_and_accepts_unicode() -> None:
    assert check_manifest([("f", "ü ñ/ファイル.txt")]) == [("f", "ü ñ/ファイル.txt")]
    with pytest.raises(ValueError, match="unique"):
        check_manifest([("f", "a"), ("g", "a")])


def test_stamp_is_size_and_mtime_only(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    os.utime(path, ns=(1, 2_000_000_000))
    assert file_stamp(path) == (3, 2_000_000_000)
    copy = tmp_path / "copy"
    copy.write_bytes(b"abc")
    os.utime(copy, ns=(1, 2_000_000_000))
    assert file_stamp(copy) == file_stamp(path)  # another inode and ctime: same stamp


# -- presign answers ---------------------------------------------------------------------


def test_v1_answer_is_a_form_post() -> None:
    plan = parse_presign({"url": "https://x", "fields": {"key": "k"}}, size=1, rel="a", batch=None)
    assert plan.method == "POST"
    assert plan.fields == {"key": "k"}


def test_v2_methods_need_a_batch() -> None:
    answer = {"method": "PUT", "url": "https://x", "upload_uid": UPLOAD}
    with pytest.raises(UploadError, match="unsupported"):
        parse_presign(answer, size=1, rel="a", batch=None)


def test_put_headers_are_filtered() -> None:
    answer = {
        "method": "PUT",
        "url": "https://x",
        "upload_uid": UPLOAD.upper(),
        "headers": {
            "If-None-Match": "*",
            "Content-Length": "999",
            "Authorization": "x",
            "Host": "evil",
            "x-amz-meta-a": "1",
        },
    }
    plan = parse_presign(answer, size=1, rel="a", batch=BATCH)
    assert plan.headers == {"If-None-Match": "*", "x-amz-meta-a": "1"}
    assert plan.upload_uid == UPLOAD
    with pytest.raises(UploadError, match="line break"):
        parse_presign({**answer, "headers": {"x": "a\r\nb: c"}}, size=1, rel="a", batch=BATCH)


def test_complete_answer_means_stored() -> None:
    plan = parse_presign(
        {"method": "PUT", "complete": True, "upload_uid": UPLOAD}, size=1, rel="a", batch=BATCH
    )
    assert plan.method == "COMPLETE"


def test_multipart_plan_skips_parts_stored_with_the_right_size() -> None:
    size = 2 * MIN_PART_SIZE + 10
    answer = {
        "method": "MULTIPART",
        "upload_uid": UPLOAD,
        "part_size": MIN_PART_SIZE,
        "part_count": 3,
        "uploaded_parts": [
            {"part_number": 1, "size": MIN_PART_SIZE},
            {"part_number": 3, "size": 9},  # wrong size: sent again
            {"part_number": 7, "size": 1},  # out of range: ignored
        ],
    }
    plan = parse_presign(answer, size=size, rel="a", batch=BATCH)
    assert [(p.number, p.offset, p.length) for p in plan.parts] == [
        (1, 0, MIN_PART_SIZE),
        (2, MIN_PART_SIZE, MIN_PART_SIZE),
        (3, 2 * MIN_PART_SIZE, 10),
    ]
    assert plan.stored_parts == frozenset({1})


@pytest.mark.parametrize(
    ("part_size", "part_count"),
    [
        (MiB, 1),
        (129 * MiB, 1),
        (MIN_PART_SIZE, 2),
        (MIN_PART_SIZE, 0),
        ("5", 1),
        (MIN_PART_SIZE, True),
    ],
)
def test_bad_multipart_geometry_is_refused(part_size: object, part_count: object) -> None:
    answer = {
        "method": "MULTIPART",
        "upload_uid": UPLOAD,
        "part_size": part_size,
        "part_count": part_count,
    }
    with pytest.raises(UploadError, match="part"):
        parse_presign(answer, size=MIN_PART_SIZE, rel="a", batch=BATCH)


def test_part_urls_must_match_the_parts_asked_for() -> None:
    good = {"parts": [{"part_number": 2, "url": "https://x", "headers": {"Content-Length": "5"}}]}
    assert parse_part_urls(good, [2], "a") == {2: ("https://x", {})}
    with pytest.raises(UploadError):
        parse_part_urls(good, [3], "a")
    with pytest.raises(UploadError):
        parse_part_urls({"parts": "no"}, [2], "a")


# -- journal -----------------------------------------------------------------------------


def test_fingerprint_never_holds_the_key() -> None:
    fp = fingerprint("https://api.avala.ai/api/v1/", None, "D", "avk_secret")
    assert "avk_secret" not in fp
    assert fp != fingerprint("https://api.avala.ai/api/v1", None, "D", "avk_other")
    assert fingerprint("https://server.avala.ai/api/v1", "ORG", "D", "k") == fingerprint(
        "https://api.avala.ai/api/v1", "org", "D", "other key"
    )


def test_replay_applies_lines_in_order_and_skips_torn_ones() -> None:
    lines = b"\n".join(
        [
            json.dumps({"r": "a", "k": "start", "s": [1, 2]}).encode(),
            json.dumps({"r": "a", "k": "done", "s": [1, 2]}).encode(),
            json.dumps({"r": "b", "k": "start", "s": [3, 4]}).encode(),
            json.dumps({"r": "a", "k": "bad", "s": None}).encode(),
            b'{"r": "c", "k": "do',
        ]
    )
    state = replay(None, lines, "fp", Path("x"))
    assert state.completed == {}
    assert state.remote == {"a", "b"}
    assert state.started == {"a": (1, 2), "b": (3, 4)}


def test_replaying_twice_changes_nothing() -> None:
    state = UploadState()
    state.apply("a", "done", (1, 2))
    doc = state.to_json("fp")
    line = json.dumps({"r": "a", "k": "done", "s": [1, 2]}).encode()
    assert replay(doc, line, "fp", Path("x")).to_json("fp") == doc


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"version": 99},
        {"version": 1, "fingerprint": "other", "completed": {}, "started": {}, "remote": []},
        {"version": 1, "fingerprint": "fp", "completed": {"a": [1]}, "started": {}, "remote": []},
        {"version": 1, "fingerprint": "fp", "completed": {}, "started": {}, "remote": "a"},
    ],
)
def test_a_bad_snapshot_is_an_error_not_empty_state(doc: object) -> None:
    with pytest.raises(UploadStateError):
        replay(doc, b"", "fp", Path("x"))


def test_journal_survives_an_unclean_stop(tmp_path: Path) -> None:
    paths = state_paths("D", "fp", root=tmp_path)
    journal = Journal(paths, "fp")
    journal.open(batch=None)
    journal.start("a", (1, 2))
    journal.done("a", (1, 2))
    # No close(): the process died. The lines are on disk; the lock died with the fd.
    assert journal._fd is not None
    os.close(journal._fd)
    journal._fd = None
    assert journal._held is not None
    journal._held.close()
    again = Journal(paths, "fp")
    with again.opened(batch=None) as state:
        assert state.completed == {"a": (1, 2)}
    assert paths.journal.read_bytes() == b""  # compacted into the snapshot
    assert json.loads(paths.snapshot.read_text())["completed"] == {"a": [1, 2]}


def test_a_second_process_is_refused_while_one_runs(tmp_path: Path) -> None:
    paths = state_paths("D", "fp", root=tmp_path)
    with Journal(paths, "fp").opened(batch=None):
        pid = os.fork()
        if pid == 0:
            try:
                Journal(paths, "fp").open(batch=None)
            except UploadStateError:
                os._exit(0)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


def test_prepare_batch_reuses_resets_and_finishes_v1(tmp_path: Path) -> None:
    paths = state_paths("D", "fp", root=tmp_path)
    first = prepare_batch(paths, "fp", resume=True)
    assert first is not None
    assert prepare_batch(paths, "fp", resume=True) == first
    assert prepare_batch(paths, "fp", resume=False) != first
    # A v1 (batch-less) upload half done: it finishes on v1.
    other = state_paths("E", "fp", root=tmp_path)
    with Journal(other, "fp").opened(batch=None) as _:
        pass
    journal = Journal(other, "fp")
    journal.open(batch=None)
    journal.start("a", (1, 1))
    journal.close()
    assert prepare_batch(other, "fp", resume=True) is None
    with pytest.raises(UploadStateError, match="protocol-v1"):
        Journal(other, "fp").open(batch=BATCH)


def test_pending_bytes_counts_only_what_is_left(tmp_path: Path) -> None:
    tree(tmp_path / "src", ["aa", "bbbb"])
    files = gather_local_files(tmp_path / "src", state_root=tmp_path / "state")
    paths = state_paths("D", "fp", root=tmp_path / "state")
    journal = Journal(paths, "fp")
    journal.open(batch=None)
    journal.done("aa", file_stamp(tmp_path / "src" / "aa"))
    journal.close()
    assert pending_bytes(paths, "fp", files, resume=True) == 4
    assert pending_bytes(paths, "fp", files, resume=False) == 6


def test_part_groups_keep_every_worker_busy_and_stay_small() -> None:
    from avala._core._upload_plan import Part, part_groups

    parts = [Part(n, 0, 1) for n in range(1, 65)]
    groups = part_groups(parts, 4)
    assert [len(g) for g in groups] == [8] * 8
    assert [p.number for g in groups for p in g] == list(range(1, 65))
    assert [len(g) for g in part_groups(parts[:4], 4)] == [1, 1, 1, 1]
    assert [len(g) for g in part_groups(parts[:10], 4)] == [3, 3, 3, 1]
    assert part_groups([], 4) == []
