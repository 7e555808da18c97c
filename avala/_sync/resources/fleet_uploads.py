# Generated from avala/_async/resources/fleet_uploads.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""`client.fleet.uploads`: upload a directory of recording files to a fleet recording,
resumably, with the guarded protocol or the managed MCAP protocol.

Each run lists the source with `stat` only, then reads every file once: the SHA-256 is
computed while the bytes stream to storage (the managed protocol declares each file's
SHA-256 before sending it, so its first run reads each file twice). Progress is kept in a receipt under the state
directory (`state_dir=`, else `$AVALA_STATE_DIR`, else `~/.avala`), so running the same
upload again continues where it stopped: after a crash, a lost answer, a new API key or a
moved source directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectRaw
from ..._core._params import query
from ..._core._paths import path
from ...errors import UploadStateError
from ...types.fleet_upload import (
    UploadProgress,
    UploadSession,
    UploadStatusResponse,
    UploadUrlsResponse,
)

if TYPE_CHECKING:
    from ..._core._fleet_inventory import SourceInventory
    from ...types.fleet_managed_upload import ManagedFleetUploadStatus
    from .._http import HTTPClient

__all__ = ["FleetUploads", "UploadObserver"]

_SESSION = ExpectModel(UploadSession)
_URLS = ExpectModel(UploadUrlsResponse)
_STATUS = ExpectModel(UploadStatusResponse)
_RAW = ExpectRaw()
_BASE = "/fleet/recordings/{recording_uid}/upload/"

ProgressCallback = Callable[[UploadProgress], None]


class UploadObserver:
    """Read-only view of a retained upload, for waiting on its processing (`poll()`); it
    sends nothing that changes the upload."""

    def __init__(self, uploads: FleetUploads, recording_uid: str, session_uid: str) -> None:
        self._uploads = uploads
        self.recording_uid = recording_uid
        self.session_uid = session_uid

    def poll(self) -> UploadStatusResponse:
        """The session's current status; `UploadStateError` if the server's session is
        no longer this one."""
        status = self._uploads.get_upload_status(self.recording_uid)
        if status.session_uid != self.session_uid:
            raise UploadStateError(
                "The recording's upload session changed while waiting for it to finish."
            )
        return status


