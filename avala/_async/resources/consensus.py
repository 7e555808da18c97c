from __future__ import annotations

from typing import TYPE_CHECKING

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import body, query
from ..._core._paths import path
from ...types.consensus import (
    ConsensusComputeResult,
    ConsensusConfig,
    ConsensusScore,
    ConsensusSummary,
)
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_SUMMARY = ExpectModel(ConsensusSummary)
_SCORES = ExpectPage(ConsensusScore)
_COMPUTE = ExpectModel(ConsensusComputeResult)
_CONFIG = ExpectModel(ConsensusConfig)


class AsyncConsensus(AsyncAPIResource):
    """Consensus scoring of a project's annotations."""

    async def get_summary(
        self, project_uid: str, **options: Unpack[RequestOptions]
    ) -> ConsensusSummary:
        """A project's consensus statistics. `GET /projects/{project_uid}/consensus/`

        Args:
            project_uid: the project's uid.
        """
        return await self._client.request(
            "GET",
            path("/projects/{project_uid}/consensus/", project_uid=project_uid),
            _SUMMARY,
            options=options,
        )

    def list_scores(
        self,
        project_uid: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ConsensusScore]:
        """List per-item consensus scores. `GET /projects/{project_uid}/consensus/scores/`

        Args:
            project_uid: the project's uid.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/projects/{project_uid}/consensus/scores/", project_uid=project_uid),
            _SCORES,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def compute(
        self, project_uid: str, **options: Unpack[RequestOptions]
    ) -> ConsensusComputeResult:
        """Start recomputing scores. `POST /projects/{project_uid}/consensus/compute/`

        Returns at once with the API's acknowledgement, e.g. `status="started"`; the scores
        are updated in the background.

        Args:
            project_uid: the project's uid.
        """
        return await self._client.request(
            "POST",
            path("/projects/{project_uid}/consensus/compute/", project_uid=project_uid),
            _COMPUTE,
            options=options,
        )

    async def get_config(
        self, project_uid: str, **options: Unpack[RequestOptions]
    ) -> ConsensusConfig:
        """A project's consensus settings. `GET /projects/{project_uid}/consensus/config/`

        Args:
            project_uid: the project's uid.
        """
        return await self._client.request(
            "GET",
            path("/projects/{project_uid}/consensus/config/", project_uid=project_uid),
            _CONFIG,
            options=options,
        )

    async def update_config(
        self,
        project_uid: str,
        *,
        iou_threshold: float | None = None,
        min_agreement_ratio: float | None = None,
        min_annotations: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> ConsensusConfig:
        """Change consensus settings. `PUT /projects/{project_uid}/consensus/config/`

        Only the given settings are sent and changed (the API takes a partial body even
        though the method is PUT); the others keep their values.

        Args:
            project_uid: the project's uid.
            iou_threshold: overlap (0 to 1) above which two annotations count as the same.
            min_agreement_ratio: share of annotators (0 to 1) that must agree.
            min_annotations: annotations an item needs before it is scored.
        """
        payload = body(
            iou_threshold=iou_threshold,
            min_agreement_ratio=min_agreement_ratio,
            min_annotations=min_annotations,
        )
        return await self._client.request(
            "PUT",
            path("/projects/{project_uid}/consensus/config/", project_uid=project_uid),
            _CONFIG,
            json=payload,
            options=options,
        )
