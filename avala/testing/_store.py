"""In-memory storage: one insertion-ordered collection per resource, deterministic ids and time.

Every object is a JSON-ready dict in the wire shape of its model. Keys starting with `_` are
server-private (poll counters, parents, secrets) and are stripped before anything leaves the
server. Each object also gets a monotonically increasing sequence number, which is what cursor
pagination is keyed on: pages stay stable while objects are created or deleted in between.
"""

from __future__ import annotations

import calendar
import random
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Collection", "LogicalClock", "Obj", "Store", "UidFactory", "public"]

Obj = dict[str, Any]
Predicate = Callable[[Obj], bool]


def public(obj: Obj) -> Obj:
    """Shallow copy without the server-private keys."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


class UidFactory:
    """Seeded generator of uuid4-shaped strings, so two runs with the same seed match."""

    _VERSION_MASK = ~(0xF << 76) & ~(0x3 << 62)
    _VERSION_BITS = (0x4 << 76) | (0x2 << 62)

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def uuid(self) -> str:
        # Hand-rolled instead of uuid.UUID(int=...): seeding 100,000 tasks must stay fast.
        n = (self._rng.getrandbits(128) & self._VERSION_MASK) | self._VERSION_BITS
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def token(self, prefix: str, nbytes: int = 20) -> str:
        return f"{prefix}{self._rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


class LogicalClock:
    """Timestamps that advance one second per event, starting 2026-01-01T00:00:00Z.

    Wall-clock time would make every response differ between runs; a logical clock keeps the
    data reproducible while still ordering `created_at` / `updated_at` correctly.
    """

    def __init__(self, start: str = "2026-01-01T00:00:00Z") -> None:
        self._t = calendar.timegm(time.strptime(start, "%Y-%m-%dT%H:%M:%SZ"))

    def now(self) -> str:
        self._t += 1
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._t))

    def later(self, seconds: int) -> str:
        """A timestamp `seconds` after the current time, without advancing the clock."""
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._t + seconds))


class Collection:
    """Objects of one resource, addressable by uid and scannable in creation order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._by_uid: dict[str, Obj] = {}
        self._seq_of: dict[str, int] = {}
        self._seqs: list[int] = []  # ascending; parallel to _uids
        self._uids: list[str] = []
        self._next_seq = 1

    def __len__(self) -> int:
        return len(self._by_uid)

    def __iter__(self) -> Iterator[Obj]:
        return (self._by_uid[uid] for uid in list(self._uids))

    def __contains__(self, uid: object) -> bool:
        return uid in self._by_uid

    def add(self, obj: Obj, key: str | None = None) -> Obj:
        """Store `obj` under `key` (default: its `uid`)."""
        uid = key if key is not None else obj["uid"]
        if uid in self._by_uid:
            raise ValueError(f"duplicate key {uid!r} in {self.name}")
        seq = self._next_seq
        self._next_seq += 1
        self._by_uid[uid] = obj
        self._seq_of[uid] = seq
        self._seqs.append(seq)
        self._uids.append(uid)
        return obj

    def get(self, uid: str) -> Obj | None:
        return self._by_uid.get(uid)

    def remove(self, uid: str) -> Obj | None:
        obj = self._by_uid.pop(uid, None)
        if obj is None:
            return None
        seq = self._seq_of.pop(uid)
        i = bisect_left(self._seqs, seq)
        del self._seqs[i]
        del self._uids[i]
        return obj

    def remove_where(self, pred: Predicate) -> int:
        """Bulk delete (rebuilds the index once instead of one list deletion per object)."""
        doomed = {uid for uid, obj in self._by_uid.items() if pred(obj)}
        if not doomed:
            return 0
        for uid in doomed:
            del self._by_uid[uid]
            del self._seq_of[uid]
        kept = [(s, u) for s, u in zip(self._seqs, self._uids, strict=True) if u not in doomed]
        self._seqs = [s for s, _ in kept]
        self._uids = [u for _, u in kept]
        return len(doomed)

    def find(self, pred: Predicate) -> Obj | None:
        for obj in self:
            if pred(obj):
                return obj
        return None

    def filter(self, pred: Predicate) -> list[Obj]:
        return [obj for obj in self if pred(obj)]

    def forward(self, after: int, pred: Predicate, limit: int) -> list[tuple[int, Obj]]:
        """Up to `limit` matching objects with a sequence number above `after`, ascending."""
        return self._scan(range(bisect_right(self._seqs, after), len(self._seqs)), pred, limit)

    def backward(self, before: int, pred: Predicate, limit: int) -> list[tuple[int, Obj]]:
        """Up to `limit` matching objects with a sequence number below `before`, descending."""
        return self._scan(range(bisect_left(self._seqs, before) - 1, -1, -1), pred, limit)

    def _scan(self, indexes: range, pred: Predicate, limit: int) -> list[tuple[int, Obj]]:
        out: list[tuple[int, Obj]] = []
        for i in indexes:
            obj = self._by_uid[self._uids[i]]
            if pred(obj):
                out.append((self._seqs[i], obj))
                if len(out) >= limit:
                    break
        return out


class Store:
    """All collections plus the id and time sources. `lock` guards every access."""

    def __init__(self, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.uids = UidFactory(seed)
        self.clock = LogicalClock()
        self._collections: dict[str, Collection] = {}

    def col(self, name: str) -> Collection:
        found = self._collections.get(name)
        if found is None:
            found = self._collections[name] = Collection(name)
        return found

    # -- inspection helpers for tests and reports (copies, private keys stripped) --

    def collections(self) -> list[str]:
        with self.lock:
            return sorted(name for name, col in self._collections.items() if len(col))

    def objects(self, name: str) -> list[Obj]:
        with self.lock:
            return [public(obj) for obj in self.col(name)]

    def get(self, name: str, uid: str) -> Obj | None:
        with self.lock:
            obj = self.col(name).get(uid)
            return None if obj is None else public(obj)

    def count(self, name: str) -> int:
        with self.lock:
            return len(self.col(name))
