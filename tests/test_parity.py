"""The two clients must offer exactly the same surface: same resources, same methods, same
signatures. Generation makes drift unlikely; this makes it impossible to land."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest

from avala import AsyncClient, Client

SEED_RESOURCES = {
    "agents",
    "annotation_issues",
    "auto_label_jobs",
    "consensus",
    "datasets",
    "exports",
    "fleet",
    "inference_providers",
    "organizations",
    "projects",
    "quality_targets",
    "slices",
    "storage_configs",
    "tasks",
    "webhooks",
    "webhook_deliveries",
}
FLEET = {"devices", "recordings", "events", "rules", "alerts", "alert_channels"}
ROUTE = re.compile(r"`(GET|POST|PATCH|PUT|DELETE) /[^`]*/(\?[^`]*)?`")


def resources(client: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in sorted(vars(client).items()):
        if name.startswith("_"):
            continue
        yield prefix + name, value
        yield from resources(value, prefix + name + ".")


def methods(resource: Any) -> dict[str, Any]:
    return {
        name: getattr(resource, name)
        for name in dir(resource)
        if not name.startswith("_") and inspect.ismethod(getattr(resource, name))
    }


def normalised(signature: inspect.Signature) -> str:
    """The signature with the async spelling of types mapped to the sync one."""
    text = str(signature)
    text = re.sub(r"\bAsync(Paginator|Iterator|Page|Fetcher)\b", r"\1", text)
    return text


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    async_client = AsyncClient(api_key="k", base_url="https://api.avala.test/api/v1")
    sync_client = Client(api_key="k", base_url="https://api.avala.test/api/v1")
    yield dict(resources(async_client)), dict(resources(sync_client))
    sync_client.close()


def test_every_documented_resource_exists_on_both_clients(
    both: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    async_resources, sync_resources = both
    expected = SEED_RESOURCES | {"annotations"} | {f"fleet.{name}" for name in FLEET}
    assert expected <= set(async_resources)
    assert set(async_resources) == set(sync_resources)


def test_same_methods_and_signatures(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    async_resources, sync_resources = both
    differences = []
    for name, resource in async_resources.items():
        async_methods = methods(resource)
        sync_methods = methods(sync_resources[name])
        if set(async_methods) != set(sync_methods):
            differences.append(f"{name}: {set(async_methods) ^ set(sync_methods)}")
            continue
        for method, function in async_methods.items():
            a = normalised(inspect.signature(function))
            s = normalised(inspect.signature(sync_methods[method]))
            if a != s:
                differences.append(f"{name}.{method}: {a} != {s}")
    assert differences == []


def test_async_methods_are_awaitable_or_lazy_listings(
    both: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    async_resources, sync_resources = both
    for name, resource in async_resources.items():
        for method, function in methods(resource).items():
            returns = str(inspect.signature(function).return_annotation)
            if inspect.iscoroutinefunction(function):
                continue
            assert returns.startswith(("AsyncPaginator", "AsyncIterator")), f"{name}.{method}"
        for method, function in methods(sync_resources[name]).items():
            assert not inspect.iscoroutinefunction(function), f"sync {name}.{method}"


def test_every_public_method_documents_its_route_and_arguments(
    both: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    async_resources, _ = both
    missing = []
    for name, resource in async_resources.items():
        for method, function in methods(resource).items():
            doc = inspect.getdoc(function) or ""
            parameters = [
                p
                for p in inspect.signature(function).parameters.values()
                if p.kind is not inspect.Parameter.VAR_KEYWORD
            ]
            if not ROUTE.search(doc):
                missing.append(f"{name}.{method}: no HTTP route")
            for parameter in parameters:
                if not re.search(rf"\b{parameter.name}\b", doc.split("Args:", 1)[-1]):
                    missing.append(f"{name}.{method}: argument {parameter.name!r} undocumented")
    assert missing == []
