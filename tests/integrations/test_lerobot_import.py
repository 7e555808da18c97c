"""LeRobot import: a small dataset written locally with `lerobot` itself, converted to one
MCAP per episode, uploaded to the local Avala API, resumed without converting or sending
anything again."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("PIL")
pytest.importorskip("mcap_protobuf")
pytest.importorskip("foxglove_schemas_protobuf")
pytest.importorskip("lerobot")

from google.protobuf.json_format import MessageToDict  # noqa: E402
from lerobot.datasets.lerobot_dataset import LeRobotDataset  # noqa: E402
from mcap.reader import make_reader  # noqa: E402
from mcap_protobuf.decoder import DecoderFactory  # noqa: E402
from PIL import Image  # noqa: E402

import avala  # noqa: E402
from avala.errors import MissingExtraError  # noqa: E402
from avala.importers import import_dataset, import_lerobot  # noqa: E402
from avala.importers import lerobot as lerobot_importer  # noqa: E402
from avala.testing import LocalAvala  # noqa: E402

KEY = "avk_lerobot_import"
W, H = 8, 6


def write_dataset(root: Path, lengths: list[int], *, channels: int = 3) -> Path:
    """A LeRobot v3 dataset with one `channels`-channel camera, a state and an action."""
    dataset = LeRobotDataset.create(
        repo_id="local/robot",
        fps=10,
        root=root,
        use_videos=False,
        features={
            "observation.images.wrist": {
                "dtype": "image",
                "shape": (H, W, channels),
                "names": ["height", "width", "channels"],
            },
            "observation.state": {"dtype": "float32", "shape": (2,), "names": None},
            "action": {"dtype": "float32", "shape": (2,), "names": None},
        },
    )
    for episode, length in enumerate(lengths):
        for i in range(length):
            pixel = [40 * i, 100, 10 * episode][:channels]
            dataset.add_frame(
                {
                    "observation.images.wrist": np.full((H, W, channels), pixel, np.uint8),
                    "observation.state": np.array([episode, i], np.float32),
                    "action": np.array([i * 0.5, -1.0], np.float32),
                    "task": "wave",
                }
            )
        dataset.save_episode()
    dataset.finalize()
    return root


def read_mcap(path: Path) -> list[tuple[str, int, Any]]:
    with path.open("rb") as stream:
        reader = make_reader(stream, decoder_factories=[DecoderFactory()])
        return [
            (channel.topic, message.log_time, decoded)
            for _, channel, message, decoded in reader.iter_decoded_messages()
        ]


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


def _stored(api: LocalAvala, tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "stored"
    folder.mkdir()
    out = {}
    for key in api.objects.keys(prefix=""):
        if key.endswith(".mcap"):
            path = folder / Path(key).name
            path.write_bytes(api.objects.read_back(key))
            out[path.name] = path
    return out


def test_import_uploads_one_mcap_per_episode(
    api: LocalAvala, client: avala.Client, tmp_path: Path
) -> None:
    root = write_dataset(tmp_path / "ds", [3, 2])
    dataset = import_lerobot(client, name="Robot", slug="robot", root=root)
    assert dataset.data_type == "mcap"
    assert dataset.item_count == 2
    files = _stored(api, tmp_path)
    assert sorted(files) == ["episode_000000.mcap", "episode_000001.mcap"]
    messages = read_mcap(files["episode_000001.mcap"])
    topics = sorted({topic for topic, _, _ in messages})
    assert topics == ["/action", "/observation/images/wrist", "/observation/state"]
    images = [m for t, _, m in messages if t == "/observation/images/wrist"]
    assert len(images) == 2
    assert images[1].format == "jpeg"
    assert images[1].frame_id == "observation.images.wrist"
    with Image.open(io.BytesIO(images[1].data)) as decoded:
        assert decoded.mode == "RGB"
        red, green, _ = decoded.getpixel((0, 0))
        assert abs(red - 40) <= 3
        assert abs(green - 100) <= 3
    states = [MessageToDict(m) for t, _, m in messages if t == "/observation/state"]
    assert states == [{"data": [1.0, 0.0]}, {"data": [1.0, 1.0]}]
    log_times = sorted({t_ns for t, t_ns, _ in messages})
    assert log_times == [0, 100_000_000]  # frame times of a 10 fps episode
    state = Path(os.environ["AVALA_STATE_DIR"])
    assert list((state / "imports").iterdir()) == []


def test_rgba_and_grey_frames_are_written_as_jpeg(tmp_path: Path) -> None:
    """LeRobot hands out CHW float images; a 4-channel (RGBA) one has no JPEG form as it is."""
    rgba = np.zeros((4, H, W), np.float32)
    rgba[0], rgba[1], rgba[3] = 1.0, 0.5, 0.25
    grey = np.full((1, H, W), 0.2, np.float32)
    frames = [
        {
            "timestamp_ns": 7,
            "images": {
                "/cam/rgba": lerobot_importer.to_hwc_uint8(rgba),
                "/cam/grey": lerobot_importer.to_hwc_uint8(grey),
            },
            "structs": {},
        }
    ]
    out = tmp_path / "e.mcap"
    assert lerobot_importer.write_episode_mcap(out, frames) == 1
    decoded = {topic: message for topic, _, message in read_mcap(out)}
    with Image.open(io.BytesIO(decoded["/cam/rgba"].data)) as image:
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((0, 0))
        assert (abs(red - 255), abs(green - 128), blue) < (4, 4, 4)
    with Image.open(io.BytesIO(decoded["/cam/grey"].data)) as image:
        assert image.mode == "L"
        assert abs(image.getpixel((0, 0)) - 51) <= 2


def test_episodes_and_keys_are_checked(client: avala.Client, tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "ds", [1, 1])
    with pytest.raises(ValueError, match="outside"):
        import_lerobot(client, name="R", slug="r", root=root, episodes=[5])
    with pytest.raises(ValueError, match="Unknown camera keys"):
        import_lerobot(client, name="R", slug="r", root=root, camera_keys=["observation.images.x"])
    with pytest.raises(ValueError, match="Unknown state keys"):
        import_lerobot(client, name="R", slug="r", root=root, state_keys=["nope"])
    with pytest.raises(ValueError, match="repo_id"):
        import_lerobot(client, name="R", slug="r")


def test_an_interrupted_import_resumes_without_converting_again(
    api: LocalAvala, client: avala.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(tmp_path / "ds", [2, 2, 2])
    conversions: list[Path] = []
    real_write = lerobot_importer.write_episode_mcap

    def counting(out: Any, frames: Any) -> int:
        conversions.append(Path(out))
        return real_write(out, frames)

    monkeypatch.setattr(lerobot_importer, "write_episode_mcap", counting)
    real_create = client.datasets.create_from_manual_upload

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(client.datasets, "create_from_manual_upload", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_lerobot(client, name="R", slug="r", root=root, episodes=[0, 2])
    assert len(conversions) == 2
    sent = api.objects.stats.bytes_received
    assert sent > 0

    monkeypatch.setattr(client.datasets, "create_from_manual_upload", real_create)
    dataset = import_dataset("lerobot", client, name="R", slug="r", root=root, episodes=[0, 2])
    assert dataset.item_count == 2
    assert len(conversions) == 2  # not converted again
    assert api.objects.stats.bytes_received == sent  # nothing uploaded twice


def test_without_the_extra_the_error_names_it(
    client: avala.Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "lerobot.datasets.lerobot_dataset", None)
    with pytest.raises(MissingExtraError, match=r'pip install "avala\[lerobot\]"'):
        import_lerobot(client, name="R", slug="r", root=tmp_path)
