"""`avala datasets upload`: upload a local file or folder and create a dataset from it.

    avala datasets upload --source ./photos --name Photos --slug photos --data-type image

Resumable: an interrupted or failed run is continued by running the same command again
(files already stored are skipped, parts the server has are not sent again). A byte progress
bar (files done, bytes, rate, time left) is shown on stderr when it is a terminal.
"""

from __future__ import annotations

import os
import time
from typing import Any

import click

from ._context import current_settings
from ._download import OUTPUT_OPTION
from ._errors import EXIT_ERROR, EXIT_USAGE, CliError
from ._output import emit
from ._progress import ByteProgress

__all__ = ["UploadProgress", "dataset_row", "extend_datasets", "upload_command"]

RESUME_HINT = "Re-run the same command to resume from where it stopped."
_DRY_RUN_SHOWN = 20


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(count) < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"  # pragma: no cover - the loop always returns


class UploadProgress(ByteProgress):
    """A transient rich bar on stderr (only when it is a terminal): files done of the
    total, bytes, rate and time left. Fed by the SDK's `on_bytes`, `on_progress` and
    `on_skipped` hooks; files already stored count as done, so a resumed run ends at 100%."""

    def __init__(self, total_files: int, total_bytes: int, sizes: dict[str, int]) -> None:
        super().__init__("Uploading", total_bytes, total_files=total_files)
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.sizes = sizes
        self.files_done = 0
        self.skipped = 0

    def on_bytes(self, rel: str, count: int) -> None:
        self(count)

    def on_progress(self, rel: str, sent: int) -> None:
        self.files_done += 1
        self.update(files=self.files_done)

    def on_skipped(self, rel: str) -> None:
        self.files_done += 1
        self.skipped += 1
        self.update(files=self.files_done, advance=self.sizes.get(rel, 0))


def dataset_row(dataset: Any) -> dict[str, Any]:
    """What the commands that create a dataset print about it."""
    return {
        "uid": dataset.uid,
        "name": dataset.name,
        "slug": dataset.slug,
        "status": dataset.status,
        "item_count": dataset.item_count,
        "data_type": dataset.data_type,
    }


def _refuse(message: str) -> CliError:
    return CliError(message, EXIT_USAGE)


