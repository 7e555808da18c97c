"""`AvalaRevisionDataset`: the objects of a published dataset revision (`avala.load`) as a
PyTorch dataset."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .._extras import require
from ._shards import check_rank, current_shard, distributed_rank

_torch = require("torch", "torch", feature="avala.torch")
_data = require("torch.utils.data", "torch", feature="avala.torch")

if TYPE_CHECKING:
    from .._item_media import Transform

    _IterableBase = object
else:
    _IterableBase = _data.IterableDataset

# Objects larger than this are yielded without `data` (read them with `sample["object"]`).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class AvalaRevisionDataset(_IterableBase):
    """A streaming PyTorch dataset over the objects of a published revision.

    `reference` is what `avala.load` takes (`"owner/dataset@main"`, a revision SHA-256, or
    `avala://datasets/<uid>@<sha256>`); it is resolved once, here, and every worker reads
    that exact revision (`self.canonical_reference`) even if the alias moves meanwhile.
    `role` limits the objects to one role (e.g. `"episode"`). No API key is used.

    Samples: `object_uid`, `logical_path`, `role`, `ordinal`, `episode_ordinal`,
    `content_type`, `size_bytes`, `sha256`, and `data` (the verified bytes; None for an
    object larger than `max_bytes`), or `transform(sample)`. Sharding across DataLoader
    workers and ranks is the same as `AvalaIterableDataset`'s: every object once per epoch,
    each worker downloading only its own.
    """

    def __init__(
        self,
        reference: str,
        *,
        revision: str | None = None,
        role: str | None = None,
        transform: Transform | None = None,
        base_url: str | None = None,
        http_client: Any = None,
        rank: int | None = None,
        world_size: int | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        from .._sync._load import load

        check_rank(rank, world_size)
        super().__init__()
        self._resolved: Any = load(
            reference, revision=revision, base_url=base_url, http_client=http_client
        )
        self._pid = os.getpid()
        self.canonical_reference: str = self._resolved.canonical_reference
        self.role = role
        self.transform = transform
        self.base_url = base_url
        self.max_bytes = max_bytes
        self._rank = rank
        self._world_size = world_size

    def _revision(self) -> Any:
        # The resolved revision holds an HTTP pool: a worker process (forked or spawned)
        # resolves the pinned canonical reference again with a pool of its own.
        if self._resolved is None or self._pid != os.getpid():
            from .._sync._load import load

            self._resolved = load(self.canonical_reference, base_url=self.base_url)
            self._pid = os.getpid()
        return self._resolved

    def __iter__(self) -> Iterator[Any]:
        rank, world_size = distributed_rank(self._rank, self._world_size, _torch)
        shard = current_shard(rank, world_size, _torch)
        revision = self._revision()
        objects = revision.for_role(self.role) if self.role else revision.objects
        for position, obj in enumerate(objects):
            if not shard.owns(position):
                continue
            sample: dict[str, Any] = {
                "object_uid": obj.object_uid,
                "logical_path": obj.logical_path,
                "role": obj.role,
                "ordinal": obj.ordinal,
                "episode_ordinal": obj.episode_ordinal,
                "content_type": obj.content_type,
                "size_bytes": obj.size_bytes,
                "sha256": obj.sha256,
                "data": obj.read(max_bytes=self.max_bytes)
                if obj.size_bytes <= self.max_bytes
                else None,
            }
            yield self.transform(sample) if self.transform is not None else sample

    def close(self) -> None:
        if self._resolved is not None and self._pid == os.getpid():
            self._resolved.close()
        self._resolved = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_resolved"] = None
        return state

    def __repr__(self) -> str:
        return f"AvalaRevisionDataset({self.canonical_reference!r}, role={self.role!r})"
