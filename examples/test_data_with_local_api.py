"""Testing your own upload and download code against the local Avala API, in-process: its
object store keeps the uploaded bytes for real, so a test can read them back, publish them as
a dataset revision and load it. Run: pytest examples/test_data_with_local_api.py"""

from __future__ import annotations

from pathlib import Path

import avala
from avala import Client, RetryPolicy
from avala.testing import LocalAvala


def upload_folder(client: Client, folder: Path, state_dir: Path) -> str:
    """The code under test: your own function that uploads a folder; returns the dataset uid."""
    dataset = client.datasets.create_from_local(
        source=folder, name="Camera run", slug="camera-run", data_type="image", state_dir=state_dir
    )
    return dataset.uid


def write_folder(folder: Path) -> dict[str, bytes]:
    files = {f"cam{n}/{n:04d}.jpg": b"\xff\xd8\xff" + bytes([n]) * 20_000 for n in range(3)}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def client_for(api: LocalAvala, **options: object) -> Client:
    # `http_client=api.httpx_client()` answers in-process: API calls and storage transfers.
    return Client(api_key="test", base_url=api.base_url, http_client=api.httpx_client(), **options)


def test_the_bytes_land_in_storage(avala_local: LocalAvala, tmp_path: Path) -> None:
    files = write_folder(tmp_path / "run")
    with client_for(avala_local) as client:
        upload_folder(client, tmp_path / "run", state_dir=tmp_path / "state")
    # Uploaded objects are keyed "__u__=/<user uid>/<dataset name>/<path in the dataset>".
    stored = {key.rsplit("/Camera run/", 1)[1]: key for key in avala_local.objects.keys("__u__=")}
    assert sorted(stored) == sorted(files)
    for name, data in files.items():
        assert avala_local.objects.read_back(stored[name]) == data
    assert avala_local.objects.stats.api_key_seen == 0  # storage never sees the API key


def test_the_upload_survives_a_flaky_storage_host(avala_local: LocalAvala, tmp_path: Path) -> None:
    write_folder(tmp_path / "run")
    avala_local.queue_storage_faults("http_503", "drop")  # the next two storage requests fail
    fast = RetryPolicy(initial_delay=0.01, max_delay=0.05)  # keep the test quick
    with client_for(avala_local, max_retries=4, retry_policy=fast) as client:
        upload_folder(client, tmp_path / "run", state_dir=tmp_path / "state")
    faults = avala_local.objects.stats.faults
    assert faults["http_503"] == 1
    assert faults["drop"] == 1
    assert avala_local.objects.stats.objects_stored == 3


def test_a_published_upload_loads_and_downloads(avala_local: LocalAvala, tmp_path: Path) -> None:
    files = write_folder(tmp_path / "run")
    with client_for(avala_local) as client:
        dataset_uid = upload_folder(client, tmp_path / "run", state_dir=tmp_path / "state")
    published = avala_local.publish_revision(dataset_uid)  # what the hosted API does itself
    with avala.load(
        published["canonical_reference"],
        base_url=avala_local.base_url,
        http_client=avala_local.httpx_client(),
    ) as dataset:
        assert [obj.logical_path for obj in dataset.objects] == sorted(files)
        assert dataset.for_role("file")[1].read() == files["cam1/0001.jpg"]
        summary = dataset.download(tmp_path / "copy")
    assert summary.downloaded == 3
    for name, data in files.items():
        assert (tmp_path / "copy" / name).read_bytes() == data


def test_a_fleet_recording_upload(avala_local: LocalAvala, tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "drive.mcap").write_bytes(b"\x89MCAP0\r\n" + b"\x00" * 50_000)
    (run / "notes.txt").write_text("clear weather")
    recording = avala_local.add_recording()  # recordings come from devices: no create route
    with client_for(avala_local) as client:
        session = client.fleet.uploads.upload_recording(
            recording, run, state_dir=tmp_path / "state"
        )
        again = client.fleet.uploads.upload_recording(recording, run, state_dir=tmp_path / "state")
    assert session.confirmed_files == 2
    assert again.uid == session.uid  # the second call resumed the finished session
    assert avala_local.objects.stats.objects_stored == 2  # ...and stored nothing twice
