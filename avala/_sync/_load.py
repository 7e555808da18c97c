# Generated from avala/_async/_load.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""`avala.async_load("owner/dataset@main")`: open a published dataset revision, walk its
objects, read or download their bytes, verified.

Everything is lazy: `async_load` makes one request (resolve); objects are fetched page by
page while you iterate; bytes only when you `open()`, `read()` or `download()`. No API key is
ever involved: published revisions are public, and the resolver, its grants and the storage
hosts never see a credential.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

import httpx

from .. import _twins
from .._core._config import DEFAULT_MAX_RETRIES
from .._core._download_files import file_matches, make_dir, size_is, target_path
from .._core._resolver_docs import MAX_SAFE_INT, ROLE_RE, ManifestObject, Revision
from .._core._resolver_grant import Grant
from .._core._resolver_refs import parse_reference, resolver_base_url
from .._core._resolver_walk import EPISODE_ROLE, Tracker, Walk
from .._core._retry import RetryPolicy
from .._download_twins import Blocking, ObjectFile, TaskPool, object_file
from ..errors import (
    DatasetDownloadError,
    DatasetIntegrityError,
    DownloadError,
    MutableDatasetAliasWarning,
    UnsupportedDatasetModeError,
)
from ._download import Location, download_file, fetch_into
from ._resolver import TIMEOUT, ResolverClient

__all__ = [
    "DatasetObjectCollection",
    "ResolvedDataset",
    "ResolvedDatasetObject",
    "DownloadSummary",
    "load",
]

READ_LIMIT = 64 * 1024 * 1024
SPOOL_MEMORY = 8 * 1024 * 1024
DEFAULT_CONCURRENCY = 8

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class DownloadSummary:
    """What `dataset.download()` did: files fetched, files already present and verified,
    and bytes received."""

    directory: Path
    downloaded: int
    skipped: int
    bytes_received: int


class _Session:
    """What every view of one loaded revision shares."""

    def __init__(self, client: ResolverClient, revision: Revision) -> None:
        self.client = client
        self.revision = revision
        self.tracker = Tracker(revision)

    def check_episodes(self, objects: Iterable[ManifestObject]) -> None:
        """Every `episode_ordinal` of `objects` names an episode; unseen ones are fetched in
        batches (one request per 100 episodes, not one per page)."""
        missing = self.tracker.missing_episodes(objects)
        while missing:
            batch = self.tracker.episode_batch(missing)
            page = self.client.page(self.revision, role=EPISODE_ROLE, ordinals=batch)
            required = [o for o in missing if o in batch]
            self.tracker.include_episodes(page, required=required, requested=batch)
            missing = [o for o in missing if o not in batch]


class _Locator:
    """Grants for one object: reused while valid, renewed only once expired."""

    def __init__(self, item: ResolvedDatasetObject) -> None:
        self._item = item

    def locate(self, renew: bool) -> Location:
        grant = self._item._live_grant(renew)
        return Location(grant.url, grant.provider, grant.range_supported, lambda: not grant.usable)


