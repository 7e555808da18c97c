"""Integrity rules of walking a revision's objects, across pages and across views. Pure.

Per walk (`Walk`): `(role, ordinal, logical_path)` strictly increases, a cursor never repeats
and never follows an empty page, the running count and size never pass the manifest, and a
complete walk of all objects matches the manifest exactly with every `episode_ordinal` naming
an episode. Per dataset (`Tracker`, shared by every view of one `load()`): an object seen
twice is identical both times, no two objects share a uid, `(role, ordinal)` or path, and the
union of everything seen stays within the manifest.

The tracker keeps 16-byte digests, not the objects, so a 100,000-object revision costs a few
megabytes of bookkeeping however it is walked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import msgspec

from ..errors import DatasetIntegrityError
from ._resolver_docs import ManifestObject, ObjectPage, Revision

__all__ = ["EPISODE_ROLE", "Tracker", "Walk"]

EPISODE_ROLE = "episode"
MAX_ORDINALS = 100


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _evidence(obj: ManifestObject) -> bytes:
    # Sorted keys: the same object must digest the same whatever order the server used.
    return _digest(
        msgspec.json.encode(
            (
                obj.object_uid,
                obj.logical_path,
                obj.role,
                obj.ordinal,
                obj.episode_ordinal,
                obj.content_type,
                obj.origin,
                obj.size_bytes,
                obj.sha256,
                obj.access_path,
                obj.extra_fields,
            ),
            order="sorted",
        )
    )


class Tracker:
    """Dataset-wide bookkeeping of every object any view has seen."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision
        self._by_uid: dict[bytes, bytes] = {}
        self._role_ordinals: set[tuple[str, int]] = set()
        self._paths: set[bytes] = set()
        self._size = 0
        self.episodes: set[int] = set()

    def include(self, obj: ManifestObject) -> None:
        uid = bytes.fromhex(obj.object_uid.replace("-", ""))
        evidence = _evidence(obj)
        known = self._by_uid.get(uid)
        if known is not None:
            if known != evidence:
                raise DatasetIntegrityError("duplicate_manifest_object")
            return
        path = _digest(obj.logical_path.encode("utf-8"))
        key = (obj.role, obj.ordinal)
        if key in self._role_ordinals or path in self._paths:
            raise DatasetIntegrityError("duplicate_manifest_object")
        if len(self._by_uid) + 1 > self.revision.object_count:
            raise DatasetIntegrityError("manifest_object_count_mismatch")
        if self._size + obj.size_bytes > self.revision.total_size_bytes:
            raise DatasetIntegrityError("manifest_total_size_mismatch")
        self._by_uid[uid] = evidence
        self._role_ordinals.add(key)
        self._paths.add(path)
        self._size += obj.size_bytes
        if obj.role == EPISODE_ROLE:
            self.episodes.add(obj.ordinal)

    def missing_episodes(self, objects: Iterable[ManifestObject]) -> list[int]:
        """Episode ordinals `objects` reference that no view has seen yet, sorted."""
        wanted = {o.episode_ordinal for o in objects if o.episode_ordinal is not None}
        return sorted(wanted - self.episodes)

    def episode_batch(self, missing: list[int]) -> tuple[int, ...]:
        """The ordinals to ask for: the missing ones (at most 100) topped up with the next
        unseen ordinals, so walking a role whose pages move through episodes in order asks for
        each block of 100 episodes once instead of once per page."""
        batch = list(missing[:MAX_ORDINALS])
        following = batch[-1] + 1
        chosen = set(batch)
        while len(batch) < MAX_ORDINALS and following <= 9_007_199_254_740_991:
            if following not in self.episodes and following not in chosen:
                batch.append(following)
            following += 1
        return tuple(sorted(batch))

    def include_episodes(
        self, page: ObjectPage, *, required: Iterable[int], requested: tuple[int, ...]
    ) -> None:
        """Record an `ordinals` answer: sorted, unique, only what was asked, and every
        required ordinal present (else `dangling_episode_reference`)."""
        previous: tuple[str, int, str] | None = None
        returned: set[int] = set()
        asked = set(requested)
        for obj in page.results:
            if obj.role != EPISODE_ROLE or obj.ordinal not in asked or obj.ordinal in returned:
                raise DatasetIntegrityError("object_identity_mismatch")
            if previous is not None and obj.order_key <= previous:
                raise DatasetIntegrityError("invalid_manifest_order")
            previous = obj.order_key
            returned.add(obj.ordinal)
        if not set(required) <= returned:
            raise DatasetIntegrityError("dangling_episode_reference")
        for obj in page.results:
            self.include(obj)


class Walk:
    """The rules of one pass over a collection (all objects, or one role)."""

    def __init__(self, tracker: Tracker, *, role: str | None) -> None:
        self.tracker = tracker
        self.role = role
        self._cursors: set[str] = set()
        self._previous: tuple[str, int, str] | None = None
        self._count = 0
        self._size = 0
        self._episodes: set[int] = set()
        self._referenced: set[int] = set()

    def accept(self, page: ObjectPage) -> None:
        """Check a page's objects in order; raise before any of them reaches the caller."""
        revision = self.tracker.revision
        for obj in page.results:
            key = obj.order_key
            if self._previous is not None and key <= self._previous:
                raise DatasetIntegrityError("invalid_manifest_order")
            self._previous = key
            self._count += 1
            self._size += obj.size_bytes
            if self._count > revision.object_count:
                raise DatasetIntegrityError("manifest_object_count_mismatch")
            if self._size > revision.total_size_bytes:
                raise DatasetIntegrityError("manifest_total_size_mismatch")
            if self.role is None:
                if obj.role == EPISODE_ROLE:
                    self._episodes.add(obj.ordinal)
                elif obj.episode_ordinal is not None:
                    self._referenced.add(obj.episode_ordinal)
            self.tracker.include(obj)

    def next_cursor(self, page: ObjectPage) -> str | None:
        cursor = page.next_cursor
        if cursor is None:
            return None
        if cursor in self._cursors or not page.results:
            raise DatasetIntegrityError("invalid_cursor_sequence")
        self._cursors.add(cursor)
        return cursor

    def finish(self) -> None:
        """After the last page: a walk of all objects must match the manifest exactly."""
        if self.role is not None:
            return
        revision = self.tracker.revision
        if self._count != revision.object_count:
            raise DatasetIntegrityError("manifest_object_count_mismatch")
        if self._size != revision.total_size_bytes:
            raise DatasetIntegrityError("manifest_total_size_mismatch")
        if not self._referenced <= self._episodes:
            raise DatasetIntegrityError("dangling_episode_reference")
