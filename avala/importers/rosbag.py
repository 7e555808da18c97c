"""ROS bags (ROS 1 `.bag`, ROS 2 `.db3`) into Avala as MCAP datasets (extra `avala[rosbag]`).

Camera topics (`sensor_msgs/Image` and `sensor_msgs/CompressedImage`) become
`foxglove.CompressedImage` channels of one `data.mcap`, which renders in Avala's MCAP
viewer; other topics are skipped (a warning lists them). Bags are read with `rosbags`
(no ROS installation needed) and written with the `mcap` protobuf writer.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._extras import require
from ..types.datasets import Dataset
from ._workdir import UploadOptions, file_identity, import_converted

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["import_ros_bag", "write_bag_mcap"]

_RAW = frozenset({"sensor_msgs/Image", "sensor_msgs/msg/Image"})
_COMPRESSED = frozenset({"sensor_msgs/CompressedImage", "sensor_msgs/msg/CompressedImage"})
_CHANNELS = {"rgb8": 3, "bgr8": 3, "rgba8": 4, "bgra8": 4, "mono8": 1, "mono16": 2}
_FORMAT_VERSION = 1


def _libs() -> tuple[Any, Any, Any, Any, Any]:
    feature = "ROS bag import"
    highlevel = require("rosbags.highlevel", "rosbag", feature=feature)
    typesys = require("rosbags.typesys", "rosbag", feature=feature)
    writer = require("mcap_protobuf.writer", "rosbag", feature=feature)
    image = require("foxglove_schemas_protobuf.CompressedImage_pb2", "rosbag", feature=feature)
    numpy = require("numpy", "rosbag", feature=feature)
    require("PIL.Image", "rosbag", feature=feature)
    return highlevel, typesys, writer, image, numpy


class _Unsupported(Exception):
    pass


def _raw_to_jpeg(msg: Any, np: Any) -> bytes:
    """JPEG (quality 95) of a raw `sensor_msgs/Image`, honouring row padding (`step`) and
    the byte order of `mono16`."""
    Image = require("PIL.Image", "rosbag", feature="ROS bag import")

    encoding = str(msg.encoding).lower()
    channels = _CHANNELS.get(encoding)
    if channels is None:
        raise _Unsupported(encoding)
    height, width = int(msg.height), int(msg.width)
    row = width * channels
    step = int(getattr(msg, "step", 0) or 0) or row
    if step < row:
        raise _Unsupported(encoding)
    flat = np.frombuffer(bytes(msg.data), dtype=np.uint8)
    rows = min(height, flat.size // step)
    if rows == 0 or width == 0:
        raise _Unsupported(encoding)
    pixels = np.ascontiguousarray(flat[: step * rows].reshape(rows, step)[:, :row])
    if encoding in ("rgb8", "bgr8"):
        array = pixels.reshape(rows, width, 3)
        if encoding == "bgr8":
            array = array[:, :, ::-1]
        image = Image.fromarray(np.ascontiguousarray(array), "RGB")
    elif encoding in ("rgba8", "bgra8"):
        array = pixels.reshape(rows, width, 4)
        if encoding == "bgra8":
            array = array[:, :, [2, 1, 0, 3]]
        image = Image.fromarray(np.ascontiguousarray(array), "RGBA").convert("RGB")
    elif encoding == "mono8":
        image = Image.fromarray(pixels.reshape(rows, width), "L")
    else:
        order = ">u2" if getattr(msg, "is_bigendian", 0) else "<u2"
        depth = np.frombuffer(pixels.tobytes(), dtype=np.dtype(order)).reshape(rows, width)
        image = Image.fromarray((depth // 256).astype(np.uint8), "L")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _stamp_ns(msg: Any, fallback: int) -> int:
    stamp = getattr(getattr(msg, "header", None), "stamp", None)
    if stamp is not None:
        sec = getattr(stamp, "sec", None)
        nanosec = getattr(stamp, "nanosec", None)
        if sec is not None and nanosec is not None and (sec or nanosec):
            return int(sec) * 1_000_000_000 + int(nanosec)
    return fallback


def _frame_id(msg: Any, topic: str) -> str:
    frame = getattr(getattr(msg, "header", None), "frame_id", "")
    return str(frame) if frame else topic.strip("/").replace("/", ".")


def _bag_path(bag: str | os.PathLike[str]) -> Path:
    """A ROS 1 `.bag` file, or a ROS 2 bag directory (a `.db3` inside one is accepted)."""
    path = Path(bag).expanduser()
    if not path.exists():
        raise ValueError(f"The bag {os.fspath(bag)!r} does not exist.")
    if path.is_file() and path.suffix == ".db3" and (path.parent / "metadata.yaml").exists():
        return path.parent
    return path


def write_bag_mcap(
    out_path: str | os.PathLike[str],
    bag_path: str | os.PathLike[str],
    *,
    image_topics: Sequence[str] | None = None,
) -> tuple[int, set[str]]:
    """Write the camera topics of a ROS bag to the MCAP file `out_path`.

    Returns `(images_written, skipped_topics)`. `image_topics` limits the conversion to
    those topics. Compressed images keep their bytes (`png` or `jpeg`; `compressedDepth`
    is skipped); raw `rgb8`, `bgr8`, `rgba8`, `bgra8`, `mono8` and `mono16` images are
    encoded as JPEG, other encodings skipped. Each message's `timestamp` is the image's
    header stamp (else the bag time); MCAP log and publish times are the bag time.
    """
    highlevel, typesys, writer_module, image_pb2, np = _libs()
    wanted = set(image_topics) if image_topics is not None else None
    written = 0
    skipped: set[str] = set()
    source = _bag_path(bag_path)
    default_types = typesys.get_typestore(typesys.Stores.ROS2_HUMBLE)
    try:
        reader_context = highlevel.AnyReader([source], default_typestore=default_types)
        with reader_context as reader, open(out_path, "wb") as stream:
            writer = writer_module.Writer(stream)
            for connection, timestamp, raw in reader.messages():
                topic = connection.topic
                if connection.msgtype not in _RAW | _COMPRESSED:
                    skipped.add(topic)
                    continue
                if wanted is not None and topic not in wanted:
                    continue
                msg = reader.deserialize(raw, connection.msgtype)
                if connection.msgtype in _COMPRESSED:
                    declared = str(msg.format).lower()
                    if "compresseddepth" in declared:
                        skipped.add(topic)  # a depth transport header precedes the image
                        continue
                    kind, payload = ("png" if "png" in declared else "jpeg"), bytes(msg.data)
                else:
                    try:
                        kind, payload = "jpeg", _raw_to_jpeg(msg, np)
                    except _Unsupported:
                        skipped.add(topic)
                        continue
                image = image_pb2.CompressedImage()
                image.timestamp.FromNanoseconds(_stamp_ns(msg, int(timestamp)))
                image.frame_id = _frame_id(msg, topic)
                image.format = kind
                image.data = payload
                writer.write_message(
                    topic=topic, message=image, log_time=int(timestamp), publish_time=int(timestamp)
                )
                written += 1
            writer.finish()
    except (OSError, ValueError):
        raise
    except Exception as exc:
        # rosbags raises its own errors for a damaged or unsupported bag.
        raise ValueError(f"Cannot read the bag {os.fspath(bag_path)!r}: {exc}") from None
    return written, skipped


def import_ros_bag(
    client: Any,
    *,
    bag: str | os.PathLike[str],
    name: str,
    slug: str,
    image_topics: Sequence[str] | None = None,
    **options: Unpack[UploadOptions],
) -> Dataset:
    """Import a ROS bag as an MCAP dataset (one `data.mcap` of its camera topics).

    The converted file is kept under the state directory (`state_dir`, else
    `$AVALA_STATE_DIR`, else `~/.avala`) until the dataset exists: running the same import
    again after an interruption reuses it and resumes the upload instead of converting and
    sending everything again. `ValueError` when the bag has no camera images; skipped
    topics are reported with a `UserWarning`. The upload options (`visibility`,
    `owner_name`, `industry`, `license`, `workers`, `on_progress`, `wait`, `wait_timeout`,
    `organization_uid`, `resume`) are those of `client.datasets.create_from_local`.
    """
    _libs()
    source = _bag_path(bag)
    identity = {
        "format": _FORMAT_VERSION,
        "bag": file_identity(source),
        "topics": sorted(image_topics) if image_topics is not None else None,
    }

    def convert(files: Path) -> dict[str, Any]:
        written, skipped = write_bag_mcap(files / "data.mcap", source, image_topics=image_topics)
        return {"images": written, "skipped": sorted(skipped)}

    def problem(info: dict[str, Any]) -> str | None:
        if info["images"]:
            return None
        skipped = list(info["skipped"])
        detail = f" Skipped topics: {', '.join(skipped)}." if skipped else ""
        return (
            "The bag has no camera images (sensor_msgs/Image or CompressedImage) to import."
            + detail
        )

    def announce(info: dict[str, Any]) -> None:
        skipped = list(info["skipped"])
        if skipped:
            # Points at the caller of `import_ros_bag`, past `import_converted`.
            warnings.warn(
                f"Skipped {len(skipped)} topic(s) that are not camera images this "
                f"importer carries: {', '.join(skipped)}",
                UserWarning,
                stacklevel=4,
            )

    return import_converted(
        client,
        "rosbag",
        identity,
        name=name,
        slug=slug,
        convert=convert,
        problem=problem,
        announce=announce,
        **options,
    )
