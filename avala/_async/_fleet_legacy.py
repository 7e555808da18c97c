"""One run of `client.fleet.uploads.upload_recording` (the guarded protocol): imported on
first use, so `import avala` does not pay for the upload machinery."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _fleet_pool, _twins
from .._core import _state
from .._core._fleet_grants import validate_legacy_grants
from .._core._fleet_inventory import (
    CHUNK_SIZE,
    SourceFile,
    SourceInventory,
    hash_file,
    open_checked,
    scan_source,
)
from .._core._fleet_legacy import (
    BATCH_SIZE,
    check_confirm,
    check_etag,
    check_pending,
    check_session,
    check_status,
    is_no_session,
    prefix_from_key,
)
from .._core._fleet_receipt import (
    Journal,
    JournalEntry,
    LegacyReceipt,
    canonical_api_url,
    canonical_uid,
    manifest_digest,
    read_journal,
    receipt_paths,
    scope_of,
)
from .._core._retry import RETRYABLE_STATUSES
from ..errors import (
    APIConnectionError,
    AvalaError,
    ConflictError,
    FileChangedError,
    StorageError,
    UploadStateError,
)
from ..types.fleet_upload import UploadProgress, UploadSession, UploadStatusResponse
from ._transfer import AsyncTransfer

if TYPE_CHECKING:
    from .resources.fleet_uploads import AsyncFleetUploads

__all__ = ["collect", "root", "upload_legacy"]

ProgressCallback = Callable[[UploadProgress], None]
_BATCHES_AT_ONCE = 2


async def upload_legacy(
    uploads: AsyncFleetUploads,
    recording_uid: str,
    source_dir: str | os.PathLike[str],
    *,
    storage_config_uid: str | None,
    max_workers: int,
    on_progress: ProgressCallback | None,
    state_dir: str | os.PathLike[str] | None,
) -> UploadSession:
    """Upload or resume (see `AsyncFleetUploads.upload_recording`)."""
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError("max_workers must be a positive integer")
    recording = canonical_uid(recording_uid, "recording_uid")
    storage = (
        canonical_uid(storage_config_uid, "storage_config_uid")
        if storage_config_uid is not None
        else None
    )
    base = root(state_dir)
    inventory = scan_source(source_dir, state_dir=base)
    api = canonical_api_url(uploads._client.config.base_url)
    receipt_path, journal_path, lock_path = receipt_paths(base, "legacy", scope_of(api, recording))
    with _state.exclusive_lock(lock_path):
        expected = LegacyReceipt(
            receipt_path,
            api,
            recording,
            storage,
            manifest_digest(inventory),
            len(inventory.files),
            inventory.total_bytes,
            source=str(inventory.source),
        )
        receipt = LegacyReceipt.load(receipt_path, expected=expected) or expected
        journal = Journal(journal_path)
        try:
            run = _LegacyRun(uploads, receipt, journal, inventory, max_workers, on_progress)
            session = await run.run(storage)
        finally:
            journal.close()
        if session.status == "completed" and receipt.phase == "completed":
            _forget_finished(journal_path, lock_path)
        return session


def _forget_finished(journal_path: Path, lock_path: Path) -> None:
    """Delete the journal and lock of a completed upload, so the state directory does not
    grow by them per recording. The small completed receipt stays: it answers a re-run
    (nothing is sent, the server's session is returned) and tells this machine's own
    finished session from one it did not start. A process that opens the lock while it is
    being deleted only ever finds that completed receipt, which a run reads and never writes."""
    for path in (journal_path, lock_path):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class _Progress:
    """Counts for `on_progress`, shared by concurrent transfers (hence the lock)."""

    def __init__(self, inventory: SourceInventory, callback: ProgressCallback | None) -> None:
        self.total_files = len(inventory.files)
        self.total_bytes = inventory.total_bytes
        self.files = 0
        self.confirmed_bytes = 0
        self.in_flight = 0
        self.failed = 0
        self._callback = callback
        self._lock = threading.Lock()

    def snapshot(self) -> UploadProgress:
        uploaded = min(self.total_bytes, self.confirmed_bytes + self.in_flight)
        return UploadProgress(self.total_files, self.files, self.total_bytes, uploaded, self.failed)

    def emit(self) -> None:
        if self._callback is not None:
            self._callback(self.snapshot())

    def bytes_sent(self, count: int) -> None:
        with self._lock:
            self.in_flight += count
        self.emit()

    def confirmed(self, files: int, size: int, *, sent: int = 0) -> None:
        """The server's counters after a confirmation that covered `sent` bytes sent by
        this run. Answers of overlapping batches may arrive out of order: counters only
        grow."""
        with self._lock:
            self.files = max(self.files, files)
            self.confirmed_bytes = max(self.confirmed_bytes, size)
            self.in_flight = max(0, self.in_flight - sent)
        self.emit()

    def finished(self, files: int, size: int) -> None:
        with self._lock:
            self.files = files
            self.confirmed_bytes = size
            self.in_flight = 0
        self.emit()


def root(explicit: str | os.PathLike[str] | None) -> Path:
    """The state directory to use."""
    return _state.state_dir(explicit)


def collect(source_dir: str | os.PathLike[str], base: Path) -> SourceInventory:
    """The source's files with their SHA-256 (`collect_files`)."""
    inventory = scan_source(source_dir, state_dir=base)
    hashed = tuple(
        SourceFile(f.path, f.size_bytes, hash_file(inventory.absolute(f), f), f.mtime_ns, f.stamp)
        for f in inventory.files
    )
    return SourceInventory(inventory.source, hashed)


class _LegacyRun:
    """One run of `upload_recording` (holds the receipt's lock throughout)."""

    def __init__(
        self,
        uploads: AsyncFleetUploads,
        receipt: LegacyReceipt,
        journal: Journal,
        inventory: SourceInventory,
        max_workers: int,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.uploads = uploads
        self.receipt = receipt
        self.journal = journal
        self.inventory = inventory
        self.files = {f.path: f for f in inventory.files}
        self.max_workers = max_workers
        self.progress = _Progress(inventory, on_progress)
        self.transfer = AsyncTransfer(uploads._client)
        self.recording = receipt.recording_uid
        self.journaled: dict[str, JournalEntry] = {}
        self.gate = _twins.AsyncSemaphore(max_workers)

    async def _status(self) -> UploadStatusResponse | None:
        try:
            return await self.uploads.get_upload_status(self.recording)
        except AvalaError as exc:
            if is_no_session(exc):
                return None
            raise

    async def run(self, storage: str | None) -> UploadSession:
        receipt = self.receipt
        status = await self._status()
        if receipt.phase == "initializing":
            status = await self._start(status, storage)
        elif status is None:
            raise UploadStateError(
                "The server has no upload session for this recording any more, although "
                "this machine started one. Upload to a new recording, or move the receipt "
                f"{str(receipt.path)!r} away to start over."
            )
        session = receipt.session_uid
        assert session is not None
        self.journaled = read_journal(self.journal.path, session)
        if status is not None:
            check_status(status, session_uid=session, inventory=self.inventory)
        if receipt.phase == "active" and (
            status is None or status.status not in ("completing", "completed")
        ):
            await self._transfer(status)
        return await self._finalize()

    async def _start(
        self, status: UploadStatusResponse | None, storage: str | None
    ) -> UploadStatusResponse | None:
        """Create the session, or adopt the one an unanswered `init` of ours created."""
        receipt = self.receipt
        if status is not None:
            if not receipt.path.exists():
                raise UploadStateError(
                    "The server already has an upload session for this recording that this "
                    "machine did not start. Upload to a new recording."
                )
            return self._adopt(status)
        receipt.save("initializing")
        self.journal.reset()
        try:
            session = await self.uploads.init_upload(
                self.recording, self.inventory.manifest(), storage_config_uid=storage
            )
        except ConflictError:
            # An earlier attempt of this very `init` created the session; its answer was lost.
            status = await self._status()
            if status is None:
                raise
            return self._adopt(status)
        check_session(session, self.inventory, self.recording)
        receipt.save("active", session_uid=session.uid, s3_prefix=session.s3_prefix)
        return None

    def _adopt(self, status: UploadStatusResponse) -> UploadStatusResponse:
        """Take over the session our unanswered `init` created: same manifest, nothing
        confirmed yet. Its storage prefix is learnt from the first grant."""
        check_status(status, session_uid=None, inventory=self.inventory)
        if status.confirmed_files != 0 or status.status != "initiated":
            raise UploadStateError(
                "The server already has an upload session for this recording that this "
                "machine did not start. Upload to a new recording."
            )
        self.receipt.save("active", session_uid=status.session_uid)
        return status

    async def _pending(self, status: UploadStatusResponse | None) -> set[str]:
        """Every file the server still waits for, across status pages."""
        if status is None:
            return set(self.files)
        expected = status.total_files - status.confirmed_files
        collected = list(status.pending_paths)
        while len(collected) < expected and collected:
            page = await self.uploads.get_upload_status(self.recording, pending_after=collected[-1])
            check_status(page, session_uid=self.receipt.session_uid, inventory=self.inventory)
            fresh = [p for p in page.pending_paths if p > collected[-1]]
            if not fresh:
                break
            collected.extend(fresh)
        if len(collected) != expected:
            # A server that does not page: what no journal line vouches for is pending.
            guess = set(collected) | {p for p in self.files if p not in self.journaled}
            if len(guess) != expected:
                raise UploadStateError(
                    f"The server lists {len(collected)} of {expected} pending files and "
                    "this machine's journal cannot tell which the others are."
                )
            collected = sorted(guess)
        return check_pending(collected, self.inventory, status.confirmed_bytes)

    def _unchanged(self, file: SourceFile, entry: JournalEntry) -> bool:
        """Whether the bytes stored for `entry` are still the file's: same size and
        mtime, or (after a copy or restore) the same SHA-256."""
        if entry.size != file.size_bytes:
            return False
        if entry.mtime_ns == file.mtime_ns:
            return True
        if hash_file(self.inventory.absolute(file), file) != entry.sha256:
            return False
        # Same bytes under a new mtime (a copy or restore): later checks need only stat.
        self.journaled[file.path] = JournalEntry(
            entry.session, entry.path, entry.size, file.mtime_ns, entry.sha256, entry.etag
        )
        return True

    async def _transfer(self, status: UploadStatusResponse | None) -> None:
        pending = await self._pending(status)
        confirmed_files = len(self.files) - len(pending)
        confirmed_bytes = self.inventory.total_bytes - sum(
            self.files[p].size_bytes for p in pending
        )
        self.progress.confirmed(confirmed_files, confirmed_bytes)
        for path_ in self.files:
            entry = self.journaled.get(path_)
            if (
                path_ not in pending
                and entry is not None
                and not self._unchanged(self.files[path_], entry)
            ):
                raise FileChangedError(
                    f"{path_!r} changed after it was stored. Restore it to resume, or "
                    "upload to a new recording.",
                    path=path_,
                )
        order = sorted(pending)
        batches = [order[i : i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
        # Two batches overlap, so one's `urls` and `confirm` calls run while the other's
        # files are sent; PUTs in flight stay within `max_workers` (a shared gate).
        jobs = [self._batch_job(batch) for batch in batches]
        # A failed batch lets the other one finish, so its stored files get confirmed.
        await _fleet_pool.AsyncJobs.run(jobs, _BATCHES_AT_ONCE, finish_started=True)

    def _batch_job(self, batch: list[str]) -> Callable[[], Any]:
        async def job() -> None:
            await self._batch(batch, self.progress.files)

        return job

    async def _batch(self, batch: list[str], confirmed_before: int) -> None:
        session = self.receipt.session_uid
        assert session is not None
        stored: dict[str, JournalEntry] = {}
        needed: list[str] = []
        for path_ in batch:
            entry = self.journaled.get(path_)
            if entry is not None and self._unchanged(self.files[path_], entry):
                stored[path_] = entry  # sent by an earlier run, not yet confirmed
            else:
                needed.append(path_)
        if needed:
            grants = await self.uploads.get_upload_urls(self.recording, session, needed)
            prefix = self.receipt.s3_prefix
            if prefix is None and grants.urls:
                first = grants.urls[0]
                prefix = prefix_from_key(first.s3_key, first.path, self.recording)
                self.receipt.save("active", session_uid=session, s3_prefix=prefix)
            checked = validate_legacy_grants(
                grants.urls,
                needed,
                s3_prefix=prefix or "",
                api_base_url=self.uploads._client.config.base_url,
            )
            jobs = [self._put_job(session, p, *checked[p]) for p in needed]
            for entry in await _fleet_pool.AsyncJobs.run(jobs, self.max_workers):
                stored[entry.path] = entry
        # Durable before `confirm`: a crash after it still knows what was sent.
        self.journal.sync()
        answer = await self.uploads.confirm_upload(
            self.recording,
            session,
            [{"path": p, "etag": stored[p].etag, "size_bytes": stored[p].size} for p in batch],
        )
        files, size = check_confirm(
            answer,
            session_uid=session,
            inventory=self.inventory,
            at_least=confirmed_before,
        )
        self.progress.confirmed(files, size, sent=sum(self.files[p].size_bytes for p in needed))

    def _put_job(
        self, session: str, path_: str, url: str, headers: dict[str, str]
    ) -> Callable[[], Any]:
        async def job() -> JournalEntry:
            file = self.files[path_]
            async with self.gate:
                sha, etag = await self._put_file(url, headers, file)
                # Journaled before the slot frees: at most `max_workers` stored files are
                # ever unknown to the journal (the ones a crash makes send again).
                entry = JournalEntry(session, path_, file.size_bytes, file.mtime_ns, sha, etag)
                self.journal.append([entry])
                self.journaled[path_] = entry
            return entry

        return job

    async def _put_file(
        self, url: str, headers: dict[str, str], file: SourceFile
    ) -> tuple[str, str]:
        """PUT one file, hashing it as it streams; retried per the client's policy
        (jitter, bounded Retry-After). Returns (sha256, ETag)."""
        transfer = self.transfer
        config = self.uploads._client.config
        send_headers = {"Content-Type": "application/octet-stream", **headers}
        send_headers["Content-Length"] = str(file.size_bytes)
        absolute = self.inventory.absolute(file)
        retry_number = 0
        while True:
            digest = hashlib.sha256()
            sent = [0]
            try:
                response = await transfer.send_once(
                    "PUT", url, send_headers, self._stream(absolute, file, digest, sent)
                )
                status = response.status_code
                if not 200 <= status < 300:
                    error = StorageError(f"The storage host answered HTTP {status}.", status)
                    hint = response.headers.get("retry-after")
                    if hint:
                        error.headers = {"retry-after": hint}
                    raise error
                if sent[0] != file.size_bytes:
                    raise FileChangedError(
                        f"{file.path!r} changed size while it was sent.", path=file.path
                    )
                return digest.hexdigest(), check_etag(response.headers.get("etag"))
            except StorageError as error:
                self.progress.bytes_sent(-sent[0])
                retry_number += 1
                wait = (
                    transfer._retry_wait(error, retry_number)
                    if retry_number <= config.max_retries
                    else None
                )
                if wait is None:
                    if (
                        error.status_code is not None
                        and error.status_code not in RETRYABLE_STATUSES
                    ):
                        raise StorageError(
                            f"The storage host refused {file.path!r} (HTTP {error.status_code}).",
                            error.status_code,
                            path=file.path,
                        ) from None
                    raise StorageError(
                        f"Storing {file.path!r} failed after {retry_number} attempts: {error.message}",
                        error.status_code,
                        path=file.path,
                    ) from None
            except BaseException:
                self.progress.bytes_sent(-sent[0])
                raise
            await _twins.async_sleep(wait)

    async def _stream(
        self, absolute: Path, file: SourceFile, digest: Any, sent: list[int]
    ) -> AsyncIterator[bytes]:
        with open_checked(absolute, file) as handle:
            while True:
                chunk = handle.read(CHUNK_SIZE)
                if not chunk:
                    break
                digest.update(chunk)
                sent[0] += len(chunk)
                yield chunk
                self.progress.bytes_sent(len(chunk))

    async def _finalize(self) -> UploadSession:
        receipt = self.receipt
        session = receipt.session_uid
        assert session is not None
        status = await self._status()
        if status is None:
            raise UploadStateError("The server's upload session disappeared before finalization.")
        check_status(status, session_uid=session, inventory=self.inventory)
        if status.confirmed_files != status.total_files:
            raise UploadStateError(
                f"{status.total_files - status.confirmed_files} files are still unconfirmed; "
                "run the upload again."
            )
        self._verify_source()
        if receipt.phase == "active":
            receipt.save("finalizing")
        if status.status not in ("completing", "completed"):
            try:
                answer = await self.uploads.finalize_upload(self.recording, session)
            except (APIConnectionError, ConflictError):
                answer = None  # the answer was lost, or it was already finalized: look
            if answer is not None and (
                not isinstance(answer.get("detail"), str)
                or answer.get("session_uid", session) != session
            ):
                raise UploadStateError("The server's answer to finalize names another session.")
            status = await self._status()
            if status is None:
                raise UploadStateError(
                    "The server's upload session disappeared during finalization."
                )
            check_status(status, session_uid=session, inventory=self.inventory)
        if status.status not in ("completing", "completed"):
            raise UploadStateError(
                f"The session is {status.status!r} after finalization; run the upload again."
            )
        if status.status == "completed" and receipt.phase != "completed":
            receipt.save("completed")
        self.progress.finished(status.confirmed_files, status.confirmed_bytes)
        return UploadSession(
            uid=session,
            total_files=status.total_files,
            total_bytes=status.total_bytes,
            confirmed_files=status.confirmed_files,
            confirmed_bytes=status.confirmed_bytes,
            s3_prefix=receipt.s3_prefix,
            status=status.status,
        )

    def _verify_source(self) -> None:
        """Before finalizing: every stored file is still what was sent (stat, else hash)."""
        for file in self.inventory.files:
            entry = self.journaled.get(file.path)
            if entry is not None and not self._unchanged(file, entry):
                raise FileChangedError(
                    f"{file.path!r} changed after it was stored; restore it before finalizing.",
                    path=file.path,
                )
            try:
                now = os.lstat(self.inventory.absolute(file))
            except OSError:
                raise FileChangedError(f"{file.path!r} disappeared.", path=file.path) from None
            if now.st_size != file.size_bytes or now.st_mtime_ns != file.mtime_ns:
                raise FileChangedError(
                    f"{file.path!r} changed during the upload; run it again.", path=file.path
                )
