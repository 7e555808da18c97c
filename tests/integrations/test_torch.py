"""`avala.torch`: samples, sharding across DataLoader workers and ranks, pickling, media."""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("PIL")

from torch.utils.data import DataLoader  # noqa: E402

import avala  # noqa: E402
from avala.errors import AvalaError, MediaError, MissingExtraError, UnsafeURLError  # noqa: E402
from avala.testing import LocalAvala  # noqa: E402
from avala.torch import AvalaDataset, AvalaIterableDataset  # noqa: E402
from tests.integrations._data import OWNER, add_dataset  # noqa: E402

KEY = "avk_torch_test_key"


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


def test_samples_carry_the_item_fields_and_decoded_images(
    api: LocalAvala, client: avala.Client
) -> None:
    data = add_dataset(api, "cams", 5)
    dataset = AvalaIterableDataset(client, data.owner, data.slug, decode_images=True, page_size=2)
    samples = list(dataset)
    assert [s["uid"] for s in samples] == data.uids
    first = samples[0]
    assert set(first) == {"uid", "key", "url", "annotations", "export_snippet", "metadata", "image"}
    assert first["key"] == "frame-000000"
    assert first["metadata"] == {"index": 0}
    assert first["image"].mode == "RGB"
    assert first["image"].size == (4, 3)
    assert samples[3]["image"].getpixel((0, 0)) == (3, 21, 39)
    assert api.objects.stats.api_key_seen == 0


def test_without_decode_images_no_media_is_fetched(api: LocalAvala, client: avala.Client) -> None:
    data = add_dataset(api, "cams", 3)
    samples = list(
        AvalaIterableDataset(client, data.owner, data.slug, transform=lambda s: s["uid"])
    )
    assert samples == data.uids
    assert api.objects.stats.methods["GET"] == 0


def test_rgba_images_become_rgb(api: LocalAvala, client: avala.Client) -> None:
    from tests.integrations._data import png

    data = add_dataset(api, "rgba", 1)
    api.objects.put_bytes(data.keys[0], png(1, mode="RGBA"))
    (sample,) = AvalaIterableDataset(client, data.owner, data.slug, decode_images=True)
    assert sample["image"].mode == "RGB"


