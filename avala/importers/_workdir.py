"""Where an importer keeps the files it converts, so an interrupted import resumes.

The directory is `<state dir>/imports/<kind>-<key>/`, `key` a hash of the input's identity
(its path, sizes and modification times, and the conversion options). A re-run with the
same input finds the finished conversion and uploads the very same files, so the upload
engine's journal recognises them and sends only what is missing; a changed input gets a
new directory. The directory is removed once the dataset exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from .._core._state import atomic_write_json, exclusive_lock, read_json, state_dir
from ..types.datasets import Dataset

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["ConversionDir", "UploadOptions", "file_identity", "import_converted"]

_MARKER = "converted.json"


def file_identity(path: Path) -> list[Any]:
    """What changes when a file (or every file under a directory) changes."""
    paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    out: list[Any] = []
    for item in paths:
        stat = item.stat()
        out.append([os.fspath(item.resolve()), stat.st_size, stat.st_mtime_ns])
    return out


class ConversionDir:
    def __init__(
        self, kind: str, identity: Any, explicit_state_dir: str | os.PathLike[str] | None
    ) -> None:
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:24]
        self.root = state_dir(explicit_state_dir) / "imports" / f"{kind}-{digest}"
        self.files = self.root / "files"
        # The upload journal of these files: beside them, never around them (the upload
        # engine refuses to upload from inside its own state directory).
        self.upload_state = self.root / "upload-state"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held while converting and uploading: a second import of the same input at the
        same time fails at once (`StateBusyError`) instead of corrupting the first."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with exclusive_lock(self.root / "lock"):
            yield

    def converted(self) -> dict[str, Any] | None:
        """The conversion's summary when a complete conversion is already on disk."""
        marker = self.root / _MARKER
        if not marker.exists() or not self.files.is_dir():
            return None
        info = read_json(marker)
        return info if isinstance(info, dict) else None

    def start(self) -> Path:
        """An empty `files/` directory for a new conversion."""
        shutil.rmtree(self.files, ignore_errors=True)
        shutil.rmtree(self.upload_state, ignore_errors=True)
        (self.root / _MARKER).unlink(missing_ok=True)
        self.files.mkdir(mode=0o700, parents=True)
        return self.files

    def finish(self, info: dict[str, Any]) -> None:
        """Record that `files/` is complete (written last: a crash before it means redo)."""
        atomic_write_json(self.root / _MARKER, info)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class UploadOptions(TypedDict, total=False):
    """How a converted import is uploaded and created (as in `create_from_local`)."""

    visibility: str
    owner_name: str | None
    industry: int | None
    license: int | None
    workers: int
    on_progress: Callable[[str, int], None] | None
    wait: bool
    wait_timeout: float
    organization_uid: str | None
    resume: bool
    state_dir: str | os.PathLike[str] | None


def import_converted(
    client: Any,
    kind: str,
    identity: Any,
    *,
    name: str,
    slug: str,
    convert: Callable[[Path], dict[str, Any]],
    problem: Callable[[dict[str, Any]], str | None],
    announce: Callable[[dict[str, Any]], None] | None = None,
    **options: Unpack[UploadOptions],
) -> Dataset:
    """Convert an input once into its `ConversionDir`, upload the files as an MCAP dataset,
    then remove the directory.

    `convert(files_dir)` writes the files and returns a summary; `problem(summary)` is the
    message of the `ValueError` raised when there is nothing to import (None otherwise);
    `announce(summary)` runs before the upload (e.g. to warn about what was left out).
    """
    resume = options.get("resume", True)
    work = ConversionDir(kind, identity, options.pop("state_dir", None))
    with work.locked():
        info = work.converted() if resume else None
        if info is None:
            info = convert(work.start())
            if problem(info) is None:
                work.finish(info)
        message = problem(info)
        if message is not None:
            work.remove()
            raise ValueError(message)
        if announce is not None:
            announce(info)
        dataset: Dataset = client.datasets.create_from_local(
            source=work.files,
            name=name,
            slug=slug,
            data_type="mcap",
            state_dir=work.upload_state,
            **options,
        )
    work.remove()
    return dataset
