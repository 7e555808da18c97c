"""Which share of a dataset one DataLoader worker of one distributed rank reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count`: the positions `i` (of pages, or of objects) with
    `i % count == index`."""

    index: int
    count: int

    def owns(self, position: int) -> bool:
        return position % self.count == self.index


def distributed_rank(rank: int | None, world_size: int | None, torch: Any) -> tuple[int, int]:
    """(rank, world_size): the arguments when given, else `torch.distributed`'s when it is
    initialised, else a single process."""
    if (rank is None) != (world_size is None):
        raise ValueError("rank and world_size go together: pass both or neither")
    if rank is not None and world_size is not None:
        return rank, world_size
    dist = getattr(torch, "distributed", None)
    if dist is not None and dist.is_available() and dist.is_initialized():
        return int(dist.get_rank()), int(dist.get_world_size())
    return 0, 1


def check_rank(rank: int | None, world_size: int | None) -> None:
    if rank is None and world_size is None:
        return
    if rank is None or world_size is None:
        raise ValueError("rank and world_size go together: pass both or neither")
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size must be a positive int, got {world_size!r}")
    if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank < world_size:
        raise ValueError(f"rank must be an int in [0, world_size), got {rank!r}")


def current_shard(rank: int, world_size: int, torch: Any) -> Shard:
    """This worker's shard: workers of rank r take shards r*W .. r*W+W-1."""
    info = torch.utils.data.get_worker_info()
    workers = info.num_workers if info is not None else 1
    worker = info.id if info is not None else 0
    return Shard(rank * workers + worker, world_size * workers)
