"""LeRobot datasets (local, or from the Hugging Face Hub) into Avala as MCAP datasets
(extra `avala[lerobot]`).

Each episode becomes one `episode_NNNNNN.mcap`: camera features as `foxglove.CompressedImage`
(JPEG) on `/observation/images/<camera>`, which Avala's MCAP viewer renders, and numeric
features (`observation.state`, `action` by default) as `google.protobuf.Struct`
`{"data": [...]}` messages on `/observation/state`, `/action`. The dataset is read with the
`lerobot` library and written with the `mcap` protobuf writer.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._extras import require
from ..types.datasets import Dataset
from ._workdir import UploadOptions, file_identity, import_converted

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["import_lerobot", "write_episode_mcap"]

_FEATURE = "LeRobot import"
_FORMAT_VERSION = 1


def _writer_libs() -> tuple[Any, Any, Any, Any]:
    writer = require("mcap_protobuf.writer", "lerobot", feature=_FEATURE)
    image = require("foxglove_schemas_protobuf.CompressedImage_pb2", "lerobot", feature=_FEATURE)
    struct = require("google.protobuf.struct_pb2", "lerobot", feature=_FEATURE)
    pil = require("PIL.Image", "lerobot", feature=_FEATURE)
    return writer, image, struct, pil


def _jpeg(array: Any, pil: Any) -> bytes:
    """JPEG (quality 95) of an HWC uint8 image; RGBA and two-channel images lose their
    alpha (JPEG has none), other modes become RGB."""
    image = pil.fromarray(array)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def write_episode_mcap(out_path: str | os.PathLike[str], frames: Iterable[dict[str, Any]]) -> int:
    """Write frames to the MCAP file `out_path`; returns how many were written.

    A frame is `{"timestamp_ns": int, "images": {topic: HWC uint8 array},
    "structs": {topic: dict}}`: each image becomes a `foxglove.CompressedImage` (JPEG), each
    struct a `google.protobuf.Struct`, logged and published at `timestamp_ns`.
    """
    writer_module, image_pb2, struct_pb2, pil = _writer_libs()
    count = 0
    with open(out_path, "wb") as stream:
        writer = writer_module.Writer(stream)
        for frame in frames:
            stamp = int(frame["timestamp_ns"])
            for topic, array in (frame.get("images") or {}).items():
                message = image_pb2.CompressedImage()
                message.timestamp.FromNanoseconds(stamp)
                message.frame_id = topic.strip("/").replace("/", ".")
                message.format = "jpeg"
                message.data = _jpeg(array, pil)
                writer.write_message(
                    topic=topic, message=message, log_time=stamp, publish_time=stamp
                )
            for topic, payload in (frame.get("structs") or {}).items():
                struct = struct_pb2.Struct()
                struct.update(payload)
                writer.write_message(
                    topic=topic, message=struct, log_time=stamp, publish_time=stamp
                )
            count += 1
        writer.finish()
    return count


def _numpy(value: Any) -> Any:
    np = require("numpy", "lerobot", feature=_FEATURE)
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def to_hwc_uint8(value: Any) -> Any:
    """A LeRobot image (CHW or HWC; float in [0, 1] or uint8) as an HWC uint8 array."""
    np = require("numpy", "lerobot", feature=_FEATURE)
    array = _numpy(value)
    if array.ndim == 3 and array.shape[0] in (1, 2, 3, 4) and array.shape[0] < array.shape[2]:
        array = np.transpose(array, (1, 2, 0))
    if array.dtype != np.uint8:
        peak = float(array.max()) if array.size else 0.0
        scaled = np.clip(array, 0.0, 1.0) * 255.0 if peak <= 1.0 else np.clip(array, 0.0, 255.0)
        array = scaled.round().astype(np.uint8)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    return np.ascontiguousarray(array)


def _number(value: Any) -> float:
    return float(value.item() if hasattr(value, "item") else value)


def _topic(key: str) -> str:
    return "/" + key.replace(".", "/")


def _frame(
    sample: dict[str, Any], cameras: Sequence[str], states: Sequence[str], fps: float
) -> dict[str, Any]:
    images = {_topic(key): to_hwc_uint8(sample[key]) for key in cameras if key in sample}
    structs = {
        _topic(key): {"data": [float(x) for x in _numpy(sample[key]).reshape(-1)]}
        for key in states
        if key in sample
    }
    if sample.get("timestamp") is not None:
        # LeRobot keeps timestamps as float32 seconds: beyond microseconds they are noise
        # (0.1 reads back as 0.100000001).
        stamp = round(_number(sample["timestamp"]) * 1_000_000) * 1_000
    else:
        stamp = round(_number(sample.get("frame_index", 0)) / fps * 1_000_000_000)
    return {"timestamp_ns": stamp, "images": images, "structs": structs}


def _episodes(
    dataset: Any, cameras: Sequence[str], states: Sequence[str], fps: float
) -> Iterator[tuple[int, Iterator[dict[str, Any]]]]:
    """`(episode index, its frames)`: a LeRobot dataset keeps each episode's frames together
    and in order, so consecutive samples with the same `episode_index` are one episode."""

    def samples() -> Iterator[tuple[int, dict[str, Any]]]:
        for i in range(len(dataset)):
            sample = dataset[i]
            yield int(_number(sample.get("episode_index", 0))), sample

    for episode, group in itertools.groupby(samples(), key=lambda pair: pair[0]):
        yield episode, (_frame(sample, cameras, states, fps) for _, sample in group)


def _metadata(repo_id: str, root: str | os.PathLike[str] | None) -> tuple[Any, Any]:
    module = require("lerobot.datasets.lerobot_dataset", "lerobot", feature=_FEATURE)
    try:
        return module, module.LeRobotDatasetMetadata(repo_id, root=root)
    except Exception as exc:
        # lerobot raises its own (and the Hub client's) errors for a missing or damaged dataset.
        raise ValueError(f"Cannot read the LeRobot dataset {repo_id!r}: {exc}") from None


def _pick(
    meta: Any,
    camera_keys: Sequence[str] | None,
    state_keys: Sequence[str] | None,
    episodes: Sequence[int] | None,
) -> tuple[list[str], list[str], list[int]]:
    available = list(meta.camera_keys)
    cameras = list(camera_keys) if camera_keys is not None else available
    unknown = [key for key in cameras if key not in available]
    if unknown:
        raise ValueError(f"Unknown camera keys {unknown}; the dataset's cameras: {available}.")
    if not cameras:
        raise ValueError("The LeRobot dataset has no camera features to import.")
    features = dict(meta.features)
    if state_keys is None:
        states = [key for key in ("observation.state", "action") if key in features]
    else:
        states = list(state_keys)
        unknown = [key for key in states if key not in features]
        if unknown:
            raise ValueError(f"Unknown state keys {unknown}; the features: {sorted(features)}.")
    total = int(meta.total_episodes)
    selected = list(episodes) if episodes is not None else list(range(total))
    invalid = [ep for ep in selected if not 0 <= ep < total]
    if invalid:
        raise ValueError(f"Episode indices {invalid} are outside [0, {total}).")
    if not selected:
        raise ValueError("No episodes selected to import.")
    return cameras, states, selected


def import_lerobot(
    client: Any,
    *,
    name: str,
    slug: str,
    repo_id: str | None = None,
    root: str | os.PathLike[str] | None = None,
    episodes: Sequence[int] | None = None,
    camera_keys: Sequence[str] | None = None,
    state_keys: Sequence[str] | None = None,
    fps: float | None = None,
    **options: Unpack[UploadOptions],
) -> Dataset:
    """Import a LeRobot dataset as an MCAP dataset, one `.mcap` file per episode.

    `root` is a local dataset directory; `repo_id` a Hugging Face Hub dataset (downloaded by
    `lerobot`), also the dataset's name when both are given (default: `slug`).
    `camera_keys` defaults to every camera, `state_keys` to `observation.state` and
    `action`; `episodes` picks episode indices; `fps` (default: the dataset's) times frames
    without a `timestamp`. Unknown keys and out-of-range episodes are a `ValueError`.
    The upload options (`visibility`, `owner_name`, `industry`, `license`, `workers`,
    `on_progress`, `wait`, `wait_timeout`, `organization_uid`, `resume`) are those of
    `client.datasets.create_from_local`.

    The converted files are kept under the state directory (`state_dir`, else
    `$AVALA_STATE_DIR`, else `~/.avala`) until the dataset exists: running the same import
    again after an interruption reuses them and resumes the upload.
    """
    if not repo_id and root is None:
        raise ValueError("Give repo_id (a Hugging Face Hub dataset) or root (a local one).")
    _writer_libs()
    name_on_hub = repo_id or slug
    module, meta = _metadata(name_on_hub, root)
    cameras, states, selected = _pick(meta, camera_keys, state_keys, episodes)
    rate = float(fps if fps is not None else meta.fps)
    source: Any = file_identity(Path(root).expanduser()) if root is not None else name_on_hub
    identity = {
        "format": _FORMAT_VERSION,
        "source": source,
        "repo_id": name_on_hub,
        "episodes": selected,
        "cameras": cameras,
        "states": states,
        "fps": rate,
    }

    def convert(files: Path) -> dict[str, Any]:
        try:
            dataset = module.LeRobotDataset(name_on_hub, root=root, episodes=selected)
        except Exception as exc:
            raise ValueError(f"Cannot read the LeRobot dataset {name_on_hub!r}: {exc}") from None
        written = 0
        for episode, frames in _episodes(dataset, cameras, states, rate):
            out = files / f"episode_{episode:06d}.mcap"
            if write_episode_mcap(out, frames):
                written += 1
            else:
                out.unlink()
        return {"episodes": written}

    def problem(info: dict[str, Any]) -> str | None:
        return None if info["episodes"] else "The selected episodes have no frames to import."

    return import_converted(
        client,
        "lerobot",
        identity,
        name=name,
        slug=slug,
        convert=convert,
        problem=problem,
        **options,
    )
