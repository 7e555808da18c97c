from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import AsyncClient, NotFoundError
from avala.types.storage_configs import StorageConfig, StorageConfigSetupInfo
from tests.helpers import page, url

CONFIG = {
    "uid": "sc_1",
    "name": "Raw bucket",
    "provider": "aws_s3",
    "s3_bucket_name": "acme-raw",
    "s3_bucket_region": "us-east-1",
    "s3_bucket_prefix": "",
    "s3_auth_method": None,
    "s3_is_accelerated": False,
    "gc_storage_bucket_name": None,
    "gc_storage_prefix": "",
    "is_verified": True,
    "last_verified_at": "2026-01-02T00:00:00Z",
    "created_at": "2026-01-01T00:00:00Z",
}

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


async def test_list(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/storage-configs/")).respond(
        200, json=page([CONFIG], "/storage-configs/?cursor=c2")
    )
    first = await client.storage_configs.list(organization="acme", limit=10)
    assert dict(route.calls.last.request.url.params) == {"limit": "10", "organization": "acme"}
    config = first.items[0]
    assert isinstance(config, StorageConfig)
    assert config.id == "sc_1"
    assert config.s3_bucket_prefix == ""
    assert config.s3_auth_method is None
    assert config.is_verified is True
    assert first.next_cursor == "c2"


async def test_list_walks_every_page(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/storage-configs/")).mock(
        side_effect=[
            httpx.Response(200, json=page([CONFIG], "/storage-configs/?cursor=c2")),
            httpx.Response(200, json=page([{**CONFIG, "uid": "sc_2"}])),
        ]
    )
    assert [c.uid async for c in client.storage_configs.list().auto_paging_iter()] == [
        "sc_1",
        "sc_2",
    ]
    assert dict(route.calls[1].request.url.params) == {"cursor": "c2"}


async def test_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/storage-configs/sc_1/")).respond(200, json=CONFIG)
    config = await client.storage_configs.get("sc_1")
    assert dict(route.calls.last.request.url.params) == {}
    assert config.provider == "aws_s3"
    assert config.last_verified_at is not None


async def test_get_pinned_to_an_organization(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/storage-configs/sc_1/")).mock(
        side_effect=[
            httpx.Response(200, json=CONFIG),
            httpx.Response(404, json={"detail": "Not found."}),
            httpx.Response(200, json=CONFIG),
        ]
    )
    await client.storage_configs.get("sc_1", organization="acme")
    assert dict(route.calls.last.request.url.params) == {"organization": "acme"}
    with pytest.raises(NotFoundError):
        await client.storage_configs.get(id="sc_1", organization="other")
    assert dict(route.calls.last.request.url.params) == {"organization": "other"}
    # An empty slug pins nothing: not sent.
    await client.storage_configs.get("sc_1", organization="")
    assert dict(route.calls.last.request.url.params) == {}


async def test_create_sends_organization_in_the_query_and_secrets_in_the_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    # The API never echoes credentials; even if it did, the model has no field for them.
    route = respx_mock.post(url("/storage-configs/")).respond(
        201, json={**CONFIG, "s3_access_key_id": "AKIAEXAMPLE", "s3_secret_access_key": SECRET}
    )
    config = await client.storage_configs.create(
        name="Raw bucket",
        provider="aws_s3",
        organization="acme",
        s3_bucket_name="acme-raw",
        s3_bucket_region="us-east-1",
        s3_access_key_id="AKIAEXAMPLE",
        s3_secret_access_key=SECRET,
        s3_is_accelerated=False,
    )
    request = route.calls.last.request
    assert dict(request.url.params) == {"organization": "acme"}
    assert json.loads(request.content) == {
        "name": "Raw bucket",
        "provider": "aws_s3",
        "s3_bucket_name": "acme-raw",
        "s3_bucket_region": "us-east-1",
        "s3_access_key_id": "AKIAEXAMPLE",
        "s3_secret_access_key": SECRET,
        "s3_is_accelerated": False,
    }
    assert not hasattr(config, "s3_secret_access_key")
    assert SECRET not in repr(config)
    assert "s3_secret_access_key" not in config.to_dict()


async def test_create_gcs_with_every_gcs_field(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    gcs = {**CONFIG, "provider": "gc_storage", "gc_storage_bucket_name": "acme-gcs"}
    route = respx_mock.post(url("/storage-configs/")).respond(201, json=gcs)
    config = await client.storage_configs.create(
        name="GCS",
        provider="gc_storage",
        gc_storage_bucket_name="acme-gcs",
        gc_storage_prefix="raw/",
        gc_storage_auth_json_content='{"type": "service_account"}',
    )
    assert config.gc_storage_bucket_name == "acme-gcs"
    request = route.calls.last.request
    assert dict(request.url.params) == {}
    assert json.loads(request.content) == {
        "name": "GCS",
        "provider": "gc_storage",
        "gc_storage_bucket_name": "acme-gcs",
        "gc_storage_prefix": "raw/",
        "gc_storage_auth_json_content": '{"type": "service_account"}',
    }


async def test_create_with_an_iam_role(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/storage-configs/")).respond(201, json=CONFIG)
    await client.storage_configs.create(
        name="Role",
        provider="aws_s3",
        s3_bucket_name="b",
        s3_bucket_prefix="p/",
        s3_auth_method="iam_role",
        s3_role_arn="arn:aws:iam::123456789012:role/avala",
        s3_is_accelerated=True,
    )
    assert json.loads(route.calls.last.request.content) == {
        "name": "Role",
        "provider": "aws_s3",
        "s3_bucket_name": "b",
        "s3_bucket_prefix": "p/",
        "s3_auth_method": "iam_role",
        "s3_role_arn": "arn:aws:iam::123456789012:role/avala",
        "s3_is_accelerated": True,
    }


async def test_update_patches_subset(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(url("/storage-configs/sc_1/")).respond(
        200, json={**CONFIG, "s3_bucket_prefix": "v2/"}
    )
    config = await client.storage_configs.update(
        "sc_1", s3_bucket_prefix="v2/", s3_secret_access_key=SECRET
    )
    assert config.s3_bucket_prefix == "v2/"
    assert json.loads(route.calls.last.request.content) == {
        "s3_bucket_prefix": "v2/",
        "s3_secret_access_key": SECRET,
    }

    await client.storage_configs.update("sc_1")
    assert json.loads(route.calls.last.request.content) == {}


async def test_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.delete(url("/storage-configs/sc_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.storage_configs.delete("sc_1") is None
    assert await client.storage_configs.delete("sc_1") is None


async def test_setup_info(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/storage-configs/setup-info/")).respond(
        200, json={"avala_aws_account_id": "123456789012", "external_id": "ext-1"}
    )
    info = await client.storage_configs.setup_info(organization="acme")
    assert info == StorageConfigSetupInfo(avala_aws_account_id="123456789012", external_id="ext-1")
    assert dict(route.calls.last.request.url.params) == {"organization": "acme"}

    await client.storage_configs.setup_info()
    assert dict(route.calls.last.request.url.params) == {}


async def test_test_returns_raw_dict_and_sends_no_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/storage-configs/sc_1/test/")).respond(
        200, json={"verified": False, "errors": {"s3_bucket_name": ["Access denied."]}}
    )
    result = await client.storage_configs.test("sc_1")
    assert result == {"verified": False, "errors": {"s3_bucket_name": ["Access denied."]}}
    assert route.calls.last.request.content == b""
