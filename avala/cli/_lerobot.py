"""`avala lerobot export`: an Avala sequence dataset as a LeRobot v3 dataset on disk."""

from __future__ import annotations

import warnings

import click

from ._context import Settings
from ._output import emit

__all__ = ["lerobot_group"]


@click.group("lerobot")
def lerobot_group() -> None:
    """LeRobot datasets (needs `pip install "avala[lerobot]"`)."""


@lerobot_group.command("export")
@click.argument("dataset")
@click.option("--repo-id", required=True, help="The LeRobot dataset's name (user/name).")
@click.option("--output", required=True, type=click.Path(), help="Folder to create.")
@click.option("--fps", type=click.IntRange(1), default=30, show_default=True, help="Frame rate.")
@click.option("--task", default="avala sequence", show_default=True, help="Task description.")
@click.option("--camera", "cameras", multiple=True, help="Camera to export (cam0, ...) [all].")
@click.option("--state-key", default=None, help="Dotted frame key of observation.state.")
@click.option("--action-key", default=None, help="Dotted frame key of the action.")
@click.option("--ego-pose-state", is_flag=True, help="The rig pose as observation.state.")
@click.option("--robot-type", default=None, help="Robot type recorded in the metadata.")
@click.option("--no-video", is_flag=True, help="Store frames as images instead of videos.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Export the first N sequences.")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=8, show_default=True, help="Parallel fetches."
)
@click.option("--push", is_flag=True, help="Upload to the Hugging Face Hub afterwards.")
@click.option("--tag", "tags", multiple=True, help="Hub tag (with --push; repeatable).")
@click.option("--license", "repo_license", default=None, help="Hub license (with --push).")
@click.pass_obj
def export_command(
    settings: Settings,
    dataset: str,
    repo_id: str,
    output: str,
    fps: int,
    task: str,
    cameras: tuple[str, ...],
    state_key: str | None,
    action_key: str | None,
    ego_pose_state: bool,
    robot_type: str | None,
    no_video: bool,
    limit: int | None,
    workers: int,
    push: bool,
    tags: tuple[str, ...],
    repo_license: str | None,
) -> None:
    """Write DATASET (OWNER/SLUG): one episode per sequence, one feature per camera.

    Nothing is left behind on failure: the folder appears only when the export is complete.
    """
    owner, _, slug = dataset.partition("/")
    if not owner or not slug or "/" in slug:
        raise click.BadParameter("give the dataset as OWNER/SLUG", param_hint="DATASET")
    from ..lerobot import export_dataset

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        path = export_dataset(
            settings.client(),
            owner,
            slug,
            repo_id=repo_id,
            output_dir=output,
            fps=fps,
            task=task,
            camera_keys=list(cameras) or None,
            state_key=state_key,
            action_key=action_key,
            include_ego_pose=ego_pose_state,
            robot_type=robot_type,
            use_videos=not no_video,
            limit=limit,
            push=push,
            tags=list(tags),
            repo_license=repo_license,
            workers=workers,
        )
    for warning in caught:
        click.echo(f"Note: {warning.message}", err=True)
    click.echo(f"LeRobot dataset written: {path}", err=True)
    emit({"output": str(path), "repo_id": repo_id}, settings.output_mode)
