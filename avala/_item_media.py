"""Training-loader samples from dataset items: the item listing, the sample dict, media
fetched through this process's client (an expired URL renewed by fetching the item again),
image decoding. Shared by `avala.torch` and `avala.ray`."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from ._client_handle import ClientHandle
from ._extras import require
from .errors import AvalaError, MediaError
from .types.datasets import DatasetItem

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
    image_module = require("PIL.Image", "torch", feature="Decoding images")
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
            from ._sync._media import MediaFetcher
            from ._sync._transfer import Transfer

            self._fetcher = MediaFetcher(Transfer(client._http))
            self._fetcher_client = client
        return self._fetcher

    def fetch(self, item: DatasetItem) -> bytes:
        """The bytes behind `item.url`; an expired or refused URL is renewed once by
        fetching the item again (the API signs a fresh URL)."""
        assert item.url is not None
        return self.fetch_url(item.uid, item.url)

    def fetch_url(self, uid: str, url: str) -> bytes:
        """The bytes behind `url`, the media URL of item `uid`."""

        def refresh() -> str | None:
            fresh: DatasetItem = self._handle.get().datasets.get_item(self._owner, self._slug, uid)
            return fresh.url

        content: bytes = self._media().fetch(url, refresh=refresh)
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


def iter_items(client: Any, owner: str, slug: str, page_size: int) -> Iterator[DatasetItem]:
    """Every item of the dataset, page by page, in the API's order.

    A cursor the API already handed out means the walk would loop (or repeat samples)
    forever: that raises instead of silently ending the epoch early.
    """
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        page = client.datasets.list_items(owner, slug, limit=page_size, cursor=cursor)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return
        if cursor in seen:
            raise AvalaError(
                f"The API repeated a page cursor while listing {owner}/{slug}'s items; "
                "stopping rather than yielding samples twice."
            )
        seen.add(cursor)
