"""Integrations: agents (+ executions, test), webhooks (+ test, deliveries), inference providers.

`test` actions record what they did (an agent execution, a webhook delivery, the provider's
`last_test_*` fields) so a test can observe them afterwards.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, ok
from ._crud import Resource, make, page
from ._routes import Router
from ._store import Obj, public
from ._validate import F

__all__ = [
    "AGENT",
    "AGENT_EXECUTION",
    "INFERENCE_PROVIDER",
    "WEBHOOK",
    "WEBHOOK_DELIVERY",
    "register",
]

AGENT: dict[str, Any] = {
    "name": None,
    "description": None,
    "events": [],
    "callback_url": None,
    "is_active": True,
    "project": None,
    "task_types": [],
    "secret": None,
    "created_at": None,
    "updated_at": None,
}

AGENT_EXECUTION: dict[str, Any] = {
    "registration": None,
    "event_type": None,
    "task": None,
    "result": None,
    "status": "completed",
    "action": None,
    "error_message": None,
    "event_payload": None,
    "response_payload": None,
    "started_at": None,
    "completed_at": None,
    "created_at": None,
    "updated_at": None,
}

WEBHOOK: dict[str, Any] = {
    "target_url": None,
    "events": [],
    "is_active": True,
    "secret": None,
    "created_at": None,
    "updated_at": None,
}

WEBHOOK_DELIVERY: dict[str, Any] = {
    "subscription": None,
    "event_type": None,
    "payload": None,
    "response_status": None,
    "response_body": None,
    "attempts": 0,
    "next_retry_at": None,
    "status": "pending",
    "created_at": None,
    "updated_at": None,
}

INFERENCE_PROVIDER: dict[str, Any] = {
    "name": None,
    "description": None,
    "provider_type": None,
    "project": None,
    "config": None,
    "is_active": True,
    "last_test_at": None,
    "last_test_success": None,
    "created_at": None,
    "updated_at": None,
}


# -- agents ---------------------------------------------------------------------------------


def _agent_created(ctx: Ctx, obj: Obj) -> None:
    obj["secret"] = ctx.store.uids.token("agsec_", 20)


def _render_agent(ctx: Ctx, obj: Obj) -> Obj:
    out = public(obj)
    runs = [e for e in ctx.col("agent_executions") if e["registration"] == obj["uid"]]
    out["execution_stats"] = {
        "total": len(runs),
        "failed": sum(1 for e in runs if e["status"] == "failed"),
    }
    return out


def _agent_deleted(ctx: Ctx, obj: Obj) -> None:
    ctx.col("agent_executions").remove_where(lambda e: e["registration"] == obj["uid"])


_AGENT_FIELDS = {
    "events": F("list", item="str"),
    "description": F("str", nullable=True),
    "callback_url": F("url", nullable=True),
    "is_active": F("bool"),
    "project": F("str", nullable=True),
    "task_types": F("list", item="str"),
}

AGENTS = Resource(
    "agents",
    AGENT,
    create_spec={"name": F("str", required=True), **_AGENT_FIELDS},
    update_spec={"name": F("str", blank=False), **_AGENT_FIELDS},
    render=_render_agent,
    on_create=_agent_created,
    on_delete=_agent_deleted,
)


def _executions(ctx: Ctx) -> Reply:
    uid = ctx.get_or_404("agents", ctx.params["uid"])["uid"]
    return page(ctx, "agent_executions", [lambda e: e["registration"] == uid])


def _agent_test(ctx: Ctx) -> Reply:
    agent = ctx.get_or_404("agents", ctx.params["uid"])
    now = ctx.now()
    run = make(
        ctx.store,
        AGENT_EXECUTION,
        {
            "registration": agent["uid"],
            "event_type": "agent.test",
            "status": "completed",
            "result": "delivered",
            "event_payload": {"test": True},
            "response_payload": {"status_code": 200},
            "started_at": now,
            "completed_at": now,
        },
    )
    ctx.col("agent_executions").add(run)
    return ok({"delivered": True, "status_code": 200})


# -- webhooks -------------------------------------------------------------------------------


def _webhook_created(ctx: Ctx, obj: Obj) -> None:
    if not obj.get("secret"):
        obj["secret"] = ctx.store.uids.token("whsec_", 20)


_WEBHOOK_CREATE = {
    "target_url": F("url", required=True),
    "events": F("list", required=True, item="str"),
    "is_active": F("bool", default=True),
    "secret": F("str", nullable=True),
}

WEBHOOKS = Resource(
    "webhooks",
    WEBHOOK,
    create_spec=_WEBHOOK_CREATE,
    update_spec={
        "target_url": F("url", blank=False),
        "events": F("list", item="str"),
        "is_active": F("bool"),
        "secret": F("str", nullable=True),
    },
    on_create=_webhook_created,
)


def _webhook_test(ctx: Ctx) -> Reply:
    hook = ctx.get_or_404("webhooks", ctx.params["uid"])
    delivery = make(
        ctx.store,
        WEBHOOK_DELIVERY,
        {
            "subscription": hook["uid"],
            "event_type": "webhook.test",
            "payload": {"event": "webhook.test", "webhook": hook["uid"]},
            "response_status": 200,
            "response_body": "ok",
            "attempts": 1,
            "status": "delivered",
        },
    )
    ctx.col("webhook_deliveries").add(delivery)
    return ok({"delivered": True})


DELIVERIES = Resource(
    "webhook_deliveries",
    WEBHOOK_DELIVERY,
    create_spec={},
    update_spec={},
)


# -- inference providers ----------------------------------------------------------------------

_PROVIDER_FIELDS = {
    "description": F("str", nullable=True),
    "is_active": F("bool"),
    "project": F("str", nullable=True),
}

PROVIDERS = Resource(
    "inference_providers",
    INFERENCE_PROVIDER,
    create_spec={
        "name": F("str", required=True),
        "provider_type": F("str", required=True),
        "config": F("dict", required=True),
        **_PROVIDER_FIELDS,
    },
    update_spec={
        "name": F("str", blank=False),
        "provider_type": F("str", blank=False),
        "config": F("dict"),
        **_PROVIDER_FIELDS,
    },
)


def _provider_test(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("inference_providers", ctx.params["uid"])
    obj.update(last_test_at=ctx.now(), last_test_success=True)
    return ok({"success": True, "latency_ms": 120})


def register(router: Router) -> None:
    AGENTS.register(router, "/agents/")
    router.add("GET", "/agents/{uid}/executions/", _executions)
    router.add("POST", "/agents/{uid}/test/", _agent_test)
    WEBHOOKS.register(router, "/webhooks/")
    router.add("POST", "/webhooks/{uid}/test/", _webhook_test)
    DELIVERIES.register(router, "/webhook-deliveries/", "lr")
    PROVIDERS.register(router, "/inference-providers/")
    router.add("POST", "/inference-providers/{uid}/test/", _provider_test)
