"""`avala.torch.AvalaRevisionDataset`: published revisions (`avala.load`) as training data."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytest.importorskip("torch")

from torch.utils.data import DataLoader

from avala.errors import MutableDatasetAliasWarning
from avala.testing import LocalAvala
from avala.testing._h_resolver import PublishedFile
from avala.torch import AvalaRevisionDataset


def publish(api: LocalAvala, episodes: int = 5, files: int = 4) -> dict[str, Any]:
    published = [
        PublishedFile(f"episodes/{i:04d}.mcap", "episode", i, data=b"episode %d" % i)
        for i in range(episodes)
    ] + [
        PublishedFile(f"calib/{i}.json", "file", i, episode_ordinal=i % episodes, data=b"{}%d" % i)
        for i in range(files)
    ]
    return api.publish_revision(owner="robots", name="drives", files=published)


def test_objects_are_split_across_ranks_with_their_bytes() -> None:
    api = LocalAvala(data="empty")
    revision = publish(api)
    seen: Counter[str] = Counter()
    with api.httpx_client() as http:
        for rank in range(2):
            with pytest.warns(MutableDatasetAliasWarning):
                dataset = AvalaRevisionDataset(
                    "robots/drives@main",
                    base_url=api.base_url,
                    http_client=http,
                    rank=rank,
                    world_size=2,
                )
            assert dataset.canonical_reference == revision["canonical_reference"]
            for sample in dataset:
                seen[sample["logical_path"]] += 1
                if sample["role"] == "episode":
                    assert sample["data"] == b"episode %d" % sample["ordinal"]
            dataset.close()
    assert len(seen) == 9
    assert set(seen.values()) == {1}


def test_a_role_and_a_transform() -> None:
    api = LocalAvala(data="empty")
    revision = publish(api)
    with api.httpx_client() as http:
        dataset = AvalaRevisionDataset(
            revision["canonical_reference"],
            role="episode",
            base_url=api.base_url,
            http_client=http,
            transform=lambda s: s["ordinal"],
        )
        assert list(dataset) == [0, 1, 2, 3, 4]
        dataset.close()


def test_workers_read_the_pinned_revision_exactly_once() -> None:
    api = LocalAvala(data="empty")
    with api.serve() as server:
        revision = publish(api, episodes=11, files=0)
        dataset = AvalaRevisionDataset(revision["canonical_reference"], base_url=server.base_url)
        # Moving the alias later changes nothing: workers resolve the canonical reference.
        publish(api, episodes=1, files=0)
        loader = DataLoader(
            dataset,
            batch_size=4,
            num_workers=2,
            collate_fn=lambda batch: [s["data"] for s in batch],
            multiprocessing_context="fork",
        )
        data = [d for batch in loader for d in batch]
        dataset.close()
    assert sorted(data) == sorted(b"episode %d" % i for i in range(11))
