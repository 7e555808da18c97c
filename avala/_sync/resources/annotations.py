# Generated from avala/_async/resources/annotations.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._core._bulk_edit import chunk_edits, mark_failed_chunk
from ..._core._expect import ExpectRaw
from ..._core._paths import path
from ...errors import AvalaError
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_RESULT = ExpectRaw()


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
        chunks = chunk_edits(edits, chunk_size)
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
                mark_failed_chunk(exc, index=index, total=len(chunks), chunk_size=chunk_size)
                raise
            yield index, result
