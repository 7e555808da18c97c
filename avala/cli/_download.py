"""Hand-written commands for data out of Avala:

    avala datasets resolve REFERENCE [--revision R]          (no API key needed)
    avala datasets download REFERENCE DIR [--role R]... [--concurrency N]   (no API key needed)
    avala exports download UID PATH [--sha256 HEX]
    avala exports create ... --wait --download PATH

Downloads show a byte progress bar on stderr when it is a terminal (nothing otherwise), and
print a summary on stdout.
"""

from __future__ import annotations

import warnings
from typing import Any

import click

from ._context import current_settings
from ._errors import EXIT_ERROR, CliError
from ._output import emit
from ._progress import ByteProgress

__all__ = ["OUTPUT_OPTION", "ByteProgress", "extend_datasets", "extend_exports"]


def _load(reference: str, revision: str | None) -> Any:
    """Resolve without a key: the resolver is public. The alias warning is for library users
    pinning inputs; the command prints the canonical reference instead."""
    from .._core._config import DEFAULT_MAX_RETRIES
    from .._sync._load import load
    from .._sync._resolver import TIMEOUT

    settings = current_settings()
    base_url = settings.resolve().base_url
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load(
                reference,
                revision=revision,
                base_url=base_url,
                max_retries=DEFAULT_MAX_RETRIES
                if settings.max_retries is None
                else settings.max_retries,
                timeout=TIMEOUT if settings.timeout is None else settings.timeout,
            )
        except ValueError as exc:
            if isinstance(exc, CliError):
                raise
            raise CliError(f"invalid argument: {exc}", 2) from None


OUTPUT_OPTION = click.option(
    "-o",
    "--output",
    "cli_output",
    type=click.Choice(["table", "json", "jsonl"]),
    default=None,
    help="Output format for this command.",
)


@click.command("resolve")
@click.argument("reference")
@click.option("--revision", default=None, help="Selector (alias or revision SHA-256).")
@OUTPUT_OPTION
def resolve_command(reference: str, revision: str | None, cli_output: Any) -> None:
    """Resolve a published dataset revision (no API key needed).

    REFERENCE is owner/dataset[@selector] or avala://datasets/<uuid>@<sha256>.
    """
    dataset = _load(reference, revision)
    try:
        emit(dataset.summary(), cli_output or current_settings().output_mode)
    finally:
        dataset.close()


@click.command("download")
@click.argument("reference")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--revision", default=None, help="Selector (alias or revision SHA-256).")
@click.option("--role", "roles", multiple=True, help="Only objects of this role (repeatable).")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=8,
    show_default=True,
    help="Files downloaded at a time.",
)
@OUTPUT_OPTION
def download_dataset_command(
    reference: str,
    directory: str,
    revision: str | None,
    roles: tuple[str, ...],
    concurrency: int,
    cli_output: Any,
) -> None:
    """Download a published dataset revision into DIRECTORY (no API key needed).

    Every file is verified (size and SHA-256) and written atomically; files already present
    and verified are skipped, and an interrupted run resumes where it stopped.
    """
    dataset = _load(reference, revision)
    try:
        total = None if roles else dataset.total_size_bytes
        with ByteProgress(f"Downloading {dataset.display_reference}", total) as bar:
            summary = dataset.download(
                directory, roles=list(roles) or None, concurrency=concurrency, on_progress=bar
            )
        emit(
            {
                "canonical_reference": dataset.canonical_reference,
                "directory": str(summary.directory),
                "downloaded": summary.downloaded,
                "skipped": summary.skipped,
                "bytes_received": summary.bytes_received,
            },
            cli_output or current_settings().output_mode,
        )
    finally:
        dataset.close()


def _download_export(uid: str, path: str, sha256: str | None) -> Any:
    client = current_settings().client()
    with ByteProgress(f"Downloading export {uid}", None) as bar:
        return client.exports.download(uid, path, sha256=sha256, on_progress=bar)


@click.command("download")
@click.argument("uid")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--sha256", default=None, help="Expected SHA-256 of the file, to verify it.")
@OUTPUT_OPTION
def download_export_command(uid: str, path: str, sha256: str | None, cli_output: Any) -> None:
    """Download a finished export's file to PATH (streamed, resumed, verified)."""
    written = _download_export(uid, path, sha256)
    emit({"uid": uid, "path": str(written)}, cli_output or current_settings().output_mode)


def _with_download(create: click.Command) -> click.Command:
    """`exports create` plus `--download PATH`: wait, then fetch the file."""
    original = create.callback
    assert original is not None

    def callback(**values: Any) -> None:
        path = values.pop("cli_download")
        if path is not None and not values.get("cli_wait"):
            raise CliError("--download needs --wait (the export must finish first)", 2)
        if path is None:
            original(**values)
            return
        settings = current_settings()
        client = settings.client()
        created: list[Any] = []
        real_create = client.exports.create

        def remember(*args: Any, **kwargs: Any) -> Any:
            result = real_create(*args, **kwargs)
            created.append(result)
            return result

        client.exports.create = remember  # type: ignore[method-assign]
        try:
            original(**values)
        finally:
            client.exports.create = real_create  # type: ignore[method-assign]
        if not created:
            raise CliError("the export was not created", EXIT_ERROR)
        written = _download_export(created[0].uid, path, None)
        click.echo(f"avala: export {created[0].uid} downloaded to {written}", err=True)

    create.params.append(
        click.Option(
            ["--download", "cli_download"],
            type=click.Path(dir_okay=False),
            default=None,
            help="With --wait: download the finished export's file to this path.",
        )
    )
    create.callback = callback
    return create


def extend_datasets(group: click.Group) -> None:
    group.add_command(resolve_command)
    group.add_command(download_dataset_command)


def extend_exports(group: click.Group) -> None:
    group.add_command(download_export_command)
    create = group.commands.get("create")
    if create is not None:
        _with_download(create)
