"""Fault soak: thousands of mixed CRUD calls through a flaky local Avala API lose nothing.

The local API answers 20% of requests with an injected 500/502/503 and drops the connection
on 5% (half before the request reaches the API, half after the write was applied, when only
the answer is lost). The client retries (`max_retries=12`; the autouse `sleeps` fixture makes
waits instant). Afterwards the store must hold exactly the objects the workload meant to
create, each once, with its last update applied, and every call must have either succeeded
or raised a typed `AvalaError`.

Size: `AVALA_SOAK_OPS` operations per client (default: CI size); `nox -s soak` runs a larger
one. `AVALA_SOAK_REPORT=<file>` appends each run's figures there as a JSON line.

The one typed error the workload accepts: a `delete()` whose first attempt was applied but
its answer dropped gets `NotFoundError` from its retry (DELETE carries no Idempotency-Key, and
the object is indeed gone). The test checks the server log to prove that is what happened.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from avala import AsyncClient, AvalaError, NotFoundError, RetryPolicy
from avala.testing import FaultConfig, LocalAvala
from tests.helpers import API_KEY

pytestmark = pytest.mark.soak

OPS = int(os.environ.get("AVALA_SOAK_OPS", "5000"))
SEED = int(os.environ.get("AVALA_SOAK_SEED", "20260101"))
FAULTS = FaultConfig(fail_rate=0.2, drop_rate=0.05, drop_phase="both", seed=SEED)
MAX_RETRIES = 12
NO_BACKOFF = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)
WRITE_METHODS = ("POST", "PATCH")

# What each call of the workload is, with its weight.
OPERATIONS = {"create": 3, "update": 3, "get": 2, "list": 1, "delete": 1}

Values = dict[str, Any]
Model = dict[str, dict[str, Values]]  # store collection -> uid -> expected wire fields


@dataclass(frozen=True)
class Kind:
    """One resource with full CRUD in the local API, as the workload drives it."""

    collection: str  # the store's collection
    route: str  # the object route, `{}` for the uid
    resource: Callable[[AsyncClient], Any]
    create: Callable[[int, Model], tuple[Values, Values] | None]  # (kwargs, expected fields)
    update: Callable[[int], tuple[Values, Values]]
    unique: str  # a field each create makes unique ("each once")


def _task_create(n: int, model: Model) -> tuple[Values, Values] | None:
    projects = list(model["projects"])  # insertion order: deterministic
    if not projects:
        return None
    project = projects[n % len(projects)]
    return (
        {"name": f"task-{n}", "project_id": project, "status": "pending"},
        {"name": f"task-{n}", "project": project, "status": "pending"},
    )


STATUSES = ("pending", "in_progress", "completed")

KINDS = (
    Kind(
        "projects",
        "/api/v1/users/me/projects/{}/",
        lambda c: c.projects,
        lambda n, _: ({"name": f"project-{n}"}, {"name": f"project-{n}", "status": "active"}),
        lambda n: (
            {"name": f"project-{n}-v", "status": ("active", "archived")[n % 2]},
            {"name": f"project-{n}-v", "status": ("active", "archived")[n % 2]},
        ),
        "name",
    ),
    Kind(
        "tasks",
        "/api/v1/tasks/{}/",
        lambda c: c.tasks,
        _task_create,
        lambda n: (
            {"status": STATUSES[n % 3], "name": f"task-{n}-v"},
            {"status": STATUSES[n % 3], "name": f"task-{n}-v"},
        ),
        "name",
    ),
    Kind(
        "webhooks",
        "/api/v1/webhooks/{}/",
        lambda c: c.webhooks,
        lambda n, _: (
            {"target_url": f"https://hooks.example.com/{n}", "events": ["task.completed"]},
            {
                "target_url": f"https://hooks.example.com/{n}",
                "events": ["task.completed"],
                "is_active": True,
            },
        ),
        lambda n: (
            {"target_url": f"https://hooks.example.com/{n}/v", "is_active": n % 2 == 0},
            {"target_url": f"https://hooks.example.com/{n}/v", "is_active": n % 2 == 0},
        ),
        "target_url",
    ),
    Kind(
        "agents",
        "/api/v1/agents/{}/",
        lambda c: c.agents,
        lambda n, _: (
            {"name": f"agent-{n}", "events": ["task.created"]},
            {"name": f"agent-{n}", "events": ["task.created"], "description": None},
        ),
        lambda n: (
            {"name": f"agent-{n}-v", "description": f"update {n}"},
            {"name": f"agent-{n}-v", "description": f"update {n}"},
        ),
        "name",
    ),
    Kind(
        "rules",
        "/api/v1/fleet/rules/{}/",
        lambda c: c.fleet.rules,
        lambda n, _: (
            {
                "name": f"rule-{n}",
                "condition": {"metric": "cpu", "above": n},
                "actions": [{"type": "notify"}],
            },
            {"name": f"rule-{n}", "condition": {"metric": "cpu", "above": n}, "enabled": True},
        ),
        lambda n: (
            {"name": f"rule-{n}-v", "enabled": n % 2 == 1, "condition": {"metric": "mem"}},
            {"name": f"rule-{n}-v", "enabled": n % 2 == 1, "condition": {"metric": "mem"}},
        ),
        "name",
    ),
)


def matches(obj: Any, expected: Values) -> bool:
    """Whether a model (attributes) or a store object (dict) carries the expected fields."""
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    return all(get(name) == value for name, value in expected.items())


@dataclass
class Soak:
    api: LocalAvala
    client: AsyncClient
    rng: random.Random
    model: Model
    calls: Counter[str]
    outcomes: Counter[str]
    unexpected: list[str]  # typed errors and wrong answers the workload saw
    writes_dropped_after: int = 0  # POST/PATCH attempts applied whose answer was lost
    replayed: int = 0  # attempts the API answered from its idempotency record
    deletes_dropped_after: int = 0  # delete calls with an applied attempt whose answer was lost

    def exchanges_since(self, requests_before: int) -> list[Any]:
        count = self.api.stats.requests - requests_before
        return list(self.api.log)[-count:] if count else []

    async def step(self, n: int) -> None:
        operation = self.rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
        kind = self.rng.choice(KINDS)
        objects = self.model[kind.collection]
        if operation != "create" and operation != "list" and not objects:
            operation = "create"
        if operation == "create" and kind.create(n, self.model) is None:
            kind = KINDS[0]  # a task needs a project first
        self.calls[f"{operation} {kind.collection}"] += 1
        resource = kind.resource(self.client)
        uid = self.rng.choice(list(objects)) if operation in ("update", "get", "delete") else ""
        before = self.api.stats.requests
        try:
            await self.call(n, operation, kind, resource, uid)
        except NotFoundError as exc:
            # Only legitimate for a delete whose applied first attempt lost its answer.
            route = kind.route.format(uid)
            attempts = [e for e in self.exchanges_since(before) if e.path == route]
            dropped_after = any(e.fault == "drop_after" for e in attempts)
            if operation == "delete" and dropped_after and attempts[-1].status == 404:
                self.forget(kind, uid)
                self.outcomes["delete: NotFoundError after its applied attempt was dropped"] += 1
            else:
                self.unexpected.append(f"{operation} {kind.collection} {uid}: {exc!r}")
        except AvalaError as exc:
            self.unexpected.append(f"{operation} {kind.collection} {uid}: {exc!r}")
        else:
            self.outcomes[f"{operation}: ok"] += 1
        exchanges = self.exchanges_since(before)
        dropped = [e for e in exchanges if e.fault == "drop_after"]
        self.writes_dropped_after += sum(e.method in WRITE_METHODS for e in dropped)
        self.deletes_dropped_after += any(e.method == "DELETE" for e in dropped)
        self.replayed += sum(e.replayed for e in exchanges)

    async def call(self, n: int, operation: str, kind: Kind, resource: Any, uid: str) -> None:
        objects = self.model[kind.collection]
        where = f"{operation} {kind.collection}"
        if operation == "create":
            made = kind.create(n, self.model)
            assert made is not None
            kwargs, expected = made
            created = await resource.create(**kwargs)
            self.check(matches(created, expected), f"{where}: {created!r} != {expected}")
            self.check(created.uid not in objects, f"{where}: {created.uid} returned twice")
            objects[created.uid] = expected
        elif operation == "update":
            kwargs, expected = kind.update(n)
            updated = await resource.update(uid, **kwargs)
            objects[uid] = {**objects[uid], **expected}
            self.check(matches(updated, objects[uid]), f"{where}: {updated!r} != {objects[uid]}")
        elif operation == "get":
            got = await resource.get(uid)
            self.check(got.uid == uid and matches(got, objects[uid]), f"{where}: {got!r}")
        elif operation == "list":
            page = await resource.list(limit=25)
            for item in page.items:
                if item.uid not in objects:
                    self.check(False, f"{where}: {item!r} is not meant to exist")
                else:
                    self.check(matches(item, objects[item.uid]), f"{where}: stale {item!r}")
        else:
            result = await resource.delete(uid)
            self.check(result is None, f"{where}: returned {result!r}")
            self.forget(kind, uid)

    def check(self, ok: bool, problem: str) -> None:
        if not ok:
            self.unexpected.append(problem)

    def forget(self, kind: Kind, uid: str) -> None:
        del self.model[kind.collection][uid]
        if kind.collection == "projects":  # the API cascades to the project's tasks
            tasks = self.model["tasks"]
            for task in [t for t, fields in tasks.items() if fields["project"] == uid]:
                del tasks[task]


def store_problems(api: LocalAvala, model: Model) -> list[str]:
    """How the store differs from what the workload meant: missing, extra or stale objects,
    and any object created twice."""
    problems = []
    for kind in KINDS:
        expected = model[kind.collection]
        stored = {obj["uid"]: obj for obj in api.store.objects(kind.collection)}
        for uid in sorted(set(expected) - set(stored)):
            problems.append(f"{kind.collection} {uid}: missing")
        for uid in sorted(set(stored) - set(expected)):
            problems.append(f"{kind.collection} {uid}: not meant to exist ({stored[uid]})")
        for uid in sorted(set(expected) & set(stored)):
            if not matches(stored[uid], expected[uid]):
                problems.append(f"{kind.collection} {uid}: {stored[uid]} != {expected[uid]}")
        seen = Counter(obj[kind.unique] for obj in stored.values())
        problems += [
            f"{kind.collection} {v!r}: created {n} times" for v, n in seen.items() if n > 1
        ]
    return problems


def write_report(report: dict[str, Any]) -> None:
    print(json.dumps(report, sort_keys=True))
    target = os.environ.get("AVALA_SOAK_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(report, sort_keys=True) + "\n")


async def run_workload(api: LocalAvala, client: AsyncClient, operations: int) -> Soak:
    soak = Soak(
        api,
        client,
        random.Random(SEED),
        {kind.collection: {} for kind in KINDS},
        Counter(),
        Counter(),
        [],
    )
    for n in range(operations):
        await soak.step(n)
    return soak


def soak_client(api: LocalAvala, http: Any) -> AsyncClient:
    return AsyncClient(
        api_key=API_KEY,
        base_url=api.base_url,
        http_client=http,
        max_retries=MAX_RETRIES,
        retry_policy=NO_BACKOFF,
    )


async def test_fault_soak_loses_nothing(sleeps: list[float]) -> None:
    api = LocalAvala(data="empty", faults=FAULTS, log_size=64)
    assert {api.store.count(kind.collection) for kind in KINDS} == {0}
    async with api.async_httpx_client() as http, soak_client(api, http) as client:
        soak = await run_workload(api, client, OPS)
        assert soak.unexpected == []
        operations = sum(soak.calls.values())
        requests = api.stats.requests
        retries = len(sleeps)
        # One request per call plus one per retry: nothing was sent twice behind our back.
        assert requests == operations + retries
        faults = dict(api.stats.faults)
        report = {
            "client": type(client).__name__,
            "operations": operations,
            "by_operation": dict(Counter(c.split()[0] for c in soak.calls.elements())),
            "requests": requests,
            "retries": retries,
            "faults": faults,
            "faults_total": api.stats.faults_total,
            "replays": api.stats.replays,
            "outcomes": dict(soak.outcomes),
            "objects": {kind.collection: len(soak.model[kind.collection]) for kind in KINDS},
        }
        # Each write whose answer was lost was answered from the idempotency record on its
        # retry, never applied twice; each delete whose answer was lost is the NotFoundError.
        assert api.stats.replays == soak.replayed == soak.writes_dropped_after
        lost_deletes = soak.outcomes["delete: NotFoundError after its applied attempt was dropped"]
        assert lost_deletes == soak.deletes_dropped_after
        # The faults really were injected at the configured rates.
        assert 0.2 < api.stats.faults_total / requests < 0.3
        assert faults.get("drop_after", 0) > 0
        assert faults.get("drop_before", 0) > 0

        # Every walk of every listing, still through the faults, sees exactly the model.
        for kind in KINDS:
            expected = soak.model[kind.collection]
            listed = {
                item.uid: item
                async for item in kind.resource(client).list(limit=50).auto_paging_iter()
            }
            assert set(listed) == set(expected), kind.collection
            assert all(matches(listed[uid], expected[uid]) for uid in expected)

    # The store itself: exactly the objects meant to exist, each once, last update applied.
    assert store_problems(api, soak.model) == []
    write_report(report)


async def test_the_soak_detects_duplicates_when_idempotency_keys_are_missing() -> None:
    """Negative control: the same workload with the Idempotency-Key stripped in flight must
    leave duplicates that `store_problems` reports, or the soak above proves nothing."""

    async def strip_key(request: Any) -> None:
        request.headers.pop("Idempotency-Key", None)

    api = LocalAvala(data="empty", faults=FAULTS, log_size=64)
    hooks = {"request": [strip_key]}
    async with (
        api.async_httpx_client(event_hooks=hooks) as http,
        soak_client(api, http) as client,
    ):
        soak = await run_workload(api, client, 400)
    assert api.stats.replays == 0
    assert any("is not meant to exist" in p for p in soak.unexpected)
    problems = store_problems(api, soak.model)
    assert any("not meant to exist" in p for p in problems)
    assert any("created 2 times" in p for p in problems)
