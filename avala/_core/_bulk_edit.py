"""`annotations.bulk_edit` without the I/O: validating and chunking the edits, and saying in
a failed chunk's error how far the edit got. Shared by both clients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import AvalaError, BulkEditError


def chunk_edits(edits: object, chunk_size: object) -> list[list[dict[str, Any]]]:
    """Check every argument and split the edits, before the first chunk is sent, so a bad
    edit at position 10 000 cannot fail the call after 20 chunks were already applied."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise TypeError(f"chunk_size must be an int, got {type(chunk_size).__name__}")
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0, got {chunk_size}")
    # A str is a Sequence and a dict is iterable: both are classic slips for "a list of edits".
    if isinstance(edits, (str, bytes, bytearray)) or not isinstance(edits, Sequence):
        raise TypeError(f"edits must be a list of dicts, got {type(edits).__name__}")
    items: list[dict[str, Any]] = []
    for position, edit in enumerate(edits):
        if not isinstance(edit, Mapping):
            raise TypeError(f"edits[{position}] must be a dict, got {type(edit).__name__}")
        items.append(dict(edit))
    return [items[start : start + chunk_size] for start in range(0, len(items), chunk_size)]


def chunk_failed(
    exc: AvalaError,
    *,
    index: int,
    total: int,
    chunk_size: int,
    results: list[tuple[int, Any]],
) -> BulkEditError:
    """The error for a failed chunk: which one, how much was applied before it, and the
    chunk's own typed error (`exc`)."""
    return BulkEditError(
        f"bulk_edit chunk {index} of {total} failed "
        f"({index} earlier chunk(s) were applied): {exc.message}",
        error=exc,
        chunk_index=index,
        chunks_total=total,
        edits_applied=index * chunk_size,
        results=results,
    )
