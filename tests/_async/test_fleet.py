from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

from avala import AsyncClient, ResponseValidationError
from avala.types.fleet import Alert, AlertChannel, Device, FleetEvent, Recording, Rule
from tests.helpers import page, url

DEVICE = {
    "uid": "dev_1",
    "name": "Rover 1",
    "type": "robot",
    "status": "online",
    "firmware_version": "1.2.3",
    "tags": ["warehouse"],
    "metadata": {"site": "sfo"},
    "last_seen_at": "2026-01-02T03:04:05Z",
    "created_at": "2026-01-01T00:00:00Z",
}
RECORDING = {
    "uid": "rec_1",
    "device": "dev_1",
    "status": "ready",
    "duration_seconds": 12.5,
    "size_bytes": 1024,
    "topic_count": 3,
    "tags": ["night"],
    "topics": [{"name": "/camera/front", "messages": 10}],
    "started_at": "2026-01-01T00:00:00Z",
}
EVENT = {
    "uid": "evt_1",
    "recording": "rec_1",
    "device": "dev_1",
    "type": "collision",
    "label": "Bump",
    "severity": "warning",
    "timestamp": "2026-01-01T00:00:01Z",
    "duration_ms": 250,
    "tags": ["front"],
    "metadata": {"speed": 1.5},
}
RULE = {
    "uid": "rule_1",
    "name": "Hard brake",
    "enabled": True,
    "condition": {"metric": "decel", "gt": 5},
    "actions": [{"type": "alert", "severity": "critical"}],
    "hit_count": 4,
}
ALERT = {
    "uid": "al_1",
    "rule": "rule_1",
    "device": "dev_1",
    "severity": "critical",
    "status": "open",
    "message": "Hard brake detected",
    "triggered_at": "2026-01-01T00:00:02Z",
}
CHANNEL = {
    "uid": "ch_1",
    "name": "Ops Slack",
    "type": "slack",
    "config": {"webhook_url": "https://hooks.slack.test/x"},
}


def sent_json(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


def sent_query(route: respx.Route, call: int = -1) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = route.calls[call].request.url.params.multi_items()
    return items


def test_fleet_exposes_every_sub_resource(client: AsyncClient) -> None:
    # Class names differ between the async source and the generated sync copy
    # (`AsyncFleetDevices` / `FleetDevices`), so compare their common suffix.
    expected = {
        "devices": "FleetDevices",
        "recordings": "FleetRecordings",
        "events": "FleetEvents",
        "rules": "FleetRules",
        "alerts": "FleetAlerts",
        "alert_channels": "FleetAlertChannels",
    }
    for attribute, class_suffix in expected.items():
        resource = getattr(client.fleet, attribute)
        assert type(resource).__name__.endswith(class_suffix)
        # One connection pool per client: sub-resources share the fleet's HTTP client.
        assert resource._client is client.fleet._client


# -- devices ------------------------------------------------------------------------------


async def test_devices_list_sends_filters_and_decodes(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/devices/")).respond(
        200, json=page([DEVICE], "/fleet/devices/?cursor=c2&limit=1")
    )
    first = await client.fleet.devices.list(status="online", type="robot", limit=1)
    assert sent_query(route) == [("status", "online"), ("type", "robot"), ("limit", "1")]
    assert len(first.items) == 1
    device = first.items[0]
    assert isinstance(device, Device)
    assert device.id == "dev_1"
    assert device.tags == ["warehouse"]
    assert device.metadata == {"site": "sfo"}
    assert device.last_seen_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert first.has_more
    assert first.next_cursor == "c2"


async def test_devices_list_walks_every_page(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/devices/")).mock(
        side_effect=[
            httpx.Response(200, json=page([DEVICE], "/fleet/devices/?cursor=c2")),
            httpx.Response(200, json=page([{**DEVICE, "uid": "dev_2"}])),
        ]
    )
    uids = [d.uid async for d in client.fleet.devices.list().auto_paging_iter()]
    assert uids == ["dev_1", "dev_2"]
    assert sent_query(route, 0) == []
    assert sent_query(route, 1) == [("cursor", "c2")]


async def test_devices_register_sends_body_and_masks_token(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/devices/")).respond(
        201, json={**DEVICE, "device_token": "dtok_secret_value"}
    )
    device = await client.fleet.devices.register(
        name="Rover 1",
        type="robot",
        firmware_version="1.2.3",
        tags=("warehouse",),
        metadata={"site": "sfo"},
    )
    assert sent_json(route) == {
        "name": "Rover 1",
        "type": "robot",
        "firmware_version": "1.2.3",
        "tags": ["warehouse"],
        "metadata": {"site": "sfo"},
    }
    assert device.device_token == "dtok_secret_value"
    assert "dtok_secret_value" not in repr(device)
    assert "device_token='***'" in repr(device)


async def test_devices_register_sends_only_required_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/devices/")).respond(201, json=DEVICE)
    await client.fleet.devices.register(name="Rover 1", type="robot")
    assert sent_json(route) == {"name": "Rover 1", "type": "robot"}


async def test_devices_register_validates_arguments_before_sending(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="tags must be a list"):
        await client.fleet.devices.register(name="x", type="robot", tags="a")
    with pytest.raises(TypeError, match="metadata must be a mapping"):
        await client.fleet.devices.register(name="x", type="robot", metadata=["a"])  # type: ignore[arg-type]
    assert respx_mock.calls.call_count == 0


async def test_devices_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/fleet/devices/dev_1/")).respond(200, json=DEVICE)
    device = await client.fleet.devices.get(id="dev_1")
    assert device.name == "Rover 1"
    assert device.device_token is None
    assert "device_token=None" in repr(device)


async def test_devices_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/fleet/devices/dev_1/")).respond(
        200, json={**DEVICE, "status": "maintenance"}
    )
    device = await client.fleet.devices.update("dev_1", status="maintenance", tags=[])
    assert device.status == "maintenance"
    assert sent_json(route) == {"status": "maintenance", "tags": []}
    await client.fleet.devices.update("dev_1")
    assert sent_json(route) == {}


