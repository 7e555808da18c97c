"""Avala sequences into a LeRobot v3 dataset, written by the `lerobot` library itself."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .._extras import require
from ..errors import MediaError

__all__ = ["CameraSpec", "build_features", "discover_camera_specs", "export_dataset"]

_IMAGE_PREFIX = "observation.images."
_FEATURE = "LeRobot export"

# (camera name, height, width), resolved from the first frame's images.
CameraSpec = tuple[str, int, int]
# Fetches one camera image of one frame: (frame index, camera name) -> bytes.
Fetch = Callable[[int, str], bytes]


def _lerobot_dataset() -> Any:
    module = require("lerobot.datasets.lerobot_dataset", "lerobot", feature=_FEATURE)
    return module.LeRobotDataset


def camera_urls(frame: dict[str, Any]) -> list[tuple[str, str]]:
    """`(camera name, url)` per camera of a frame: `image_urls` named `cam0`, `cam1`, ... by
    position, or the older `images[].image_url` shape."""
    urls = frame.get("image_urls")
    if isinstance(urls, list) and urls:
        return [(f"cam{i}", url) for i, url in enumerate(urls) if isinstance(url, str) and url]
    out: list[tuple[str, str]] = []
    for i, image in enumerate(frame.get("images") or []):
        url = image.get("image_url") if isinstance(image, dict) else None
        if isinstance(url, str) and url:
            out.append((f"cam{i}", url))
    return out


def decode_rgb(content: bytes, what: str) -> Any:
    """An HWC uint8 RGB array of an image in any mode Pillow reads (RGBA, grey, palette)."""
    image_module = require("PIL.Image", "lerobot", feature=_FEATURE)
    np = require("numpy", "lerobot", feature=_FEATURE)
    try:
        with image_module.open(io.BytesIO(content)) as image:
            return np.asarray(image.convert("RGB"))
    except (OSError, ValueError, image_module.DecompressionBombError):
        raise MediaError(
            f"The image of {what} is not one Pillow can decode.", "not_an_image"
        ) from None


def _vector(frame: dict[str, Any], dotted_key: str, frame_index: int) -> list[float]:
    """The numeric vector at `dotted_key` in a frame (`ValueError` when absent or not one)."""
    current: Any = frame
    for part in dotted_key.split("."):
        if not isinstance(current, dict) or part not in current:
            raise ValueError(f"Frame {frame_index} has no {dotted_key!r} (missing {part!r}).")
        current = current[part]
    if (
        isinstance(current, (list, tuple))
        and current
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in current)
    ):
        return [float(x) for x in current]
    raise ValueError(f"{dotted_key!r} of frame {frame_index} is not a non-empty list of numbers.")


def _ego_pose(frame: dict[str, Any], frame_index: int) -> list[float]:
    position, heading = frame.get("device_position"), frame.get("device_heading")
    try:
        if not isinstance(position, dict) or not isinstance(heading, dict):
            raise TypeError
        return [float(position[k]) for k in "xyz"] + [float(heading[k]) for k in "wxyz"]
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"Frame {frame_index} has no complete device_position / device_heading pose."
        ) from None


def discover_camera_specs(
    frame: dict[str, Any],
    fetch: Callable[[str], bytes],
    *,
    camera_keys: Sequence[str] | None = None,
) -> list[CameraSpec]:
    """`(camera, height, width)` of each camera of `frame` (`camera_keys` picks some, e.g.
    `["cam0"]`), measured by fetching its image with `fetch(url)`."""
    cameras = camera_urls(frame)
    if not cameras:
        raise ValueError("The first frame has no image URLs; there are no cameras to export.")
    if camera_keys is not None:
        wanted = set(camera_keys)
        available = [name for name, _ in cameras]
        cameras = [(name, url) for name, url in cameras if name in wanted]
        if len(cameras) != len(wanted):
            raise ValueError(
                f"Unknown camera(s) {sorted(wanted - set(available))}; the frames have {available}."
            )
    specs: list[CameraSpec] = []
    for name, url in cameras:
        array = decode_rgb(fetch(url), f"camera {name!r} of the first frame")
        specs.append((name, int(array.shape[0]), int(array.shape[1])))
    return specs


def build_features(
    first_frame: dict[str, Any],
    *,
    camera_specs: Sequence[CameraSpec],
    state_key: str | None = None,
    action_key: str | None = None,
    include_ego_pose: bool = False,
    use_videos: bool = True,
) -> dict[str, dict[str, Any]]:
    """The LeRobot `features` of the export: one `observation.images.<camera>` per camera
    (`video` or `image`, shape `(3, H, W)`), `observation.state` from `state_key` (or the
    7-value ego pose `x y z qw qx qy qz`), `action` from `action_key`."""
    if state_key and include_ego_pose:
        raise ValueError(
            "Give state_key or include_ego_pose, not both: both are observation.state."
        )
    if not camera_specs:
        raise ValueError("No cameras to export.")
    names = [name for name, _, _ in camera_specs]
    if len(set(names)) != len(names):
        raise ValueError(f"Camera names repeat: {names}.")
    features: dict[str, dict[str, Any]] = {}
    for name, height, width in camera_specs:
        features[_IMAGE_PREFIX + name] = {
            "dtype": "video" if use_videos else "image",
            "shape": (3, int(height), int(width)),
            "names": ["channels", "height", "width"],
        }
    if state_key:
        size = len(_vector(first_frame, state_key, 0))
        features["observation.state"] = {
            "dtype": "float32",
            "shape": (size,),
            "names": [f"state_{i}" for i in range(size)],
        }
    if include_ego_pose:
        _ego_pose(first_frame, 0)
        features["observation.state"] = {
            "dtype": "float32",
            "shape": (7,),
            "names": ["x", "y", "z", "qw", "qx", "qy", "qz"],
        }
    if action_key:
        size = len(_vector(first_frame, action_key, 0))
        features["action"] = {
            "dtype": "float32",
            "shape": (size,),
            "names": [f"action_{i}" for i in range(size)],
        }
    return features


class _Plan:
    """The per-frame schema the features declare, checked on every frame."""

    def __init__(
        self,
        features: dict[str, dict[str, Any]],
        *,
        task: str,
        state_key: str | None,
        action_key: str | None,
        include_ego_pose: bool,
    ) -> None:
        self.cameras = {
            key[len(_IMAGE_PREFIX) :]: (int(spec["shape"][1]), int(spec["shape"][2]))
            for key, spec in features.items()
            if key.startswith(_IMAGE_PREFIX)
        }
        self.state_size = features["observation.state"]["shape"][0] if state_key else None
        self.action_size = features["action"]["shape"][0] if action_key else None
        self.task = task
        self.state_key = state_key
        self.action_key = action_key
        self.include_ego_pose = include_ego_pose

    def check_cameras(self, frame: dict[str, Any], index: int) -> None:
        present = {name for name, _ in camera_urls(frame)}
        missing = set(self.cameras) - present
        if missing:
            raise ValueError(f"Frame {index} has no image for camera(s) {sorted(missing)}.")

    def sample(self, frame: dict[str, Any], index: int, images: dict[str, bytes]) -> dict[str, Any]:
        np = require("numpy", "lerobot", feature=_FEATURE)
        sample: dict[str, Any] = {"task": self.task}
        for camera, (height, width) in self.cameras.items():
            array = decode_rgb(images[camera], f"camera {camera!r} of frame {index}")
            if array.shape[:2] != (height, width):
                raise ValueError(
                    f"Camera {camera!r} of frame {index} is {array.shape[1]}x{array.shape[0]}; "
                    f"the dataset's first frame is {width}x{height} (a camera keeps one size)."
                )
            sample[_IMAGE_PREFIX + camera] = array
        if self.state_key:
            state = _vector(frame, self.state_key, index)
            if len(state) != self.state_size:
                raise ValueError(
                    f"observation.state of frame {index} has {len(state)} values, "
                    f"not {self.state_size}."
                )
            sample["observation.state"] = np.asarray(state, dtype="float32")
        if self.include_ego_pose:
            sample["observation.state"] = np.asarray(_ego_pose(frame, index), dtype="float32")
        if self.action_key:
            action = _vector(frame, self.action_key, index)
            if len(action) != self.action_size:
                raise ValueError(
                    f"action of frame {index} has {len(action)} values, not {self.action_size}."
                )
            sample["action"] = np.asarray(action, dtype="float32")
        return sample


def _fetch_frames(
    frames: list[dict[str, Any]], plan: _Plan, fetch: Fetch, pool: ThreadPoolExecutor, window: int
) -> Iterator[tuple[int, dict[str, bytes]]]:
    """Each frame's camera images, in frame order, fetched `window` frames ahead in `pool`."""
    pending: deque[tuple[int, dict[str, Future[bytes]]]] = deque()
    upcoming = iter(enumerate(frames))

    def submit() -> bool:
        nxt = next(upcoming, None)
        if nxt is None:
            return False
        index, frame = nxt
        plan.check_cameras(frame, index)
        pending.append((index, {cam: pool.submit(fetch, index, cam) for cam in plan.cameras}))
        return True

    try:
        while len(pending) < window and submit():
            pass
        while pending:
            index, futures = pending.popleft()
            images = {camera: future.result() for camera, future in futures.items()}
            submit()
            yield index, images
    finally:
        for _, futures in pending:
            for future in futures.values():
                future.cancel()


