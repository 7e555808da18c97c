"""Listing tables, streamed: aligned columns in the look of rich's `SIMPLE_HEAD` tables.

rich lays a table out only once it has every row, at about 0.4 ms a row (100,000 tasks took a
minute and 600 MB). Listings instead size their columns from the first batch of rows that has
arrived (a listing's first page), print it at once, and print every later batch as it
arrives with the same widths: constant memory, the first lines show while later pages load,
and an interrupted listing has printed everything it fetched. Identifiers are never cut (a
later, longer one widens its row instead); other cells that do not fit end with "…".
"""

from __future__ import annotations

import os
import shutil
from typing import IO

import click
from rich.cells import cell_len, set_cell_size

__all__ = ["ColumnWriter"]

GAP = "   "
MAX_CELL = 60
MIN_CELL = 8


def is_identifier(column: str) -> bool:
    return column in ("uid", "id") or column.endswith(("_uid", "_at"))


class ColumnWriter:
    """Prints rows in batches; the first batch fixes the column widths."""

    def __init__(self, columns: list[str], out: IO[str]) -> None:
        self.columns = columns
        self.out = out
        self.rows = 0
        self._widths: list[int] | None = None
        tty = out.isatty()
        self._color = tty and not os.environ.get("NO_COLOR")
        self._limit = shutil.get_terminal_size().columns if tty else None

    def add_batch(self, rows: list[list[str]]) -> None:
        """Print `rows` now (the header first, sized from them, on the first call)."""
        if not rows:
            return
        if self._widths is None:
            self._widths = self._fit(
                [
                    max([cell_len(name), *(min(cell_len(row[i]), MAX_CELL) for row in rows)])
                    for i, name in enumerate(self.columns)
                ]
            )
            header = self._line(self.columns)
            rule = "─" * sum(self._widths) + "─" * len(GAP) * (len(self._widths) - 1)
            self.out.write((click.style(header, bold=True) if self._color else header) + "\n")
            self.out.write(rule + "\n")
        self.out.write("".join(self._line(row) + "\n" for row in rows))
        self.out.flush()
        self.rows += len(rows)

    def _fit(self, widths: list[int]) -> list[int]:
        """Shrink the widest non-identifier columns until a terminal line holds the row."""
        if self._limit is None:
            return widths
        flexible = [i for i, name in enumerate(self.columns) if not is_identifier(name)]
        while sum(widths) + len(GAP) * (len(widths) - 1) > self._limit and flexible:
            widest = max(flexible, key=lambda i: widths[i])
            if widths[widest] <= MIN_CELL:
                break
            widths[widest] -= 1
        return widths

    def _line(self, cells: list[str]) -> str:
        assert self._widths is not None
        parts = []
        last = len(cells) - 1
        for i, (cell, width) in enumerate(zip(cells, self._widths, strict=True)):
            size = cell_len(cell)
            if size > width and not is_identifier(self.columns[i]):
                cell = set_cell_size(cell, width - 1) + "…"
            elif size < width and i != last:
                cell = cell + " " * (width - size)
            parts.append(cell)
        return GAP.join(parts).rstrip()
