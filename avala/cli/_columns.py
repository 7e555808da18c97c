"""Listing tables, streamed: aligned columns in the look of rich's `SIMPLE_HEAD` tables.

rich lays a table out only once it has every row, at about 0.4 ms a row (100,000 tasks took a
minute and 600 MB). Listings instead size their columns from the first rows, then print
each row as it arrives: constant memory, and the first lines show while later pages load.
Identifiers are never cut (a later, longer one widens its row instead); other cells that do
not fit end with "…".
"""

from __future__ import annotations

import os
import shutil
from typing import IO

import click
from rich.cells import cell_len, set_cell_size

__all__ = ["ColumnWriter"]

GAP = "   "
SAMPLE_ROWS = 200
MAX_CELL = 60
MIN_CELL = 8


def is_identifier(column: str) -> bool:
    return column in ("uid", "id") or column.endswith(("_uid", "_at"))


class ColumnWriter:
    def __init__(self, columns: list[str], out: IO[str]) -> None:
        self.columns = columns
        self.out = out
        self.rows = 0
        self._sample: list[list[str]] | None = []
        self._widths: list[int] = []
        tty = out.isatty()
        self._color = tty and not os.environ.get("NO_COLOR")
        self._limit = shutil.get_terminal_size().columns if tty else None

    def add(self, cells: list[str]) -> None:
        self.rows += 1
        if self._sample is None:
            self._write(cells)
            return
        self._sample.append(cells)
        if len(self._sample) >= SAMPLE_ROWS:
            self._flush_sample()

    def close(self) -> None:
        if self._sample is not None:
            self._flush_sample()
        self.out.flush()

    def _flush_sample(self) -> None:
        sample, self._sample = self._sample or [], None
        self._widths = self._fit(
            [
                max([cell_len(name), *(min(cell_len(row[i]), MAX_CELL) for row in sample)])
                for i, name in enumerate(self.columns)
            ]
        )
        header = self._line(self.columns)
        rule = "─" * sum(self._widths) + "─" * len(GAP) * (len(self._widths) - 1)
        self.out.write((click.style(header, bold=True) if self._color else header) + "\n")
        self.out.write(rule + "\n")
        for row in sample:
            self._write(row)

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

    def _write(self, cells: list[str]) -> None:
        self.out.write(self._line(cells) + "\n")
