# Generated from avala/_async/resources/auto_label_jobs.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import alias, body, query, strs
from ..._core._paths import path
from ..._core._terminal import AUTO_LABEL_JOBS
from ...types.auto_label_jobs import AutoLabelJob
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import PollOptions, RequestOptions

_JOB = ExpectModel(AutoLabelJob)
_JOBS = ExpectPage(AutoLabelJob)

# States a job never leaves. Anything else, including a status this SDK does not know yet,
# counts as still running, so `wait` never returns early on a new in-progress state.
TERMINAL_STATUSES = AUTO_LABEL_JOBS.finished


class AutoLabelJobs(APIResource):
    """Automated labeling jobs."""

    def list(
        self,
        *,
        project_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        project: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[AutoLabelJob]:
        """List auto-label jobs, optionally of one project. `GET /auto-label-jobs/`

        Args:
            project_id: only jobs of this project (uid); `project=` is accepted too.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        params = query(
            project=alias(("project_id", project_id), ("project", project)),
            limit=limit,
            cursor=cursor,
        )
        return self._paginate("/auto-label-jobs/", _JOBS, params, options)

    def get(self, id: str, **options: Unpack[RequestOptions]) -> AutoLabelJob:
        """Fetch one auto-label job. `GET /auto-label-jobs/{id}/`

        Args:
            id: the job's uid.
        """
        return self._client.request(
            "GET", path("/auto-label-jobs/{id}/", id=id), _JOB, options=options
        )

    def create(
        self,
        project_uid: str,
        *,
        model_type: str | None = None,
        confidence_threshold: float | None = None,
        labels: Sequence[str] | None = None,
        dry_run: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> AutoLabelJob:
        """Start auto-labeling a project. `POST /projects/{project_uid}/auto-label/`

        Returns the new job (usually `"pending"`); `client.auto_label_jobs.wait(job.uid)`
        returns once it has finished. Omitted settings use the project's defaults.

        Args:
            project_uid: the project to label.
            model_type: the model to run.
            confidence_threshold: drop predictions below this confidence (0 to 1).
            labels: only produce these labels.
            dry_run: compute the results without writing annotations.
        """
        payload = body(
            model_type=model_type,
            confidence_threshold=confidence_threshold,
            labels=strs(labels, "labels"),
            dry_run=dry_run,
        )
        return self._client.request(
            "POST",
            path("/projects/{project_uid}/auto-label/", project_uid=project_uid),
            _JOB,
            json=payload,
            options=options,
        )

    def cancel(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Cancel a job. `DELETE /auto-label-jobs/{id}/`

        Args:
            id: the job's uid.
        """
        self._client.request(
            "DELETE", path("/auto-label-jobs/{id}/", id=id), ExpectNothing(), options=options
        )

    def wait(
        self,
        id: str,
        *,
        interval: float = 5.0,
        timeout: float = 3600.0,
        on_poll: Callable[[AutoLabelJob], None] | None = None,
        **options: Unpack[PollOptions],
    ) -> AutoLabelJob:
        """Poll a job until it has finished. `GET /auto-label-jobs/{id}/`

        Finished means status `"completed"`, `"failed"` or `"cancelled"`; any other status, even
        one this SDK does not know, counts as still running. Returns the finished job whatever
        its outcome (check `job.status`; a failed job is not an exception). Raises
        `WaitTimeoutError` (its `.last` is the last job seen) if it is still running after
        `timeout` seconds:

            job = client.auto_label_jobs.wait(job.uid, timeout=600)

        Args:
            id: the job's uid.
            interval: seconds between polls (at least 1.0, to spare the API).
            timeout: seconds to wait in total.
            on_poll: called with the job after every poll, e.g. to show `progress_pct` (a
                plain function, also in the async client).
            options: `max_retries`, `extra_headers`, `extra_query` for each poll.
        """
        return self._wait_until(
            lambda: self.get(id, **options),
            what=f"auto-label job {id}",
            done=lambda job: job.status in TERMINAL_STATUSES,
            interval=interval,
            timeout=timeout,
            min_interval=1.0,
            on_poll=on_poll,
        )
