"""LeRobot export: sequences of the local Avala API, with real images in its object store,
written by the `lerobot` library and read back with it."""

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
pytest.importorskip("lerobot")

from lerobot.datasets.lerobot_dataset import LeRobotDataset  # noqa: E402
from PIL import Image  # noqa: E402

import avala  # noqa: E402
from avala.errors import MediaError, MissingExtraError  # noqa: E402
from avala.lerobot import export_dataset  # noqa: E402
from avala.testing import LocalAvala  # noqa: E402
from avala.testing._crud import make  # noqa: E402
from avala.testing._h_datasets import DATASET, SEQUENCE  # noqa: E402

KEY = "avk_lerobot_test"
OWNER = "robot-org"
W, H = 8, 6


def _png(color: tuple[int, ...], mode: str, size: tuple[int, int] = (W, H)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format="PNG")
    return out.getvalue()


def add_sequences(
    api: LocalAvala,
    slug: str,
    lengths: list[int],
    size: tuple[int, int] = (W, H),
    expires_in: int = 3600,
) -> list[list[str]]:
    """A sequence dataset `OWNER/slug`: one sequence per length, frames with two cameras
    (cam0 RGBA, cam1 RGB) and a joint vector. Returns each sequence's cam0 object keys."""
    store = api.store
    dataset = store.col("datasets").add(
        make(
            store,
            DATASET,
            {"name": slug, "slug": slug, "owner_name": OWNER, "data_type": "image"},
        )
    )
    keys: list[list[str]] = []
    for s, length in enumerate(lengths):
        frames, cam0 = [], []
        for i in range(length):
            urls = []
            for camera, mode, color in (
                ("cam0", "RGBA", (10 * i, 20 * s, 30, 128)),
                ("cam1", "RGB", (200, 10 * i, 5 * s)),
            ):
                key = f"media/{slug}/{s}/{i}/{camera}.png"
                api.objects.put_bytes(key, _png(color, mode, size), content_type="image/png")
                urls.append(api.objects.presign("GET", key, expires_in=expires_in))
                if camera == "cam0":
                    cam0.append(key)
            frames.append({"key": f"f{i}", "image_urls": urls, "robot": {"joints": [s, i, 0.5]}})
        store.col("dataset_sequences").add(
            make(
                store,
                SEQUENCE,
                {
                    "key": f"seq-{s}",
                    "dataset_uid": dataset["uid"],
                    "number_of_frames": length,
                    "frames": frames,
                },
            )
        )
        keys.append(cam0)
    return keys


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


def test_export_writes_a_lerobot_dataset_that_lerobot_reads(
    api: LocalAvala, client: avala.Client, tmp_path: Path
) -> None:
    keys = add_sequences(api, "pick", [3, 2])
    out = tmp_path / "out"
    result = export_dataset(
        client,
        OWNER,
        "pick",
        repo_id="me/pick",
        output_dir=out,
        fps=10,
        task="pick the cube",
        state_key="robot.joints",
        use_videos=False,
        workers=4,
    )
    assert result == out
    dataset = LeRobotDataset("me/pick", root=out)
    assert dataset.meta.total_episodes == 2
    assert len(dataset) == 5
    assert dataset.meta.fps == 10
    assert set(dataset.meta.camera_keys) == {"observation.images.cam0", "observation.images.cam1"}
    sample = dataset[4]  # episode 1, frame 1
    assert sample["observation.state"].tolist() == [1.0, 1.0, 0.5]
    assert int(sample["episode_index"]) == 1
    assert sample["task"] == "pick the cube"
    # The RGBA camera became RGB with its colour kept (the alpha channel dropped).
    cam0 = (sample["observation.images.cam0"] * 255).round().int()
    assert tuple(cam0.shape) == (3, H, W)
    assert cam0[:, 0, 0].tolist() == [10, 20, 30]
    # Every image was downloaded exactly once (the size probe is reused), without the key.
    stats = api.objects.stats
    assert all(stats.per_key[k].reads == 1 for seq in keys for k in seq)
    assert stats.api_key_seen == 0
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failure_leaves_no_partial_dataset(
    api: LocalAvala, client: avala.Client, tmp_path: Path
) -> None:
    keys = add_sequences(api, "broken", [2, 2])
    api.objects.delete(keys[1][1])  # the last frame's image is gone: 404, not retried
    out = tmp_path / "out"
    with pytest.raises(MediaError) as caught:
        export_dataset(
            client,
            OWNER,
            "broken",
            repo_id="me/b",
            output_dir=out,
            use_videos=False,
            state_key="robot.joints",
        )
    assert "http" not in str(caught.value).lower().replace("http 404", "")
    assert "/_local/" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # neither the dataset nor its staging directory


