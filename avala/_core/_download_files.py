"""Local-file rules of downloads: where a dataset object lands under a directory, the partial
file a download resumes from, `Content-Range` checks, and verifying a file already on disk.
Pure except for reading local files."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "HASH_CHUNK",
    "TransferInterrupted",
    "content_range_start",
    "file_matches",
    "hash_prefix",
    "make_dir",
    "size_is",
    "open_partial",
    "partial_path",
    "target_path",
]

HASH_CHUNK = 1024 * 1024
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class TransferInterrupted(Exception):
    """No (complete) answer arrived: the connection failed before or during the body. Carries
    nothing from the transport, whose messages may hold the signed URL."""


def target_path(root: Path, logical_path: str) -> Path:
    """Where `logical_path` (already validated: relative, no dot segments) lands in `root`;
    `ValueError` if it would leave `root` (a symlinked directory inside `root`, say)."""
    path = root.joinpath(*logical_path.split("/"))
    resolved_root = root.resolve()
    resolved = path.parent.resolve() / path.name
    if resolved_root != resolved and resolved_root not in resolved.parents:
        raise ValueError("object path leaves the download directory")
    return path


def partial_path(dest: Path, sha256: str | None) -> Path:
    """The temporary file a download of `dest` writes before renaming it into place. Named
    after the expected content, so a resumed download never continues another file's bytes."""
    tag = (sha256 or "unknown")[:16]
    return dest.with_name(f".{dest.name}.{tag}.avala-part")


def hash_prefix(handle: BinaryIO, length: int) -> hashlib._Hash:
    """SHA-256 state after the first `length` bytes of `handle` (read in chunks)."""
    digest = hashlib.sha256()
    handle.seek(0)
    left = length
    while left > 0:
        chunk = handle.read(min(HASH_CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest


def size_is(path: Path, size: int | None) -> bool:
    """Whether a regular file exists at `path` (with this size, when known): a stat, cheap
    enough to run before deciding to hash the file."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return (size is None or stat.st_size == size) and path.is_file()


def file_matches(path: Path, size: int | None, sha256: str) -> bool:
    """Whether the regular file at `path` has this SHA-256 (and size, when known)."""
    try:
        if not path.is_file():
            return False
        actual = path.stat().st_size
        if size is not None and actual != size:
            return False
        with path.open("rb") as handle:
            return hash_prefix(handle, actual).hexdigest() == sha256
    except OSError:
        return False


def content_range_start(value: str | None, total: int | None) -> int | None:
    """The first byte a 206 answer carries, or None when its `Content-Range` is unusable
    (missing, malformed, or for an object of another size)."""
    if value is None:
        return None
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if match is None:
        return None
    start, end, whole = int(match.group(1)), int(match.group(2)), match.group(3)
    if end < start or (total is not None and whole != "*" and int(whole) != total):
        return None
    return start


def open_partial(dest: Path, sha256: str | None, size: int | None) -> tuple[BinaryIO, int, Any]:
    """Open (creating) the partial file of `dest`: the handle positioned at its end, how many
    bytes it already holds, and the SHA-256 state of those bytes. Without an expected
    `sha256` a leftover partial file could hold other bytes, so it is emptied instead.
    Raises `OSError`."""
    part = partial_path(dest, sha256)
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle: BinaryIO = open(part, "a+b")  # noqa: SIM115 - the caller closes it
    try:
        offset = handle.seek(0, os.SEEK_END)
        if sha256 is None or (size is not None and offset > size):
            handle.truncate(0)
            offset = 0
        digest = hash_prefix(handle, offset) if offset else hashlib.sha256()
        handle.seek(offset)
    except BaseException:
        handle.close()
        raise
    return handle, offset, digest


def make_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)


def finish_replace(handle: BinaryIO, part: Path, dest: Path) -> None:
    """Close `handle` (the verified partial file) and rename it to `dest`."""
    handle.close()
    os.replace(part, dest)
