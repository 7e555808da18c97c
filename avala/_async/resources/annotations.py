from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._core._bulk_edit import chunk_edits, chunk_failed
from ..._core._expect import ExpectRaw
from ..._core._paths import path
from ...errors import AvalaError
from ...types.annotations import BulkEditResult
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_RESULT = ExpectRaw()


class AsyncAnnotations(AsyncAPIResource):
    """Bulk edits of annotation objects."""

    async def bulk_edit(
        self,
        owner: str,
        slug: str,
        edits: Sequence[Mapping[str, Any]],
        *,
        chunk_size: int = 500,
        on_chunk: Callable[[int, dict[str, Any]], None] | None = None,
        **options: Unpack[RequestOptions],
    ) -> BulkEditResult:
        """Apply edits in chunks. `POST /datasets/{owner}/{slug}/bulk-edition/`

        Like every write, the call sends everything before it returns: each chunk of at most
        `chunk_size` edits is POSTed as one JSON array, in order, and the result lists
        `(chunk_index, response)` for every chunk:

            for index, result in await client.annotations.bulk_edit("acme", "lidar", edits):
                print(index, result)  # e.g. 0 {"updated": 500}

        The result is a list that also supports `async for`. `on_chunk(index, response)`
        is called after each chunk, to show progress as it goes.

        Every argument and every edit is checked before anything is sent; a bad one raises
        `ValueError`/`TypeError`.

        Every chunk carries its own Idempotency-Key, reused on the SDK's automatic retries
        of that chunk, so a retried chunk is never applied twice. Pass `idempotency_key=` to
        derive the chunk keys from it (`"<key>-chunk-<index>"`): re-running the same
        `bulk_edit` with the same key after a crash then lets the API skip the chunks it
        already applied.

        The first failing chunk stops the edit and raises `BulkEditError` (also a
        `RuntimeError`): `chunk_index`, `chunks_succeeded`, `chunks_total`, `edits_applied`
        (so `edits[exc.edits_applied:]` is what remains to send), `results` of the applied
        chunks, and `error`, the chunk's own typed error (`ValidationError`,
        `ServerError`, ...). (If `error` is a `ResponseValidationError`, the API accepted
        that chunk but its answer was unreadable, so the chunk was most likely applied.)

        Args:
            owner: the dataset owner's handle (user or organization).
            slug: the dataset's slug.
            edits: the edit objects, e.g. `{"action": "upsert", "object_uuid": ...,
                "object_type": "cuboid", "sequence_uid": ..., "object_data": {...}}`.
            chunk_size: edits per request (default 500; must be > 0).
            on_chunk: called with `(chunk_index, response)` after each applied chunk.
        """
        route = path("/datasets/{owner}/{slug}/bulk-edition/", owner=owner, slug=slug)
        chunks = chunk_edits(edits, chunk_size)
        base_key = options.get("idempotency_key") or uuid.uuid4().hex
        results = BulkEditResult()
        for index, chunk in enumerate(chunks):
            chunk_options: RequestOptions = {
                **options,
                "idempotency_key": f"{base_key}-chunk-{index}",
            }
            try:
                result = await self._client.request(
                    "POST", route, _RESULT, json=chunk, options=chunk_options
                )
            except AvalaError as exc:
                raise chunk_failed(
                    exc, index=index, total=len(chunks), chunk_size=chunk_size, results=results
                ) from exc
            results.append((index, result))
            if on_chunk is not None:
                on_chunk(index, result)
        return results