def test_validation(api: LocalAvala, client: avala.Client, tmp_path: Path) -> None:
    add_sequences(api, "v", [1])
    with pytest.raises(ValueError, match="user/name"):
        export_dataset(client, OWNER, "v", repo_id="nope", output_dir=tmp_path / "a")
    with pytest.raises(ValueError, match="not both"):
        export_dataset(
            client,
            OWNER,
            "v",
            repo_id="me/v",
            output_dir=tmp_path / "a",
            state_key="robot.joints",
            include_ego_pose=True,
        )
    existing = tmp_path / "exists"
    existing.mkdir()
    with pytest.raises(ValueError, match="already exists"):
        export_dataset(client, OWNER, "v", repo_id="me/v", output_dir=existing)
    with pytest.raises(ValueError, match="Unknown camera"):
        export_dataset(
            client, OWNER, "v", repo_id="me/v", output_dir=tmp_path / "b", camera_keys=["cam7"]
        )
    with pytest.raises(ValueError, match="not a non-empty list of numbers"):
        export_dataset(
            client, OWNER, "v", repo_id="me/v", output_dir=tmp_path / "c", state_key="key"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists"]


def test_perception_only_export_warns_and_limit_picks_sequences(
    api: LocalAvala, client: avala.Client, tmp_path: Path
) -> None:
    add_sequences(api, "cams", [2, 2, 2])
    out = tmp_path / "o"
    with pytest.warns(UserWarning, match="perception-only"):
        export_dataset(
            client,
            OWNER,
            "cams",
            repo_id="me/c",
            output_dir=out,
            camera_keys=["cam1"],
            use_videos=False,
            limit=2,
        )
    dataset = LeRobotDataset("me/c", root=out)
    assert dataset.meta.total_episodes == 2
    assert list(dataset.meta.camera_keys) == ["observation.images.cam1"]


def test_without_lerobot_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, client: avala.Client, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "lerobot.datasets.lerobot_dataset", None)
    with pytest.raises(MissingExtraError, match=r'pip install "avala\[lerobot\]"'):
        export_dataset(client, OWNER, "x", repo_id="me/x", output_dir=tmp_path / "x")
    assert not os.path.exists(tmp_path / "x")


def test_images_are_fetched_in_parallel_within_the_bound(
    api: LocalAvala, client: avala.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from avala.lerobot import _export

    add_sequences(api, "par", [6])
    lock = threading.Lock()
    running, peak = [0], [0]
    real = _export._media_fetcher

    class Slow:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def fetch(self, url: str, **kwargs: object) -> bytes:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            try:
                time.sleep(0.05)
                return self.inner.fetch(url, **kwargs)  # type: ignore[attr-defined, no-any-return]
            finally:
                with lock:
                    running[0] -= 1

    monkeypatch.setattr(_export, "_media_fetcher", lambda c: Slow(real(c)))
    export_dataset(
        client,
        OWNER,
        "par",
        repo_id="me/p",
        output_dir=tmp_path / "o",
        use_videos=False,
        state_key="robot.joints",
        workers=3,
    )
    assert 1 < peak[0] <= 3


def test_default_video_export(api: LocalAvala, client: avala.Client, tmp_path: Path) -> None:
    av = pytest.importorskip("av")
    add_sequences(api, "vid", [3], size=(64, 48))  # the AV1 encoder refuses tiny frames
    out = export_dataset(
        client, OWNER, "vid", repo_id="me/v", output_dir=tmp_path / "o", action_key="robot.joints"
    )
    dataset = LeRobotDataset("me/v", root=out)
    assert set(dataset.meta.video_keys) == {"observation.images.cam0", "observation.images.cam1"}
    assert dataset.meta.total_frames == 3
    # Decoded with PyAV directly: lerobot decodes videos with torchcodec, absent here.
    (video,) = (out / "videos" / "observation.images.cam1").rglob("*.mp4")
    with av.open(str(video)) as container:
        frames = list(container.decode(video=0))
    assert [(f.width, f.height) for f in frames] == [(64, 48)] * 3


def test_expired_urls_are_renewed_from_the_sequence(
    api: LocalAvala, client: avala.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    add_sequences(api, "old", [2], expires_in=1)
    time.sleep(1.5)
    real_get = client.datasets.get_sequence
    calls = [0]

    def get_sequence(owner: str, slug: str, uid: str) -> Any:
        sequence = real_get(owner, slug, uid)
        calls[0] += 1
        if calls[0] > 1:  # the API signs fresh URLs on every read
            for i, frame in enumerate(sequence.frames or []):
                frame["image_urls"] = [
                    api.objects.presign("GET", f"media/old/0/{i}/{camera}.png", expires_in=60)
                    for camera in ("cam0", "cam1")
                ]
        return sequence

    monkeypatch.setattr(client.datasets, "get_sequence", get_sequence)
    out = export_dataset(
        client,
        OWNER,
        "old",
        repo_id="me/o",
        output_dir=tmp_path / "o",
        use_videos=False,
        state_key="robot.joints",
    )
    assert calls[0] > 1
    assert len(LeRobotDataset("me/o", root=out)) == 2
