"""Datasets of real images in a local Avala API, for the training-loader tests."""

from __future__ import annotations

import io
from dataclasses import dataclass

from avala.testing import LocalAvala
from avala.testing._crud import make
from avala.testing._h_datasets import DATASET, ITEM

OWNER = "loader-org"


@dataclass
class ImageDataset:
    owner: str
    slug: str
    uids: list[str]
    keys: list[str]  # object store key of each item's image, in item order


def png(index: int, size: tuple[int, int] = (4, 3), mode: str = "RGB") -> bytes:
    from PIL import Image

    color = (index % 256, (index * 7) % 256, (index * 13) % 256, 255)[: len(mode)]
    image = Image.new(mode, size, color if len(mode) > 1 else color[0])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_dataset(
    api: LocalAvala,
    slug: str,
    count: int,
    *,
    images: bool = True,
    expires_in: int = 3600,
    owner: str = OWNER,
) -> ImageDataset:
    """`count` items in a new dataset `owner/slug`; with `images`, each item's `url` is a
    presigned GET of a small PNG in the local object store."""
    store = api.store
    dataset = store.col("datasets").add(
        make(
            store,
            DATASET,
            {
                "name": slug,
                "slug": slug,
                "owner_name": owner,
                "data_type": "image",
                "item_count": count,
            },
        )
    )
    uids, keys = [], []
    for i in range(count):
        key = f"media/{slug}/{i:06d}.png"
        url = None
        if images:
            api.objects.put_bytes(key, png(i), content_type="image/png")
            url = api.objects.presign("GET", key, expires_in=expires_in)
        item = store.col("dataset_items").add(
            make(
                store,
                ITEM,
                {
                    "key": f"frame-{i:06d}",
                    "dataset": dataset["uid"],
                    "url": url,
                    "metadata": {"index": i},
                    "annotations": {"boxes": [[i, i, i + 1, i + 1]]},
                },
            )
        )
        uids.append(item["uid"])
        keys.append(key)
    return ImageDataset(owner, slug, uids, keys)
