"""Which local files an upload sends, under which paths in the dataset, and how a file is
recognised as unchanged between runs."""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from ..errors import UploadError, UploadSourceError
from ._state import state_dir

__all__ = ["Stamp", "check_manifest", "file_stamp", "gather_local_files", "safe_rel_path"]

# (size, mtime_ns). Not ctime or inode: copying or restoring a tree, or a network file
# system, changes those without changing the content, and would force a full re-upload.
Stamp = tuple[int, int]


def file_stamp(path: str | os.PathLike[str]) -> Stamp:
    """The stamp of a local file: (size in bytes, modification time in ns)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UploadError(
            f"Cannot read {os.fspath(path)!r}: {exc.strerror or type(exc).__name__}"
        ) from None
    return (info.st_size, info.st_mtime_ns)


def safe_rel_path(rel: str) -> str:
    """`rel` if it is a usable path inside a dataset (relative POSIX path, no `.`/`..` or
    empty components, no control characters); else `UploadSourceError` (a `ValueError`)."""
    if not isinstance(rel, str) or not rel:
        raise UploadSourceError("A file's path in the dataset must be a non-empty string.")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in rel) or "\\" in rel:
        raise UploadSourceError(
            f"{rel!r}: a path in the dataset may not hold control characters or '\\'."
        )
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise UploadSourceError(
            f"{rel!r}: a path in the dataset must be relative, without '.', '..' or empty parts."
        )
    return rel


def check_manifest(files: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """`files` as a list, after checking every path and refusing duplicates
    (`UploadSourceError`)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for entry in files:
        try:
            local, rel = entry
        except (TypeError, ValueError):
            raise UploadSourceError(
                "files must be a list of (local_path, file_path_in_dataset) pairs"
            ) from None
        safe_rel_path(rel)
        if rel in seen:
            raise UploadSourceError(
                f"Two files would be uploaded as {rel!r}; paths must be unique.", path=rel
            )
        seen.add(rel)
        out.append((os.fspath(local), rel))
    return out


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def gather_local_files(
    source: str | os.PathLike[str], *, state_root: str | os.PathLike[str] | None = None
) -> list[tuple[str, str]]:
    """The files to upload from `source`: `[(local_path, path_in_dataset), ...]`.

    A file gives one entry named after it. A directory is walked (names sorted, hidden files
    included); paths in the dataset are POSIX paths relative to it; an empty directory gives
    `[]`. A symlink is uploaded as the file it points to only when that file is inside
    `source`; one leading outside is refused (`UploadSourceError`, a `ValueError`), as are a
    special file (socket, pipe, device), a missing `source` and one inside the state
    directory. Directory
    symlinks are not descended (what they point to inside the tree is walked anyway). The
    SDK's own state directory is never uploaded.
    """
    root = Path(source)
    if not root.exists():
        raise UploadSourceError(f"{os.fspath(source)!r} does not exist.")
    resolved_root = root.resolve()
    state = Path(state_root).resolve() if state_root is not None else state_dir().resolve()
    if _inside(resolved_root, state):
        raise UploadSourceError(
            f"{os.fspath(source)!r} is inside the Avala state directory ({state}), which holds "
            "upload journals, not data. Point the upload at your data instead."
        )
    if resolved_root.is_file():
        return [(os.fspath(root), root.name)]
    out: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        kept: list[str] = []
        for name in sorted(dirnames):
            child = here / name
            target = child.resolve()
            if _inside(target, state):
                continue
            if child.is_symlink():
                if not _inside(target, resolved_root):
                    raise UploadSourceError(
                        f"{_rel(child, root)!r} is a symlink to a directory outside the source; "
                        "refused (copy the data into the source instead)."
                    )
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            out.extend(_entry(here / name, root, resolved_root, state))
    return out


def _rel(path: Path, root: Path) -> str:
    return PurePosixPath(*path.relative_to(root).parts).as_posix()


def _entry(path: Path, root: Path, resolved_root: Path, state: Path) -> Sequence[tuple[str, str]]:
    rel = _rel(path, root)
    target = path.resolve()
    if _inside(target, state):
        return ()
    if path.is_symlink() and not _inside(target, resolved_root):
        raise UploadSourceError(
            f"{rel!r} is a symlink to a file outside the source; refused (copy the file into "
            "the source instead).",
            path=rel,
        )
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise UploadError(
            f"Cannot read {rel!r}: {exc.strerror or type(exc).__name__}", path=rel
        ) from None
    if not stat_module.S_ISREG(mode):
        raise UploadSourceError(
            f"{rel!r} is not a regular file (socket, pipe or device).", path=rel
        )
    return ((os.fspath(path), rel),)
