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


# Classes whose constructors take their own arguments (reason codes, identities, the failed
# chunk's error), each built as the SDK raises it.
BUILDERS: dict[type[errors.AvalaError], Any] = {
    errors.WaitTimeoutError: lambda: errors.WaitTimeoutError(
        "gave up", last={"uid": "t1", "status": "running"}
    ),
    errors.BulkEditError: lambda: errors.BulkEditError(
        "chunk 2 failed",
        error=errors.NotFoundError("Not found.", 404),
        chunk_index=2,
        chunks_total=5,
        edits_applied=200,
        results=[(0, {"ok": True}), (1, {"ok": True})],
    ),
    errors.DatasetReferenceError: lambda: errors.DatasetReferenceError("invalid_dataset_reference"),
    errors.DatasetResolverError: lambda: errors.DatasetResolverError("not_found", 404),
    errors.DatasetIntegrityError: lambda: errors.DatasetIntegrityError("invalid_cursor_sequence"),
    errors.DatasetRevisionWithdrawnError: lambda: errors.DatasetRevisionWithdrawnError(
        "avala://datasets/0b0c3a5e-0d6c-4a4e-9a1e-1f2d3c4b5a69@" + "a" * 64,
        "0b0c3a5e-0d6c-4a4e-9a1e-1f2d3c4b5a69",
        "a" * 64,
    ),
    errors.DownloadError: lambda: errors.DownloadError("download failed", "size_mismatch", 200),
    errors.DatasetDownloadError: lambda: errors.DatasetDownloadError(
        "aws_s3", "obj-1", "sha256_mismatch"
    ),
    errors.ExportDownloadError: lambda: errors.ExportDownloadError("exp_123", "transport_error"),
    errors.MediaError: lambda: errors.MediaError("media fetch failed", "provider_response", 403),
}


def make(cls: type[errors.AvalaError]) -> errors.AvalaError:
    if cls in BUILDERS:
        built: errors.AvalaError = BUILDERS[cls]()
        return built
    return cls(
        "Something failed",
        418,
        {"detail": "Something failed"},
        headers={"x-request-id": "req_1", "Authorization": "Bearer abc"},
        request_id="req_1",
        **EXTRA.get(cls, {}),
    )


def test_every_public_error_class_is_covered() -> None:
    exceptions = {
        name
        for name in errors.__all__
        if issubclass(getattr(errors, name), Exception)
        and not issubclass(getattr(errors, name), Warning)
    }
    assert {cls.__name__ for cls in CLASSES} == exceptions


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_error_round_trips_through_pickle(cls: type[errors.AvalaError]) -> None:
    error = make(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)  # BulkEditError: combined with its chunk's error class
    assert isinstance(copy, cls)
    assert str(copy) == str(error)
    assert copy.args == error.args
    # Exceptions compare by identity: a carried chunk error is compared by what it says.
    assert {k: repr(v) for k, v in vars(copy).items()} == {
        k: repr(v) for k, v in vars(error).items()
    }
    assert "abc" not in repr(vars(copy))  # still redacted


def test_a_raised_and_caught_error_pickles_too() -> None:
    try:
        raise make(errors.ResponseValidationError)
    except errors.AvalaError as caught:
        copy = pickle.loads(pickle.dumps(caught))
    assert isinstance(copy, errors.ResponseValidationError)
    assert (copy.model, copy.path) == ("Task", "$.uid")
