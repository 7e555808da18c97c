"""Progress on stderr for waits and long listings: a transient rich line, shown only when
stderr is a terminal (never in CI logs, never mixed into a pipe), so scripts see nothing."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any

__all__ = ["Activity", "progress_enabled"]


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
