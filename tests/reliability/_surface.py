"""The public surface of both clients, enumerated like tests/test_parity.py does, with
arguments synthesised from each method's signature, and helpers to run a call to its end
(await it, consume a paginator or an iterator) from synchronous test code."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from avala import AsyncClient, Client, RetryPolicy, _twins
from avala._async._paginator import AsyncPaginator
from avala._sync._paginator import Paginator
from tests.test_parity import methods, resources

API_KEY = "avk_reliability_5f3c9e1a7b2d4c6e"
BASE_URL = "https://api.avala.test/api/v1"
NO_WAIT = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)

Handler = Callable[[httpx.Request], httpx.Response]

# Arguments no generic rule gets right (the API needs a particular shape).
SPECIAL: dict[str, Any] = {
    "edits": [{"action": "upsert", "object_uuid": "obj-1"}],
    "config": {"region": "us-east-1"},
    "condition": {"metric": "cpu", "above": 90},
    "actions": [{"type": "notify"}],
    "sub_slices": [{"dataset": "ds-1"}],
    "timestamp": "2026-01-01T00:00:00Z",
    "frame_idx": 0,
    "content_length": 1,
    "threshold": 0.5,
    "chunk_size": 500,
}
BATCH_EVENTS = [
    {
        "recording": "rec-1",
        "device": "dev-1",
        "label": "bump",
        "type": "collision",
        "timestamp": "2026-01-01T00:00:00Z",
    }
]
# Optional arguments some methods need one of (`datasets.transfer`: a new owner).
EXTRA: dict[str, dict[str, Any]] = {"transfer": {"organization_uid": "org-1"}}
# wait() helpers: one poll, then give up at once (WaitTimeoutError) if not done.
WAIT_ARGUMENTS = {"timeout": 0.0, "interval": 0.0}


# Transfers of local files: many requests each, to the API and to storage, driven by files on
# disk rather than by ids. Their hostile inputs (paths, names, bad storage answers) have suites
# of their own (tests/_async/test_uploads*.py, test_fleet_uploads.py, test_export_download.py).
TRANSFERS = {
    "datasets.upload_files",
    "datasets.create_from_local",
    "datasets.prepare_manual_upload_batch",
    "datasets.resolve_storage_root",
    "datasets.assert_storage_root_unchanged",
    "exports.download",
    "fleet.uploads.collect_files",
    "fleet.uploads.observe_upload",
    "fleet.uploads.upload_managed_recording",
    "fleet.uploads.upload_recording",
}


def public_methods(client: AsyncClient | Client) -> dict[str, Any]:
    """`"fleet.rules.get"` -> the bound method, for every public method of every resource
    (file transfers aside: see `TRANSFERS`)."""
    found: dict[str, Any] = {}
    for name, resource in resources(client):
        for method, function in methods(resource).items():
            if f"{name}.{method}" not in TRANSFERS:
                found[f"{name}.{method}"] = function
    return found


def value_for(name: str, annotation: str) -> Any:
    if name in SPECIAL:
        return SPECIAL[name]
    if "BatchEventParams" in annotation:
        return BATCH_EVENTS
    if annotation.startswith(("Sequence[str]", "Iterable[str]")):
        return ["task.completed"]
    if annotation.startswith(("Mapping", "dict")):
        return {"key": "value"}
    if annotation.startswith(("Iterable[Mapping", "Sequence[Mapping")):
        return [{"key": "value"}]
    if annotation.startswith("int"):
        return 1
    if annotation.startswith("float"):
        return 0.5
    if annotation.startswith("bool"):
        return True
    if "str" in annotation:
        return f"{name.replace('_', '-')}-1"
    raise AssertionError(f"no synthesised value for {name}: {annotation}")


def arguments(function: Any) -> tuple[list[Any], dict[str, Any]]:
    """Valid positional and keyword arguments for `function`: every required parameter,
    plus the tiny timeouts that make a wait() helper give up after one poll."""
    args: list[Any] = []
    kwargs: dict[str, Any] = dict(EXTRA.get(function.__name__, {}))
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        if parameter.name in WAIT_ARGUMENTS and function.__name__ == "wait":
            kwargs[parameter.name] = WAIT_ARGUMENTS[parameter.name]
            continue
        if parameter.default is not inspect.Parameter.empty:
            continue
        value = value_for(parameter.name, str(parameter.annotation))
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    return args, kwargs


def path_parameters(function: Any) -> list[str]:
    """Parameters that may name a path segment: the positional `str` ones."""
    return [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and str(p.annotation) == "str"
    ]


def return_kind(function: Any) -> str:
    """void | raw | paginator | iterator | other, from the return annotation."""
    returns = str(inspect.signature(function).return_annotation)
    if returns == "None":
        return "void"
    if returns == "dict[str, Any]":
        return "raw"
    if returns.startswith(("AsyncPaginator", "Paginator")):
        return "paginator"
    if returns.startswith(("AsyncIterator", "Iterator", "BulkEditResult")):
        return "iterator"
    return "other"


def no_sleep(monkeypatch: Any) -> list[float]:
    """Make retry and poll waits instant in both clients; returns the waits asked for."""
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    def sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_twins, "async_sleep", async_sleep)
    monkeypatch.setattr(_twins, "sleep", sleep)
    return recorded


async def _finish_async(result: Any) -> Any:
    if inspect.isawaitable(result) and not isinstance(result, AsyncPaginator):
        result = await result
    if isinstance(result, AsyncPaginator):
        return [item async for item in result]
    if isinstance(result, AsyncIterator):
        return [item async for item in result]
    return result


def _finish_sync(result: Any) -> Any:
    if isinstance(result, Paginator):
        return list(result.auto_paging_iter())
    if isinstance(result, Iterator):
        return list(result)
    return result


def run_async(
    name: str,
    handler: Handler,
    call: Callable[[Any], Any] | None = None,
    **client_options: Any,
) -> Any:
    """Call `name` on an `AsyncClient` whose every request `handler` answers; returns the
    finished result, or raises what the call raised. `call(method)` overrides the call."""

    async def main() -> Any:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
            AsyncClient(
                api_key=API_KEY, base_url=BASE_URL, http_client=http, **client_options
            ) as client,
        ):
            method = public_methods(client)[name]
            if call is not None:
                return await _finish_async(call(method))
            args, kwargs = arguments(method)
            return await _finish_async(method(*args, **kwargs))

    return asyncio.run(main())


def run_sync(
    name: str,
    handler: Handler,
    call: Callable[[Any], Any] | None = None,
    **client_options: Any,
) -> Any:
    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Client(api_key=API_KEY, base_url=BASE_URL, http_client=http, **client_options) as client,
    ):
        method = public_methods(client)[name]
        if call is not None:
            return _finish_sync(call(method))
        args, kwargs = arguments(method)
        return _finish_sync(method(*args, **kwargs))


RUNNERS = {"async": run_async, "sync": run_sync}

Outcome = tuple[Any, BaseException | None]


def run_many(
    flavor: str, name: str, handler: Handler, calls: list[Callable[[Any], Any]], **options: Any
) -> list[Outcome]:
    """Run each `call(method)` of `name` on one client of `flavor`; (result, exception) each."""

    async def main() -> list[Outcome]:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
            AsyncClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, **options) as client,
        ):
            method = public_methods(client)[name]
            found: list[Outcome] = []
            for call in calls:
                try:
                    found.append((await _finish_async(call(method)), None))
                except Exception as exc:
                    found.append((None, exc))
            return found

    if flavor == "async":
        return asyncio.run(main())
    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Client(api_key=API_KEY, base_url=BASE_URL, http_client=http, **options) as client,
    ):
        method = public_methods(client)[name]
        found: list[Outcome] = []
        for call in calls:
            try:
                found.append((_finish_sync(call(method)), None))
            except Exception as exc:
                found.append((None, exc))
        return found


def _surface() -> dict[str, Any]:
    client = Client(api_key=API_KEY, base_url=BASE_URL)
    try:
        return public_methods(client)
    finally:
        client.close()


SYNC_SURFACE = _surface()
METHOD_NAMES = sorted(SYNC_SURFACE)