def _sequences(client: Any, owner: str, slug: str, limit: int | None) -> list[str]:
    uids: list[str] = []
    for sequence in client.datasets.list_sequences(owner, slug):
        uids.append(sequence.uid)
        if limit is not None and len(uids) >= limit:
            break
    return uids


def _media_fetcher(client: Any) -> Any:
    from .._sync._media import MediaFetcher
    from .._sync._transfer import Transfer

    return MediaFetcher(Transfer(client._http))


def _camera_fetch(
    client: Any, media: Any, owner: str, slug: str, sequence_uid: str, frames: list[dict[str, Any]]
) -> Fetch:
    """Fetch one camera image of one frame; an expired or refused URL is renewed once by
    reading the sequence again (the API signs fresh URLs)."""

    def fetch(index: int, camera: str) -> bytes:
        url = dict(camera_urls(frames[index]))[camera]

        def refresh() -> str | None:
            fresh = client.datasets.get_sequence(owner, slug, sequence_uid).frames or []
            if index >= len(fresh):
                return None
            return dict(camera_urls(fresh[index])).get(camera)

        content: bytes = media.fetch(url, refresh=refresh)
        return content

    return fetch


def _prober(
    fetch: Fetch, frame: dict[str, Any], probed: dict[str, bytes]
) -> Callable[[str], bytes]:
    """Fetches a first-frame image by URL for the size probe, keeping its bytes."""
    cameras = {url: name for name, url in camera_urls(frame)}

    def probe(url: str) -> bytes:
        probed[cameras[url]] = fetch(0, cameras[url])
        return probed[cameras[url]]

    return probe


