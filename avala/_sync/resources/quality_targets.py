# Generated from avala/_async/resources/quality_targets.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..._core._expect import ExpectList, ExpectModel, ExpectNothing, ExpectPage
from ..._core._params import BodyFields, query, strs
from ..._core._paths import path
from ...types.quality_targets import (
    QualityTarget,
    QualityTargetEvaluation,
    QualityTargetOperator,
    QualityTargetSeverity,
)
from .._paginator import Paginator
from ._base import APIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_TARGET = ExpectModel(QualityTarget)
_TARGETS = ExpectPage(QualityTarget)
_EVALUATIONS = ExpectList(QualityTargetEvaluation)
# The body fields `create` and `update` share.
_FIELDS = BodyFields(
    "name",
    "metric",
    "threshold",
    "operator",
    "severity",
    "is_active",
    "notify_webhook",
    notify_emails=strs,
)


class QualityTargets(APIResource):
    """Quality metrics and targets of a project: thresholds the API evaluates and alerts on.

    Every call is scoped to a project, passed first as `project_uid`.
    """

    def list(
        self,
        project_uid: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Paginator[QualityTarget]:
        """List a project's quality targets. `GET /projects/{project_uid}/quality-targets/`

        Args:
            project_uid: the project's uid.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/projects/{project_uid}/quality-targets/", project_uid=project_uid),
            _TARGETS,
            query(limit=limit, cursor=cursor),
            options,
        )

    def get(self, project_uid: str, uid: str, **options: Unpack[RequestOptions]) -> QualityTarget:
        """Fetch one quality target. `GET /projects/{project_uid}/quality-targets/{uid}/`

        Args:
            project_uid: the project's uid.
            uid: the target's uid.
        """
        return self._client.request(
            "GET",
            path(
                "/projects/{project_uid}/quality-targets/{uid}/", project_uid=project_uid, uid=uid
            ),
            _TARGET,
            options=options,
        )

    def create(
        self,
        project_uid: str,
        *,
        name: str,
        metric: str,
        threshold: float,
        operator: QualityTargetOperator | str | None = None,
        severity: QualityTargetSeverity | str | None = None,
        is_active: bool | None = None,
        notify_webhook: bool | None = None,
        notify_emails: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> QualityTarget:
        """Create a quality target. `POST /projects/{project_uid}/quality-targets/`

        Args:
            project_uid: the project's uid.
            name: display name.
            metric: the metric to watch.
            threshold: the value the metric is compared with.
            operator: how it is compared: `"gt"`, `"lt"`, `"gte"` or `"lte"`.
            severity: `"warning"` or `"critical"` when the target is breached.
            is_active: evaluate the target (the API's default) or not.
            notify_webhook: send a webhook event on breach.
            notify_emails: addresses to email on breach.
        """
        payload = _FIELDS.body(locals())
        return self._client.request(
            "POST",
            path("/projects/{project_uid}/quality-targets/", project_uid=project_uid),
            _TARGET,
            json=payload,
            options=options,
        )

    def update(
        self,
        project_uid: str,
        uid: str,
        *,
        name: str | None = None,
        metric: str | None = None,
        threshold: float | None = None,
        operator: QualityTargetOperator | str | None = None,
        severity: QualityTargetSeverity | str | None = None,
        is_active: bool | None = None,
        notify_webhook: bool | None = None,
        notify_emails: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> QualityTarget:
        """Change a quality target. `PATCH /projects/{project_uid}/quality-targets/{uid}/`

        Only the given fields are sent.

        Args:
            project_uid: the project's uid.
            uid: the target's uid.
            name, metric, threshold, operator, severity, is_active, notify_webhook,
                notify_emails: as in `create`.
        """
        payload = _FIELDS.body(locals())
        return self._client.request(
            "PATCH",
            path(
                "/projects/{project_uid}/quality-targets/{uid}/", project_uid=project_uid, uid=uid
            ),
            _TARGET,
            json=payload,
            options=options,
        )

    def delete(self, project_uid: str, uid: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a quality target. `DELETE /projects/{project_uid}/quality-targets/{uid}/`

        Args:
            project_uid: the project's uid.
            uid: the target's uid.
        """
        self._client.request(
            "DELETE",
            path(
                "/projects/{project_uid}/quality-targets/{uid}/", project_uid=project_uid, uid=uid
            ),
            ExpectNothing(),
            options=options,
        )

    def evaluate(
        self, project_uid: str, **options: Unpack[RequestOptions]
    ) -> builtins.list[QualityTargetEvaluation]:
        """Evaluate a project's targets now. `POST /projects/{project_uid}/quality-targets/evaluate/`

        Returns one evaluation per target (a plain list: the API does not paginate it).

        Args:
            project_uid: the project's uid.
        """
        return self._client.request(
            "POST",
            path("/projects/{project_uid}/quality-targets/evaluate/", project_uid=project_uid),
            _EVALUATIONS,
            options=options,
        )
