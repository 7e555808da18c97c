from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import alias, body, query
from ..._core._paths import path
from ..._core._storage_url import validate_storage_url
from ..._core._terminal import EXPORTS
from ..._core._wait import poll_callback
from ...errors import DownloadError, ExportDownloadError
from ...types.exports import Export
from .._download import AsyncTransferSource, Location, download_file
from .._paginator import AsyncPaginator
from .._transfer import AsyncTransfer
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import PollOptions, RequestOptions

_EXPORT = ExpectModel(Export)
_EXPORTS = ExpectPage(Export)

# The API reports a finished export as `exported`, `completed` or `failed`; waiting for
# only some of them would spin until the timeout. Unknown statuses count as still running.
TERMINAL_STATUSES = EXPORTS.finished
READY_STATUSES = frozenset({"exported", "completed"})


class _ExportLocator:
    """The export's download URL, fetched again (freshly signed) only when storage refuses
    the one in hand."""

    def __init__(self, exports: AsyncExports, id: str, first: str) -> None:
        self._exports = exports
        self._id = id
        self._url = first

    async def locate(self, renew: bool) -> Location:
        if renew:
            export = await self._exports.get(self._id)
            self._url = self._exports._download_url(export)
        return Location(self._url, "export", True, lambda: False, renew_on_refusal=True)


class AsyncExports(AsyncAPIResource):
    """Data exports."""

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Export]:
        """List exports. `GET /exports/`

        Args:
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate("/exports/", _EXPORTS, query(limit=limit, cursor=cursor), options)

    async def create(
        self,
        *,
        project_id: str | None = None,
        dataset_id: str | None = None,
        project: str | None = None,
        dataset: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Export:
        """Start an export of a project or a dataset. `POST /exports/`

        Returns the new export (usually `"pending"`); `await client.exports.wait(export.uid)`
        returns once its `download_url` is ready.

        Args:
            project_id: the project to export (uid); `project=` is accepted too.
            dataset_id: the dataset to export (uid); `dataset=` is accepted too.
        """
        payload = body(
            project=alias(("project_id", project_id), ("project", project)),
            dataset=alias(("dataset_id", dataset_id), ("dataset", dataset)),
        )
        return await self._client.request(
            "POST", "/exports/", _EXPORT, json=payload, options=options
        )

    async def get(self, id: str, **options: Unpack[RequestOptions]) -> Export:
        """Fetch one export. `GET /exports/{id}/`

        Args:
            id: the export's uid.
        """
        return await self._client.request(
            "GET", path("/exports/{id}/", id=id), _EXPORT, options=options
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an export. `DELETE /exports/{id}/`

        Args:
            id: the export's uid.
        """
        await self._client.request(
            "DELETE", path("/exports/{id}/", id=id), ExpectNothing(), options=options
        )

    async def wait(
        self,
        id: str,
        *,
        interval: float = 2.0,
        timeout: float = 300.0,
        on_poll: Callable[[Export], None] | None = None,
        _on_poll: Callable[[], None] | None = None,
        **options: Unpack[PollOptions],
    ) -> Export:
        """Poll an export until it has finished. `GET /exports/{id}/`

        Finished means status `"exported"`, `"completed"` or `"failed"`; any other status, even
        one this SDK does not know, counts as still running. Returns the finished export
        whatever its outcome (check `export.status`; a failed export is not an exception).
        Raises `WaitTimeoutError` (its `.last` is the last export seen) if it is still running
        after `timeout` seconds:

            export = await client.exports.wait(export.uid)
            print(export.download_url)

        Args:
            id: the export's uid.
            interval: seconds between polls (at least 0.5, to spare the API).
            timeout: seconds to wait in total.
            on_poll: called with the export after every poll (a plain function, also in the
                async client).
            _on_poll: the official SDK's spelling of `on_poll` (called with no argument).
            options: `max_retries`, `extra_headers`, `extra_query` for each poll.
        """
        return await self._wait_until(
            lambda: self.get(id, **options),
            what=f"export {id}",
            done=lambda export: export.status in TERMINAL_STATUSES,
            interval=interval,
            timeout=timeout,
            min_interval=0.5,
            on_poll=poll_callback(on_poll, _on_poll, legacy_takes_object=False),
        )

    def _download_url(self, export: Export) -> str:
        if export.status not in READY_STATUSES or not export.download_url:
            raise ExportDownloadError(export.uid, "not_ready")
        return validate_storage_url(export.download_url, api_base_url=self._client.config.base_url)

    async def download(
        self,
        id: str,
        path: str | os.PathLike[str],
        *,
        sha256: str | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> Path:
        """Download a finished export's file to `path`. `GET /exports/{id}/`, then its
        `download_url`

        The file is streamed to disk (constant memory), retried and resumed with byte ranges
        after a dropped connection, and renamed into place only once complete: `path` is
        either absent or the whole file. Its length is checked against what the storage host
        announced, and its SHA-256 against `sha256` when you give one (a file already at
        `path` with that SHA-256 is kept without downloading). The API key is never sent to
        the storage host. Raises `ExportDownloadError` (reason `not_ready` while the export
        is still running or failed; see `wait`) and `UnsafeURLError` for a download URL
        outside the known storage hosts.

        Args:
            id: the export's uid.
            path: where to write the file.
            sha256: expected hex SHA-256 of the file, to verify it.
            on_progress: called with the number of bytes of every chunk received.
        """
        export = await self.get(id)
        url = self._download_url(export)
        dest = Path(os.fspath(path))
        expected = sha256.lower() if sha256 is not None else None

        def failure(reason: str, status: int | None) -> DownloadError:
            return ExportDownloadError(export.uid, reason, status)

        config = self._client.config
        await download_file(
            AsyncTransferSource(AsyncTransfer(self._client)),
            _ExportLocator(self, id, url),
            dest,
            size=None,
            sha256=expected,
            max_retries=config.max_retries,
            policy=config.retry_policy,
            on_bytes=on_progress,
            fail=failure,
        )
        return dest
