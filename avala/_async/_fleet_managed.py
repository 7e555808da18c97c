"""One run of `client.fleet.uploads.upload_managed_recording` (`fleet-managed-mcap-v1`).

Admission declares every file's size and SHA-256, so each file is hashed once before the
first run (later runs trust the receipt's hash while the file's size and mtime are
unchanged). Parts of 64 MiB stream from disk (never held in memory) to presigned part URLs,
with the client's retry policy on every request and part PUT; an expired grant is replaced
by a fresh one.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from .. import _fleet_pool, _twins
from .._core._expect import ExpectModel, ExpectRaw
from .._core._fleet_grants import validate_part_grant
from .._core._fleet_inventory import hash_file, scan_source
from .._core._fleet_managed import (
    POLL_INTERVAL,
    ManagedFile,
    ManagedReceipt,
    check_envelope,
    check_managed_inventory,
    check_managed_status,
    check_options,
    part_geometry,
)
from .._core._fleet_receipt import canonical_api_url, receipt_paths, scope_of
from .._core._params import query
from .._core._paths import path
from .._core._state import exclusive_lock
from ..errors import (
    ConflictError,
    FileChangedError,
    StorageError,
    UploadStateError,
)
from ..types.fleet_managed_upload import (
    PROTOCOL,
    ManagedFinalization,
    ManagedFleetUploadStatus,
    ManagedOriginal,
)
from ..types.fleet_upload import UploadProgress
from ._http import AsyncHTTPClient
from ._transfer import AsyncTransfer, FileSlice

__all__ = ["AsyncManagedRun"]

_STATUS = ExpectModel(ManagedFleetUploadStatus)
_RAW = ExpectRaw()
_BASE = "/fleet/recordings/{uid}/managed-upload/"
# A grant that expired in flight (or a clock far off) is answered 403: ask again this often.
_GRANT_ATTEMPTS = 3


class AsyncManagedRun:
    def __init__(
        self,
        http: AsyncHTTPClient,
        recording_uid: str,
        source_dir: str | os.PathLike[str],
        *,
        max_workers: int,
        wait_timeout: float,
        on_progress: Callable[[UploadProgress], None] | None,
        state_root: Path,
    ) -> None:
        self.wait_timeout = check_options(recording_uid, max_workers, wait_timeout)
        self.http = http
        self.recording = recording_uid
        self.source_dir = source_dir
        self.max_workers = max_workers
        self.on_progress = on_progress
        self.state_root = state_root
        self.transfer = AsyncTransfer(http)
        self.sent = 0
        self.done_bytes = 0
        self.done_files = 0
        # Progress counters are shared by the sync client's worker threads.
        self.lock = threading.Lock()
        self.parts_at_once = 1

    # -- requests ----------------------------------------------------------------------------

    def _url(self, tail: str) -> str:
        return path(_BASE + tail, uid=self.recording)

    def _envelope(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL, "session_uid": self.receipt.session_uid}

    async def _post(self, tail: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return await self.http.request(
            "POST", self._url(tail), _RAW, json={**self._envelope(), **payload}
        )

    async def _status(self) -> ManagedFleetUploadStatus:
        status = await self.http.request(
            "GET", self._url("status/"), _STATUS, params=query(self._envelope())
        )
        check_managed_status(status, self.receipt)
        return status

    # -- progress ----------------------------------------------------------------------------

    def _emit(self) -> None:
        if self.on_progress is not None:
            total = self.inventory.total_bytes
            uploaded = min(total, self.done_bytes + self.sent)
            self.on_progress(
                UploadProgress(len(self.inventory.files), self.done_files, total, uploaded)
            )

    def _bytes(self, count: int) -> None:
        with self.lock:
            self.sent += count
        self._emit()

    def _part_done(self, size: int, *, sent: bool) -> None:
        with self.lock:
            if sent:
                self.sent -= size
            self.done_bytes += size
        self._emit()

    # -- the run -----------------------------------------------------------------------------

    async def run(self) -> ManagedFleetUploadStatus:
        inventory = scan_source(self.source_dir, state_dir=self.state_root)
        check_managed_inventory(inventory)
        self.inventory = inventory
        api = canonical_api_url(self.http.config.base_url)
        receipt_path, _, lock_path = receipt_paths(
            self.state_root, "managed", scope_of(api, self.recording)
        )
        with exclusive_lock(lock_path):
            loaded = ManagedReceipt.load(receipt_path, api=api, recording_uid=self.recording)
            if loaded is None:
                self.receipt = ManagedReceipt(receipt_path, api, self.recording)
                self._hash_all(fresh=True)
                self.receipt.save()  # the session uid exists before any request
            else:
                self.receipt = loaded
                loaded.check_manifest(inventory)
                self._hash_all(fresh=False)
            return await self._run()

    def _hash_all(self, *, fresh: bool) -> None:
        """Fill (or check) every file's SHA-256: hashed when new or when its size or mtime
        differs from the receipt's; a different hash then refuses the resume."""
        for file in self.inventory.files:
            known = self.receipt.files.get(file.path)
            if (
                known is not None
                and known.size == file.size_bytes
                and known.mtime_ns == file.mtime_ns
            ):
                continue
            digest = hash_file(self.inventory.absolute(file), file)
            if known is None:
                self.receipt.files[file.path] = ManagedFile(file.size_bytes, file.mtime_ns, digest)
            elif known.sha256 != digest:
                raise FileChangedError(
                    f"{file.path!r} changed since it was admitted. Restore it to resume, or "
                    "upload to a new recording.",
                    path=file.path,
                )
            else:
                known.mtime_ns = file.mtime_ns
        if not fresh:
            self.receipt.save()

    async def _run(self) -> ManagedFleetUploadStatus:
        receipt = self.receipt
        if all(f.file_uid is None for f in receipt.files.values()):
            files = [
                {"path": name, "size_bytes": f.size, "content_sha256": f.sha256}
                for name, f in sorted(receipt.files.items())
            ]
            data = await self.http.request(
                "POST", self._url("admit/"), _STATUS, json={**self._envelope(), "files": files}
            )
            check_managed_status(data, receipt)
            status = data
        else:
            status = await self._status()
        self._remember(status)
        final = status.finalization
        if final is None or not final.terminal:
            pending = [f for f in status.files if not f.verified and not _completed(f)]
            self.done_files = len(status.files) - len(pending)
            self.done_bytes = sum(f.size_bytes for f in status.files if f not in pending)
            self._emit()
            # At most `max_workers` PUTs in flight: split between files and their parts, so
            # a single large file still sends several parts at once.
            files_at_once = max(1, min(self.max_workers, len(pending)))
            self.parts_at_once = max(1, self.max_workers // files_at_once)
            jobs = [self._file_job(original) for original in pending]
            await _fleet_pool.AsyncJobs.run(jobs, files_at_once)
            status = await self._finalize()
        return await self._wait(status)

    def _remember(self, status: ManagedFleetUploadStatus) -> None:
        changed = False
        for original in status.files:
            local = self.receipt.files[original.path]
            if local.file_uid is None:
                local.file_uid = original.file_uid
                changed = True
            gen = original.generation
            if gen is not None and local.generation_uid is None:
                local.generation_uid = gen.generation_uid
                changed = True
        if changed:
            self.receipt.save()

    def _file_job(self, original: ManagedOriginal) -> Callable[[], Any]:
        async def job() -> None:
            await self._upload_file(original)

        return job

    async def _generation(self, original: ManagedOriginal) -> str:
        """The file's upload generation: the recorded one, or a new one from
        `multipart/init` (a lost answer is recovered from the status)."""
        local = self.receipt.files[original.path]
        if local.generation_uid is not None:
            return local.generation_uid
        try:
            data = await self._post("multipart/init/", {"file_uid": original.file_uid})
        except ConflictError:
            # The generation may exist already (an earlier answer was lost): adopt it.
            self._remember(await self._status())
            adopted = self.receipt.files[original.path].generation_uid
            if adopted is None:
                raise
            return adopted
        check_envelope(
            data,
            (
                "generation_uid",
                "number",
                "state",
                "part_size",
                "part_count",
                "initialization_deadline",
            ),
            session_uid=self.receipt.session_uid,
            file_uid=original.file_uid,
        )
        if (
            data["state"] != "active"
            or data["part_count"] != original.part_count
            or data["part_size"] != original.part_size
            or type(data["number"]) is not int
            or not isinstance(data["generation_uid"], str)
        ):
            raise UploadStateError("The server's upload generation does not fit the file.")
        local.generation_uid = data["generation_uid"]
        self.receipt.save()
        return local.generation_uid

    async def _stored_parts(self, original: ManagedOriginal, generation: str) -> set[int]:
        geometry = {n: size for n, _, size in part_geometry(original.size_bytes)}
        done: set[int] = set()
        after = 0
        for _ in range(len(geometry) + 1):
            data = await self.http.request(
                "GET",
                self._url("multipart/progress/"),
                _RAW,
                params=query(
                    {
                        **self._envelope(),
                        "file_uid": original.file_uid,
                        "generation_uid": generation,
                        "after": after,
                    }
                ),
            )
            check_envelope(
                data,
                ("parts", "next_cursor"),
                session_uid=self.receipt.session_uid,
                file_uid=original.file_uid,
                generation_uid=generation,
            )
            parts = data["parts"]
            if not isinstance(parts, list) or len(parts) > 100:
                raise UploadStateError("The server's part listing is malformed.")
            for part in parts:
                number = part.get("part_number") if isinstance(part, dict) else None
                if (
                    type(number) is not int
                    or number <= after
                    or geometry.get(number) != part.get("size")
                ):
                    raise UploadStateError("The server's part listing is malformed.")
                after = number
                done.add(number)
            cursor = data["next_cursor"]
            if cursor is None:
                return done
            if type(cursor) is not int or cursor < after:
                raise UploadStateError("The server's part listing cursor is malformed.")
            after = cursor
        raise UploadStateError("The server's part listing does not end.")

    async def _upload_file(self, original: ManagedOriginal) -> None:
        generation = await self._generation(original)
        done = await self._stored_parts(original, generation)
        file = next(f for f in self.inventory.files if f.path == original.path)
        absolute = self.inventory.absolute(file)
        jobs = []
        for number, offset, size in part_geometry(original.size_bytes):
            if number in done:
                self._part_done(size, sent=False)
            else:
                jobs.append(self._part_job(original, generation, absolute, number, offset, size))
        await _fleet_pool.AsyncJobs.run(jobs, self.parts_at_once)
        now = os.lstat(absolute)
        if now.st_size != file.size_bytes or now.st_mtime_ns != file.mtime_ns:
            raise FileChangedError(
                f"{file.path!r} changed while it was uploaded; run the upload again.",
                path=file.path,
            )
        with self.lock:
            self.done_files += 1
        self._emit()

    def _part_job(
        self,
        original: ManagedOriginal,
        generation: str,
        absolute: Path,
        number: int,
        offset: int,
        size: int,
    ) -> Callable[[], Any]:
        async def job() -> None:
            await self._put_part(original, generation, absolute, number, offset, size)
            self._part_done(size, sent=True)

        return job

    async def _put_part(
        self,
        original: ManagedOriginal,
        generation: str,
        absolute: Path,
        number: int,
        offset: int,
        size: int,
    ) -> None:
        local = self.receipt.files[original.path]
        suffix = f"__cloud__/{self.receipt.session_uid}/{original.path}"
        for attempt in range(_GRANT_ATTEMPTS):
            data = await self._post(
                "multipart/parts/",
                {"file_uid": original.file_uid, "generation_uid": generation, "numbers": [number]},
            )
            check_envelope(
                data,
                ("parts",),
                session_uid=self.receipt.session_uid,
                file_uid=original.file_uid,
                generation_uid=generation,
            )
            grants = data["parts"]
            if not isinstance(grants, list) or len(grants) != 1:
                raise UploadStateError("The server did not grant exactly the requested part.")
            grant = validate_part_grant(
                grants[0],
                part_number=number,
                offset=offset,
                size=size,
                object_suffix=suffix,
                api_base_url=self.http.config.base_url,
            )
            with self.lock:
                pinned = local.pin
                if pinned is None:
                    local.pin = grant.pin
            if pinned is None:
                self.receipt.save()
            elif pinned != grant.pin:
                raise UploadStateError(
                    f"The server granted a part of {original.path!r} in another multipart upload."
                )
            try:
                await self.transfer.send(
                    "PUT",
                    grant.url,
                    headers={"Content-Length": str(size)},
                    body=FileSlice(absolute, offset, size),
                    on_bytes=self._bytes,
                )
                return
            except StorageError as error:
                if error.status_code != 403 or attempt == _GRANT_ATTEMPTS - 1:
                    raise StorageError(
                        f"Part {number} of {original.path!r} was not stored: {error.message}",
                        error.status_code,
                        path=original.path,
                    ) from None

    async def _finalize(self) -> ManagedFleetUploadStatus:
        status = await self._status()
        final = status.finalization
        if final is not None and (final.state != "failed" or final.terminal):
            return status
        for name, known in self.receipt.files.items():
            file = next(f for f in self.inventory.files if f.path == name)
            now = os.lstat(self.inventory.absolute(file))
            if now.st_size != known.size or now.st_mtime_ns != known.mtime_ns:
                raise FileChangedError(f"{name!r} changed before finalization.", path=name)
        self.receipt.finalizing = True
        self.receipt.save()
        files = sorted(
            (
                {"file_uid": f.file_uid, "generation_uid": f.generation.generation_uid}
                for f in status.files
                if f.generation is not None
            ),
            key=lambda item: item["file_uid"],
        )
        data = await self._post("finalize/", {"files": files})
        check_envelope(data, ("finalization",), session_uid=self.receipt.session_uid)
        try:
            msgspec.convert(data["finalization"], ManagedFinalization)
        except msgspec.ValidationError:
            raise UploadStateError("The server's finalization is malformed.") from None
        return await self._status()

    async def _wait(self, status: ManagedFleetUploadStatus) -> ManagedFleetUploadStatus:
        deadline = time.monotonic() + self.wait_timeout
        while True:
            final = status.finalization
            if final is None or final.state in ("succeeded", "failed"):
                return status
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return status
            await _twins.async_sleep(min(POLL_INTERVAL, remaining))
            status = await self._status()


def _completed(original: ManagedOriginal) -> bool:
    gen = original.generation
    return gen is not None and gen.state in ("completing", "completed")
