# Generated from tests/_async/test_slices.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import json

import httpx
import pytest
import respx

from avala import Client
from avala.types.slices import Slice, SliceItem
from tests.helpers import page, url

OWNER = "serve.robotics@avala.ai"

SLICE = {
    "uid": "sl_1",
    "name": "Cars at night",
    "slug": "cars-at-night",
    "owner_name": OWNER,
    "visibility": "private",
    "status": "ready",
    "organization": {"uid": "org_1", "name": "Acme", "slug": "acme"},
    "item_count": 2,
    "sub_slices": [{"dataset": "ds_1", "query": "label=car"}],
    "source_data": {"kind": "query"},
    "featured_slice_item_urls": ["https://data.avala.ai/1.jpg"],
}

ITEM = {
    "id": 7,
    "uid": "item_1",
    "is_hidden": True,
    "key": "img/1.jpg",
    "dataset": "ds_1",
    "dataset_slug": "training-data",
    "annotations": {"boxes": []},
}


def test_list(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(f"/slices/{OWNER}/list/")).respond(
        200, json=page([SLICE], f"/slices/{OWNER}/list/?cursor=s2")
    )
    first = client.slices.list(OWNER, limit=1)
    assert dict(route.calls.last.request.url.params) == {"limit": "1"}
    slice_ = first.items[0]
    assert isinstance(slice_, Slice)
    assert slice_.id == "sl_1"
    assert slice_.organization == {"uid": "org_1", "name": "Acme", "slug": "acme"}
    assert slice_.source_data == {"kind": "query"}
    assert first.next_cursor == "s2"


def test_list_walks_every_page(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/slices/acme/list/")).mock(
        side_effect=[
            httpx.Response(200, json=page([SLICE], "/slices/acme/list/?cursor=s2")),
            httpx.Response(200, json=page([{**SLICE, "uid": "sl_2"}])),
        ]
    )
    assert [s.uid for s in client.slices.list("acme").auto_paging_iter()] == ["sl_1", "sl_2"]
    assert route.calls[1].request.url.params["cursor"] == "s2"


def test_get(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"/slices/{OWNER}/cars-at-night/")).respond(200, json=SLICE)
    slice_ = client.slices.get(OWNER, "cars-at-night")
    assert slice_.name == "Cars at night"
    assert slice_.item_count == 2
    assert slice_.featured_slice_item_urls == ["https://data.avala.ai/1.jpg"]


def test_get_decodes_a_minimal_slice(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/slices/acme/s/")).respond(200, json={"uid": "sl_1", "name": "S"})
    assert client.slices.get("acme", "s") == Slice(uid="sl_1", name="S")


def test_create(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/slices/")).respond(201, json=SLICE)
    slice_ = client.slices.create(
        name="Cars at night",
        visibility="private",
        sub_slices=[{"dataset": "ds-001", "query": "label=car"}],
    )
    assert slice_.slug == "cars-at-night"
    assert json.loads(route.calls.last.request.content) == {
        "name": "Cars at night",
        "visibility": "private",
        "sub_slices": [{"dataset": "ds-001", "query": "label=car"}],
    }


def test_create_with_organization_and_random_selection(
    client: Client, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/slices/")).respond(201, json=SLICE)
    client.slices.create(
        name="Sample",
        visibility="public",
        sub_slices=({"dataset": d} for d in ["ds_1", "ds_2"]),
        organization="acme",
        random_selection_count=100,
    )
    assert json.loads(route.calls.last.request.content) == {
        "name": "Sample",
        "visibility": "public",
        "sub_slices": [{"dataset": "ds_1"}, {"dataset": "ds_2"}],
        "organization": "acme",
        "random_selection_count": 100,
    }


@pytest.mark.parametrize(
    "sub_slices",
    [{"dataset": "ds_1"}, "ds_1", ["ds_1"]],
    ids=["one-dict", "string", "list-of-strings"],
)
def test_create_refuses_malformed_sub_slices(client: Client, sub_slices: object) -> None:
    with pytest.raises(TypeError, match="sub_slices"):
        client.slices.create(
            name="S",
            visibility="private",
            sub_slices=sub_slices,  # type: ignore[arg-type]
        )


def test_list_items(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url(f"/slices/{OWNER}/cars-at-night/items/list/")).respond(
        200, json=page([ITEM])
    )
    first = client.slices.list_items(OWNER, "cars-at-night", limit=10, cursor="c1")
    assert dict(route.calls.last.request.url.params) == {"limit": "10", "cursor": "c1"}
    item = first.items[0]
    assert isinstance(item, SliceItem)
    assert item.id == 7
    assert item.uid == "item_1"
    assert item.is_hidden is True
    assert not first.has_more


def test_get_item(client: Client, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url(f"/slices/{OWNER}/cars-at-night/items/item_1/")).respond(200, json=ITEM)
    item = client.slices.get_item(OWNER, "cars-at-night", "item_1")
    assert item.annotations == {"boxes": []}
    assert item.dataset_slug == "training-data"


def test_slug_is_encoded_into_one_segment(client: Client, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/slices/acme/a%2Fitems%2Flist/")).respond(200, json=SLICE)
    client.slices.get("acme", "a/items/list")
    assert route.called
