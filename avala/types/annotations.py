from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any


class BulkEditResult(list[tuple[int, Any]]):
    """What `annotations.bulk_edit` returns once every chunk is applied: the
    `(chunk_index, response)` pairs, in order. A plain list; it also supports `async for`, so
    `async for index, response in await client.annotations.bulk_edit(...)` works as well as
    `for index, response in ...`."""

    async def __aiter__(self) -> AsyncIterator[tuple[int, Any]]:
        for pair in list(self):
            yield pair
