"""Every error survives pickle (Celery results, multiprocessing pools, caches)."""

from __future__ import annotations

import inspect
import pickle
from typing import Any

import pytest

from avala import errors

CLASSES = sorted(
    (
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.AvalaError)
    ),
    key=lambda cls: cls.__name__,
)

# Keyword-only arguments some classes require or carry.
EXTRA: dict[type[errors.AvalaError], dict[str, Any]] = {
    errors.ResponseValidationError: {"model": "Task", "path": "$.uid"},
    errors.ValidationError: {"details": [{"field": "name", "message": "required"}]},
    errors.QuotaExceededError: {"limit": 10, "used": 11},
    errors.RateLimitError: {"retry_after": 1.5},
}


def make(cls: type[errors.AvalaError]) -> errors.AvalaError:
    if cls is errors.WaitTimeoutError:
        return errors.WaitTimeoutError("gave up", last={"uid": "t1", "status": "running"})
    return cls(
        "Something failed",
        418,
        {"detail": "Something failed"},
        headers={"x-request-id": "req_1", "Authorization": "Bearer abc"},
        request_id="req_1",
        **EXTRA.get(cls, {}),
    )


def test_every_public_error_class_is_covered() -> None:
    assert {cls.__name__ for cls in CLASSES} <= set(errors.__all__)
    assert len(CLASSES) == len(errors.__all__)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_error_round_trips_through_pickle(cls: type[errors.AvalaError]) -> None:
    error = make(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)
    assert "abc" not in repr(vars(copy))  # still redacted


def test_a_raised_and_caught_error_pickles_too() -> None:
    try:
        raise make(errors.ResponseValidationError)
    except errors.AvalaError as caught:
        copy = pickle.loads(pickle.dumps(caught))
    assert isinstance(copy, errors.ResponseValidationError)
    assert (copy.model, copy.path) == ("Task", "$.uid")