class ResolvedDatasetObject:
    """One file of the revision: its manifest entry, and its bytes on demand.

    `obj.read()` returns the verified bytes (up to `max_bytes`), `obj.open()` a
    verified file to read from, `obj.download(path)` writes a verified copy to disk.
    """

    def __init__(self, document: ManifestObject, session: _Session) -> None:
        self._document = document
        self._session = session
        self._grant: Grant | None = None

    @property
    def object_uid(self) -> str:
        return self._document.object_uid

    @property
    def logical_path(self) -> str:
        return self._document.logical_path

    @property
    def role(self) -> str:
        return self._document.role

    @property
    def ordinal(self) -> int:
        return self._document.ordinal

    @property
    def episode_ordinal(self) -> int | None:
        return self._document.episode_ordinal

    @property
    def content_type(self) -> str:
        return self._document.content_type

    @property
    def origin(self) -> str:
        return self._document.origin

    @property
    def size_bytes(self) -> int:
        return self._document.size_bytes

    @property
    def sha256(self) -> str:
        return self._document.sha256

    @property
    def extra_fields(self) -> Mapping[str, Any]:
        return dict(self._document.extra_fields)

    def _live_grant(self, renew: bool = False) -> Grant:
        grant = self._grant
        if grant is not None and grant.usable and not renew:
            return grant
        self._grant = None
        client, revision = self._session.client, self._session.revision
        grant = client.grant(revision, self._document)
        if not grant.usable:
            grant = client.grant(revision, self._document)
        if not grant.usable:
            raise DatasetIntegrityError("grant_expiry_too_short")
        self._grant = grant
        return grant

    def _failure(self, reason: str, status: int | None) -> DownloadError:
        provider = self._grant.provider if self._grant is not None else "unknown"
        return DatasetDownloadError(provider, self.object_uid, reason, status)

    def _checks(self, on_bytes: ProgressCallback | None) -> dict[str, Any]:
        """What every transfer of this object is held to: its manifest size and SHA-256, the
        client's retry settings, and this object's typed failure."""
        client = self._session.client
        return {
            "size": self.size_bytes,
            "sha256": self.sha256,
            "max_retries": client.max_retries,
            "policy": client.retry_policy,
            "on_bytes": on_bytes,
            "fail": self._failure,
        }

    def _fetch(self, sink: BinaryIO, on_progress: ProgressCallback | None) -> None:
        fetch_into(self._session.client, _Locator(self), sink, **self._checks(on_progress))

    def open(self, *, on_progress: ProgressCallback | None = None) -> ObjectFile:
        """Download and verify the object, then return it as a file to read from (in memory up
        to 8 MiB, in a temporary file beyond). Close it when done (`with` does)."""
        spool = _spool()
        try:
            self._fetch(spool, on_progress)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        return object_file(spool)

    def read(self, *, max_bytes: int = READ_LIMIT) -> bytes:
        """The verified bytes; `UnsupportedDatasetModeError` when the object is larger than
        `max_bytes` (use `open()` or `download()` for large objects)."""
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
            raise ValueError("max_bytes must be a non-negative integer")
        if self.size_bytes > max_bytes:
            raise UnsupportedDatasetModeError(
                "object exceeds read() memory limit; use open() or download() instead"
            )
        spool = _spool()
        with spool:
            self._fetch(spool, None)
            spool.seek(0)
            return spool.read()

    def download(
        self, path: str | os.PathLike[str], *, on_progress: ProgressCallback | None = None
    ) -> Path:
        """Write a verified copy to `path` (atomically: the file appears only once complete
        and verified). A file already there with the right bytes is kept as is; an interrupted
        download resumes from its partial file. `on_progress(n)` sees every chunk."""
        dest = Path(path)
        download_file(self._session.client, _Locator(self), dest, **self._checks(on_progress))
        return dest

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(object_uid={self.object_uid!r}, role={self.role!r}, "
            f"ordinal={self.ordinal}, logical_path={self.logical_path!r})"
        )


def _spool() -> BinaryIO:
    return cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+b"))


def _check_ordinal(ordinal: object) -> int:
    if type(ordinal) is not int or not 0 <= ordinal <= MAX_SAFE_INT:
        raise IndexError("manifest object ordinal must be a JSON-safe non-negative integer")
    return ordinal


class DatasetObjectCollection:
    """The objects of a revision (all of them, or one role), fetched page by page as you
    iterate: `for obj in dataset.objects`. Role collections also look up by ordinal:
    `dataset.episodes.get(0)` (or `dataset.episodes[0]`)."""

    def __init__(self, session: _Session, role: str | None) -> None:
        if role is not None and (type(role) is not str or ROLE_RE.fullmatch(role) is None):
            raise ValueError("role must be a canonical manifest role")
        self._session = session
        self._role = role

    @property
    def role(self) -> str | None:
        return self._role

    def __iter__(self) -> Iterator[ResolvedDatasetObject]:
        session = self._session
        walk = Walk(session.tracker, role=self._role)
        cursor: str | None = None
        while True:
            page = session.client.page(session.revision, role=self._role, cursor=cursor)
            walk.accept(page)
            if self._role is not None:
                session.check_episodes(page.results)
            for document in page.results:
                yield ResolvedDatasetObject(document, session)
            cursor = walk.next_cursor(page)
            if cursor is None:
                break
        walk.finish()

    def get(self, ordinal: int) -> ResolvedDatasetObject:
        """The object of this role at `ordinal`; `IndexError` when there is none."""
        if self._role is None:
            raise TypeError("ordinal lookup requires a role-specific collection")
        ordinal = _check_ordinal(ordinal)
        session = self._session
        page = session.client.page(session.revision, role=self._role, ordinal=ordinal)
        if not page.results:
            raise IndexError(f"No {self._role!r} object exists at ordinal {ordinal}.")
        document = page.results[0]
        session.tracker.include(document)
        session.check_episodes([document])
        return ResolvedDatasetObject(document, session)

    __getitem__ = get

    def __repr__(self) -> str:
        return f"{type(self).__name__}(role={self._role!r})"


