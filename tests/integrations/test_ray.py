"""`avala.ray.read_dataset` on a local Ray instance (`ray.init(num_cpus=2)`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pytest.importorskip("PIL")

import avala  # noqa: E402
from avala.errors import MissingExtraError  # noqa: E402
from avala.ray import AvalaDatasource, read_dataset  # noqa: E402
from avala.testing import LocalAvala  # noqa: E402
from tests.integrations._data import add_dataset, png  # noqa: E402

KEY = "avk_ray_test"

# Ray's own modules warn about their own deprecated settings when Ray Data starts.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[LocalAvala, str]]:
    api = LocalAvala(data="empty")
    with api.serve() as server:
        yield api, server.base_url


def test_ten_thousand_items_are_split_across_read_tasks_and_counted(
    cluster: None, served: tuple[LocalAvala, str]
) -> None:
    api, base_url = served
    data = add_dataset(api, "big", 10_000, images=False)
    with avala.Client(api_key=KEY, base_url=base_url) as client:
        source = AvalaDatasource(client, data.owner, data.slug)
        tasks = source.get_read_tasks(8)
        assert len(tasks) == 8
        assert sum(task.metadata.num_rows for task in tasks) == 10_000
        items = read_dataset(client, data.owner, data.slug, override_num_blocks=8)
        assert items.count() == 10_000
        assert items.limit(7).count() == 7
        rows = items.take_all()
    assert sorted(r["uid"] for r in rows) == sorted(data.uids)
    first = next(r for r in rows if r["uid"] == data.uids[0])
    assert json.loads(first["metadata"]) == {"index": 0}
    assert json.loads(first["annotations"]) == {"boxes": [[0, 0, 1, 1]]}
    assert first["key"] == "frame-000000"


def test_read_tasks_fetch_the_media(cluster: None, served: tuple[LocalAvala, str]) -> None:
    api, base_url = served
    data = add_dataset(api, "cams", 12)
    with avala.Client(api_key=KEY, base_url=base_url) as client:
        items = read_dataset(client, data.owner, data.slug, fetch_media=True, override_num_blocks=3)
        rows = items.take_all()
    media = {r["uid"]: r["media"] for r in rows}
    assert media == {uid: png(i) for i, uid in enumerate(data.uids)}
    assert [api.objects.stats.key(k).reads for k in data.keys] == [1] * 12
    assert api.objects.stats.api_key_seen == 0


def test_an_empty_dataset(cluster: None, served: tuple[LocalAvala, str]) -> None:
    api, base_url = served
    data = add_dataset(api, "nothing", 0)
    with avala.Client(api_key=KEY, base_url=base_url) as client:
        assert read_dataset(client, data.owner, data.slug).count() == 0


def test_the_datasource_pickles_without_client_or_listing(served: tuple[LocalAvala, str]) -> None:
    import pickle

    api, base_url = served
    data = add_dataset(api, "pickled", 3, images=False)
    with avala.Client(api_key=KEY, base_url=base_url) as client:
        source = AvalaDatasource(client, data.owner, data.slug)
        source.get_read_tasks(2)
        copy: Any = pickle.loads(pickle.dumps(source))
    assert copy._rows is None
    assert copy._handle._original is None


def test_without_ray_the_import_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "avala.ray" or m.startswith("avala.ray.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(MissingExtraError, match=r'pip install "avala\[ray\]"'):
        import avala.ray  # noqa: F401


def test_read_revision_splits_objects_across_tasks(
    cluster: None, served: tuple[LocalAvala, str]
) -> None:
    from avala.errors import MutableDatasetAliasWarning
    from avala.ray import AvalaRevisionDatasource, read_revision
    from avala.testing._h_resolver import PublishedFile

    api, base_url = served
    files = [
        PublishedFile(f"episodes/{i:03d}.mcap", "episode", i, data=b"episode %d" % i)
        for i in range(10)
    ] + [PublishedFile("README.md", "file", 0, data=b"hello")]
    published = api.publish_revision(owner="robots", name="drives", files=files)
    with pytest.warns(MutableDatasetAliasWarning):
        source = AvalaRevisionDatasource("robots/drives@main", base_url=base_url)
    assert source.canonical_reference == published["canonical_reference"]
    assert sum(t.metadata.num_rows for t in source.get_read_tasks(4)) == 11
    episodes = read_revision(
        published["canonical_reference"], role="episode", base_url=base_url, override_num_blocks=3
    )
    rows = episodes.take_all()
    assert sorted((r["ordinal"], r["data"]) for r in rows) == [
        (i, b"episode %d" % i) for i in range(10)
    ]
    assert {r["role"] for r in rows} == {"episode"}
    assert api.objects.stats.api_key_seen == 0
