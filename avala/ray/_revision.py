"""`AvalaRevisionDatasource`: the objects of a published revision (`avala.load`) as a Ray
Data source."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .._extras import require
from ._datasource import _metadata

_data = require("ray.data", "ray", feature="avala.ray")
_pa = require("pyarrow", "ray", feature="avala.ray")

if TYPE_CHECKING:
    _DatasourceBase = object
else:
    _DatasourceBase = _data.Datasource

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def _schema() -> Any:
    return _pa.schema(
        [
            ("object_uid", _pa.string()),
            ("logical_path", _pa.string()),
            ("role", _pa.string()),
            ("ordinal", _pa.int64()),
            ("episode_ordinal", _pa.int64()),
            ("content_type", _pa.string()),
            ("size_bytes", _pa.int64()),
            ("sha256", _pa.string()),
            ("data", _pa.binary()),
        ]
    )


def _read_fn(
    documents: list[Any], reference: str, base_url: str | None, max_bytes: int
) -> Callable[[], Iterable[Any]]:
    def read() -> Iterable[Any]:
        from .._sync._load import ResolvedDatasetObject, load

        rows = []
        # Each task resolves the pinned revision itself: no connection crosses processes.
        with load(reference, base_url=base_url) as revision:
            for document in documents:
                obj = ResolvedDatasetObject(document, revision._session)
                rows.append(
                    {
                        "object_uid": obj.object_uid,
                        "logical_path": obj.logical_path,
                        "role": obj.role,
                        "ordinal": obj.ordinal,
                        "episode_ordinal": obj.episode_ordinal,
                        "content_type": obj.content_type,
                        "size_bytes": obj.size_bytes,
                        "sha256": obj.sha256,
                        "data": obj.read(max_bytes=max_bytes)
                        if obj.size_bytes <= max_bytes
                        else None,
                    }
                )
        yield _pa.Table.from_pylist(rows, schema=_schema())

    return read


class AvalaRevisionDatasource(_DatasourceBase):
    """The objects of a published revision as a Ray Data source, one row per object.

    `reference` is what `avala.load` takes; it is resolved once, by the driver, which also
    walks the object listing; read tasks get contiguous ranges of objects, resolve the
    pinned `canonical_reference` themselves and download their objects' verified bytes
    (column `data`; None above `max_bytes`). No API key is used.
    """

    def __init__(
        self,
        reference: str,
        *,
        revision: str | None = None,
        role: str | None = None,
        base_url: str | None = None,
        http_client: Any = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        from .._sync._load import load

        with load(reference, revision=revision, base_url=base_url, http_client=http_client) as rev:
            self.canonical_reference: str = rev.canonical_reference
            objects = rev.for_role(role) if role else rev.objects
            self._documents = [obj._document for obj in objects]
        self.role = role
        self.base_url = base_url
        self.max_bytes = max_bytes

    def get_name(self) -> str:
        return f"AvalaRevision({self.canonical_reference})"

    def estimate_inmemory_data_size(self) -> int | None:
        return sum(d.size_bytes for d in self._documents)

    def get_read_tasks(self, parallelism: int, *args: Any, **kwargs: Any) -> list[Any]:
        documents = self._documents
        if not documents:
            return []
        count = max(
            1, min(int(parallelism) if parallelism and parallelism > 0 else 1, len(documents))
        )
        limit = kwargs.get("per_task_row_limit", args[0] if args else None)
        extra: dict[str, Any] = {}
        if (
            limit is not None
            and "per_task_row_limit" in inspect.signature(_data.ReadTask).parameters
        ):
            extra["per_task_row_limit"] = limit
        tasks = []
        for index in range(count):
            chunk = documents[
                index * len(documents) // count : (index + 1) * len(documents) // count
            ]
            read = _read_fn(chunk, self.canonical_reference, self.base_url, self.max_bytes)
            size = sum(d.size_bytes for d in chunk)
            tasks.append(_data.ReadTask(read, _metadata(len(chunk), size), **extra))
        return tasks


def read_revision(
    reference: str,
    *,
    revision: str | None = None,
    role: str | None = None,
    base_url: str | None = None,
    http_client: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    override_num_blocks: int | None = None,
) -> Any:
    """A Ray `Dataset` of the objects of a published revision (see
    `AvalaRevisionDatasource`): `read_revision("owner/dataset@main", role="episode")`."""
    source = AvalaRevisionDatasource(
        reference,
        revision=revision,
        role=role,
        base_url=base_url,
        http_client=http_client,
        max_bytes=max_bytes,
    )
    options: dict[str, Any] = {}
    if override_num_blocks is not None:
        options["override_num_blocks"] = override_num_blocks
    return _data.read_datasource(source, **options)