class ResolvedDataset:
    """A published dataset revision: identity, manifest summary, declared rights, and its
    objects (`objects`, `episodes`, `for_role(role)`). Close it when done (`with`)."""

    def __init__(self, client: ResolverClient, revision: Revision) -> None:
        self._client = client
        self._revision = revision
        self._session = _Session(client, revision)
        self.objects = DatasetObjectCollection(self._session, None)
        self.episodes = DatasetObjectCollection(self._session, EPISODE_ROLE)

    @property
    def canonical_reference(self) -> str:
        return self._revision.canonical_reference

    @property
    def requested_reference(self) -> str:
        return self._revision.requested_reference

    @property
    def display_reference(self) -> str:
        return self._revision.display_reference

    @property
    def dataset_uid(self) -> str:
        return self._revision.dataset_uid

    @property
    def revision_uid(self) -> str:
        return self._revision.revision_uid

    @property
    def revision_sha256(self) -> str:
        return self._revision.revision_sha256

    @property
    def manifest_sha256(self) -> str:
        return self._revision.manifest_sha256

    @property
    def object_count(self) -> int:
        return self._revision.object_count

    @property
    def total_size_bytes(self) -> int:
        return self._revision.total_size_bytes

    @property
    def rights(self) -> Mapping[str, Any]:
        return dict(self._revision.rights)

    def summary(self) -> dict[str, Any]:
        """The revision's identity and manifest summary as plain data."""
        return self._revision.summary()

    def for_role(self, role: str) -> DatasetObjectCollection:
        return DatasetObjectCollection(self._session, role)

    def _selected(self, roles: Iterable[str] | None) -> Iterator[ResolvedDatasetObject]:
        if roles is None:
            for item in self.objects:
                yield item
            return
        for role in roles:
            for item in self.for_role(role):
                yield item

    def download(
        self,
        directory: str | os.PathLike[str],
        *,
        roles: Iterable[str] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
    ) -> DownloadSummary:
        """Write a verified copy of every object (or of those of `roles`) under `directory`,
        at its `logical_path`, `concurrency` files at a time.

        Files already present with the right size and SHA-256 are skipped; an interrupted run
        resumes where it stopped. `on_progress(n)` is called with every chunk received (from
        several workers at once: keep it cheap and thread-safe in the sync client).
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be a positive int, got {concurrency!r}")
        root = Path(directory)
        roles = None if roles is None else [roles] if isinstance(roles, str) else list(roles)
        counts = {"downloaded": 0, "skipped": 0, "bytes": 0}
        # The sync client's workers are threads: counters are updated under a lock.
        lock = threading.Lock()

        def count(n: int) -> None:
            with lock:
                counts["bytes"] += n
            if on_progress is not None:
                on_progress(n)

        # Up to `concurrency` transfers run at once, and as many more objects get their
        # grant meanwhile: the grant's round trip overlaps the transfers instead of adding to
        # each file's time.
        transfers = _twins.Semaphore(concurrency)

        def skip(item: ResolvedDatasetObject) -> None:
            with lock:
                counts["skipped"] += 1
            if on_progress is not None:
                on_progress(item.size_bytes)

        def one(item: ResolvedDatasetObject) -> None:
            try:
                dest = target_path(root, item.logical_path)
            except ValueError:
                raise item._failure("unsafe_local_path", None) from None
            if size_is(dest, item.size_bytes) and Blocking.run(
                file_matches, dest, item.size_bytes, item.sha256
            ):
                skip(item)
                return
            item._live_grant()
            with transfers:
                fetched = download_file(self._client, _Locator(item), dest, **item._checks(count))
            if fetched:
                with lock:
                    counts["downloaded"] += 1
            else:
                skip(item)

        try:
            make_dir(root)
        except OSError:  # a file where the folder should be, no permission...
            raise DownloadError(
                f"Cannot create the download folder {str(root)!r}.", "local_storage_error"
            ) from None
        TaskPool(2 * concurrency).run(self._selected(roles), one)
        return DownloadSummary(root, counts["downloaded"], counts["skipped"], counts["bytes"])

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ResolvedDataset:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(canonical_reference={self.canonical_reference!r}, "
            f"object_count={self.object_count})"
        )


def load(
    reference: str,
    *,
    revision: str | None = None,
    streaming: bool = True,
    base_url: str | None = None,
    http_client: httpx.Client | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    retry_policy: RetryPolicy | None = None,
    timeout: float = TIMEOUT,
) -> ResolvedDataset:
    """Resolve a published dataset revision, without credentials.

    `reference` is `owner/dataset[@selector]` (selector: an alias such as `main`, or a
    revision SHA-256) or a canonical `avala://datasets/<uuid>@<sha256>`; `revision=` gives
    the selector separately. An alias may move: a `MutableDatasetAliasWarning` reminds you to
    keep `dataset.canonical_reference`. `base_url` defaults to `$AVALA_BASE_URL`, then the
    hosted API. `http_client` is used as is (its credential headers are stripped from every
    request) and not closed.
    """
    if streaming is not True:
        raise UnsupportedDatasetModeError("streaming=False is not supported; objects stream")
    parsed = parse_reference(reference, revision)
    root = resolver_base_url(base_url)
    if parsed.mutable:
        warnings.warn(
            "Dataset aliases are mutable; persist the resolved canonical_reference for "
            "reproducible inputs.",
            MutableDatasetAliasWarning,
            stacklevel=2,
        )
    client = ResolverClient(
        root,
        http_client=http_client,
        max_retries=max_retries,
        retry_policy=retry_policy,
        timeout=timeout,
    )
    try:
        resolved = client.resolve(parsed)
    except BaseException:
        client.close()
        raise
    return ResolvedDataset(client, resolved)
