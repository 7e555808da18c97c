"""The page plan of a dataset's item listing: which cursor opens each page, so that each
DataLoader worker of each rank fetches only its own pages instead of walking them all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import AvalaError
from ..types.datasets import DatasetItem


def _repeated(owner: str, slug: str) -> AvalaError:
    return AvalaError(
        f"The API repeated a page cursor while listing {owner}/{slug}'s items; "
        "stopping rather than yielding samples twice."
    )


@dataclass(frozen=True)
class PagePlan:
    """Page `p` of the listing opens with `cursors[p]` and starts with item `firsts[p]`
    (None for an empty page)."""

    cursors: tuple[str | None, ...]
    firsts: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.cursors)


def plan_pages(client: Any, owner: str, slug: str, page_size: int) -> PagePlan:
    """Walks the listing once and records where each page starts.

    A cursor the API already handed out means the walk would loop forever: that raises.
    """
    cursors: list[str | None] = []
    firsts: list[str | None] = []
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        page = client.datasets.list_items(owner, slug, limit=page_size, cursor=cursor)
        cursors.append(cursor)
        firsts.append(page.items[0].uid if page.items else None)
        cursor = page.next_cursor
        if cursor is None:
            return PagePlan(tuple(cursors), tuple(firsts))
        if cursor in seen:
            raise _repeated(owner, slug)
        seen.add(cursor)


class PageReader:
    """Reads planned pages again (fresh item records and signed URLs each epoch).

    Page `p` yields its items up to the first item of a later planned page. The listing
    usually still matches the plan, and then one request reads the page. When items were
    added or removed meanwhile, the read goes on past the page's limit until it meets a later
    page's start, so an item is neither skipped nor read twice; the last page reads on to the
    end of the listing, items added after the plan included.
    """

    def __init__(self, client: Any, owner: str, slug: str, page_size: int, plan: PagePlan):
        self._client = client
        self._owner = owner
        self._slug = slug
        self._page_size = page_size
        self._plan = plan
        self._cursor_page = {c: p for p, c in enumerate(plan.cursors) if c is not None}
        self._first_page = {uid: p for p, uid in enumerate(plan.firsts) if uid is not None}

    def read(self, index: int) -> Iterator[DatasetItem]:
        cursor = self._plan.cursors[index]
        seen: set[str] = set() if cursor is None else {cursor}
        while True:
            page = self._client.datasets.list_items(
                self._owner, self._slug, limit=self._page_size, cursor=cursor
            )
            for item in page.items:
                if self._first_page.get(item.uid, -1) > index:
                    return
                yield item
            cursor = page.next_cursor
            if cursor is None:
                return
            planned = self._cursor_page.get(cursor)
            if planned is not None and planned > index:
                return  # the next page starts here: its reader takes it from there
            if cursor in seen or planned is not None:
                raise _repeated(self._owner, self._slug)
            seen.add(cursor)
