"""`avala import folder|cloud|rosbag|lerobot|list`: bring data from elsewhere into Avala.

Credentials (`--access-key-id`, `--secret-access-key`, `--gcs-auth-json`) also take `@file`
or `@-` (standard input) so they stay off the command line, or come from the usual AWS
environment variables.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._context import Settings
from ._output import emit
from ._params import SecretText
from ._upload import dataset_row

__all__ = ["import_group"]

F = TypeVar("F", bound=Callable[..., Any])

_CREDENTIAL_HELP = " Give @file or @- (stdin) to keep it off the command line."


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _summary(dataset: Any, settings: Settings) -> None:
    click.echo(f"Dataset created: {dataset.uid} ({dataset.name})", err=True)
    emit(dataset_row(dataset), settings.output_mode)


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options as one decorator, listed in the order given."""

    def apply(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


_NAMED = _options(
    click.option("--name", required=True, help="Dataset name."),
    click.option("--slug", required=True, help="Dataset slug."),
)
_OWNER = click.option("--owner", default=None, help="Owner username or email.")
_WAIT = click.option(
    "--wait/--no-wait", "wait_after", default=False, help="Wait until it is indexed."
)


def _uploaded(resume_help: str | None = None) -> Callable[[F], F]:
    """Where the dataset goes and how its files are uploaded (`--resume` when resumable)."""
    resume = (
        [click.option("--resume/--no-resume", default=True, show_default=True, help=resume_help)]
        if resume_help
        else []
    )
    return _options(
        _OWNER,
        click.option("--organization-uid", default=None, help="Create it in this organization."),
        click.option(
            "--workers",
            type=click.IntRange(1, 64),
            default=8,
            show_default=True,
            help="Files uploaded at once.",
        ),
        *resume,
        _WAIT,
    )


def _upload_arguments(options: dict[str, Any]) -> dict[str, Any]:
    """The `_uploaded` options as the importers name them."""
    options["owner_name"] = options.pop("owner")
    options["wait"] = options.pop("wait_after")
    return options


@click.group("import")
def import_group() -> None:
    """Datasets from local folders, buckets, ROS bags and LeRobot datasets."""


@import_group.command("list")
def list_importers() -> None:
    """The available importers."""
    from ..importers import available_importers

    for name in available_importers():
        click.echo(name)


@import_group.command("folder")
@click.option("--source", required=True, type=click.Path(exists=True), help="File or folder.")
@_NAMED
@click.option(
    "--data-type",
    type=click.Choice(["image", "video", "lidar", "mcap", "splat"]),
    default=None,
    help="Data type [default: from the file suffixes].",
)
@_uploaded("Continue an interrupted upload.")
@click.pass_obj
def import_folder_command(
    settings: Settings,
    /,
    source: str,
    name: str,
    slug: str,
    data_type: str | None,
    **upload: Any,
) -> None:
    """Upload a local file or folder as a new dataset (re-run to resume)."""
    from ..importers import import_folder

    dataset = import_folder(
        settings.client(),
        source=source,
        name=name,
        slug=slug,
        data_type=data_type,
        **_upload_arguments(upload),
    )
    _summary(dataset, settings)


@import_group.command("cloud")
@click.argument("uri", required=False)
@_NAMED
@click.option(
    "--data-type",
    required=True,
    type=click.Choice(["image", "video", "lidar", "mcap", "splat"]),
    help="Objects of this type are indexed.",
)
@click.option(
    "--storage-config",
    "storage_config_uid",
    default=None,
    help="Verified storage config uid (bucket, prefix, region).",
)
@click.option("--region", default=None, envvar="AWS_REGION", help="S3 region [or $AWS_REGION].")
@click.option(
    "--access-key-id",
    default=None,
    envvar="AWS_ACCESS_KEY_ID",
    type=SecretText(),
    help="S3 access key id [or $AWS_ACCESS_KEY_ID]." + _CREDENTIAL_HELP,
)
@click.option(
    "--secret-access-key",
    default=None,
    envvar="AWS_SECRET_ACCESS_KEY",
    type=SecretText(),
    help="S3 secret access key [or $AWS_SECRET_ACCESS_KEY]." + _CREDENTIAL_HELP,
)
@click.option(
    "--role-arn", default=None, help="IAM role for keyless S3 access (needs --organization-uid)."
)
@click.option("--accelerated", is_flag=True, help="Use S3 Transfer Acceleration.")
@click.option(
    "--gcs-auth-json",
    default=None,
    type=SecretText(),
    help="GCS service-account key: @key.json, @- or the key file's path.",
)
@click.option("--include-extensions", default=None, help="Comma-separated extensions to index.")
@click.option("--ignore-paths", default=None, help="Comma-separated object paths to skip.")
@_OWNER
@click.option("--organization-uid", default=None, help="Owning organization uid.")
@click.option("--organization-id", type=int, default=None, help="Owning organization id.")
@_WAIT
@click.pass_obj
def import_cloud_command(settings: Settings, /, uri: str | None, **options: Any) -> None:
    """A dataset over objects already in S3 or GCS; nothing is uploaded.

    URI is s3://bucket/prefix or gs://bucket/prefix; with --storage-config it is optional
    and may only narrow the config's prefix.
    """
    from ..importers import import_cloud

    _upload_arguments(options)
    options["included_extensions"] = options.pop("include_extensions")
    options["ignored_paths"] = options.pop("ignore_paths")
    dataset = import_cloud(settings.client(), uri=uri, **options)
    _summary(dataset, settings)


@import_group.command("rosbag")
@click.argument("bag", type=click.Path(exists=True))
@_NAMED
@click.option("--image-topics", default=None, help="Comma-separated camera topics [default: all].")
@_uploaded()
@click.pass_obj
def import_rosbag_command(
    settings: Settings,
    /,
    bag: str,
    name: str,
    slug: str,
    image_topics: str | None,
    **upload: Any,
) -> None:
    """Upload a ROS bag's camera topics as one MCAP dataset (re-run to resume).

    Reads ROS 1 .bag files and ROS 2 bag directories; needs `pip install "avala[rosbag]"`.
    """
    from ..importers.rosbag import import_ros_bag

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        dataset = import_ros_bag(
            settings.client(),
            bag=bag,
            name=name,
            slug=slug,
            image_topics=_csv(image_topics),
            **_upload_arguments(upload),
        )
    for warning in caught:
        click.echo(f"Note: {warning.message}", err=True)
    _summary(dataset, settings)


def _episodes(value: str | None) -> list[int] | None:
    parts = _csv(value)
    if parts is None:
        return None
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise click.BadParameter(
            "give episode indices, e.g. 0,1,5", param_hint="--episodes"
        ) from None


@import_group.command("lerobot")
@click.option("--repo-id", default=None, help="Hugging Face Hub dataset (user/name).")
@click.option("--root", default=None, type=click.Path(exists=True), help="Local dataset folder.")
@_NAMED
@click.option("--episodes", default=None, help="Comma-separated episode indices [default: all].")
@click.option("--camera-keys", default=None, help="Comma-separated camera features [default: all].")
@click.option(
    "--state-keys",
    default=None,
    help="Comma-separated numeric features [default: observation.state,action].",
)
@click.option("--fps", type=float, default=None, help="Frame rate [default: the dataset's].")
@_uploaded("Continue an interrupted import.")
@click.pass_obj
def import_lerobot_command(
    settings: Settings,
    /,
    repo_id: str | None,
    root: str | None,
    name: str,
    slug: str,
    episodes: str | None,
    camera_keys: str | None,
    state_keys: str | None,
    fps: float | None,
    **upload: Any,
) -> None:
    """Upload a LeRobot dataset as an MCAP dataset, one file per episode (re-run to resume).

    Needs `pip install "avala[lerobot]"`.
    """
    from ..importers.lerobot import import_lerobot

    dataset = import_lerobot(
        settings.client(),
        name=name,
        slug=slug,
        repo_id=repo_id,
        root=root,
        episodes=_episodes(episodes),
        camera_keys=_csv(camera_keys),
        state_keys=_csv(state_keys),
        fps=fps,
        **_upload_arguments(upload),
    )
    _summary(dataset, settings)
