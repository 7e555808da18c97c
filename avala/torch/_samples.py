"""Samples from dataset items: the dict a loader yields, media fetching and image decoding."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from .._client_handle import ClientHandle
from .._extras import require
from ..errors import MediaError
from ..types.datasets import DatasetItem

Sample = dict[str, Any]
Transform = Callable[[Sample], Any]


def base_sample(item: DatasetItem) -> Sample:
    return {
        "uid": item.uid,
        "key": item.key,
        "url": item.url,
        "annotations": item.annotations,
        "export_snippet": item.export_snippet,
        "metadata": item.metadata,
    }


def decode_image(content: bytes) -> Any:
    """An RGB PIL image of `content`; `MediaError` when it is not an image."""
    image_module = require("PIL.Image", "torch", feature="decode_images=True")
    try:
        with image_module.open(io.BytesIO(content)) as image:
            return image.convert("RGB")
    except (OSError, ValueError, image_module.DecompressionBombError):
        raise MediaError(
            "The item's media is not an image Pillow can decode.", "not_an_image"
        ) from None


class MediaSource:
    """Fetches item media for one process, through that process's client."""

    def __init__(self, handle: ClientHandle, owner: str, slug: str) -> None:
        self._handle = handle
        self._owner = owner
        self._slug = slug
        self._fetcher: Any = None
        self._fetcher_client: Any = None

    def _media(self) -> Any:
        client = self._handle.get()
        if self._fetcher is None or self._fetcher_client is not client:
            from .._sync._media import MediaFetcher
            from .._sync._transfer import Transfer

            self._fetcher = MediaFetcher(Transfer(client._http))
            self._fetcher_client = client
        return self._fetcher

    def fetch(self, item: DatasetItem) -> bytes:
        """The bytes behind `item.url`; an expired or refused URL is renewed once by
        fetching the item again (the API signs a fresh URL)."""
        assert item.url is not None

        def refresh() -> str | None:
            fresh: DatasetItem = self._handle.get().datasets.get_item(
                self._owner, self._slug, item.uid
            )
            return fresh.url

        content: bytes = self._media().fetch(item.url, refresh=refresh)
        return content

    def sample(self, item: DatasetItem, decode_images: bool) -> Sample:
        sample = base_sample(item)
        if decode_images and item.url:
            sample["image"] = decode_image(self.fetch(item))
        return sample

    def __getstate__(self) -> dict[str, Any]:
        return {"handle": self._handle, "owner": self._owner, "slug": self._slug}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["handle"], state["owner"], state["slug"])  # type: ignore[misc]
