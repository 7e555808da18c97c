"""Importer registry, folder and cloud importers against the local Avala API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import avala
from avala.importers import (
    async_import_folder,
    available_importers,
    detect_data_type,
    import_cloud,
    import_dataset,
    import_folder,
    parse_cloud_uri,
    register_importer,
)
from avala.testing import LocalAvala

KEY = "avk_importer_test"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SERVICE_ACCOUNT = {
    "type": "service_account",
    "project_id": "p",
    "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n",
    "client_email": "svc@p.iam.gserviceaccount.com",
}


class Recorder:
    def __init__(self) -> None:
        self.bodies: list[tuple[str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> None:
        body = json.loads(request.content) if request.content else None
        self.bodies.append((request.method, request.url.path, body))

    def created(self) -> list[Any]:
        return [b for m, p, b in self.bodies if m == "POST" and p.endswith("/datasets/")]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """`wait=True` polls every 10 s: tests poll without sleeping."""
    from avala import _twins

    monkeypatch.setattr(_twins, "sleep", lambda seconds: None)


@pytest.fixture
def api() -> LocalAvala:
    return LocalAvala(data="demo")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(api: LocalAvala, recorder: Recorder) -> Iterator[avala.Client]:
    with (
        api.httpx_client(event_hooks={"request": [recorder]}) as http,
        avala.Client(api_key=KEY, base_url=api.base_url, http_client=http) as c,
    ):
        yield c


def frames(root: Path, count: int = 3, suffix: str = ".png") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"frame-{i}{suffix}").write_bytes(b"\x89PNG fake image %d" % i)
    return root


def test_registry() -> None:
    assert available_importers() == ["cloud", "folder", "lerobot", "rosbag"]
    with pytest.raises(ValueError, match="Unknown importer 'coco'"):
        import_dataset("coco", object())
    seen: list[Any] = []
    register_importer("custom", lambda client, **kw: seen.append((client, kw)) or "done")
    try:
        assert import_dataset("custom", "c", a=1) == "done"
        assert seen == [("c", {"a": 1})]
        assert "custom" in available_importers()
    finally:
        from avala import importers

        importers._REGISTRY.pop("custom")


def test_detect_data_type() -> None:
    assert detect_data_type(["a.JPG", "b.png", "notes.txt"]) == "image"
    assert detect_data_type([("/x/scan.alp.gz", "scan.alp.gz")]) == "lidar"
    assert detect_data_type(["m.compressed.ply"]) == "splat"
    with pytest.raises(ValueError, match="mix data types"):
        detect_data_type(["a.jpg", "b.mcap"])
    with pytest.raises(ValueError, match="Could not infer"):
        detect_data_type(["a.txt"])


def test_import_folder_uploads_and_creates_the_dataset(
    api: LocalAvala, client: avala.Client, tmp_path: Path
) -> None:
    source = frames(tmp_path / "drive")
    dataset = import_folder(client, source=source, name="Drive", slug="drive", wait=True)
    assert dataset.data_type == "image"
    assert dataset.status == "created"
    assert dataset.item_count == 3
    assert api.objects.stats.api_key_seen == 0
    # Through the registry, the same call.
    other = import_dataset(
        "folder", client, source=frames(tmp_path / "b"), name="B", slug="b", data_type="image"
    )
    assert other.slug == "b"


async def test_async_import_folder(api: LocalAvala, tmp_path: Path) -> None:
    async with (
        api.async_httpx_client() as http,
        avala.AsyncClient(api_key=KEY, base_url=api.base_url, http_client=http) as client,
    ):
        dataset = await async_import_folder(
            client, source=frames(tmp_path / "a", suffix=".mcap"), name="A", slug="a"
        )
    assert dataset.data_type == "mcap"


def test_import_folder_refuses_what_would_end_up_empty(
    client: avala.Client, tmp_path: Path
) -> None:
    source = frames(tmp_path / "imgs")
    with pytest.raises(ValueError, match="None of the files is indexed as data_type='mcap'"):
        import_folder(client, source=source, name="X", slug="x", data_type="mcap")
    (source / "clip.mp4").write_bytes(b"video")
    with pytest.raises(ValueError, match="mix data types"):
        import_folder(client, source=source, name="X", slug="x")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No files"):
        import_folder(client, source=tmp_path / "empty", name="X", slug="x")


def test_parse_cloud_uri() -> None:
    assert parse_cloud_uri("s3://bucket/a/b/").prefix == "a/b/"
    assert parse_cloud_uri("gcs://b").provider == "gc_storage"
    with pytest.raises(ValueError, match="names no bucket"):
        parse_cloud_uri("s3:///x")
    with pytest.raises(ValueError, match="Unsupported cloud URI"):
        parse_cloud_uri("https://bucket/x")


def test_import_cloud_s3_with_access_keys(client: avala.Client, recorder: Recorder) -> None:
    dataset = import_cloud(
        client,
        uri="s3://robot-logs/runs/2026/",
        name="Runs",
        slug="runs",
        data_type="mcap",
        region="eu-west-1",
        access_key_id="AKIAEXAMPLE",
        secret_access_key=SECRET,
        included_extensions=" mcap, bag ,",
        ignored_paths=["tmp/ ", ""],
        wait=True,
    )
    assert dataset.status == "created"
    (body,) = recorder.created()
    assert body["provider_config"] == {
        "provider": "aws_s3",
        "s3_bucket_name": "robot-logs",
        "s3_bucket_prefix": "runs/2026/",
        "s3_bucket_region": "eu-west-1",
        "s3_is_accelerated": False,
        "s3_auth_method": "access_key",
        "s3_access_key_id": "AKIAEXAMPLE",
        "s3_secret_access_key": SECRET,
        "included_extensions": "mcap,bag",
        "ignored_paths": "tmp/",
    }
    assert SECRET not in repr(dataset)


def test_import_cloud_s3_needs_region_and_credentials(client: avala.Client) -> None:
    with pytest.raises(ValueError, match="region is required"):
        import_cloud(
            client,
            uri="s3://b/p",
            name="n",
            slug="s",
            data_type="image",
            role_arn="a",
            organization_uid="o",
        )
    with pytest.raises(ValueError, match="need credentials"):
        import_cloud(client, uri="s3://b/p", name="n", slug="s", data_type="image", region="r")
    with pytest.raises(ValueError, match="need an owning organization"):
        import_cloud(
            client,
            uri="s3://b/p",
            name="n",
            slug="s",
            data_type="image",
            region="r",
            role_arn="arn",
        )
    with pytest.raises(ValueError, match="Invalid data_type"):
        import_cloud(client, uri="s3://b/p", name="n", slug="s", data_type="pdf")


def test_import_cloud_gcs_reads_only_a_service_account_key(
    client: avala.Client, recorder: Recorder, tmp_path: Path
) -> None:
    key_file = tmp_path / "svc.json"
    key_file.write_text(json.dumps(SERVICE_ACCOUNT))
    import_cloud(
        client,
        uri="gs://cams/left",
        name="G",
        slug="g",
        data_type="image",
        gcs_auth_json=str(key_file),
    )
    (body,) = recorder.created()
    assert json.loads(body["provider_config"]["gc_storage_auth_json_content"]) == SERVICE_ACCOUNT
    # Inline JSON works too.
    import_cloud(
        client,
        uri="gs://cams/right",
        name="G2",
        slug="g2",
        data_type="image",
        gcs_auth_json=json.dumps(SERVICE_ACCOUNT),
    )
    # Any other file is refused before anything is sent, and its contents never show.
    private = tmp_path / "id_rsa"
    private.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-material\n")
    sent_before = len(recorder.bodies)
    for value in (str(private), '{"type": "authorized_user"}', str(tmp_path / "missing.json")):
        with pytest.raises(ValueError, match="gcs_auth_json") as caught:
            import_cloud(
                client, uri="gs://c/x", name="n", slug="s", data_type="image", gcs_auth_json=value
            )
        assert "secret-material" not in str(caught.value)
    assert len(recorder.bodies) == sent_before


def test_import_cloud_with_a_storage_config(
    api: LocalAvala, client: avala.Client, recorder: Recorder
) -> None:
    config_uid = api.demo_ids["storage_config.s3"]
    org_uid = api.demo_ids["organization.demo-org"]
    import_cloud(
        client,
        uri="s3://demo-bucket/avala/run-7/",
        name="Run 7",
        slug="run-7",
        data_type="mcap",
        storage_config_uid=config_uid,
        organization_uid=org_uid,
        region="ignored-region",
        role_arn="arn:aws:iam::123456789012:role/avala-demo",
    )
    (body,) = recorder.created()
    config = body["provider_config"]
    assert (config["s3_bucket_name"], config["s3_bucket_prefix"]) == ("demo-bucket", "avala/run-7/")
    assert config["s3_bucket_region"] == "us-east-1"  # the verified config's region wins
    assert body["organization_uid"] == org_uid
    common: dict[str, Any] = {
        "name": "n",
        "slug": "s",
        "data_type": "mcap",
        "storage_config_uid": config_uid,
        "organization_uid": org_uid,
        "role_arn": "arn",
    }
    with pytest.raises(ValueError, match="outside storage config"):
        import_cloud(client, uri="s3://demo-bucket/avala-archive/", **common)
    with pytest.raises(ValueError, match="is for 'demo-bucket'"):
        import_cloud(client, uri="s3://other-bucket/avala/", **common)
    keys = {"role_arn": None, "access_key_id": "AKIA", "secret_access_key": SECRET}
    with pytest.raises(ValueError, match="organization_uid is required"):
        import_cloud(client, **{**common, **keys, "organization_uid": None})
    with pytest.raises(ValueError, match="needs organization_uid"):
        import_cloud(client, organization_id=3, **{**common, "organization_uid": None})
