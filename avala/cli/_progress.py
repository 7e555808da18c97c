"""Progress on stderr for waits, long listings and transfers: a transient rich line, shown
only when stderr is a terminal (never in CI logs, never mixed into a pipe), so scripts see
nothing."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any

__all__ = ["Activity", "ByteProgress", "progress_enabled"]


def progress_enabled() -> bool:
    if os.environ.get("AVALA_NO_PROGRESS"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Activity:
    """`with Activity("Waiting for export exp_1") as activity: activity.update(...)`.

    A no-op unless stderr is a terminal. `total` switches the pulsing bar to a real one
    (e.g. an auto-label job's `progress_pct` out of 100).
    """

    def __init__(self, description: str, *, enabled: bool | None = None) -> None:
        self._description = description
        self._enabled = progress_enabled() if enabled is None else enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Activity:
        if not self._enabled:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            # Our stdout is the command's output: never let rich reroute it.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=None)
        return self

    def update(
        self,
        description: str | None = None,
        *,
        completed: float | None = None,
        total: float | None = None,
    ) -> None:
        if self._progress is None:
            return
        fields: dict[str, Any] = {}
        if description is not None:
            fields["description"] = description
        if total is not None:
            fields["total"] = total
        if completed is not None:
            fields["completed"] = completed
        self._progress.update(self._task, **fields)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class ByteProgress:
    """`with ByteProgress("Downloading", total) as bar: bar(n)`: a transient rich bar of bytes
    (size, rate, time left) on stderr, only when stderr is a terminal. Safe to call from
    several threads.

    `total_files` adds a "files done of the total" column, moved on with `update(files=...)`.
    """

    def __init__(
        self, description: str, total: int | None, *, total_files: int | None = None
    ) -> None:
        self._description = description
        self._total = total
        self._total_files = total_files
        self._progress: Any = None
        self._task: Any = None
        self.done = 0

    def __enter__(self) -> ByteProgress:
        if not progress_enabled():
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        files: list[TextColumn] = []
        fields: dict[str, Any] = {}
        if self._total_files is not None:
            files.append(TextColumn(f"{{task.fields[files]}}/{self._total_files} files"))
            fields["files"] = 0
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            *files,
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            # Our stdout is the command's output: never let rich reroute it.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=self._total, **fields)
        return self

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
        if self._progress is None:
            return
        fields: dict[str, Any] = {}
        if description is not None:
            fields["description"] = description
        if completed is not None:
            fields["completed"] = completed
        if advance is not None:
            fields["advance"] = advance
        if files is not None:
            fields["files"] = files
        self._progress.update(self._task, **fields)

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
