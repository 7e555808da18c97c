"""`AvalaDatasource`: a Ray Data datasource over an Avala dataset's items."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .._client_handle import ClientHandle
from .._extras import require
from .._item_media import MediaSource, iter_items

_data = require("ray.data", "ray", feature="avala.ray")
_block = require("ray.data.block", "ray", feature="avala.ray")
_pa = require("pyarrow", "ray", feature="avala.ray")

if TYPE_CHECKING:
    _DatasourceBase = object
else:
    _DatasourceBase = _data.Datasource

DEFAULT_PAGE_SIZE = 1000
# Plain columns first; JSON-encoded ones hold nested data whose shape varies from item to
# item (Arrow needs one type per column).
_TEXT = ("uid", "key", "url", "dataset")
_JSON = ("metadata", "annotations", "export_snippet")

Row = dict[str, Any]


def _schema(fetch_media: bool) -> Any:
    fields = [(name, _pa.string()) for name in (*_TEXT, *_JSON)]
    if fetch_media:
        fields.append(("media", _pa.binary()))
    return _pa.schema(fields)


def _row(item: Any) -> Row:
    row: Row = {name: getattr(item, name) for name in _TEXT}
    for name in _JSON:
        value = getattr(item, name)
        row[name] = None if value is None else json.dumps(value, separators=(",", ":"))
    return row


def _metadata(rows: int, size: int) -> Any:
    # BlockMetadata's arguments changed across Ray releases: pass those this one takes.
    accepted = inspect.signature(_block.BlockMetadata.__init__).parameters
    values = {"num_rows": rows, "size_bytes": size, "exec_stats": None, "input_files": None}
    values.update({"schema": None} if "schema" in accepted else {})
    return _block.BlockMetadata(**{k: v for k, v in values.items() if k in accepted})


def _read_fn(
    rows: list[Row], fetch: MediaSource | None, schema: Any
) -> Callable[[], Iterable[Any]]:
    def read() -> Iterable[Any]:
        if fetch is not None:
            for row in rows:
                row["media"] = fetch.fetch_url(row["uid"], row["url"]) if row["url"] else None
        yield _pa.Table.from_pylist(rows, schema=schema)

    return read


class AvalaDatasource(_DatasourceBase):
    """The items of `owner/slug` as a Ray Data source, one row per item.

    Columns: `uid`, `key`, `url`, `dataset` (strings), `metadata`, `annotations`,
    `export_snippet` (JSON text: `json.loads(row["annotations"])`), and with `fetch_media`
    `media` (the item's bytes, fetched inside the read tasks, on whichever node runs them).

    The item listing (cursor pages) is read once, by the driver, when Ray plans the read;
    the items are then split into contiguous ranges, one per read task, so the tasks (and
    their media downloads) spread over the cluster.
    """

    def __init__(
        self,
        client: Any,
        owner: str,
        slug: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        fetch_media: bool = False,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ValueError(f"page_size must be a positive int, got {page_size!r}")
        self._handle = ClientHandle(client)
        self.owner = owner
        self.slug = slug
        self.page_size = page_size
        self.fetch_media = fetch_media
        self._rows: list[Row] | None = None

    def _listing(self) -> list[Row]:
        if self._rows is None:
            items = iter_items(self._handle.get(), self.owner, self.slug, self.page_size)
            self._rows = [_row(item) for item in items]
        return self._rows

    def get_name(self) -> str:
        return f"Avala({self.owner}/{self.slug})"

    def estimate_inmemory_data_size(self) -> int | None:
        return None

    def get_read_tasks(self, parallelism: int, *args: Any, **kwargs: Any) -> list[Any]:
        rows = self._listing()
        if not rows:
            return []
        count = max(1, min(int(parallelism) if parallelism and parallelism > 0 else 1, len(rows)))
        schema = _schema(self.fetch_media)
        fetch = MediaSource(self._handle, self.owner, self.slug) if self.fetch_media else None
        # Newer Ray passes a row limit (`.limit(n)` pushed down); older Ray's ReadTask has no
        # such argument.
        limit = kwargs.get("per_task_row_limit", args[0] if args else None)
        extra: dict[str, Any] = {}
        if (
            limit is not None
            and "per_task_row_limit" in inspect.signature(_data.ReadTask).parameters
        ):
            extra["per_task_row_limit"] = limit
        tasks = []
        for index in range(count):
            chunk = rows[index * len(rows) // count : (index + 1) * len(rows) // count]
            size = sum(len(json.dumps(r)) for r in chunk)
            tasks.append(
                _data.ReadTask(_read_fn(chunk, fetch, schema), _metadata(len(chunk), size), **extra)
            )
        return tasks

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_rows"] = None  # read tasks carry their own rows
        return state


def read_dataset(
    client: Any,
    owner: str,
    slug: str,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    fetch_media: bool = False,
    override_num_blocks: int | None = None,
    ray_remote_args: dict[str, Any] | None = None,
) -> Any:
    """A Ray `Dataset` of the items of the Avala dataset `owner/slug` (see
    `AvalaDatasource` for the columns). Runs on the Ray cluster `ray.init()` connected to;
    `override_num_blocks` sets the number of read tasks (default: Ray's choice)."""
    source = AvalaDatasource(client, owner, slug, page_size=page_size, fetch_media=fetch_media)
    options: dict[str, Any] = {}
    if override_num_blocks is not None:
        options["override_num_blocks"] = override_num_blocks
    if ray_remote_args:
        options["ray_remote_args"] = ray_remote_args
    return _data.read_datasource(source, **options)
