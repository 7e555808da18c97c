"""`AvalaIterableDataset` and `AvalaDataset`: PyTorch datasets over an Avala dataset's items."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import TYPE_CHECKING, Any

from .._client_handle import ClientHandle
from .._extras import require
from .._item_media import MediaSource, Sample, Transform, iter_items
from ._pages import PagePlan, PageReader, plan_pages
from ._shards import check_rank, current_shard, distributed_rank

_torch = require("torch", "torch", feature="avala.torch")
_data = require("torch.utils.data", "torch", feature="avala.torch")

if TYPE_CHECKING:
    _IterableBase = object
    _MapBase = object
else:
    _IterableBase = _data.IterableDataset
    _MapBase = _data.Dataset

DEFAULT_PAGE_SIZE = 100
DEFAULT_PREFETCH = 4


def _check_common(owner: str, slug: str, page_size: int) -> None:
    for name, value in (("owner", owner), ("slug", slug)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ValueError(f"page_size must be a positive int, got {page_size!r}")


class AvalaIterableDataset(_IterableBase):
    """A streaming PyTorch dataset over the items of the Avala dataset `owner/slug`.

    Yields one sample per item: a dict with `uid`, `key`, `url`, `annotations`,
    `export_snippet` and `metadata`, plus `image` (an RGB PIL image) when `decode_images`
    is set, or whatever `transform(sample)` returns.

    Creating the dataset walks the item listing once to note where each page of `page_size`
    items starts. Each epoch then reads every item exactly once across all DataLoader workers
    and `torch.distributed` ranks, and the listing once in total: worker `w` of rank `r`
    fetches the pages `p` with `p % (world_size * num_workers) == r * num_workers + w`
    (fresh records and signed URLs every epoch; items added at the end of the listing are
    read too), and the media of those pages' items only (up to `prefetch` at a time).
    `rank`/`world_size` default to `torch.distributed`'s when it is initialised. With fewer
    pages than workers times ranks, some workers get none: a smaller `page_size` spreads
    a small dataset wider.

    The dataset pickles without its client: each worker process (any start method: fork,
    spawn, forkserver) builds its own client from the same configuration, so no connection
    pool is ever shared between processes. Media is fetched from the storage hosts the SDK
    allows, without the API key, with retries; an expired signed URL is renewed by
    fetching the item again.
    """

    def __init__(
        self,
        client: Any,
        owner: str,
        slug: str,
        *,
        transform: Transform | None = None,
        decode_images: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        rank: int | None = None,
        world_size: int | None = None,
        prefetch: int = DEFAULT_PREFETCH,
    ) -> None:
        _check_common(owner, slug, page_size)
        check_rank(rank, world_size)
        if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 1:
            raise ValueError(f"prefetch must be a positive int, got {prefetch!r}")
        super().__init__()
        self._handle = ClientHandle(client)
        self.owner = owner
        self.slug = slug
        self.transform = transform
        self.decode_images = decode_images
        self.page_size = page_size
        self.prefetch = prefetch
        self._rank = rank
        self._world_size = world_size
        self._media = MediaSource(self._handle, owner, slug)
        # Made here, in the process that creates the dataset, so that every worker inherits
        # it (fork) or receives it pickled (spawn, forkserver): a few bytes per page.
        self._plan: PagePlan = plan_pages(self._handle.get(), owner, slug, page_size)

    @property
    def client(self) -> Any:
        """The client this process uses (built from the configuration in a worker)."""
        return self._handle.get()

    @property
    def num_pages(self) -> int:
        """Pages of `page_size` items the listing had when the dataset was created."""
        return len(self._plan)

    def __iter__(self) -> Iterator[Any]:
        rank, world_size = distributed_rank(self._rank, self._world_size, _torch)
        shard = current_shard(rank, world_size, _torch)
        reader = PageReader(self._handle.get(), self.owner, self.slug, self.page_size, self._plan)
        mine = chain.from_iterable(
            reader.read(page) for page in range(len(self._plan)) if shard.owns(page)
        )
        if not self.decode_images or self.prefetch == 1:
            for item in mine:
                yield self._finish(self._media.sample(item, self.decode_images))
            return
        # Media of the next few samples downloads while the current one is consumed.
        pool = ThreadPoolExecutor(self.prefetch, thread_name_prefix="avala-media")
        window: deque[Future[Sample]] = deque()
        try:
            for item in mine:
                window.append(pool.submit(self._media.sample, item, True))
                if len(window) >= self.prefetch:
                    yield self._finish(window.popleft().result())
            while window:
                yield self._finish(window.popleft().result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, sample: Sample) -> Any:
        return self.transform(sample) if self.transform is not None else sample

    def close(self) -> None:
        """Close the client this process built for the dataset (never the caller's)."""
        self._handle.close()

    def __repr__(self) -> str:
        return f"AvalaIterableDataset({self.owner}/{self.slug}, page_size={self.page_size})"


class AvalaDataset(_MapBase):
    """A map-style PyTorch dataset over the items of `owner/slug` (`len()`, indexing,
    shuffling, `DistributedSampler`).

    Lists the item uids once, when created; `dataset[i]` fetches item `i` again (so its
    media URL is freshly signed) and returns the same sample as `AvalaIterableDataset`.
    Pickles without its client, like `AvalaIterableDataset`.
    """

    def __init__(
        self,
        client: Any,
        owner: str,
        slug: str,
        *,
        transform: Transform | None = None,
        decode_images: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        _check_common(owner, slug, page_size)
        self._handle = ClientHandle(client)
        self.owner = owner
        self.slug = slug
        self.transform = transform
        self.decode_images = decode_images
        self._media = MediaSource(self._handle, owner, slug)
        self._uids = [item.uid for item in iter_items(self._handle.get(), owner, slug, page_size)]

    @property
    def client(self) -> Any:
        return self._handle.get()

    @property
    def uids(self) -> list[str]:
        """The item uids, in index order."""
        return list(self._uids)

    def __len__(self) -> int:
        return len(self._uids)

    def __getitem__(self, index: int) -> Any:
        uid = self._uids[index]
        item = self._handle.get().datasets.get_item(self.owner, self.slug, uid)
        sample = self._media.sample(item, self.decode_images)
        return self.transform(sample) if self.transform is not None else sample

    def close(self) -> None:
        """Close the client this process built for the dataset (never the caller's)."""
        self._handle.close()

    def __repr__(self) -> str:
        return f"AvalaDataset({self.owner}/{self.slug}, {len(self._uids)} items)"
