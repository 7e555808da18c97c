# Generated from tests/_async/test_datasets.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import httpx
import pytest
import respx

from avala import (
    Client,
    NotFoundError,
    QuotaExceededError,
    ResponseValidationError,
    WaitTimeoutError,
)
from avala.types.datasets import (
    AllowedMimes,
    CameraCalibration,
    Dataset,
    DatasetFrame,
    DatasetHealth,
    DatasetItem,
    DatasetSequence,
    FrameImage,
    Quat,
    SequenceHealth,
    UploadQuota,
    Vec3,
)
from tests.helpers import page, url

OWNER = "serve.robotics@avala.ai"
OWNER_PATH = "/datasets/serve.robotics@avala.ai/lidar-run"

DATASET = {
    "uid": "ds_1",
    "name": "Training Data",
    "slug": "training-data",
    "item_count": 3,
    "owner_name": "alice",
    "status": "created",
    "data_type": "image",
    "is_sequence": False,
    "project": "proj_123",
    "visibility": "private",
    "created_at": "2026-01-01T00:00:00Z",
}

ITEM = {
    "id": 42,
    "uid": "item_1",
    "is_hidden": False,
    "key": "img/0001.jpg",
    "dataset": "ds_1",
    "dataset_owner_name": OWNER,
    "dataset_slug": "lidar-run",
    "url": "https://data.avala.ai/img/0001.jpg",
    "thumbnails": ["https://data.avala.ai/t/0001.jpg"],
    "metadata": {"width": 640},
    "related_items": [{"uid": "item_2"}],
}

FRAME_0 = {
    "key": "frame-0000",
    "camera_model": "doublesphere",
    "xi": -0.2,
    "alpha": 0.6,
    "device_position": {"x": 1, "y": 2.5, "z": 0},
    "device_heading": {"x": 0, "y": 0, "z": 0, "w": 1},
    "timestamp": 1700000000.5,
    "images": [
        {
            "image_url": "https://data.avala.ai/cam0/0.jpg",
            "camera": "cam_front",
            "position": {"x": 0.1, "y": 0.0, "z": 1.6},
            "heading": {"x": 0.0, "y": 0.0, "z": 0.0, "w": 1.0},
            "width": 1920,
            "height": 1080,
            "fx": 1000.0,
            "fy": 1000.5,
            "cx": 960,
            "cy": 540,
        },
        {"image_url": "https://data.avala.ai/cam1/0.jpg", "sensor_id": 7, "model": "pinhole"},
        {"image_url": "https://data.avala.ai/cam2/0.jpg", "camera_id": "cam_rear", "xi": 0.3},
    ],
}
FRAME_1 = {"key": "frame-0001", "model": "pinhole", "images": None}

SEQUENCE = {
    "uid": "seq_1",
    "key": "run-1",
    "status": "ready",
    "dataset_uid": "ds_1",
    "number_of_frames": 2,
    "frames": [FRAME_0, FRAME_1],
    "camera_calibration": [{"camera": "cam_front", "intrinsics": [1000.0, 1000.5, 960, 540]}],
    "is_workflow_terminal": True,
}

HEALTH = {
    "dataset_uid": "ds_1",
    "dataset_slug": "lidar-run",
    "dataset_status": "created",
    "data_type": "lidar",
    "is_sequence": True,
    "item_count": 4,
    "sequence_count": 1,
    "total_frames": 2,
    "s3_prefix": "s3://bucket/prefix/",
    "last_updated_at": "2026-02-03T04:05:06Z",
    "sequences": [
        {
            "uid": "seq_1",
            "key": "run-1",
            "status": "ready",
            "frame_count": 2,
            "has_lidar_calibration": True,
            "has_camera_calibration": False,
        }
    ],
    "ingest_ok": True,
    "issues": [],
}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, sleeps: list[float], client: Client) -> None:
    """A clock for wait() that advances exactly by the time the SDK asked to sleep."""
    base_module = sys.modules[type(client.datasets).__mro__[1].__module__]
    monkeypatch.setattr(base_module, "time", SimpleNamespace(monotonic=lambda: sum(sleeps)))


# -- list / get / CRUD --------------------------------------------------------------------------