@click.command("upload")
@click.option(
    "--source",
    required=True,
    type=click.Path(exists=True),
    help="File or folder to upload (folders are walked recursively).",
)
@click.option("--dataset", "dataset_uid", default=None, hidden=True)
@click.option("--storage-config", "storage_config_uid", default=None, hidden=True)
@click.option("--name", required=True, help="Dataset name.")
@click.option("--slug", required=True, help="Dataset slug.")
@click.option(
    "--data-type",
    required=True,
    type=click.Choice(["image", "video", "lidar", "mcap", "splat"]),
    help="Kind of data.",
)
@click.option("--owner", default=None, help="Dataset owner username or email.")
@click.option(
    "--organization-uid", default=None, help="Create the dataset under this organization."
)
@click.option(
    "--visibility",
    default="private",
    type=click.Choice(["private", "public"]),
    show_default=True,
    help="Dataset visibility (uploads create private datasets).",
)
@click.option("--industry", type=int, default=None, help="Industry id.")
@click.option("--license", "license_id", type=int, default=None, help="License id.")
@click.option(
    "--create-metadata/--no-create-metadata",
    default=True,
    show_default=True,
    help="Let the API build item metadata.",
)
@click.option("--aws-profile", default=None, hidden=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=8,
    show_default=True,
    help="Files uploaded at a time.",
)
@click.option(
    "--resume/--no-resume",
    default=True,
    show_default=True,
    help="Continue an interrupted upload (skip what is stored) or start over.",
)
@click.option("--dry-run", is_flag=True, default=False, help="List what would be uploaded.")
@click.option(
    "--wait", "wait_after", is_flag=True, default=False, help="Wait until the dataset is ready."
)
@click.option(
    "--wait-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=3600.0,
    show_default=True,
    help="Seconds --wait waits.",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where resume journals live [default: $AVALA_STATE_DIR, else ~/.avala].",
)
@OUTPUT_OPTION
def upload_command(
    source: str,
    dataset_uid: str | None,
    storage_config_uid: str | None,
    name: str,
    slug: str,
    data_type: str,
    owner: str | None,
    organization_uid: str | None,
    visibility: str,
    industry: int | None,
    license_id: int | None,
    create_metadata: bool,
    aws_profile: str | None,
    workers: int,
    resume: bool,
    dry_run: bool,
    wait_after: bool,
    wait_timeout: float,
    state_dir: str | None,
    cli_output: Any,
) -> None:
    """Upload a local file or folder and create a dataset from it.

    Interrupted or failed? Run the same command again: it resumes where it stopped.
    """
    from .._core._upload_files import gather_local_files

    if dataset_uid:
        raise _refuse("Uploading creates a new dataset; --dataset is not supported.")
    if storage_config_uid:
        raise _refuse("Uploads go to Avala-managed storage; remove --storage-config.")
    if aws_profile:
        raise _refuse("Uploads go to Avala-managed storage; remove --aws-profile.")
    if visibility != "private":
        raise _refuse("Uploads create private datasets; change visibility afterwards.")

    files = gather_local_files(source, state_root=state_dir)
    if not files:
        raise CliError(f"No files found in {source}", EXIT_ERROR)
    sizes = {rel: os.path.getsize(local) for local, rel in files}
    total_bytes = sum(sizes.values())
    click.echo(f"Found {len(files)} files ({human_bytes(total_bytes)})", err=True)
    if dry_run:
        click.echo("[dry run] Would upload:", err=True)
        for _, rel in files[:_DRY_RUN_SHOWN]:
            click.echo(f"  {rel} ({human_bytes(sizes[rel])})", err=True)
        if len(files) > _DRY_RUN_SHOWN:
            click.echo(f"  ... and {len(files) - _DRY_RUN_SHOWN} more files", err=True)
        click.echo(
            f"Would create dataset: name={name!r}, slug={slug!r}, data_type={data_type!r}",
            err=True,
        )
        return

    from ..errors import AvalaError, QuotaExceededError

    settings = current_settings()
    client = settings.client()
    datasets = client.datasets
    datasets._refuse_taken_slug(slug, owner, organization_uid)
    root = datasets.resolve_storage_root(organization_uid)
    batch = datasets.prepare_manual_upload_batch(
        name, organization_uid=organization_uid, resume=resume, state_dir=state_dir
    )
    started = time.monotonic()
    progress = UploadProgress(len(files), total_bytes, sizes)
    try:
        with progress:
            sent = datasets.upload_files(
                dataset_name=name,
                files=files,
                workers=workers,
                on_progress=progress.on_progress,
                on_skipped=progress.on_skipped,
                on_bytes=progress.on_bytes,
                organization_uid=organization_uid,
                resume=resume,
                state_key=name,
                dataset_upload_uid=batch,
                state_dir=state_dir,
            )
    except QuotaExceededError as exc:
        detail = ""
        if exc.limit is not None and exc.used is not None:
            detail = f" ({human_bytes(exc.used)} of {human_bytes(exc.limit)} used)"
        raise CliError(
            f"Storage quota exceeded{detail}. Free space or ask for a higher quota.", EXIT_ERROR
        ) from None
    except AvalaError as exc:
        click.echo(f"Upload failed: {exc}", err=True)
        raise CliError(f"Upload failed. {RESUME_HINT}", EXIT_ERROR) from None
    except KeyboardInterrupt:
        click.echo(f"Upload interrupted. {RESUME_HINT}", err=True)
        raise
    elapsed = max(time.monotonic() - started, 1e-9)
    note = f" ({progress.skipped} already uploaded)" if progress.skipped else ""
    click.echo(
        f"Uploaded {human_bytes(sent)} in {elapsed:.1f}s ({human_bytes(sent / elapsed)}/s){note}.",
        err=True,
    )
    datasets.assert_storage_root_unchanged(root, organization_uid=organization_uid)
    dataset = datasets.create_from_manual_upload(
        name=name,
        slug=slug,
        data_type=data_type,
        visibility=visibility,
        create_metadata=create_metadata,
        owner_name=owner,
        industry=industry,
        license=license_id,
        organization_uid=organization_uid,
        dataset_upload_uid=batch,
    )
    datasets._forget_upload(name, organization_uid, batch, state_dir)
    click.echo(f"Dataset created: {dataset.uid} ({dataset.name})", err=True)
    if wait_after:
        click.echo(f"Waiting for dataset {dataset.uid} to be ready...", err=True)
        dataset = datasets.wait(dataset.uid, status="created", timeout=wait_timeout)
    emit(dataset_row(dataset), cli_output or settings.output_mode)


def extend_datasets(group: click.Group) -> None:
    """Add `upload` to `avala datasets` (next to the generated `upload-files` and
    `create-from-local`, which take the same arguments without progress or resume hints)."""
    group.add_command(upload_command)