class FleetUploads:
    """Uploads of recording files to fleet recordings (`client.fleet.uploads`).

    Not a generated CLI group: the command line has `avala fleet recordings upload`.
    """

    def __init__(self, client: HTTPClient) -> None:
        self._client = client

    # -- low level: one call each -----------------------------------------------------------

    def init_upload(
        self,
        recording_uid: str,
        files: Sequence[Mapping[str, Any]],
        *,
        storage_config_uid: str | None = None,
    ) -> UploadSession:
        """Start an upload session. `POST /fleet/recordings/{uid}/upload/init/`

        Args:
            recording_uid: the recording receiving the files.
            files: `[{"path": ..., "size_bytes": ...}]`, every file of the upload.
            storage_config_uid: store the files in this storage configuration.
        """
        payload: dict[str, Any] = {"files": [dict(f) for f in files]}
        if storage_config_uid:
            payload["storage_config_uid"] = storage_config_uid
        return self._client.request(
            "POST", path(_BASE + "init/", recording_uid=recording_uid), _SESSION, json=payload
        )

    def get_upload_urls(
        self,
        recording_uid: str,
        session_uid: str,
        file_paths: Sequence[str],
        *,
        ttl_seconds: int = 3600,
    ) -> UploadUrlsResponse:
        """Presigned PUT URLs for some files.
        `POST /fleet/recordings/{recording_uid}/upload/urls/`

        The URLs are credentials: do not log them.

        Args:
            recording_uid: the recording of the session.
            session_uid: the upload session (from `init_upload`).
            file_paths: paths of the files to send, as declared to `init_upload`.
            ttl_seconds: how long the URLs stay valid.
        """
        payload = {
            "session_uid": session_uid,
            "file_paths": list(file_paths),
            "ttl_seconds": ttl_seconds,
        }
        return self._client.request(
            "POST", path(_BASE + "urls/", recording_uid=recording_uid), _URLS, json=payload
        )

    def confirm_upload(
        self, recording_uid: str, session_uid: str, files: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Declare files stored. `POST /fleet/recordings/{recording_uid}/upload/confirm/`

        Args:
            recording_uid: the recording of the session.
            session_uid: the upload session.
            files: `[{"path": ..., "etag": ..., "size_bytes": ...}]`, the ETag being what the
                storage host answered to the file's PUT.
        """
        payload = {"session_uid": session_uid, "files": [dict(f) for f in files]}
        return self._client.request(
            "POST", path(_BASE + "confirm/", recording_uid=recording_uid), _RAW, json=payload
        )

    def finalize_upload(self, recording_uid: str, session_uid: str) -> dict[str, Any]:
        """Hand the session over to processing.
        `POST /fleet/recordings/{recording_uid}/upload/finalize/`

        Args:
            recording_uid: the recording of the session.
            session_uid: the upload session; every file must be confirmed.
        """
        return self._client.request(
            "POST",
            path(_BASE + "finalize/", recording_uid=recording_uid),
            _RAW,
            json={"session_uid": session_uid},
        )

    def get_upload_status(
        self, recording_uid: str, *, pending_after: str | None = None
    ) -> UploadStatusResponse:
        """The session's progress. `GET /fleet/recordings/{recording_uid}/upload/status/`

        A recording without a session raises `NotFoundError` (body `{"detail": "No upload
        session found for this recording."}`).

        Args:
            recording_uid: the recording.
            pending_after: `pending_paths` lists at most one page of pending files, in path
                order; pass the last one here for the next page.
        """
        return self._client.request(
            "GET",
            path(_BASE + "status/", recording_uid=recording_uid),
            _STATUS,
            params=query(pending_after=pending_after),
        )

    # -- local -----------------------------------------------------------------------------

    def collect_files(
        self, source_dir: str | os.PathLike[str], *, state_dir: str | os.PathLike[str] | None = None
    ) -> SourceInventory:
        """The files an upload of `source_dir` would send, with their sizes and SHA-256.

        Local only: nothing is sent (an upload then starts with
        `GET /fleet/recordings/{recording_uid}/upload/status/`). This reads every file;
        uploads themselves read each file once, while sending it. Raises `UploadError` for
        symlinks, special files, unsafe names, an empty source or more than 50,000 files.

        Args:
            source_dir: the directory to list.
            state_dir: the SDK's state directory, skipped if it lies inside the source.
        """
        from ... import _fleet_pool
        from .._fleet_legacy import collect, root

        base = root(state_dir)
        return _fleet_pool.Offload.run(lambda: collect(source_dir, base))

    # -- the guarded protocol ----------------------------------------------------------------

    def upload_recording(
        self,
        recording_uid: str,
        source_dir: str | os.PathLike[str],
        *,
        storage_config_uid: str | None = None,
        max_workers: int = 4,
        on_progress: ProgressCallback | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> UploadSession:
        """Upload every file under `source_dir` to the recording, or resume an earlier run.

        Sends `GET /fleet/recordings/{recording_uid}/upload/status/`, then `init/`,
        `urls/`, `confirm/` (100 files at a time) and `finalize/` under the same path, and
        one PUT per file to storage. Run the same call again after any failure: files
        already stored are not sent again. The source must stay as it was (same files and
        sizes; a file changed after it was stored is detected and refused). A
        `"completing"` result means the recording is queued for processing, not yet ready.

        Args:
            recording_uid: the recording receiving the files.
            source_dir: directory whose regular files are uploaded (symlinks and special
                files are refused, never followed).
            storage_config_uid: store the files in this storage configuration.
            max_workers: files sent at the same time.
            on_progress: called with an `UploadProgress` as bytes are sent and confirmed.
            state_dir: where the receipt lives (default `$AVALA_STATE_DIR`, else `~/.avala`).

        Raises:
            UploadError: the source cannot be uploaded (symlink, special file, bad name).
            FileChangedError: a file changed since the upload started.
            UploadStateError: the receipt or the server's session cannot be trusted.
            StorageError: the storage host refused or failed a transfer.
            AuthenticationError, ForbiddenError, APIConnectionError, ConflictError, ...: as
                the API answered.
        """
        from .._fleet_legacy import upload_legacy

        return upload_legacy(
            self,
            recording_uid,
            source_dir,
            storage_config_uid=storage_config_uid,
            max_workers=max_workers,
            on_progress=on_progress,
            state_dir=state_dir,
        )

    def _upload_observer(
        self, recording_uid: str, session_uid: str, *args: Any, **kwargs: Any
    ) -> UploadObserver:
        # The official SDK's private name, kept for code written against it.
        from ..._core._fleet_receipt import canonical_uid

        return UploadObserver(self, canonical_uid(recording_uid, "recording_uid"), session_uid)

    def _observe_upload(
        self, recording_uid: str, session_uid: str, *args: Any, **kwargs: Any
    ) -> UploadStatusResponse:
        return self.observe_upload(recording_uid, session_uid)

    def observe_upload(self, recording_uid: str, session_uid: str) -> UploadStatusResponse:
        """The status of a finished upload's processing, changing nothing (what the command
        line's `--wait` polls). `GET /fleet/recordings/{recording_uid}/upload/status/`

        Raises `UploadStateError` when the recording's session is no longer `session_uid`.

        Args:
            recording_uid: the recording.
            session_uid: the session `upload_recording` returned.
        """
        return self._upload_observer(recording_uid, session_uid).poll()

    def upload_managed_recording(
        self,
        recording_uid: str,
        source_dir: str | os.PathLike[str],
        *,
        max_workers: int = 2,
        wait_timeout: float = 0,
        on_progress: ProgressCallback | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> ManagedFleetUploadStatus:
        """Upload (or resume) the `.mcap` originals under `source_dir` with the managed
        protocol (`fleet-managed-mcap-v1`), for organizations enrolled in it:
        `POST /fleet/recordings/{recording_uid}/managed-upload/admit/`, then `status/`,
        `multipart/init/`, `multipart/progress/`, `multipart/parts/` and `finalize/` under
        the same path, and one PUT per 64 MiB part to storage.

        Returns the session's status, including its publication (`finalization`), which
        may still be pending: `wait_timeout` seconds (at most 3600) are spent polling for a
        final answer. Publication does not mean the recording is ready.

        Args:
            recording_uid: the recording (a canonical UUID).
            source_dir: 1-64 `.mcap` files, each at most 8 GiB, 64 GiB in all.
            max_workers: files transferred at the same time (1-4).
            wait_timeout: seconds to wait for publication (0: return after the upload).
            on_progress: called with an `UploadProgress` as bytes are sent.
            state_dir: where the receipt lives (default `$AVALA_STATE_DIR`, else `~/.avala`).
        """
        from .._fleet_legacy import root
        from .._fleet_managed import ManagedRun

        run = ManagedRun(
            self._client,
            recording_uid,
            source_dir,
            max_workers=max_workers,
            wait_timeout=wait_timeout,
            on_progress=on_progress,
            state_root=root(state_dir),
        )
        return run.run()
