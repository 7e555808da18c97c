"""Progress on stderr for waits, long listings and transfers: a transient rich line, shown
only when stderr is a terminal (never in CI logs, never mixed into a pipe), so scripts see
nothing."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Activity", "ByteProgress", "progress_enabled"]


def progress_enabled() -> bool:
    if os.environ.get("AVALA_NO_PROGRESS"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Line:
    """One transient rich task on stderr, started on `with` when `enabled`."""

    def __init__(self, description: str, total: float | None, enabled: bool | None) -> None:
        self._description = description
        self._total = total
        self._enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def _columns(self) -> list[Any]:
        raise NotImplementedError

    def _fields(self) -> dict[str, Any]:
        return {}

    def __enter__(self) -> Self:
        if not (progress_enabled() if self._enabled is None else self._enabled):
            return self
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(
            *self._columns(),
            console=Console(file=sys.stderr),
            transient=True,
            # Our stdout is the command's output: never let rich reroute it.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=self._total, **self._fields())
        return self

    def _update(self, **fields: Any) -> None:
        if self._progress is not None:
            given = {key: value for key, value in fields.items() if value is not None}
            self._progress.update(self._task, **given)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Activity(_Line):
    """`with Activity("Waiting for export exp_1") as activity: activity.update(...)`.

    A no-op unless stderr is a terminal. `total` switches the pulsing bar to a real one
    (e.g. an auto-label job's `progress_pct` out of 100).
    """

    def __init__(self, description: str, *, enabled: bool | None = None) -> None:
        super().__init__(description, None, enabled)

    def _columns(self) -> list[Any]:
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

        return [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]

    def update(
        self,
        description: str | None = None,
        *,
        completed: float | None = None,
        total: float | None = None,
    ) -> None:
        self._update(description=description, total=total, completed=completed)


class ByteProgress(_Line):
    """`with ByteProgress("Downloading", total) as bar: bar(n)`: a transient rich bar of bytes
    (size, rate, time left) on stderr, only when stderr is a terminal. Safe to call from
    several threads.

    `total_files` adds a "files done of the total" column, moved on with `update(files=...)`.
    """

    def __init__(
        self, description: str, total: int | None, *, total_files: int | None = None
    ) -> None:
        super().__init__(description, total, None)
        self._total_files = total_files
        self.done = 0

    def _columns(self) -> list[Any]:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        files = []
        if self._total_files is not None:
            files.append(TextColumn(f"{{task.fields[files]}}/{self._total_files} files"))
        return [
            TextColumn("{task.description}"),
            BarColumn(),
            *files,
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        ]

    def _fields(self) -> dict[str, Any]:
        return {} if self._total_files is None else {"files": 0}

    def __call__(self, count: int) -> None:
        self.done += count
        if self._progress is not None:
            self._progress.advance(self._task, count)

    def update(
        self,
        *,
        description: str | None = None,
        completed: int | None = None,
        advance: int | None = None,
        files: int | None = None,
    ) -> None:
        self._update(description=description, completed=completed, advance=advance, files=files)
