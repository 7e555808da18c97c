# Generated from avala/_async/resources/annotations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectRaw
from ..._core._paths import path
from ...errors import AvalaError
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_RESULT = ExpectRaw()


def _chunked(edits: object, chunk_size: object) -> list[list[dict[str, Any]]]:
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


def _mark_failed_chunk(exc: AvalaError, *, index: int, total: int, chunk_size: int) -> None:
    """Say in the error which chunk failed and how much was applied before it.

    The exception stays the original typed error (`ValidationError`, `ServerError`, ...), so
    `except NotFoundError` keeps working; `add_note` would be the idiom but needs 3.11.
    """
    details = {
        "chunk_index": index,
        "chunks_succeeded": index,
        "chunks_total": total,
        "edits_applied": index * chunk_size,
    }
    for name, value in details.items():
        setattr(exc, name, value)
    exc.message = (
        f"bulk_edit chunk {index} of {total} failed "
        f"({index} earlier chunk(s) were applied): {exc.message}"
    )


class Annotations(APIResource):
    """Bulk edits of annotation objects."""

    def bulk_edit(
        self,
        owner: str,
        slug: str,
        edits: Sequence[Mapping[str, Any]],
        *,
        chunk_size: int = 500,
        **options: Unpack[RequestOptions],
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Apply edits in chunks. `POST /datasets/{owner}/{slug}/bulk-edition/`

        Each chunk of at most `chunk_size` edits is POSTed as one JSON array, in order; this
        yields `(chunk_index, response)` after each one, so progress is visible as it goes:

            for index, result in client.annotations.bulk_edit("acme", "lidar", edits):
                print(index, result)  # e.g. 0 {"updated": 500}

        Every argument and every edit is checked at the call, before anything is sent; a bad
        one raises `ValueError`/`TypeError` there. Chunks are sent as the loop advances, so
        stopping the loop early sends no further chunks.

        Every chunk carries its own Idempotency-Key, reused on the SDK's automatic retries
        of that chunk, so a retried chunk is never applied twice. Pass `idempotency_key=` to
        derive the chunk keys from it (`"<key>-chunk-<index>"`): re-running the same
        `bulk_edit` with the same key after a crash then lets the API skip the chunks it
        already applied.

        The first failing chunk stops the iteration and raises the API's own error
        (`ValidationError`, `ServerError`, ...), its message prefixed with the failing chunk,
        and with attributes `chunk_index`, `chunks_succeeded`, `chunks_total` and
        `edits_applied` set, so `edits[exc.edits_applied:]` is what remains to send. (A
        `ResponseValidationError` is the exception: the API accepted that chunk but its
        answer was unreadable, so the chunk was most likely applied.)

        Args:
            owner: the dataset owner's handle (user or organization).
            slug: the dataset's slug.
            edits: the edit objects, e.g. `{"action": "upsert", "object_uuid": ...,
                "object_type": "cuboid", "sequence_uid": ..., "object_data": {...}}`.
            chunk_size: edits per request (default 500; must be > 0).
        """
        route = path("/datasets/{owner}/{slug}/bulk-edition/", owner=owner, slug=slug)
        chunks = _chunked(edits, chunk_size)
        base_key = options.get("idempotency_key") or uuid.uuid4().hex
        return self._send_chunks(route, chunks, chunk_size, base_key, options)

    def _send_chunks(
        self,
        route: str,
        chunks: list[list[dict[str, Any]]],
        chunk_size: int,
        base_key: str,
        options: RequestOptions,
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        for index, chunk in enumerate(chunks):
            chunk_options: RequestOptions = {
                **options,
                "idempotency_key": f"{base_key}-chunk-{index}",
            }
            try:
                result = self._client.request(
                    "POST", route, _RESULT, json=chunk, options=chunk_options
                )
            except AvalaError as exc:
                _mark_failed_chunk(exc, index=index, total=len(chunks), chunk_size=chunk_size)
                raise
            yield index, result
