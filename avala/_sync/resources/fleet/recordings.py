# Generated from avala/_async/resources/fleet/recordings.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ...._core._params import body, query, strs
from ...._core._paths import path
from ....types.fleet import Recording, RecordingStatus
from ..._paginator import Paginator
from .._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ...._core._request import RequestOptions

_RECORDING = ExpectModel(Recording)
_RECORDINGS = ExpectPage(Recording)


class FleetRecordings(APIResource):
    """Recordings captured by fleet devices."""

    def list(
        self,
        *,
        device_id: str | None = None,
        status: RecordingStatus | str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[Recording]:
        """List recordings. `GET /fleet/recordings/`

        Args:
            device_id: only recordings of this device (uid); sent as `device`.
            status: only recordings in this status: `"uploading"`, `"processing"`,
                `"ready"`, `"error"` or `"archived"`.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(device=device_id, status=status, limit=limit, cursor=cursor)
        return self._paginate("/fleet/recordings/", _RECORDINGS, params, options)

    def get(self, id: str, **options: Unpack[RequestOptions]) -> Recording:
        """Fetch one recording. `GET /fleet/recordings/{id}/`

        Args:
            id: the recording's uid.
        """
        return self._client.request(
            "GET", path("/fleet/recordings/{id}/", id=id), _RECORDING, options=options
        )

    def update(
        self,
        id: str,
        *,
        status: RecordingStatus | str | None = None,
        tags: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Recording:
        """Change a recording's status or tags. `PATCH /fleet/recordings/{id}/`

        Only the given fields are sent.

        Args:
            id: the recording's uid.
            status: new status, e.g. `"archived"`.
            tags: replaces the recording's tags.
        """
        payload = body(status=status, tags=strs(tags, "tags"))
        return self._client.request(
            "PATCH",
            path("/fleet/recordings/{id}/", id=id),
            _RECORDING,
            json=payload,
            options=options,
        )

    def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a recording. `DELETE /fleet/recordings/{id}/`

        Args:
            id: the recording's uid.
        """
        self._client.request(
            "DELETE", path("/fleet/recordings/{id}/", id=id), ExpectNothing(), options=options
        )
