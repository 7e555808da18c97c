"""The local side of a fleet recording upload: which files a source directory holds, and
checks that they are the same files later.

A source is walked once with `lstat` only (no file is read). Files are hashed while they are
uploaded; `hash_file` exists for previews (`collect_files`) and for the rare case where a
file's stat no longer matches what an earlier run recorded.

Refused, never silently skipped or followed: symlinks, special files (FIFOs, sockets,
devices), unsafe relative paths, a source that is (or lies inside) the SDK's state directory,
and sources with no files or more than `max_files` files.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import FileChangedError, UploadSourceError

__all__ = [
    "CHUNK_SIZE",
    "MAX_FILES",
    "SourceFile",
    "SourceInventory",
    "Stamp",
    "check_relative_path",
    "hash_file",
    "open_checked",
    "scan_source",
    "stamp_of",
]

CHUNK_SIZE = 1024 * 1024
MAX_FILES = 50_000
MAX_PATH_CHARS = 1024

Stamp = tuple[int, int, int, int]
"""(device, inode, size, mtime_ns) of a file: equal stamps mean "not touched" within a run."""


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class SourceFile:
    """One file of a source: its path relative to the source (with `/`), size and SHA-256
    (`""` until the file has been hashed)."""

    path: str
    size_bytes: int
    sha256: str = ""
    mtime_ns: int = 0
    stamp: Stamp = (0, 0, 0, 0)


@dataclass(frozen=True)
class SourceInventory:
    """The files of a source directory, sorted by path."""

    source: Path
    files: tuple[SourceFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files)

    def manifest(self) -> list[dict[str, Any]]:
        """`[{path, size_bytes}]`: what an upload declares to the server."""
        return [{"path": f.path, "size_bytes": f.size_bytes} for f in self.files]

    def absolute(self, file: SourceFile) -> Path:
        return self.source.joinpath(*file.path.split("/"))


def check_relative_path(relative: str) -> str | None:
    """Why `relative` cannot be uploaded, or None when it can."""
    if len(relative) > MAX_PATH_CHARS:
        return f"its path is longer than {MAX_PATH_CHARS} characters"
    if relative != relative.strip():
        return "its path starts or ends with whitespace"
    if "\\" in relative or "\x00" in relative:
        return "its path contains a backslash or NUL"
    if ".." in relative.split("/"):
        return "its path contains a '..' segment"
    return None


def _refuse(message: str, path: str | None = None) -> UploadSourceError:
    return UploadSourceError(message, path=path)


def scan_source(
    source_dir: str | os.PathLike[str],
    *,
    state_dir: Path | None = None,
    max_files: int = MAX_FILES,
) -> SourceInventory:
    """List the regular files under `source_dir` without reading any of them.

    Raises `UploadSourceError` (an `UploadError` and a `ValueError`) for a symlink, special
    file, unsafe path, an empty source or more than `max_files` files; `FileChangedError` when a directory changes while it is listed.
    """
    given = Path(source_dir)
    try:
        if given.is_symlink():
            raise _refuse("The source directory is a symlink; pass the real directory.")
        source = given.resolve(strict=True)
        if not source.is_dir():
            raise _refuse(f"The source {str(given)!r} is not a directory.")
    except OSError as exc:
        raise _refuse(f"Cannot read the source {str(given)!r}: {exc.strerror or exc}") from None
    state = state_dir.resolve() if state_dir is not None else None
    if state is not None and (source == state or state in source.parents):
        raise _refuse("The source directory is inside the SDK's state directory.")
    files: list[SourceFile] = []
    stack: list[tuple[Path, str]] = [(source, "")]
    try:
        while stack:
            directory, prefix = stack.pop()
            before = directory.lstat()
            with os.scandir(directory) as it:
                entries = list(it)
            subdirs: list[tuple[Path, str]] = []
            for entry in entries:
                relative = prefix + entry.name
                info = entry.stat(follow_symlinks=False)
                mode = info.st_mode
                if stat.S_ISLNK(mode):
                    if state is not None and Path(entry.path).resolve() == state:
                        continue  # the state directory linked into the source is not data
                    raise _refuse(
                        f"The source contains a symlink ({relative!r}); symlinks are not "
                        "uploaded. Copy the target in or remove the link.",
                        relative,
                    )
                if stat.S_ISDIR(mode):
                    if state is not None and Path(entry.path) == state:
                        continue
                    subdirs.append((Path(entry.path), relative + "/"))
                    continue
                if not stat.S_ISREG(mode):
                    raise _refuse(
                        f"The source contains a special file ({relative!r}: a FIFO, socket "
                        "or device); only regular files are uploaded.",
                        relative,
                    )
                problem = check_relative_path(relative)
                if problem is not None:
                    raise _refuse(f"Cannot upload {relative!r}: {problem}.", relative)
                if len(files) >= max_files:
                    raise _refuse(f"The source holds more than {max_files} files.")
                files.append(
                    SourceFile(relative, info.st_size, "", info.st_mtime_ns, stamp_of(info))
                )
            if stamp_of(directory.lstat()) != stamp_of(before):
                raise FileChangedError(
                    f"The directory {prefix or '.'!r} changed while it was listed; run again."
                )
            stack.extend(subdirs)
    except OSError as exc:
        raise _refuse(f"Cannot read the source: {exc.strerror or exc}") from None
    if not files:
        raise _refuse("The source directory holds no files to upload.")
    files.sort(key=lambda f: f.path)
    return SourceInventory(source, tuple(files))


@contextmanager
def open_checked(path: Path, file: SourceFile) -> Iterator[IO[bytes]]:
    """Open a source file for reading, refusing a symlink or a file whose stamp differs
    from `file.stamp`; on a clean exit, checks the file was not modified meanwhile."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileChangedError(
            f"Cannot open {file.path!r}: {exc.strerror or exc}", path=file.path
        ) from None
    handle = os.fdopen(fd, "rb")
    with handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode) or stamp_of(opened) != file.stamp:
            raise FileChangedError(
                f"{file.path!r} changed since the source was listed; run the upload again.",
                path=file.path,
            )
        # The blocking mode matters for reads; O_NONBLOCK only kept a FIFO from hanging open().
        os.set_blocking(handle.fileno(), True)
        yield handle
        after = os.fstat(handle.fileno())
        if stamp_of(after) != file.stamp:
            raise FileChangedError(
                f"{file.path!r} changed while it was being read; run the upload again.",
                path=file.path,
            )


def hash_file(path: Path, file: SourceFile) -> str:
    """SHA-256 of a source file, read once in 1 MiB chunks, with the stamp checks of
    `open_checked`."""
    digest = hashlib.sha256()
    size = 0
    with open_checked(path, file) as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    if size != file.size_bytes:
        raise FileChangedError(f"{file.path!r} changed size while it was read.", path=file.path)
    return digest.hexdigest()