@pytest.mark.parametrize(("rank", "world_size"), [(0, 2), (1, 2)])
def test_ranks_read_disjoint_shares_in_process(
    api: LocalAvala, client: avala.Client, rank: int, world_size: int
) -> None:
    data = add_dataset(api, "cams", 7)
    dataset = AvalaIterableDataset(
        client,
        data.owner,
        data.slug,
        decode_images=True,
        page_size=2,
        rank=rank,
        world_size=world_size,
    )
    assert dataset.num_pages == 4
    # Rank r reads the pages p (of 2 items) with p % world_size == r.
    positions = [i for i in range(7) if (i // 2) % world_size == rank]
    uids = [s["uid"] for s in dataset]
    assert uids == [data.uids[i] for i in positions]
    # Only this rank's media was fetched.
    fetched = [k for k in data.keys if api.objects.stats.key(k).reads]
    assert fetched == [data.keys[i] for i in positions]


def _uids(batch: list[dict[str, Any]]) -> list[tuple[str, tuple[int, int]]]:
    return [(s["uid"], s["image"].size) for s in batch]


@pytest.mark.parametrize(("start_method", "ranks"), [("fork", 2), ("spawn", 2), ("forkserver", 1)])
def test_two_workers_times_two_ranks_see_every_sample_exactly_once(
    start_method: str, ranks: int
) -> None:
    api = LocalAvala(data="empty")
    with api.serve() as server:
        data = add_dataset(api, "fleet-cams", 23)
        seen: Counter[str] = Counter()
        with avala.Client(api_key=KEY, base_url=server.base_url) as client:
            for rank in range(ranks):
                dataset = AvalaIterableDataset(
                    client,
                    data.owner,
                    data.slug,
                    decode_images=True,
                    page_size=5,
                    rank=rank,
                    world_size=ranks,
                )
                loader = DataLoader(
                    dataset,
                    batch_size=3,
                    num_workers=2,
                    collate_fn=_uids,
                    multiprocessing_context=start_method,
                )
                for batch in loader:
                    seen.update(uid for uid, size in batch if size == (4, 3))
        assert seen == Counter(data.uids)  # every sample, once
        # Each worker fetched only its own shard's media: one GET per image in total.
        assert [api.objects.stats.key(k).reads for k in data.keys] == [1] * 23
        assert api.objects.stats.api_key_seen == 0


def _list_requests(api: LocalAvala, slug: str) -> int:
    path = f"/api/v1/datasets/{OWNER}/{slug}/items/"
    return sum(1 for e in api.log if e.method == "GET" and e.path == path)


@pytest.mark.filterwarnings("ignore:This DataLoader will create 4 worker processes")
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_four_workers_list_each_page_once_per_epoch(start_method: str) -> None:
    api = LocalAvala(data="empty")
    with api.serve() as server:
        data = add_dataset(api, "paged", 40, images=False)
        with avala.Client(api_key=KEY, base_url=server.base_url) as client:
            dataset = AvalaIterableDataset(client, data.owner, data.slug, page_size=4)
            assert _list_requests(api, "paged") == 10  # the plan: one walk, when created
            loader = DataLoader(
                dataset,
                batch_size=3,
                num_workers=4,
                collate_fn=list,
                multiprocessing_context=start_method,
            )
            for epoch in range(2):
                before = _list_requests(api, "paged")
                uids = [s["uid"] for batch in loader for s in batch]
                # One request per page per epoch: not one walk per worker (40 requests).
                assert _list_requests(api, "paged") - before == 10, epoch
                assert Counter(uids) == Counter(data.uids)


def test_items_changed_after_the_plan_are_read_once(api: LocalAvala, client: avala.Client) -> None:
    data = add_dataset(api, "moving", 9, images=False)
    plans = [
        AvalaIterableDataset(client, data.owner, data.slug, page_size=3, rank=r, world_size=2)
        for r in range(2)
    ]
    items = api.store.col("dataset_items")
    items.remove(data.uids[1])  # page 0 now reaches into page 1's items
    items.remove(data.uids[4])
    more = add_dataset(api, "extra", 4, images=False)  # then items appended at the end
    for uid in more.uids:
        items.get(uid)["dataset"] = items.get(data.uids[0])["dataset"]
    seen = Counter(s["uid"] for dataset in plans for s in dataset)
    expected = [u for u in data.uids if u not in (data.uids[1], data.uids[4])] + more.uids
    assert seen == Counter(expected)


def test_map_style_dataset_with_workers() -> None:
    api = LocalAvala(data="empty")
    with api.serve() as server:
        data = add_dataset(api, "map", 9)
        with avala.Client(api_key=KEY, base_url=server.base_url) as client:
            dataset = AvalaDataset(client, data.owner, data.slug, decode_images=True, page_size=4)
            assert len(dataset) == 9
            assert dataset[-1]["uid"] == data.uids[-1]
            loader = DataLoader(
                dataset,
                batch_size=2,
                num_workers=2,
                collate_fn=_uids,
                multiprocessing_context="fork",
            )
            got = sorted(uid for batch in loader for uid, _ in batch)
    assert got == sorted(data.uids)


def test_datasets_pickle_without_their_client(api: LocalAvala, client: avala.Client) -> None:
    data = add_dataset(api, "cams", 2, images=False)
    for dataset in (
        AvalaIterableDataset(client, data.owner, data.slug),
        AvalaDataset(client, data.owner, data.slug),
    ):
        copy = pickle.loads(pickle.dumps(dataset))
        assert copy._handle._original is None
        assert copy._handle.config.base_url == api.base_url


def test_a_forked_child_builds_its_own_client(
    api: LocalAvala, client: avala.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    data = add_dataset(api, "cams", 1, images=False)
    dataset = AvalaIterableDataset(client, data.owner, data.slug)
    assert dataset.client is client
    monkeypatch.setattr(os, "getpid", lambda: -12345)  # what a forked child sees: another PID
    fresh = dataset.client
    assert fresh is not client
    assert fresh._http.http_client is not client._http.http_client
    dataset.close()


def test_async_client_lends_its_configuration(api: LocalAvala) -> None:
    data = add_dataset(api, "cams", 3, images=False)
    with api.serve() as server:
        async_client = avala.AsyncClient(api_key=KEY, base_url=server.base_url)
        dataset = AvalaIterableDataset(async_client, data.owner, data.slug)
        assert isinstance(dataset.client, avala.Client)
        assert [s["uid"] for s in dataset] == data.uids
        dataset.close()


def test_a_repeated_cursor_raises_instead_of_looping(
    api: LocalAvala, client: avala.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = add_dataset(api, "loop", 4, images=False)
    real = client.datasets.list_items

    def looping(*args: Any, **kwargs: Any) -> Any:
        page = real(*args, **{**kwargs, "cursor": None})
        page._next_token = ("cursor", "same-every-time")
        return page

    monkeypatch.setattr(client.datasets, "list_items", looping)
    with pytest.raises(AvalaError, match="repeated a page cursor"):
        list(AvalaIterableDataset(client, data.owner, data.slug, page_size=2))


def test_a_cursor_repeated_during_an_epoch_raises(
    api: LocalAvala, client: avala.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = add_dataset(api, "loop-later", 4, images=False)
    dataset = AvalaIterableDataset(client, data.owner, data.slug, page_size=2)
    real = client.datasets.list_items

    def looping(*args: Any, **kwargs: Any) -> Any:
        page = real(*args, **{**kwargs, "cursor": None})
        page._next_token = ("cursor", "not-planned")
        return page

    monkeypatch.setattr(client.datasets, "list_items", looping)
    with pytest.raises(AvalaError, match="repeated a page cursor"):
        list(dataset)


def test_expired_urls_are_renewed_from_the_item(
    api: LocalAvala, client: avala.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = add_dataset(api, "stale", 2)
    # Sign the stored URLs an hour in the past: they expired long ago.
    real_clock = api.objects.clock
    monkeypatch.setattr(api.objects, "clock", lambda: real_clock() - 7200)
    expired = [api.objects.presign("GET", k, expires_in=60) for k in data.keys]
    monkeypatch.setattr(api.objects, "clock", real_clock)
    for uid, url in zip(data.uids, expired, strict=True):
        api.store.col("dataset_items").get(uid)["url"] = url
    fresh = {
        uid: api.objects.presign("GET", k) for uid, k in zip(data.uids, data.keys, strict=True)
    }
    renewed: list[str] = []
    real_get = client.datasets.get_item

    def get_item(owner: str, slug: str, uid: str, **kw: Any) -> Any:
        api.store.col("dataset_items").get(uid)["url"] = fresh[uid]  # the API signs anew
        renewed.append(uid)
        return real_get(owner, slug, uid, **kw)

    monkeypatch.setattr(client.datasets, "get_item", get_item)
    samples = list(AvalaIterableDataset(client, data.owner, data.slug, decode_images=True))
    assert [s["image"].size for s in samples] == [(4, 3), (4, 3)]
    assert renewed == data.uids
    assert api.objects.stats.statuses[403] == 0  # renewed before use, not after a refusal


def test_a_refused_signature_is_renewed_once(
    api: LocalAvala, client: avala.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = add_dataset(api, "forged", 1)
    item = api.store.col("dataset_items").get(data.uids[0])
    good = item["url"]
    item["url"] = good.replace("X-Amz-Signature=", "X-Amz-Signature=00")
    real_get = client.datasets.get_item

    def get_item(owner: str, slug: str, uid: str, **kw: Any) -> Any:
        api.store.col("dataset_items").get(uid)["url"] = good
        return real_get(owner, slug, uid, **kw)

    monkeypatch.setattr(client.datasets, "get_item", get_item)
    (sample,) = AvalaIterableDataset(client, data.owner, data.slug, decode_images=True)
    assert sample["image"].size == (4, 3)
    assert api.objects.stats.statuses[403] == 1


def test_transient_storage_failures_are_retried(
    api: LocalAvala, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avala import RetryPolicy

    data = add_dataset(api, "flaky", 2)
    api.objects.queue_faults("http_503", "drop")
    with (
        api.httpx_client() as http,
        avala.Client(
            api_key=KEY,
            base_url=api.base_url,
            http_client=http,
            retry_policy=RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0),
        ) as client,
    ):
        samples = list(AvalaIterableDataset(client, data.owner, data.slug, decode_images=True))
    assert len(samples) == 2
    assert api.objects.stats.faults_total == 2


def test_a_missing_object_is_a_typed_error_without_the_url(
    api: LocalAvala, client: avala.Client
) -> None:
    data = add_dataset(api, "gone", 1)
    api.objects.delete(data.keys[0])
    with pytest.raises(MediaError) as caught:
        list(AvalaIterableDataset(client, data.owner, data.slug, decode_images=True))
    assert caught.value.status_code == 404
    assert "X-Amz" not in str(caught.value)
    assert "_local" not in str(caught.value)


def test_media_urls_off_the_allow_list_are_refused(api: LocalAvala, client: avala.Client) -> None:
    data = add_dataset(api, "evil", 1)
    api.store.col("dataset_items").get(data.uids[0])["url"] = "https://attacker.example.com/x.png"
    with pytest.raises(UnsafeURLError) as caught:
        list(AvalaIterableDataset(client, data.owner, data.slug, decode_images=True))
    assert "attacker.example.com/x.png" not in str(caught.value)


def test_not_an_image_is_a_media_error(api: LocalAvala, client: avala.Client) -> None:
    data = add_dataset(api, "text", 1)
    api.objects.put_bytes(data.keys[0], b"plain text, not an image")
    with pytest.raises(MediaError, match="not an image"):
        list(AvalaIterableDataset(client, data.owner, data.slug, decode_images=True))


def test_argument_checks(client: avala.Client) -> None:
    with pytest.raises(ValueError, match="rank and world_size"):
        AvalaIterableDataset(client, "o", "s", rank=0)
    with pytest.raises(ValueError, match="rank must be"):
        AvalaIterableDataset(client, "o", "s", rank=2, world_size=2)
    with pytest.raises(ValueError, match="page_size"):
        AvalaIterableDataset(client, "o", "s", page_size=0)
    with pytest.raises(TypeError, match=r"avala\.Client"):
        AvalaIterableDataset(object(), "o", "s")


def test_without_torch_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "avala.torch" or m.startswith("avala.torch.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingExtraError, match=r'pip install "avala\[torch\]"'):
        import avala.torch
    with pytest.raises(ModuleNotFoundError):
        import avala.torch  # noqa: F401