async def test_devices_delete_returns_none_for_204_and_empty_200(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.delete(url("/fleet/devices/dev_1/")).mock(
        side_effect=[httpx.Response(204), httpx.Response(200, content=b"")]
    )
    assert await client.fleet.devices.delete("dev_1") is None
    assert await client.fleet.devices.delete("dev_1") is None


async def test_device_id_is_percent_encoded_into_one_segment(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/devices/a%2Fb%3Fc/")).respond(200, json=DEVICE)
    await client.fleet.devices.get("a/b?c")
    assert route.called


# -- recordings ---------------------------------------------------------------------------


async def test_recordings_list_renames_device_filter(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/recordings/")).respond(200, json=page([RECORDING]))
    first = await client.fleet.recordings.list(device_id="dev_1", status="ready", cursor="c1")
    assert sent_query(route) == [("device", "dev_1"), ("status", "ready"), ("cursor", "c1")]
    recording = first.items[0]
    assert isinstance(recording, Recording)
    assert recording.duration_seconds == 12.5
    assert recording.size_bytes == 1024
    assert recording.topics == [{"name": "/camera/front", "messages": 10}]
    assert not first.has_more
    assert first.next_cursor is None


async def test_recordings_decode_defaults(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(url("/fleet/recordings/rec_2/")).respond(200, json={"uid": "rec_2"})
    recording = await client.fleet.recordings.get("rec_2")
    assert recording == Recording(uid="rec_2")
    assert recording.topic_count == 0
    assert recording.tags == []


async def test_recordings_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/fleet/recordings/rec_1/")).respond(
        200, json={**RECORDING, "status": "archived"}
    )
    recording = await client.fleet.recordings.update("rec_1", status="archived")
    assert recording.status == "archived"
    assert sent_json(route) == {"status": "archived"}
    await client.fleet.recordings.update("rec_1", tags=["a", "b"])
    assert sent_json(route) == {"tags": ["a", "b"]}


async def test_recordings_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(url("/fleet/recordings/rec_1/")).respond(204)
    assert await client.fleet.recordings.delete("rec_1") is None
    assert route.called


# -- events -------------------------------------------------------------------------------


async def test_events_list_renames_filters(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/events/")).respond(200, json=page([EVENT]))
    first = await client.fleet.events.list(
        recording_id="rec_1", device_id="dev_1", type="collision", severity="warning", limit=5
    )
    assert sent_query(route) == [
        ("recording", "rec_1"),
        ("device", "dev_1"),
        ("type", "collision"),
        ("severity", "warning"),
        ("limit", "5"),
    ]
    event = first.items[0]
    assert isinstance(event, FleetEvent)
    assert event.timestamp == datetime(2026, 1, 1, 0, 0, 1, tzinfo=timezone.utc)
    assert event.duration_ms == 250
    assert event.metadata == {"speed": 1.5}


async def test_events_create_serialises_an_aware_datetime(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/events/")).respond(201, json=EVENT)
    event = await client.fleet.events.create(
        recording="rec_1",
        device="dev_1",
        label="Bump",
        type="collision",
        timestamp=datetime(2026, 1, 1, 0, 0, 1, tzinfo=timezone.utc),
        severity="warning",
        description="Front bumper",
        duration_ms=250,
        tags=["front"],
        metadata={"speed": 1.5},
    )
    assert event.uid == "evt_1"
    assert sent_json(route) == {
        "recording": "rec_1",
        "device": "dev_1",
        "label": "Bump",
        "type": "collision",
        "timestamp": "2026-01-01T00:00:01Z",
        "severity": "warning",
        "description": "Front bumper",
        "duration_ms": 250,
        "tags": ["front"],
        "metadata": {"speed": 1.5},
    }


async def test_events_create_keeps_a_non_utc_offset_and_microseconds(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/events/")).respond(201, json=EVENT)
    paris = timezone(timedelta(hours=2))
    await client.fleet.events.create(
        recording="rec_1",
        device="dev_1",
        label="Bump",
        type="collision",
        timestamp=datetime(2026, 6, 1, 12, 30, 0, 500, tzinfo=paris),
    )
    assert sent_json(route)["timestamp"] == "2026-06-01T12:30:00.000500+02:00"


async def test_events_create_passes_an_iso_string_through(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/events/")).respond(201, json=EVENT)
    await client.fleet.events.create(
        recording="rec_1",
        device="dev_1",
        label="Bump",
        type="collision",
        timestamp="2026-01-01T00:00:01+00:00",
    )
    assert sent_json(route) == {
        "recording": "rec_1",
        "device": "dev_1",
        "label": "Bump",
        "type": "collision",
        "timestamp": "2026-01-01T00:00:01+00:00",
    }


async def test_events_create_rejects_bad_timestamps_before_sending(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    common: dict[str, Any] = {
        "recording": "rec_1",
        "device": "dev_1",
        "label": "Bump",
        "type": "collision",
    }
    with pytest.raises(ValueError, match="timezone-aware"):
        await client.fleet.events.create(**common, timestamp=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="datetime or an ISO 8601 string"):
        await client.fleet.events.create(**common, timestamp=1767225600)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        await client.fleet.events.create(**common, timestamp="")
    assert respx_mock.calls.call_count == 0


async def test_events_create_batch_returns_created_count(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/events/batch/")).respond(201, json={"created": 2})
    created = await client.fleet.events.create_batch(
        events=[
            {
                "recording": "rec_1",
                "device": "dev_1",
                "label": "a",
                "type": "marker",
                "timestamp": datetime(2026, 1, 1, tzinfo=timezone.utc),
                "tags": ("x",),  # type: ignore[typeddict-item]
            },
            {
                "recording": "rec_1",
                "device": "dev_1",
                "label": "b",
                "type": "marker",
                "timestamp": "2026-01-01T00:00:02Z",
                "severity": "info",
                "duration_ms": 10,
            },
        ]
    )
    assert created == 2
    assert sent_json(route) == {
        "events": [
            {
                "recording": "rec_1",
                "device": "dev_1",
                "label": "a",
                "type": "marker",
                "timestamp": "2026-01-01T00:00:00Z",
                "tags": ["x"],
            },
            {
                "recording": "rec_1",
                "device": "dev_1",
                "label": "b",
                "type": "marker",
                "timestamp": "2026-01-01T00:00:02Z",
                "severity": "info",
                "duration_ms": 10,
            },
        ]
    }


async def test_events_create_batch_validates_before_sending(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    event: dict[str, Any] = {
        "recording": "rec_1",
        "device": "dev_1",
        "label": "a",
        "type": "marker",
        "timestamp": "2026-01-01T00:00:00Z",
    }
    with pytest.raises(TypeError, match="list of event dicts"):
        await client.fleet.events.create_batch(events=event)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="only mappings"):
        await client.fleet.events.create_batch(events=["evt"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="timezone-aware"):
        await client.fleet.events.create_batch(
            events=[{**event, "timestamp": datetime(2026, 1, 1)}]  # type: ignore[typeddict-item]
        )
    assert respx_mock.calls.call_count == 0


async def test_events_create_batch_without_created_is_a_validation_error(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(url("/fleet/events/batch/")).respond(201, json={"ok": True})
    with pytest.raises(ResponseValidationError, match="created"):
        await client.fleet.events.create_batch(events=[])


async def test_events_get_and_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/fleet/events/evt_1/")).respond(200, json=EVENT)
    deleted = respx_mock.delete(url("/fleet/events/evt_1/")).respond(204)
    event = await client.fleet.events.get("evt_1")
    assert event.label == "Bump"
    assert await client.fleet.events.delete("evt_1") is None
    assert deleted.called


async def test_event_named_batch_does_not_hit_the_batch_route(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/events/batch/")).respond(200, json={**EVENT, "uid": "batch"})
    event = await client.fleet.events.get("batch")
    assert route.called
    assert event.uid == "batch"


# -- rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("enabled", "wire"), [(True, "true"), (False, "false")])
async def test_rules_list_sends_enabled_as_true_false(
    client: AsyncClient, respx_mock: respx.MockRouter, enabled: bool, wire: str
) -> None:
    route = respx_mock.get(url("/fleet/rules/")).respond(200, json=page([RULE]))
    first = await client.fleet.rules.list(enabled=enabled, limit=10)
    assert sent_query(route) == [("enabled", wire), ("limit", "10")]
    rule = first.items[0]
    assert isinstance(rule, Rule)
    assert rule.actions == [{"type": "alert", "severity": "critical"}]
    assert rule.hit_count == 4


async def test_rules_create_sends_body(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(url("/fleet/rules/")).respond(201, json=RULE)
    rule = await client.fleet.rules.create(
        name="Hard brake",
        condition={"metric": "decel", "gt": 5},
        actions=[{"type": "alert", "severity": "critical"}],
        enabled=False,
        scope={"devices": ["dev_1"]},
    )
    assert rule.uid == "rule_1"
    assert sent_json(route) == {
        "name": "Hard brake",
        "condition": {"metric": "decel", "gt": 5},
        "actions": [{"type": "alert", "severity": "critical"}],
        "enabled": False,
        "scope": {"devices": ["dev_1"]},
    }


async def test_rules_create_sends_empty_actions(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/rules/")).respond(201, json=RULE)
    await client.fleet.rules.create(name="r", condition={}, actions=[], description="d")
    assert sent_json(route) == {"name": "r", "condition": {}, "actions": [], "description": "d"}


async def test_rules_create_rejects_a_single_action_object(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="actions must be a list of mappings"):
        await client.fleet.rules.create(name="r", condition={}, actions={"type": "alert"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="actions must contain only mappings"):
        await client.fleet.rules.create(name="r", condition={}, actions=["alert"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="condition must be a mapping"):
        await client.fleet.rules.create(name="r", condition="x > 1", actions=[])  # type: ignore[arg-type]
    assert respx_mock.calls.call_count == 0


async def test_rules_get_update_delete(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/fleet/rules/rule_1/")).respond(200, json={"uid": "rule_1", "name": "R"})
    patched = respx_mock.patch(url("/fleet/rules/rule_1/")).respond(
        200, json={**RULE, "enabled": False}
    )
    deleted = respx_mock.delete(url("/fleet/rules/rule_1/")).respond(204)

    rule = await client.fleet.rules.get("rule_1")
    assert rule == Rule(uid="rule_1", name="R")
    assert rule.enabled is True
    assert rule.actions == []

    updated = await client.fleet.rules.update("rule_1", enabled=False, actions=[])
    assert updated.enabled is False
    assert sent_json(patched) == {"enabled": False, "actions": []}

    assert await client.fleet.rules.delete("rule_1") is None
    assert deleted.called


# -- alerts -------------------------------------------------------------------------------


async def test_alerts_list_renames_filters(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url("/fleet/alerts/")).respond(200, json=page([ALERT]))
    first = await client.fleet.alerts.list(
        status="open", severity="critical", device_id="dev_1", rule_id="rule_1"
    )
    assert sent_query(route) == [
        ("status", "open"),
        ("severity", "critical"),
        ("device", "dev_1"),
        ("rule", "rule_1"),
    ]
    alert = first.items[0]
    assert isinstance(alert, Alert)
    assert alert.rule == "rule_1"
    assert alert.triggered_at == datetime(2026, 1, 1, 0, 0, 2, tzinfo=timezone.utc)


async def test_alerts_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/fleet/alerts/al_1/")).respond(200, json=ALERT)
    alert = await client.fleet.alerts.get("al_1")
    assert alert.message == "Hard brake detected"


async def test_alerts_acknowledge_sends_no_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/alerts/al_1/acknowledge/")).respond(
        200, json={**ALERT, "status": "acknowledged", "acknowledged_by": "usr_1"}
    )
    alert = await client.fleet.alerts.acknowledge("al_1")
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by == "usr_1"
    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_alerts_resolve_without_a_note_sends_no_body(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/alerts/al_1/resolve/")).respond(
        200, json={**ALERT, "status": "resolved"}
    )
    alert = await client.fleet.alerts.resolve("al_1")
    assert alert.status == "resolved"
    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers


async def test_alerts_resolve_with_a_note(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/alerts/al_1/resolve/")).respond(
        200, json={**ALERT, "status": "resolved", "resolution_note": "Sensor recalibrated"}
    )
    alert = await client.fleet.alerts.resolve("al_1", resolution_note="Sensor recalibrated")
    assert alert.resolution_note == "Sensor recalibrated"
    assert sent_json(route) == {"resolution_note": "Sensor recalibrated"}


# -- alert channels -----------------------------------------------------------------------


async def test_alert_channels_list(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(url("/fleet/alert-channels/")).respond(
        200, json=page([CHANNEL], "/fleet/alert-channels/?cursor=n2")
    )
    first = await client.fleet.alert_channels.list(limit=1)
    assert sent_query(route) == [("limit", "1")]
    assert isinstance(first.items[0], AlertChannel)
    assert first.items[0].config == {"webhook_url": "https://hooks.slack.test/x"}
    assert first.next_cursor == "n2"


async def test_alert_channels_create_sends_every_field(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(url("/fleet/alert-channels/")).respond(201, json=CHANNEL)
    channel = await client.fleet.alert_channels.create(
        name="Ops Slack", type="slack", config={"webhook_url": "https://hooks.slack.test/x"}
    )
    assert channel.uid == "ch_1"
    assert sent_json(route) == {
        "name": "Ops Slack",
        "type": "slack",
        "config": {"webhook_url": "https://hooks.slack.test/x"},
    }


async def test_alert_channels_get(client: AsyncClient, respx_mock: respx.MockRouter) -> None:
    respx_mock.get(url("/fleet/alert-channels/ch_1/")).respond(200, json=CHANNEL)
    channel = await client.fleet.alert_channels.get(id="ch_1")
    assert channel.type == "slack"


async def test_alert_channels_update_sends_only_given_fields(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.patch(url("/fleet/alert-channels/ch_1/")).respond(
        200, json={**CHANNEL, "name": "Ops"}
    )
    channel = await client.fleet.alert_channels.update("ch_1", name="Ops")
    assert channel.name == "Ops"
    assert sent_json(route) == {"name": "Ops"}
    await client.fleet.alert_channels.update("ch_1", type="email", config={"to": ["a@b.test"]})
    assert sent_json(route) == {"type": "email", "config": {"to": ["a@b.test"]}}


async def test_alert_channels_delete_and_test(
    client: AsyncClient, respx_mock: respx.MockRouter
) -> None:
    deleted = respx_mock.delete(url("/fleet/alert-channels/ch_1/")).respond(200, content=b"")
    tested = respx_mock.post(url("/fleet/alert-channels/ch_1/test/")).respond(
        200, json={"ok": True, "delivered": True}
    )
    assert await client.fleet.alert_channels.delete("ch_1") is None
    assert deleted.called
    assert await client.fleet.alert_channels.test("ch_1") == {"ok": True, "delivered": True}
    assert tested.calls.last.request.content == b""
