from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..._core._expect import ExpectModel, ExpectPage
from ..._core._params import body, json_objects, query
from ..._core._paths import path
from ...types.slices import Slice, SliceItem, SliceVisibility
from .._paginator import AsyncPaginator
from ._base import AsyncAPIResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core._request import RequestOptions

_SLICE = ExpectModel(Slice)
_SLICES = ExpectPage(Slice)
_ITEM = ExpectModel(SliceItem)
_ITEMS = ExpectPage(SliceItem)


class AsyncSlices(AsyncAPIResource):
    """Dataset slices: saved selections of items, addressed by owner and slug."""

    def list(
        self,
        owner: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Slice]:
        """List a user's or organization's slices. `GET /slices/{owner}/list/`

        Args:
            owner: handle of the owning user or organization.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/slices/{owner}/list/", owner=owner),
            _SLICES,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def get(self, owner: str, slug: str, **options: Unpack[RequestOptions]) -> Slice:
        """Fetch one slice. `GET /slices/{owner}/{slug}/`

        Args:
            owner: handle of the owning user or organization.
            slug: the slice's slug.
        """
        return await self._client.request(
            "GET", path("/slices/{owner}/{slug}/", owner=owner, slug=slug), _SLICE, options=options
        )

    async def create(
        self,
        *,
        name: str,
        visibility: SliceVisibility | str,
        sub_slices: Iterable[Mapping[str, Any]],
        organization: str | None = None,
        random_selection_count: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Slice:
        """Create a slice from parts of datasets. `POST /slices/`

        Args:
            name: display name; the API derives the slug.
            visibility: `"private"`, `"unlisted"` or `"public"`.
            sub_slices: what to include, one object per source, e.g.
                `[{"dataset": "ds_1", "query": "label=car"}]`.
            organization: create under this organization instead of your user.
            random_selection_count: keep only this many randomly chosen items.
        """
        payload = body(
            {
                "name": name,
                "visibility": visibility,
                "sub_slices": json_objects(sub_slices, "sub_slices"),
            },
            organization=organization,
            random_selection_count=random_selection_count,
        )
        return await self._client.request("POST", "/slices/", _SLICE, json=payload, options=options)

    def list_items(
        self,
        owner: str,
        slug: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[SliceItem]:
        """List a slice's items. `GET /slices/{owner}/{slug}/items/list/`

        Args:
            owner: handle of the owning user or organization.
            slug: the slice's slug.
            limit: page size (the API caps it); not a total.
            cursor: start from this page token instead of the first page.
        """
        return self._paginate(
            path("/slices/{owner}/{slug}/items/list/", owner=owner, slug=slug),
            _ITEMS,
            query(limit=limit, cursor=cursor),
            options,
        )

    async def get_item(
        self, owner: str, slug: str, item_uid: str, **options: Unpack[RequestOptions]
    ) -> SliceItem:
        """Fetch one item of a slice. `GET /slices/{owner}/{slug}/items/{item_uid}/`

        Args:
            owner: handle of the owning user or organization.
            slug: the slice's slug.
            item_uid: the item's uid.
        """
        return await self._client.request(
            "GET",
            path(
                "/slices/{owner}/{slug}/items/{item_uid}/",
                owner=owner,
                slug=slug,
                item_uid=item_uid,
            ),
            _ITEM,
            options=options,
        )
