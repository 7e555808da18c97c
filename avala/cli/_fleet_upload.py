"""`avala fleet recordings upload`: upload a directory of recording files, resumably.

The guarded protocol by default; `--managed` for the managed MCAP protocol. A per-byte
progress bar goes to stderr when it is a terminal. Any failure leaves the receipt in place
and says so: running the same command again resumes the upload.
"""

from __future__ import annotations

import math
import time
from typing import Any

import click

from ..errors import AvalaError
from ._context import Settings, current_settings
from ._errors import EXIT_ERROR, EXIT_USAGE, CliError
from ._output import emit
from ._progress import ByteProgress

__all__ = ["extend_recordings", "upload"]

_RESUME = "Progress is saved: run the same command again to resume the upload."
_PREVIEW = 20
_POLL = 10.0


def _say(text: str) -> None:
    click.echo(text, err=True)


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"


def _preview(inventory: Any, *, managed: bool) -> None:
    files = inventory.files
    _say(f"[DRY RUN] Would upload {len(files)} files ({_size(inventory.total_bytes)}):")
    for file in files[:_PREVIEW]:
        _say(f"  {file.path}  ({_size(file.size_bytes)})")
    if len(files) > _PREVIEW:
        _say(f"  ... and {len(files) - _PREVIEW} more")
    if managed:
        _say("Enrollment and quota were not checked (nothing was sent).")


@click.command("upload")
@click.option(
    "--source",
    "source",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory of recording files to upload.",
)
@click.option(
    "--recording", "recording_uid", default=None, help="Recording UID receiving the files."
)
@click.option(
    "--device", "device_uid", default=None, help="Device UID (needs --recording for now)."
)
@click.option(
    "--storage-config", "storage_config_uid", default=None, help="Storage configuration UID."
)
@click.option(
    "--managed",
    is_flag=True,
    default=False,
    help="Managed MCAP upload, for an enrolled organization.",
)
@click.option(
    "--workers", type=int, default=4, show_default=True, help="Files sent at the same time."
)
@click.option(
    "--dry-run", is_flag=True, default=False, help="List what would be uploaded; send nothing."
)
@click.option(
    "--wait",
    "wait_after",
    is_flag=True,
    default=False,
    help="Wait until the recording is processed.",
)
@click.option(
    "--wait-timeout",
    type=float,
    default=3600.0,
    show_default=True,
    help="Seconds --wait waits at most.",
)
def upload(
    source: str,
    recording_uid: str | None,
    device_uid: str | None,
    storage_config_uid: str | None,
    managed: bool,
    workers: int,
    dry_run: bool,
    wait_after: bool,
    wait_timeout: float,
) -> None:
    """Upload a directory of recording files to a recording, or resume an earlier upload.

    Each file is read once, hashed while it is sent. Symlinks and special files are refused.
    If the upload stops (network, Ctrl+C, a crash), run the same command again: files
    already stored are not sent again.
    """
    if not math.isfinite(wait_timeout) or wait_timeout < 0:
        raise CliError("--wait-timeout must be a finite number of seconds >= 0", EXIT_USAGE)
    if workers < 1:
        raise CliError("--workers must be at least 1", EXIT_USAGE)
    if recording_uid is None:
        if device_uid is not None:
            raise CliError(
                "uploading by --device is not yet supported; pass --recording", EXIT_USAGE
            )
        raise CliError("pass --recording UID", EXIT_USAGE)
    from .._core._fleet_inventory import scan_source
    from .._core._fleet_managed import check_managed_inventory, check_options
    from .._core._state import state_dir

    if managed:
        if storage_config_uid is not None:
            raise CliError("--storage-config cannot be used with --managed", EXIT_USAGE)
        try:
            check_options(recording_uid, workers, wait_timeout if wait_after else 0)
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
    inventory = scan_source(source, state_dir=state_dir())
    if managed:
        check_managed_inventory(inventory)
    if dry_run:
        _preview(inventory, managed=managed)
        return
    settings = current_settings()
    client = settings.client()
    bar = ByteProgress("uploading", inventory.total_bytes)

    def on_progress(progress: Any) -> None:
        bar.update(
            completed=progress.uploaded_bytes,
            description=f"{progress.uploaded_files}/{progress.total_files} files",
        )

    try:
        with bar:
            if managed:
                status = client.fleet.uploads.upload_managed_recording(
                    recording_uid,
                    source,
                    max_workers=workers,
                    wait_timeout=wait_timeout if wait_after else 0,
                    on_progress=on_progress,
                )
            else:
                recording = client.fleet.recordings.get(recording_uid)
                session = client.fleet.uploads.upload_recording(
                    recording.uid,
                    source,
                    storage_config_uid=storage_config_uid,
                    max_workers=workers,
                    on_progress=on_progress,
                )
    except (AvalaError, KeyboardInterrupt):
        _say(f"avala: the upload stopped. {_RESUME}")
        raise
    if managed:
        _managed_summary(status, wait_after, settings)
        return
    _say(
        f"Uploaded {session.confirmed_files}/{session.total_files} files "
        f"({_size(session.confirmed_bytes)}); session {session.uid} is {session.status}."
    )
    if wait_after:
        session = _wait(client, recording.uid, session, wait_timeout)
    emit(session, settings.output_mode)


def _wait(client: Any, recording_uid: str, session: Any, timeout: float) -> Any:
    """Poll the recording and the session until the recording is ready and the session
    completed; an `error` recording or the deadline fails the command."""
    deadline = time.monotonic() + timeout
    while True:
        recording = client.fleet.recordings.get(recording_uid)
        status = client.fleet.uploads.observe_upload(recording_uid, session.uid)
        if recording.status == "error":
            raise CliError(
                f"recording {recording_uid} failed processing (status: error)", EXIT_ERROR
            )
        if recording.status == "ready" and status.status == "completed":
            session.status = status.status
            return session
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CliError(
                f"timed out waiting for recording {recording_uid} "
                f"(recording: {recording.status}, upload: {status.status}); the upload itself is done",
                EXIT_ERROR,
            )
        _say(f"  recording={recording.status}, upload={status.status}")
        time.sleep(min(_POLL, remaining))


def _managed_summary(status: Any, waited: bool, settings: Settings) -> None:
    final = status.finalization
    _say(
        f"protocol={status.protocol} recording={status.recording_uid} session={status.session_uid} "
        f"files={status.confirmed_files}/{status.total_files} bytes={status.confirmed_bytes}/{status.total_bytes}"
    )
    if final is None:
        emit(status, settings.output_mode)
        raise CliError("the upload was not finalized; " + _RESUME, EXIT_ERROR)
    _say(
        f"finalization={final.state} code={final.code} "
        f"publication={final.publication_uid} dataset={final.dataset_uid}"
    )
    emit(status, settings.output_mode)
    if final.state == "failed":
        raise CliError(f"publication failed ({final.code})", EXIT_ERROR)
    if waited and final.state != "succeeded":
        raise CliError("publication is still pending after --wait-timeout", EXIT_ERROR)


def extend_recordings(group: click.Group) -> None:
    """Add `upload` to `avala fleet recordings`."""
    group.add_command(upload)