def _reuse_first(fetch: Fetch, probed: dict[str, bytes]) -> Fetch:
    """`fetch`, but the first frame's images already fetched to size the cameras are used
    as they are instead of being downloaded again."""

    def reuse(index: int, camera: str) -> bytes:
        if index == 0 and camera in probed:
            return probed.pop(camera)
        return fetch(index, camera)

    return reuse


def _staging_dir(output: Path) -> Path:
    """A fresh directory beside `output` (same filesystem, so the final move is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.partial-", dir=output.parent))


def export_dataset(
    client: Any,
    owner: str,
    slug: str,
    *,
    repo_id: str,
    output_dir: str | os.PathLike[str],
    fps: int = 30,
    task: str = "avala sequence",
    camera_keys: Sequence[str] | None = None,
    state_key: str | None = None,
    action_key: str | None = None,
    include_ego_pose: bool = False,
    robot_type: str | None = None,
    use_videos: bool = True,
    limit: int | None = None,
    push: bool = False,
    tags: Sequence[str] | None = None,
    repo_license: str | None = None,
    workers: int = 8,
) -> Path:
    """Write the sequences of `owner/slug` as a LeRobot v3 dataset in `output_dir`.

    One sequence is one episode; each camera (`cam0`, `cam1`, ... in the order of a frame's
    `image_urls`) is an `observation.images.<camera>` feature, stored as video (or images
    with `use_videos=False`); RGBA, grey and palette images become RGB. `state_key` /
    `action_key` name a numeric list in each frame (dotted, e.g. `"robot.joints"`) for
    `observation.state` / `action`; `include_ego_pose` makes the state the 7-value camera
    rig pose. Nothing is invented: without them the dataset is perception-only (a warning
    says so).

    Images are fetched `workers` at a time, with retries, checked URLs and no API key.
    The dataset is built in a temporary directory beside `output_dir` and moved there only
    when complete: a failure leaves no partial dataset. `output_dir` must not exist yet.
    `push=True` uploads it to the Hugging Face Hub as `repo_id` (tagged `avala`).
    Returns `output_dir`.
    """
    if "/" not in repo_id:
        raise ValueError(f"repo_id must look like 'user/name', got {repo_id!r}.")
    if not task or not task.strip():
        raise ValueError("task must be a non-empty description.")
    if state_key and include_ego_pose:
        raise ValueError(
            "Give state_key or include_ego_pose, not both: both are observation.state."
        )
    if fps <= 0 or workers < 1:
        raise ValueError("fps and workers must be positive.")
    output = Path(output_dir).expanduser()
    if output.exists():
        raise ValueError(f"The output directory {os.fspath(output)!r} already exists.")
    dataset_class = _lerobot_dataset()

    uids = _sequences(client, owner, slug, limit)
    if not uids:
        raise ValueError(f"The dataset {owner}/{slug} has no sequences to export.")
    media = _media_fetcher(client)
    staging = _staging_dir(output)
    root = staging / "dataset"
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="avala-lerobot") as pool:
            dataset: Any = None
            plan: _Plan | None = None
            for uid in uids:
                frames = client.datasets.get_sequence(owner, slug, uid).frames or []
                if not frames:
                    warnings.warn(f"Sequence {uid} has no frames; skipped.", stacklevel=2)
                    continue
                fetch = _camera_fetch(client, media, owner, slug, uid, frames)
                if plan is None:
                    probed: dict[str, bytes] = {}
                    specs = discover_camera_specs(
                        frames[0], _prober(fetch, frames[0], probed), camera_keys=camera_keys
                    )
                    fetch = _reuse_first(fetch, probed)
                    features = build_features(
                        frames[0],
                        camera_specs=specs,
                        state_key=state_key,
                        action_key=action_key,
                        include_ego_pose=include_ego_pose,
                        use_videos=use_videos,
                    )
                    if "observation.state" not in features and "action" not in features:
                        warnings.warn(
                            "No observation.state or action: this is a perception-only dataset. "
                            "Pass state_key / action_key (or include_ego_pose) when the frames "
                            "carry them.",
                            stacklevel=2,
                        )
                    plan = _Plan(
                        features,
                        task=task,
                        state_key=state_key,
                        action_key=action_key,
                        include_ego_pose=include_ego_pose,
                    )
                    dataset = dataset_class.create(
                        repo_id=repo_id,
                        fps=fps,
                        features=features,
                        root=root,
                        robot_type=robot_type,
                        use_videos=use_videos,
                    )
                for index, images in _fetch_frames(frames, plan, fetch, pool, workers * 2):
                    dataset.add_frame(plan.sample(frames[index], index, images))
                dataset.save_episode()
            if dataset is None:
                raise ValueError(f"The dataset {owner}/{slug} has no non-empty sequences.")
            # Writes the parquet footers: a v3 dataset is unreadable without them.
            dataset.finalize()
        os.replace(root, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if push:
        options: dict[str, Any] = {"tags": ["avala", *(tags or [])]}
        if repo_license:
            options["license"] = repo_license
        dataset_class(repo_id, root=output).push_to_hub(**options)
    return output
