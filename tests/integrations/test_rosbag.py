"""ROS bag import: bags written with `rosbags` itself, converted to MCAP, uploaded to the
local Avala API, resumed without converting or sending the data again."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("rosbags")
pytest.importorskip("mcap_protobuf")
pytest.importorskip("foxglove_schemas_protobuf")
pytest.importorskip("PIL")

from PIL import Image  # noqa: E402
from rosbags.typesys import Stores, get_typestore  # noqa: E402

import avala  # noqa: E402
from avala.errors import MissingExtraError  # noqa: E402
from avala.importers import import_dataset, import_ros_bag, write_bag_mcap  # noqa: E402
from avala.testing import LocalAvala  # noqa: E402

KEY = "avk_rosbag_test"
W, H = 8, 6


def _png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (W, H), color).save(out, format="PNG")
    return out.getvalue()


def _messages(store: Any) -> list[tuple[str, str, int, Any]]:
    """(topic, msgtype, bag time ns, message) of a small drive."""
    t = store.types
    Header, Time = t["std_msgs/msg/Header"], t["builtin_interfaces/msg/Time"]
    Raw, Compressed = t["sensor_msgs/msg/Image"], t["sensor_msgs/msg/CompressedImage"]
    String = t["std_msgs/msg/String"]

    ros1 = "seq" in Header.__dataclass_fields__

    def header(i: int, frame: str) -> Any:
        extra = {"seq": i} if ros1 else {}
        return Header(stamp=Time(sec=100 + i, nanosec=5), frame_id=frame, **extra)

    out: list[tuple[str, str, int, Any]] = []
    for i in range(3):
        bag_ns = 1_000_000_000 * (200 + i)
        step = W * 3 + 4  # padded rows
        rgb = np.zeros((H, step), dtype=np.uint8)
        rgb[:, : W * 3] = np.tile(np.array([255, 0, 0], dtype=np.uint8), W)
        out.append(
            (
                "/cam/front",
                "sensor_msgs/msg/Image",
                bag_ns,
                Raw(
                    header=header(i, "front"),
                    height=H,
                    width=W,
                    encoding="rgb8",
                    is_bigendian=0,
                    step=step,
                    data=rgb.reshape(-1),
                ),
            )
        )
        depth = np.full((H, W), 0x8000, dtype=">u2")
        out.append(
            (
                "/cam/mono16",
                "sensor_msgs/msg/Image",
                bag_ns + 1,
                Raw(
                    header=header(i, ""),
                    height=H,
                    width=W,
                    encoding="mono16",
                    is_bigendian=1,
                    step=W * 2,
                    data=np.frombuffer(depth.tobytes(), dtype=np.uint8),
                ),
            )
        )
        out.append(
            (
                "/cam/left/compressed",
                "sensor_msgs/msg/CompressedImage",
                bag_ns + 2,
                Compressed(
                    header=header(i, "left"),
                    format="rgb8; png compressed",
                    data=np.frombuffer(_png((0, 0, 255)), dtype=np.uint8),
                ),
            )
        )
        out.append(
            (
                "/cam/depth/compressedDepth",
                "sensor_msgs/msg/CompressedImage",
                bag_ns + 3,
                Compressed(
                    header=header(i, "depth"),
                    format="16UC1; compressedDepth",
                    data=np.zeros(16, dtype=np.uint8),
                ),
            )
        )
        out.append(
            (
                "/cam/float",
                "sensor_msgs/msg/Image",
                bag_ns + 4,
                Raw(
                    header=header(i, "f"),
                    height=1,
                    width=1,
                    encoding="32FC1",
                    is_bigendian=0,
                    step=4,
                    data=np.zeros(4, dtype=np.uint8),
                ),
            )
        )
        out.append(("/chatter", "std_msgs/msg/String", bag_ns + 5, String(data=f"hello {i}")))
    return out


def write_ros1_bag(path: Path) -> Path:
    from rosbags.rosbag1 import Writer

    store = get_typestore(Stores.ROS1_NOETIC)
    with Writer(path) as writer:
        connections: dict[str, Any] = {}
        for topic, msgtype, ns, msg in _messages(store):
            if topic not in connections:
                connections[topic] = writer.add_connection(topic, msgtype, typestore=store)
            writer.write(connections[topic], ns, store.serialize_ros1(msg, msgtype))
    return path


def write_ros2_bag(path: Path) -> Path:
    from rosbags.rosbag2 import Writer

    store = get_typestore(Stores.ROS2_HUMBLE)
    with Writer(path, version=9) as writer:
        connections: dict[str, Any] = {}
        for topic, msgtype, ns, msg in _messages(store):
            if topic not in connections:
                connections[topic] = writer.add_connection(topic, msgtype, typestore=store)
            writer.write(connections[topic], ns, store.serialize_cdr(msg, msgtype))
    return path


def read_mcap(path: Path) -> list[tuple[str, int, Any]]:
    from mcap.reader import make_reader
    from mcap_protobuf.decoder import DecoderFactory

    with path.open("rb") as stream:
        reader = make_reader(stream, decoder_factories=[DecoderFactory()])
        return [
            (channel.topic, message.log_time, proto)
            for _, channel, message, proto in reader.iter_decoded_messages()
        ]


@pytest.fixture(params=["ros1", "ros2"])
def bag(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "ros1":
        return write_ros1_bag(tmp_path / "drive.bag")
    return write_ros2_bag(tmp_path / "drive-ros2")


def test_write_bag_mcap_converts_camera_topics(bag: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mcap"
    written, skipped = write_bag_mcap(out, bag)
    assert written == 9
    assert skipped == {"/cam/depth/compressedDepth", "/cam/float", "/chatter"}
    messages = read_mcap(out)
    by_topic: dict[str, list[Any]] = {}
    for topic, log_time, proto in messages:
        by_topic.setdefault(topic, []).append((log_time, proto))
    assert sorted(by_topic) == ["/cam/front", "/cam/left/compressed", "/cam/mono16"]
    log_time, front = by_topic["/cam/front"][1]
    assert log_time == 201_000_000_000  # bag time
    assert front.timestamp.ToNanoseconds() == 101_000_000_005  # header stamp
    assert (front.frame_id, front.format) == ("front", "jpeg")
    decoded = Image.open(io.BytesIO(front.data))
    assert decoded.size == (W, H)
    red = decoded.convert("RGB").getpixel((W // 2, H // 2))
    # Padding dropped and channels in order: red stays red.
    assert red[0] > 200
    assert max(red[1], red[2]) < 60
    _, mono = by_topic["/cam/mono16"][0]
    assert mono.frame_id == "cam.mono16"  # from the topic when the header has none
    assert Image.open(io.BytesIO(mono.data)).convert("L").getpixel((0, 0)) in range(126, 131)
    _, left = by_topic["/cam/left/compressed"][0]
    assert left.format == "png"
    assert left.data == _png((0, 0, 255))  # compressed payloads are copied as they are


def test_image_topics_limit_the_conversion(tmp_path: Path) -> None:
    bag = write_ros1_bag(tmp_path / "d.bag")
    written, _ = write_bag_mcap(tmp_path / "o.mcap", bag, image_topics=["/cam/front"])
    assert written == 3
    assert {t for t, _, _ in read_mcap(tmp_path / "o.mcap")} == {"/cam/front"}


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="empty")


@pytest.fixture
def client(api: LocalAvala) -> Iterator[avala.Client]:
    with (
        api.httpx_client() as http,
        avala.Client(api_key=KEY, base_url=api.base_url, http_client=http) as c,
    ):
        yield c


def test_import_ros_bag_uploads_one_mcap(
    api: LocalAvala, client: avala.Client, bag: Path, tmp_path: Path
) -> None:
    with pytest.warns(UserWarning, match="Skipped 3 topic"):
        dataset = import_ros_bag(client, bag=bag, name="Drive", slug="drive")
    assert dataset.data_type == "mcap"
    assert dataset.item_count == 1
    (key,) = [k for k in api.objects.keys(prefix="") if k.endswith("data.mcap")]
    stored = tmp_path / "stored.mcap"
    stored.write_bytes(api.objects.read_back(key))
    assert len(read_mcap(stored)) == 9
    # The conversion is cleaned up once the dataset exists.
    state = Path(__import__("os").environ["AVALA_STATE_DIR"])
    assert list((state / "imports").iterdir()) == []


def test_an_interrupted_import_reuses_the_conversion_and_resumes(
    api: LocalAvala, client: avala.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala.importers import rosbag

    bag = write_ros1_bag(tmp_path / "d.bag")
    conversions: list[Path] = []
    real_write = rosbag.write_bag_mcap

    def counting(out: Any, *args: Any, **kwargs: Any) -> Any:
        conversions.append(Path(out))
        return real_write(out, *args, **kwargs)

    monkeypatch.setattr(rosbag, "write_bag_mcap", counting)
    real_create = client.datasets.create_from_manual_upload

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(client.datasets, "create_from_manual_upload", interrupted)
    with pytest.warns(UserWarning, match="Skipped"), pytest.raises(KeyboardInterrupt):
        import_ros_bag(client, bag=bag, name="Drive", slug="drive")
    sent = api.objects.stats.bytes_received
    assert sent > 0
    first = conversions[0]
    assert first.exists()  # kept for the next run

    monkeypatch.setattr(client.datasets, "create_from_manual_upload", real_create)
    with pytest.warns(UserWarning, match="Skipped"):
        dataset = import_dataset("rosbag", client, bag=bag, name="Drive", slug="drive")
    assert dataset.item_count == 1
    assert len(conversions) == 1  # not converted again
    assert api.objects.stats.bytes_received == sent  # nothing uploaded twice


def test_a_bag_without_images_is_refused(client: avala.Client, tmp_path: Path) -> None:
    from rosbags.rosbag1 import Writer

    store = get_typestore(Stores.ROS1_NOETIC)
    path = tmp_path / "talk.bag"
    with Writer(path) as writer:
        connection = writer.add_connection("/chatter", "std_msgs/msg/String", typestore=store)
        msg = store.types["std_msgs/msg/String"](data="hi")
        writer.write(connection, 1, store.serialize_ros1(msg, "std_msgs/msg/String"))
    with pytest.raises(ValueError, match=r"no camera images.*/chatter"):
        import_ros_bag(client, bag=path, name="T", slug="t")


def test_missing_bag_and_broken_bag(client: avala.Client, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        import_ros_bag(client, bag=tmp_path / "nope.bag", name="T", slug="t")
    broken = tmp_path / "broken.bag"
    broken.write_bytes(b"#ROSBAG V2.0\nnot really")
    with pytest.raises(ValueError, match="Cannot read the bag"):
        write_bag_mcap(tmp_path / "o.mcap", broken)


def test_without_the_extra_the_error_names_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "rosbags.highlevel", None)
    with pytest.raises(MissingExtraError, match=r'pip install "avala\[rosbag\]"'):
        write_bag_mcap(tmp_path / "o.mcap", tmp_path / "x.bag")
