"""The dataset upload engine behind `client.datasets.upload_files` and `create_from_local`.

One run: lock and load the resume journal, skip files stored by an earlier run (same size
and modification time), then for each remaining file, at most `workers` at a time: presign
(`POST /datasets/manual-upload/file-upload-url/`), send the bytes the way the answer says
(protocol v1 form POST; v2 PUT, where 412 means "already stored"; or v2 multipart, sending
only the parts the server does not list), confirm (`complete/`), and journal the file as
stored. Bytes stream from disk; requests go through the client's in-flight limiter and
retry policy; storage requests never carry the API key.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._core._expect import ExpectRaw
from .._core._paths import path
from .._core._upload_files import Stamp, check_manifest, file_stamp
from .._core._upload_journal import Journal, StatePaths, fingerprint, state_paths
from .._core._upload_plan import (
    Part,
    Presign,
    content_type_for,
    parse_part_urls,
    parse_presign,
    part_groups,
)
from .._runner import AsyncRunner
from .._twins import AsyncFetcher
from ..errors import FileChangedError, UploadError, UploadStateError
from ._transfer import AsyncTransfer, FileSlice, FormUpload

if TYPE_CHECKING:
    from ._http import AsyncHTTPClient
    from .resources.datasets import AsyncDatasets

__all__ = ["AsyncUploader", "UploadCallbacks"]

_RAW = ExpectRaw()
# Parts of one file in flight at once: enough to fill a fast link with one large file;
# the client's in-flight limit bounds the total across files.
PART_CONCURRENCY = 4
# How many files may be named in the "changed on disk" and "missing" messages.
_NAMES_SHOWN = 5


@dataclass
class UploadCallbacks:
    """Progress hooks of one run; each runs on the caller's thread (or task)."""

    on_progress: Callable[[str, int], None] | None = None
    on_skipped: Callable[[str], None] | None = None
    on_bytes: Callable[[str, int], None] | None = None


@dataclass
class _Run:
    dataset_name: str
    organization_uid: str | None
    batch: str | None
    journal: Journal
    runner: AsyncRunner
    callbacks: UploadCallbacks
    sent: int = 0
    done_bytes: dict[str, int] = field(default_factory=dict)
    # Counters are updated by several workers (threads, in the sync client).
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, rel: str, sent: int, stored: int) -> None:
        with self.lock:
            self.sent += sent
            self.done_bytes[rel] = self.done_bytes.get(rel, 0) + stored


def _names(rels: list[str]) -> str:
    shown = ", ".join(repr(r) for r in rels[:_NAMES_SHOWN])
    more = len(rels) - _NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


