"""When a long-running object (an export, an auto-label job, a dataset being created) has
finished, and whether it failed: one definition, shared by the `wait()` helpers and the CLI.

A status outside these sets, including one this SDK does not know yet, counts as still
running, so a wait never returns early on a new in-progress state.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AUTO_LABEL_JOBS",
    "DATASETS",
    "EXPORTS",
    "FAILED_STATUSES",
    "Lifecycle",
    "is_failed",
]


@dataclass(frozen=True)
class Lifecycle:
    """The statuses an object never leaves: those that mean success and those that do not."""

    succeeded: frozenset[str]
    failed: frozenset[str]

    @property
    def finished(self) -> frozenset[str]:
        return self.succeeded | self.failed


# The API reports a finished export as `exported` or `completed`.
EXPORTS = Lifecycle(succeeded=frozenset({"exported", "completed"}), failed=frozenset({"failed"}))
AUTO_LABEL_JOBS = Lifecycle(
    succeeded=frozenset({"completed"}), failed=frozenset({"failed", "cancelled"})
)
# A dataset waits for a target status of the caller's choice (`created` by default); these
# are the ones after which it never reaches any target.
DATASETS = Lifecycle(succeeded=frozenset({"created"}), failed=frozenset({"failed", "error"}))

FAILED_STATUSES = EXPORTS.failed | AUTO_LABEL_JOBS.failed | DATASETS.failed


def is_failed(status: object) -> bool:
    """True for a status that ends a wait without success (`failed`, `error`, `cancelled`)."""
    return isinstance(status, str) and status.lower() in FAILED_STATUSES
