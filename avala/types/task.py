"""`avala.types.task`: the models of `avala.types.tasks` under the module path
code written for the official SDK imports (`from avala.types.task import Task`)."""

from __future__ import annotations

from .tasks import (
    Task,
    TaskStatus,
)

__all__ = [
    "Task",
    "TaskStatus",
]
