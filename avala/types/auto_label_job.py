"""`avala.types.auto_label_job`: the models of `avala.types.auto_label_jobs`, under the module
path code written for the official SDK imports
(`from avala.types.auto_label_job import AutoLabelJob`)."""

from __future__ import annotations

from .auto_label_jobs import (
    AutoLabelJob,
    AutoLabelJobStatus,
)

__all__ = [
    "AutoLabelJob",
    "AutoLabelJobStatus",
]