def test_list_sends_filters_and_decodes(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/datasets/")).respond(
        200, json=page([DATASET], "/datasets/?cursor=c2&limit=1")
    )
    first = client.datasets.list(
        data_type="image", name="Train", status="created", visibility="private", limit=1
    )
    assert dict(route.calls.last.request.url.params) == {
        "data_type": "image",
        "name": "Train",
        "status": "created",
        "visibility": "private",
        "limit": "1",
    }
    assert [d.uid for d in first.items] == ["ds_1"]
    assert isinstance(first.items[0], Dataset)
    assert first.has_more
    assert first.next_cursor == "c2"


def test_list_walks_every_page(client: Client, respx_mock: respx.MockRouter) -> None:
    second = {**DATASET, "uid": "ds_2", "slug": "more"}
    route = respx_mock.get(url("/datasets/")).mock(
        side_effect=[
            httpx.Response(200, json=page([DATASET], "/datasets/?cursor=c2")),
            httpx.Response(200, json=page([second])),
        ]
    )
    assert [d.uid for d in client.datasets.list().auto_paging_iter()] == ["ds_1", "ds_2"]
    assert route.calls[1].request.url.params["cursor"] == "c2"


def test_get(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/datasets/ds_1/")).respond(200, json=DATASET)
    dataset = client.datasets.get("ds_1")
    assert dataset.id == "ds_1"
    assert dataset.owner_name == "alice"
    assert dataset.item_count == 3
    assert dataset.created_at is not None
    assert dataset.created_at.year == 2026


def test_get_missing_raises_not_found(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/datasets/nope/")).respond(404, json={"detail": "Not found."})
    with pytest.raises(NotFoundError):
        client.datasets.get(id="nope")


def test_get_by_slug_keeps_at_and_dot_in_owner(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url(f"{OWNER_PATH}/")).respond(200, json=DATASET)
    dataset = client.datasets.get_by_slug(OWNER, "lidar-run")
    assert route.called
    assert dataset.slug == "training-data"


def test_create_as_on_the_seed_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/")).respond(201, json={**DATASET, "status": "creating"})
    dataset = client.datasets.create(name="Training Data", project_id="proj_123")
    assert dataset.status == "creating"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Training Data",
        "slug": "training-data",
        "data_type": "image",
        "visibility": "private",
        "create_metadata": True,
        "project": "proj_123",
    }


def test_create_sends_every_given_field(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/")).respond(201, json=DATASET)
    provider = {"provider": "aws_s3", "s3_bucket_name": "b", "s3_bucket_region": "eu-west-1"}
    client.datasets.create(
        name="Lidar Run",
        slug="custom",
        data_type="lidar",
        visibility="public",
        create_metadata=False,
        provider_config=provider,
        owner_name="acme",
        organization_id=7,
        organization_uid="org_1",
        gpu_texture_format="bc7",
        metadata={"site": "sf"},
        industry=3,
        license=2,
    )
    assert json.loads(route.calls.last.request.content) == {
        "name": "Lidar Run",
        "slug": "custom",
        "data_type": "lidar",
        "visibility": "public",
        "create_metadata": False,
        "provider_config": provider,
        "owner_name": "acme",
        "organization_id": 7,
        "organization_uid": "org_1",
        "gpu_texture_format": "bc7",
        "metadata": {"site": "sf"},
        "industry": 3,
        "license": 2,
    }


def test_create_slugifies_accents_and_punctuation(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/datasets/")).respond(201, json=DATASET)
    client.datasets.create(name="  Café Données: v2! ")
    assert json.loads(route.calls.last.request.content)["slug"] == "cafe-donnees-v2"


def test_create_refuses_a_name_without_slug_characters(client: Client) -> None:
    with pytest.raises(ValueError, match="slug"):
        client.datasets.create(name="!!!")


def test_update_patches_only_given_fields(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/datasets/ds_1/")).respond(
        200, json={**DATASET, "visibility": "public"}
    )
    dataset = client.datasets.update("ds_1", visibility="public")
    assert dataset.visibility == "public"
    assert json.loads(route.calls.last.request.content) == {"visibility": "public"}

    client.datasets.update(id="ds_1", name="Renamed")
    assert json.loads(route.calls.last.request.content) == {"name": "Renamed"}


def test_delete_returns_none_for_204_and_empty_200(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/datasets/ds_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert client.datasets.delete("ds_1") is None
    assert client.datasets.delete("ds_1") is None


# -- transfer ----------------------------------------------------------------------------------


def test_transfer_to_an_organization(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url(f"{OWNER_PATH}/transfer/")).respond(
        200, json={**DATASET, "owner_name": "acme"}
    )
    dataset = client.datasets.transfer(OWNER, "lidar-run", organization_uid="org_1")
    assert dataset.owner_name == "acme"
    assert json.loads(route.calls.last.request.content) == {"organization_uid": "org_1"}


def test_transfer_to_a_user(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/acme/training-data/transfer/")).respond(
        200, json={**DATASET, "owner_name": "bob"}
    )
    dataset = client.datasets.transfer("acme", "training-data", owner_username="bob")
    assert dataset.owner_name == "bob"
    assert json.loads(route.calls.last.request.content) == {"owner_username": "bob"}


@pytest.mark.parametrize(
    "destination",
    [{}, {"organization_uid": "org_1", "owner_username": "bob"}],
    ids=["neither", "both"],
)
def test_transfer_needs_exactly_one_destination(
    client: Client, respx_mock: respx.MockRouter, destination: dict[str, str]
) -> None:
    route = respx_mock.post(url("/datasets/acme/training-data/transfer/")).respond(200)
    with pytest.raises(ValueError, match="exactly one of organization_uid or owner_username"):
        client.datasets.transfer("acme", "training-data", **destination)
    assert not route.called


# -- items and sequences -------------------------------------------------------------------------


def test_list_items(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(f"{OWNER_PATH}/items/")).respond(
        200, json=page([ITEM], f"{OWNER_PATH}/items/?cursor=i2")
    )
    first = client.datasets.list_items(OWNER, "lidar-run", limit=1)
    assert dict(route.calls.last.request.url.params) == {"limit": "1"}
    item = first.items[0]
    assert isinstance(item, DatasetItem)
    assert item.id == 42
    assert item.uid == "item_1"
    assert item.dataset_owner_name == OWNER
    assert item.thumbnails == ["https://data.avala.ai/t/0001.jpg"]
    assert first.next_cursor == "i2"


def test_get_item(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/items/item_1/")).respond(200, json=ITEM)
    item = client.datasets.get_item(OWNER, "lidar-run", "item_1")
    assert item.key == "img/0001.jpg"
    assert item.is_hidden is False
    assert item.metadata == {"width": 640}


def test_item_uid_is_one_encoded_segment(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(f"{OWNER_PATH}/items/a%2F..%3Fx/")).respond(200, json=ITEM)
    client.datasets.get_item(OWNER, "lidar-run", "a/..?x")
    assert route.called


def test_list_sequences_walks_pages(client: Client, respx_mock: respx.MockRouter) -> None:
    summary = {"uid": "seq_1", "key": "run-1", "number_of_frames": 2}
    route = respx_mock.get(url(f"{OWNER_PATH}/sequences/")).mock(
        side_effect=[
            httpx.Response(200, json=page([summary], f"{OWNER_PATH}/sequences/?cursor=s2")),
            httpx.Response(200, json=page([{**summary, "uid": "seq_2"}])),
        ]
    )
    sequences = [s for s in client.datasets.list_sequences(OWNER, "lidar-run").auto_paging_iter()]
    assert [s.uid for s in sequences] == ["seq_1", "seq_2"]
    assert all(isinstance(s, DatasetSequence) and s.frames is None for s in sequences)
    assert route.calls[1].request.url.params["cursor"] == "s2"


def test_get_sequence_includes_frames(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    sequence = client.datasets.get_sequence(OWNER, "lidar-run", "seq_1")
    assert sequence.id == "seq_1"
    assert sequence.frames is not None
    assert len(sequence.frames) == 2
    assert sequence.is_workflow_terminal is True
    assert sequence.camera_calibration == SEQUENCE["camera_calibration"]


# -- frames and calibration (client-side) ---------------------------------------------------------


def test_get_frame_builds_the_frame(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    frame = client.datasets.get_frame(OWNER, "lidar-run", "seq_1", 0)
    assert isinstance(frame, DatasetFrame)
    assert frame.frame_index == 0
    assert frame.key == "frame-0000"
    # Only `camera_model` is in the JSON: `model` falls back to it.
    assert frame.model == "doublesphere"
    assert frame.camera_model == "doublesphere"
    assert frame.xi == -0.2
    assert frame.alpha == 0.6
    assert frame.device_position == Vec3(x=1.0, y=2.5, z=0.0)
    assert frame.device_heading == Quat(x=0.0, y=0.0, z=0.0, w=1.0)
    assert frame.images is not None
    assert frame.images[0] == FrameImage(
        image_url="https://data.avala.ai/cam0/0.jpg",
        position=Vec3(x=0.1, y=0.0, z=1.6),
        heading=Quat(x=0.0, y=0.0, z=0.0, w=1.0),
        width=1920,
        height=1080,
        fx=1000.0,
        fy=1000.5,
        cx=960.0,
        cy=540.0,
    )
    assert frame.images[1].model == "pinhole"
    assert frame.raw == FRAME_0
    assert frame.raw["timestamp"] == 1700000000.5


def test_get_frame_last_frame_without_images(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    frame = client.datasets.get_frame(OWNER, "lidar-run", "seq_1", frame_idx=1)
    assert frame.model == "pinhole"
    assert frame.camera_model == "pinhole"
    assert frame.images == []
    assert frame.device_position is None


def test_get_frame_out_of_range(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    with pytest.raises(IndexError, match=r"frame_idx 2 is out of range.*2 frames.*0-1"):
        client.datasets.get_frame(OWNER, "lidar-run", "seq_1", 2)


def test_get_frame_of_a_sequence_without_frames(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(
        200, json={"uid": "seq_1", "frames": None}
    )
    with pytest.raises(IndexError, match="has no frames"):
        client.datasets.get_frame(OWNER, "lidar-run", "seq_1", 0)


def test_get_frame_refuses_negative_index_before_any_request(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    with pytest.raises(IndexError, match="negative indexes are not supported"):
        client.datasets.get_frame(OWNER, "lidar-run", "seq_1", -1)
    with pytest.raises(TypeError, match="frame_idx must be an int"):
        client.datasets.get_frame(OWNER, "lidar-run", "seq_1", True)
    assert not route.called


def test_get_frame_malformed_frame_is_a_validation_error(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    bad = {"uid": "seq_1", "frames": [{"key": "f", "device_position": {"x": "far", "y": 0}}]}
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=bad)
    with pytest.raises(ResponseValidationError) as info:
        client.datasets.get_frame(OWNER, "lidar-run", "seq_1", 0)
    assert info.value.model == "DatasetFrame"
    assert info.value.path == "$.frames[0].device_position.x"


def test_get_calibration_reads_the_first_frame(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(200, json=SEQUENCE)
    calibration = client.datasets.get_calibration(OWNER, "lidar-run", "seq_1")
    assert calibration.sequence_uid == "seq_1"
    assert calibration.cameras == [
        CameraCalibration(
            camera_id="cam_front",
            model="doublesphere",
            position=Vec3(x=0.1, y=0.0, z=1.6),
            heading=Quat(x=0.0, y=0.0, z=0.0, w=1.0),
            width=1920,
            height=1080,
            fx=1000.0,
            fy=1000.5,
            cx=960.0,
            cy=540.0,
            xi=-0.2,
            alpha=0.6,
        ),
        # A numeric sensor id becomes a string; the image's own model wins over the frame's.
        CameraCalibration(camera_id="7", model="pinhole", xi=-0.2, alpha=0.6),
        CameraCalibration(camera_id="cam_rear", model="doublesphere", xi=0.3, alpha=0.6),
    ]
    # Contract 5 #11: filled from the sequence's camera_calibration.
    assert calibration.dataset_level_camera_calibration == SEQUENCE["camera_calibration"]


def test_get_calibration_without_frames_or_calibration(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/sequences/seq_1/")).respond(
        200, json={"uid": "seq_1", "frames": [], "camera_calibration": None}
    )
    calibration = client.datasets.get_calibration(OWNER, "lidar-run", "seq_1")
    assert calibration.cameras == []
    assert calibration.dataset_level_camera_calibration is None


# -- health -----------------------------------------------------------------------------------------


def test_get_health(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"{OWNER_PATH}/health/")).respond(200, json=HEALTH)
    health = client.datasets.get_health(OWNER, "lidar-run")
    assert isinstance(health, DatasetHealth)
    assert health.data_type == "lidar"
    assert health.is_sequence is True
    assert health.total_frames == 2
    assert health.sequences == [
        SequenceHealth(
            uid="seq_1",
            key="run-1",
            status="ready",
            frame_count=2,
            has_lidar_calibration=True,
        )
    ]
    assert health.ingest_ok is True
    assert health.last_updated_at is not None


def test_get_health_tolerates_missing_data_type_and_is_sequence(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    # Contract 5 #10: servers predating 0.10.0 omit both fields.
    respx_mock.get(url(f"{OWNER_PATH}/health/")).respond(
        200, json={"dataset_uid": "ds_1", "dataset_slug": "lidar-run"}
    )
    health = client.datasets.get_health(OWNER, "lidar-run")
    assert health.data_type is None
    assert health.is_sequence is None
    assert health.sequences == []
    assert health.issues == []
    assert health.ingest_ok is False


# -- wait -------------------------------------------------------------------------------------------


def test_wait_polls_until_created(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/datasets/ds_1/")).mock(
        side_effect=[
            httpx.Response(200, json={**DATASET, "status": "creating"}),
            httpx.Response(200, json={**DATASET, "status": "creating"}),
            httpx.Response(200, json=DATASET),
        ]
    )
    seen: list[str | None] = []
    dataset = client.datasets.wait("ds_1", interval=0.01, on_poll=lambda d: seen.append(d.status))
    assert dataset.status == "created"
    assert route.call_count == 3
    assert seen == ["creating", "creating", "created"]
    # The interval is floored at 1 s to spare the API.
    assert sleeps == [1.0, 1.0]


def test_wait_accepts_the_official_on_poll_spelling(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/datasets/ds_1/")).mock(
        side_effect=[
            httpx.Response(200, json={**DATASET, "status": "creating"}),
            httpx.Response(200, json=DATASET),
        ]
    )
    seen: list[str | None] = []
    client.datasets.wait("ds_1", _on_poll=lambda d: seen.append(d.status))
    assert seen == ["creating", "created"]


def test_wait_for_another_status(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    respx_mock.get(url("/datasets/ds_1/")).mock(
        side_effect=[
            httpx.Response(200, json=DATASET),
            httpx.Response(200, json={**DATASET, "status": "archived"}),
        ]
    )
    dataset = client.datasets.wait("ds_1", status="archived", interval=5)
    assert dataset.status == "archived"
    assert sleeps == [5.0]


@pytest.mark.parametrize("failure", ["failed", "error"])
def test_wait_returns_a_failed_dataset_at_once(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float], failure: str
) -> None:
    route = respx_mock.get(url("/datasets/ds_1/")).mock(
        side_effect=[
            httpx.Response(200, json={**DATASET, "status": "creating"}),
            httpx.Response(200, json={**DATASET, "status": failure}),
        ]
    )
    dataset = client.datasets.wait("ds_1")
    assert dataset.status == failure
    assert route.call_count == 2
    assert sleeps == [10.0]


@pytest.mark.usefixtures("clock")
def test_wait_times_out_with_the_last_dataset(
    client: Client, respx_mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = respx_mock.get(url("/datasets/ds_1/")).respond(
        200, json={**DATASET, "status": "creating"}
    )
    with pytest.raises(WaitTimeoutError) as info:
        client.datasets.wait("ds_1", interval=10, timeout=25)
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value.last, Dataset)
    assert info.value.last.status == "creating"
    assert "creating" in str(info.value)
    assert sleeps == [10.0, 10.0, 5.0]
    assert route.call_count == 4


def test_wait_rejects_negative_arguments(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/datasets/ds_1/")).respond(200, json=DATASET)
    with pytest.raises(ValueError, match=">= 0"):
        client.datasets.wait("ds_1", interval=-1)
    with pytest.raises(ValueError, match=">= 0"):
        client.datasets.wait("ds_1", timeout=-1)
    assert not route.called


def test_wait_passes_request_options_to_each_poll(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/datasets/ds_1/")).respond(200, json=DATASET)
    client.datasets.wait("ds_1", extra_headers={"X-Trace": "t1"}, extra_query={"a": "b"})
    request = route.calls.last.request
    assert request.headers["x-trace"] == "t1"
    assert request.url.params["a"] == "b"


# -- manual upload ----------------------------------------------------------------------------------


def test_manual_upload_quota(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/datasets/manual-upload/quota/")).respond(
        200, json={"used": 300, "limit": 1000}
    )
    quota = client.datasets.manual_upload_quota(organization_uid="org_1")
    assert dict(route.calls.last.request.url.params) == {"organization_uid": "org_1"}
    assert quota == UploadQuota(used=300, limit=1000)
    assert quota.remaining == 700

    # An empty uid means "mine": not sent.
    client.datasets.manual_upload_quota(organization_uid="")
    assert dict(route.calls.last.request.url.params) == {}


def test_upload_quota_remaining_is_never_negative(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/datasets/manual-upload/quota/")).respond(
        200, json={"used": 1500, "limit": 1000}
    )
    quota = client.datasets.manual_upload_quota()
    assert quota.remaining == 0


def test_manual_upload_allowed_mimes(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/datasets/manual-upload/allowed-mimes/")).respond(
        200, json={"mime_types": ["image/jpeg", "video/mp4"], "video_prefix": "video/"}
    )
    mimes = client.datasets.manual_upload_allowed_mimes()
    assert mimes == AllowedMimes(mime_types=["image/jpeg", "video/mp4"], video_prefix="video/")


def test_allowed_mimes_defaults(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/datasets/manual-upload/allowed-mimes/")).respond(200, json={})
    mimes = client.datasets.manual_upload_allowed_mimes()
    assert mimes.mime_types == []
    assert mimes.video_prefix == ""


PRESIGN = {
    "method": "POST",
    "url": "https://data.avala.ai/",
    "fields": {"key": "uploads/u/train/img/0001.jpg", "policy": "p"},
}


def test_create_manual_upload_url_v1(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/manual-upload/file-upload-url/")).respond(
        200, json=PRESIGN
    )
    presign = client.datasets.create_manual_upload_url(
        dataset_name="Train", file_path_in_dataset="img/0001.jpg", content_length=2048
    )
    assert presign == PRESIGN
    assert json.loads(route.calls.last.request.content) == {
        "dataset_name": "Train",
        "file_path_in_dataset": "img/0001.jpg",
        "content_length": 2048,
    }


def test_create_manual_upload_url_v2(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/manual-upload/file-upload-url/")).respond(
        200, json={**PRESIGN, "upload_protocol_version": 2, "dataset_upload_uid": "up_1"}
    )
    presign = client.datasets.create_manual_upload_url(
        dataset_name="Train",
        file_path_in_dataset="img/0001.jpg",
        content_length=0,
        organization_uid="org_1",
        dataset_upload_uid="up_1",
    )
    assert presign["upload_protocol_version"] == 2
    assert json.loads(route.calls.last.request.content) == {
        "dataset_name": "Train",
        "file_path_in_dataset": "img/0001.jpg",
        "content_length": 0,
        "organization_uid": "org_1",
        "upload_protocol_version": 2,
        "dataset_upload_uid": "up_1",
    }


def test_create_manual_upload_url_over_quota(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.post(url("/datasets/manual-upload/file-upload-url/")).respond(
        413, json={"detail": "Upload quota exceeded.", "limit": 1000, "used": 900}
    )
    with pytest.raises(QuotaExceededError) as info:
        client.datasets.create_manual_upload_url(
            dataset_name="Train", file_path_in_dataset="big.bin", content_length=500
        )
    assert info.value.limit == 1000
    assert info.value.used == 900


@pytest.mark.parametrize(
    ("content_length", "error"),
    [(-1, ValueError), (1.5, TypeError), ("10", TypeError), (True, TypeError)],
)
def test_create_manual_upload_url_checks_content_length(
    client: Client, content_length: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="content_length"):
        client.datasets.create_manual_upload_url(
            dataset_name="Train",
            file_path_in_dataset="a.jpg",
            content_length=content_length,  # type: ignore[arg-type]
        )


def test_create_from_manual_upload(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/datasets/manual-upload/")).respond(
        201, json={**DATASET, "status": "creating"}
    )
    dataset = client.datasets.create_from_manual_upload(
        name="Training Data", data_type="image", dataset_upload_uid="up_1"
    )
    assert dataset.status == "creating"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Training Data",
        "slug": "training-data",
        "data_type": "image",
        "visibility": "private",
        "create_metadata": True,
        "dataset_upload_uid": "up_1",
    }


def test_create_from_manual_upload_every_field(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/datasets/manual-upload/")).respond(201, json=DATASET)
    client.datasets.create_from_manual_upload(
        name="Scans",
        slug="scans-2026",
        data_type="lidar",
        visibility="unlisted",
        create_metadata=False,
        owner_name="acme",
        metadata={"k": 1},
        industry=1,
        license=4,
        organization_uid="org_1",
    )
    assert json.loads(route.calls.last.request.content) == {
        "name": "Scans",
        "slug": "scans-2026",
        "data_type": "lidar",
        "visibility": "unlisted",
        "create_metadata": False,
        "owner_name": "acme",
        "metadata": {"k": 1},
        "industry": 1,
        "license": 4,
        "organization_uid": "org_1",
    }
