"""`avala.types.project`: the models of `avala.types.projects` under the module path
code written for the official SDK imports (`from avala.types.project import Project`)."""

from __future__ import annotations

from .projects import (
    Project,
)

__all__ = [
    "Project",
]
