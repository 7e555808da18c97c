"""Fleet: devices, recordings, events (+ batch), rules, alerts (acknowledge / resolve), channels.

Filters use the wire names (`device`, `recording`, `rule`), not the SDK's `*_id` kwargs.
Recordings have no create route in the contract (they come from uploads), so only demo data has
them; foreign keys in bodies (an event's `recording`, `device`) are stored as given.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx, Reply, created, ok
from ._crud import Resource, eq, flag
from ._routes import Router
from ._store import Obj, public
from ._validate import F, validate
from ._wire import ApiError

__all__ = ["ALERT", "ALERT_CHANNEL", "DEVICE", "EVENT", "RECORDING", "RULE", "register"]

DEVICE: dict[str, Any] = {
    "name": None,
    "type": None,
    "status": "online",
    "firmware_version": None,
    "tags": [],
    "metadata": None,
    "last_seen_at": None,
    "device_token": None,
    "created_at": None,
    "updated_at": None,
}

RECORDING: dict[str, Any] = {
    "device": None,
    "status": "ready",
    "duration_seconds": None,
    "size_bytes": None,
    "topic_count": 0,
    "tags": [],
    "topics": None,
    "started_at": None,
    "ended_at": None,
    "created_at": None,
    "updated_at": None,
}

EVENT: dict[str, Any] = {
    "recording": None,
    "device": None,
    "type": None,
    "label": None,
    "description": None,
    "severity": "info",
    "timestamp": None,
    "duration_ms": None,
    "tags": [],
    "metadata": None,
    "created_at": None,
    "updated_at": None,
}

RULE: dict[str, Any] = {
    "name": None,
    "description": None,
    "enabled": True,
    "condition": None,
    "scope": None,
    "actions": [],
    "hit_count": 0,
    "last_hit_at": None,
    "created_at": None,
    "updated_at": None,
}

ALERT: dict[str, Any] = {
    "rule": None,
    "device": None,
    "recording": None,
    "severity": "warning",
    "status": "open",
    "message": None,
    "acknowledged_by": None,
    "resolution_note": None,
    "triggered_at": None,
    "acknowledged_at": None,
    "resolved_at": None,
    "created_at": None,
    "updated_at": None,
}

ALERT_CHANNEL: dict[str, Any] = {
    "name": None,
    "type": None,
    "config": None,
    "created_at": None,
    "updated_at": None,
}


# -- devices: the token is a secret shown once, on registration -----------------------------


def _device_registered(ctx: Ctx, obj: Obj) -> None:
    obj["_token"] = ctx.store.uids.token("dvt_", 24)
    obj["last_seen_at"] = obj["created_at"]


def _render_device(ctx: Ctx, obj: Obj) -> Obj:
    out = public(obj)
    if ctx.request.method == "POST":
        out["device_token"] = obj["_token"]
    return out


DEVICES = Resource(
    "devices",
    DEVICE,
    create_spec={
        "name": F("str", required=True),
        "type": F("str", required=True),
        "firmware_version": F("str", nullable=True),
        "tags": F("list", item="str", default=[]),
        "metadata": F("dict", nullable=True),
    },
    update_spec={
        "name": F("str", blank=False),
        "status": F("str"),
        "firmware_version": F("str", nullable=True),
        "tags": F("list", item="str"),
        "metadata": F("dict", nullable=True),
    },
    filters={"status": eq("status"), "type": eq("type")},
    render=_render_device,
    on_create=_device_registered,
)

RECORDINGS = Resource(
    "recordings",
    RECORDING,
    create_spec={},
    update_spec={"status": F("str"), "tags": F("list", item="str")},
    filters={"device": eq("device"), "status": eq("status")},
)

# -- events ---------------------------------------------------------------------------------

_EVENT = {
    "recording": F("str", required=True),
    "device": F("str", required=True),
    "label": F("str", required=True),
    "type": F("str", required=True),
    "timestamp": F("datetime", required=True),
    "severity": F("str", nullable=True, default="info"),
    "description": F("str", nullable=True),
    "duration_ms": F("int", nullable=True, min=0),
    "tags": F("list", item="str", default=[]),
    "metadata": F("dict", nullable=True),
}

EVENTS = Resource(
    "fleet_events",
    EVENT,
    create_spec=_EVENT,
    update_spec={},
    filters={
        "recording": eq("recording"),
        "device": eq("device"),
        "type": eq("type"),
        "severity": eq("severity"),
    },
)


def _batch(ctx: Ctx) -> Reply:
    body = validate(ctx.body(), {"events": F("list", required=True, item="dict")})
    cleaned: list[dict[str, Any]] = []
    errors: list[Any] = []
    for event in body["events"]:
        try:
            cleaned.append(validate(event, _EVENT))
            errors.append({})
        except ApiError as exc:
            errors.append(exc.body)
    if any(errors):
        raise ApiError(400, {"events": errors})
    for values in cleaned:
        EVENTS.create_object(ctx, values)
    return created({"created": len(cleaned)})


# -- rules, alerts, channels ------------------------------------------------------------------

RULES = Resource(
    "rules",
    RULE,
    create_spec={
        "name": F("str", required=True),
        "condition": F("dict", required=True),
        "actions": F("list", required=True, item="dict"),
        "description": F("str", nullable=True),
        "enabled": F("bool", default=True),
        "scope": F("dict", nullable=True),
    },
    update_spec={
        "name": F("str", blank=False),
        "description": F("str", nullable=True),
        "enabled": F("bool"),
        "condition": F("dict"),
        "actions": F("list", item="dict"),
        "scope": F("dict", nullable=True),
    },
    filters={"enabled": flag("enabled", "enabled")},
)

ALERTS = Resource(
    "alerts",
    ALERT,
    create_spec={},
    update_spec={},
    filters={
        "status": eq("status"),
        "severity": eq("severity"),
        "device": eq("device"),
        "rule": eq("rule"),
    },
)


def _acknowledge(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("alerts", ctx.params["uid"])
    if obj["status"] == "resolved":
        raise ApiError.detail(400, "Alert is already resolved.")
    now = ctx.now()
    obj.update(
        status="acknowledged",
        acknowledged_by=ctx.user["username"],
        acknowledged_at=obj["acknowledged_at"] or now,
        updated_at=now,
    )
    return ok(public(obj))


def _resolve(ctx: Ctx) -> Reply:
    obj = ctx.get_or_404("alerts", ctx.params["uid"])
    values = validate(ctx.body(), {"resolution_note": F("str", nullable=True)})
    now = ctx.now()
    obj.update(status="resolved", resolved_at=now, updated_at=now)
    if values.get("resolution_note") is not None:
        obj["resolution_note"] = values["resolution_note"]
    return ok(public(obj))


CHANNELS = Resource(
    "alert_channels",
    ALERT_CHANNEL,
    create_spec={
        "name": F("str", required=True),
        "type": F("str", required=True),
        "config": F("dict", required=True),
    },
    update_spec={"name": F("str", blank=False), "type": F("str"), "config": F("dict")},
)


def _channel_test(ctx: Ctx) -> Reply:
    ctx.get_or_404("alert_channels", ctx.params["uid"])
    return ok({"ok": True, "delivered": True})


def register(router: Router) -> None:
    DEVICES.register(router, "/fleet/devices/")
    RECORDINGS.register(router, "/fleet/recordings/", "lrud")
    router.add("POST", "/fleet/events/batch/", _batch)
    EVENTS.register(router, "/fleet/events/", "lcrd")
    RULES.register(router, "/fleet/rules/")
    ALERTS.register(router, "/fleet/alerts/", "lr")
    router.add("POST", "/fleet/alerts/{uid}/acknowledge/", _acknowledge)
    router.add("POST", "/fleet/alerts/{uid}/resolve/", _resolve)
    CHANNELS.register(router, "/fleet/alert-channels/")
    router.add("POST", "/fleet/alert-channels/{uid}/test/", _channel_test)
