"""One definition of finished and failed statuses, used by the wait helpers and the CLI."""

from __future__ import annotations

import pytest

from avala._async.resources import auto_label_jobs, datasets, exports
from avala._core._terminal import AUTO_LABEL_JOBS, DATASETS, EXPORTS, FAILED_STATUSES, is_failed


def test_the_wait_helpers_use_the_shared_definitions() -> None:
    assert EXPORTS.finished == exports.TERMINAL_STATUSES
    assert AUTO_LABEL_JOBS.finished == auto_label_jobs.TERMINAL_STATUSES
    assert DATASETS.failed == datasets._FAILED_STATUSES


def test_failure_statuses_of_every_resource() -> None:
    assert {"failed", "error", "cancelled"} == FAILED_STATUSES
    assert EXPORTS.finished == {"exported", "completed", "failed"}
    for lifecycle in (EXPORTS, AUTO_LABEL_JOBS, DATASETS):
        assert not lifecycle.succeeded & lifecycle.failed


@pytest.mark.parametrize(
    ("status", "failed"),
    [
        ("failed", True),
        ("error", True),
        ("ERROR", True),
        ("cancelled", True),
        ("exported", False),
        ("completed", False),
        ("created", False),
        ("processing", False),
        (None, False),
        (3, False),
    ],
)
def test_is_failed(status: object, failed: bool) -> None:
    assert is_failed(status) is failed