class AsyncUploader:
    """Uploads for one client (see the module docstring)."""

    def __init__(self, datasets: AsyncDatasets, http: AsyncHTTPClient) -> None:
        self._datasets = datasets
        self._http = http
        self._transfer = AsyncTransfer(http)

    def paths(
        self,
        dataset_name: str,
        organization_uid: str | None,
        state_key: str | None,
        state_dir: str | os.PathLike[str] | None,
    ) -> tuple[StatePaths, str]:
        config = self._http.config
        fp = fingerprint(config.base_url, organization_uid, dataset_name, config.api_key)
        return state_paths(state_key or dataset_name, fp, root=state_dir), fp

    async def upload_files(
        self,
        *,
        dataset_name: str,
        files: Sequence[tuple[str, str]],
        workers: int,
        callbacks: UploadCallbacks,
        organization_uid: str | None,
        resume: bool,
        state_key: str | None,
        dataset_upload_uid: str | None,
        state_dir: str | os.PathLike[str] | None,
    ) -> int:
        manifest = check_manifest(files)
        if not manifest:
            return 0
        paths, fp = self.paths(dataset_name, organization_uid, state_key, state_dir)
        journal = Journal(paths, fp)
        state = journal.open(batch=dataset_upload_uid)
        try:
            run = _Run(
                dataset_name=dataset_name,
                organization_uid=organization_uid,
                batch=dataset_upload_uid,
                journal=journal,
                runner=AsyncRunner(workers),
                callbacks=callbacks,
            )
            wanted = {rel for _, rel in manifest}
            missing = sorted(state.remote - wanted)
            if missing:
                raise UploadStateError(
                    f"{len(missing)} file(s) an earlier run of this upload sent are no longer "
                    f"in the files to upload ({_names(missing)}): the dataset would include "
                    "them. Put them back, or start over with a new upload batch "
                    "(create_from_local(resume=False), or prepare_manual_upload_batch(..., "
                    "resume=False))."
                )
            todo: list[tuple[str, str, Stamp]] = []
            for local, rel in manifest:
                stamp = file_stamp(local)
                if resume and state.completed.get(rel) == stamp:
                    run.runner.call(callbacks.on_skipped, rel)
                else:
                    todo.append((local, rel, stamp))
            await run.runner.run(self._file_jobs(run, todo))
            return run.sent
        finally:
            journal.close()

    def _file_jobs(
        self, run: _Run, todo: list[tuple[str, str, Stamp]]
    ) -> Iterator[AsyncFetcher[None]]:
        for local, rel, stamp in todo:

            async def job(local: str = local, rel: str = rel, stamp: Stamp = stamp) -> None:
                await self._upload_one(run, local, rel, stamp)

            yield job

    async def _upload_one(self, run: _Run, local: str, rel: str, stamp: Stamp) -> None:
        run.done_bytes[rel] = 0
        try:
            sent = await self._send_file(run, local, rel, stamp)
        except UploadError as exc:
            if exc.path is None:
                exc.path = rel
            exc.bytes_done = run.done_bytes.get(rel, 0)
            raise
        if file_stamp(local) != stamp:
            run.journal.bad(rel)
            raise FileChangedError(
                f"{rel!r} changed on disk while it was being uploaded; run the upload again"
                + (" with resume=False." if run.batch is not None else "."),
                path=rel,
                bytes_done=run.done_bytes.get(rel, 0),
            )
        run.journal.done(rel, stamp)
        run.count(rel, sent, 0)
        if sent:
            run.runner.call(run.callbacks.on_progress, rel, sent)
        else:
            run.runner.call(run.callbacks.on_skipped, rel)

    def _bytes_hook(self, run: _Run, rel: str) -> Callable[[int], None]:
        on_bytes = run.callbacks.on_bytes

        def hook(count: int) -> None:
            if on_bytes is not None:
                run.runner.call(on_bytes, rel, count)

        return hook

    async def _send_file(self, run: _Run, local: str, rel: str, stamp: Stamp) -> int:
        """Send one file; the bytes transferred (0 when the server already had it)."""
        size = stamp[0]
        answer = await self._datasets.create_manual_upload_url(
            dataset_name=run.dataset_name,
            file_path_in_dataset=rel,
            content_length=size,
            organization_uid=run.organization_uid,
            dataset_upload_uid=run.batch,
        )
        presign = parse_presign(answer, size=size, rel=rel, batch=run.batch)
        if presign.method != "POST":
            started = run.journal.state.started.get(rel)
            if started is not None and started != stamp:
                # The batch may hold this file's earlier content (or some of its parts):
                # completing it would store a mix, skipping it would keep stale bytes.
                raise FileChangedError(
                    f"{rel!r} changed on disk since this upload batch began sending it. Run "
                    "the upload with resume=False to start a new batch.",
                    path=rel,
                )
        if presign.method == "COMPLETE":
            await self._complete(presign)
            return 0
        if presign.method == "POST":
            return await self._send_form(run, presign, local, rel, stamp)
        if presign.method == "PUT":
            return await self._send_put(run, presign, local, rel, stamp)
        return await self._send_parts(run, presign, local, rel, stamp)

    async def _complete(self, presign: Presign) -> None:
        await self._http.request(
            "POST",
            path("/datasets/manual-upload/uploads/{uid}/complete/", uid=presign.upload_uid),
            _RAW,
            json={},
        )

    async def _send_form(
        self, run: _Run, presign: Presign, local: str, rel: str, stamp: Stamp
    ) -> int:
        url = self._transfer.check_url(presign.url)
        name = os.path.basename(local)
        form = FormUpload(
            fields=presign.fields,
            file=FileSlice(local, 0, stamp[0]),
            filename=name,
            content_type=content_type_for(name, presign.fields),
        )
        run.journal.start(rel, stamp)
        await self._transfer.send("POST", url, body=form, on_bytes=self._bytes_hook(run, rel))
        run.done_bytes[rel] = stamp[0]
        return stamp[0]

    async def _send_put(
        self, run: _Run, presign: Presign, local: str, rel: str, stamp: Stamp
    ) -> int:
        url = self._transfer.check_url(presign.url)
        run.journal.start(rel, stamp)
        response = await self._transfer.send(
            "PUT",
            url,
            headers=presign.headers,
            body=FileSlice(local, 0, stamp[0]),
            on_bytes=self._bytes_hook(run, rel),
            accept=(412,),
        )
        run.done_bytes[rel] = stamp[0]
        await self._complete(presign)
        # 412: the object exists already (If-None-Match: *), nothing was stored this time.
        return 0 if response.status_code == 412 else stamp[0]

    async def _send_parts(
        self, run: _Run, presign: Presign, local: str, rel: str, stamp: Stamp
    ) -> int:
        todo = [p for p in presign.parts if p.number not in presign.stored_parts]
        run.done_bytes[rel] = sum(
            p.length for p in presign.parts if p.number in presign.stored_parts
        )
        run.journal.start(rel, stamp)
        sent = 0
        hook = self._bytes_hook(run, rel)

        async def send_parts(group: list[Part]) -> None:
            nonlocal sent
            numbers = [part.number for part in group]
            answer = await self._http.request(
                "POST",
                path("/datasets/manual-upload/uploads/{uid}/parts/", uid=presign.upload_uid),
                _RAW,
                json={"part_numbers": numbers},
            )
            targets = parse_part_urls(answer, numbers, rel)
            for part in group:
                if file_stamp(local) != stamp:
                    raise FileChangedError(
                        f"{rel!r} changed on disk while it was being uploaded.", path=rel
                    )
                url, headers = targets[part.number]
                await self._transfer.send(
                    "PUT",
                    self._transfer.check_url(url),
                    headers=headers,
                    body=FileSlice(local, part.offset, part.length),
                    on_bytes=hook,
                )
                with run.lock:
                    sent += part.length
                run.count(rel, 0, part.length)

        def jobs() -> Iterator[AsyncFetcher[None]]:
            for group in part_groups(todo, PART_CONCURRENCY):

                async def job(group: list[Part] = group) -> None:
                    await send_parts(group)

                yield job

        await AsyncRunner(PART_CONCURRENCY, parent=run.runner).run(jobs())
        await self._complete(presign)
        return sent
