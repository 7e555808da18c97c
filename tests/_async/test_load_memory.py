"""Walking a 10,000-object revision keeps memory flat: pages are dropped as soon as they are
walked; what stays is the integrity bookkeeping (16-byte digests per object), a few hundred
bytes per object, never the objects or their pages."""

from __future__ import annotations

import gc
import tracemalloc

from avala._async._load import async_load
from avala.testing import LocalAvala
from avala.testing._h_resolver import PublishedFile

COUNT = 10_000
# Measured: ~460 bytes per object of digests and sets, ~0.3 MB of transient page state.
RETAINED_PER_OBJECT = 700
TRANSIENT = 2 * 1024 * 1024


async def test_ten_thousand_objects_walk_in_flat_memory() -> None:
    api = LocalAvala(data="empty")
    api.objects.put_bytes("shared", b"0123456789")
    files = [PublishedFile(f"frames/{i:06d}.bin", "frame", i, key="shared") for i in range(COUNT)]
    info = api.publish_revision(owner="acme", name="big", files=files)
    dataset = await async_load(
        info["canonical_reference"], base_url=api.base_url, http_client=api.async_httpx_client()
    )
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        walked = 0
        async for _ in dataset.objects:
            walked += 1
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    await dataset.close()
    assert walked == COUNT
    retained = current - base
    assert retained < RETAINED_PER_OBJECT * COUNT, retained
    assert peak - current < TRANSIENT, peak - current
