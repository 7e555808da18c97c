"""Every response carries the fields of its contract section 3 model, with the right JSON types.

Notation of the table: `str` required and non-null; `str?` optional, may be null; `str=` optional
with a default, may be omitted but never null (pydantic rejects null there). `dt` is an RFC 3339
UTC timestamp ending in `Z`. A nested model is written as a dict of the same notation.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from avala.testing import LocalAvala

DT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
TS = {"created_at": "dt?", "updated_at": "dt?"}

PROJECT_REF = {"uid": "str", "name": "str"}
REPORTER = {
    "username": "str?",
    "picture": "str?",
    "full_name": "str?",
    "type": "str?",
    "is_staff": "bool?",
}
TOOL = {"uid": "str", "name": "str", "default": "bool?"}
PROBLEM = {"uid": "str", "title": "str"}
ITEM = {
    "id": "int?", "uid": "str", "is_hidden": "bool=", "key": "str?", "dataset": "str?",
    "dataset_owner_name": "str?", "dataset_slug": "str?", "url": "str?", "gpu_texture_url": "str?",
    "video_thumbnail": "str?", "related_sequence_uid": "str?", "thumbnails": "list?",
    "metadata": "dict?", "export_snippet": "dict?", "annotations": "dict?", "crop_data": "dict?",
    "related_items": "list?", **TS,
}  # fmt: skip
MEMBER = {
    "user_uid": "str", "username": "str?", "email": "str?", "full_name": "str?", "picture": "str?",
    "role": "str?", "created_at": "dt?",
}  # fmt: skip

MODELS: dict[str, dict[str, Any]] = {
    "Agent": {
        "uid": "str", "name": "str", "description": "str?", "events": "list=",
        "callback_url": "str?", "is_active": "bool=", "project": "str?", "task_types": "list=",
        "secret": "str?", "execution_stats": "dict?", **TS,
    },
    "AgentExecution": {
        "uid": "str", "registration": "str", "event_type": "str", "task": "str?", "result": "str?",
        "status": "str?", "action": "str?", "error_message": "str?", "event_payload": "dict?",
        "response_payload": "dict?", "started_at": "dt?", "completed_at": "dt?", **TS,
    },
    "Task": {"uid": "str", "type": "str?", "name": "str?", "status": "str?", "project": "str?", **TS},
    "Project": {"uid": "str", "name": "str", "status": "str?", **TS},
    "Export": {"uid": "str", "status": "str?", "download_url": "str?", **TS},
    "AutoLabelJob": {
        "uid": "str", "status": "str?", "model_type": "str?", "confidence_threshold": "float?",
        "labels": "list=", "dry_run": "bool=", "total_items": "int=", "processed_items": "int=",
        "successful_items": "int=", "failed_items": "int=", "skipped_items": "int=",
        "progress_pct": "float?", "error_message": "str?", "summary": "dict?",
        "started_at": "dt?", "completed_at": "dt?", "created_at": "dt?",
    },
    "InferenceProvider": {
        "uid": "str", "name": "str", "description": "str?", "provider_type": "str?",
        "project": "str?", "config": "dict?", "is_active": "bool=", "last_test_at": "dt?",
        "last_test_success": "bool?", **TS,
    },
    "Webhook": {
        "uid": "str", "target_url": "str", "events": "list=", "is_active": "bool=", "secret": "str?", **TS,
    },
    "WebhookDelivery": {
        "uid": "str", "subscription": "str", "event_type": "str", "payload": "dict?",
        "response_status": "int?", "response_body": "str?", "attempts": "int=",
        "next_retry_at": "dt?", "status": "str?", **TS,
    },
    "AnnotationIssue": {
        "uid": "str", "dataset_item_uid": "str?", "sequence_uid": "str?", "project": ("?", PROJECT_REF),
        "reporter": ("?", REPORTER), "priority": "str?", "severity": "str?", "description": "str?",
        "status": "str?", "tool": ("?", TOOL), "problem": ("?", PROBLEM), "wrong_class": "str?",
        "correct_class": "str?", "should_re_annotate": "bool?", "should_delete": "bool?",
        "frames_affected": "str?", "coordinates": "any", "query_params": "any",
        "created_at": "dt?", "closed_at": "dt?", "object_uid": "str?",
    },
    "AnnotationIssueMetrics": {
        "status_count": "dict?", "priority_count": "dict?", "severity_count": "dict?",
        "mean_seconds_close_time_all": "int?", "mean_seconds_close_time_customer": "int?",
        "mean_unresolved_issue_age_all": "int?", "mean_unresolved_issue_age_customer": "int?",
        "object_count_by_annotation_issue_problem_uid": "list?",
    },
    "AnnotationIssueToolDetail": {
        "uid": "str", "name": "str", "dataset_type": "str?", "default": "bool?", "problems": "list?",
    },
    "ConsensusConfig": {
        "uid": "str", "iou_threshold": "float=", "min_agreement_ratio": "float=",
        "min_annotations": "int=", **TS,
    },
    "ConsensusScore": {
        "uid": "str", "dataset_item_uid": "str", "task_name": "str", "score_type": "str?",
        "score": "float", "annotator_count": "int", "details": "dict?", "created_at": "dt?",
    },
    "ConsensusSummary": {
        "mean_score": "float", "median_score": "float", "min_score": "float", "max_score": "float",
        "total_items": "int", "items_with_consensus": "int", "score_distribution": "dict?",
        "by_task_name": "list?",
    },
    "ConsensusComputeResult": {"status": "str", "message": "str"},
    "QualityTarget": {
        "uid": "str", "name": "str", "metric": "str", "operator": "str", "threshold": "float",
        "severity": "str?", "is_active": "bool=", "notify_webhook": "bool=", "notify_emails": "list=",
        "last_evaluated_at": "dt?", "last_value": "float?", "is_breached": "bool=",
        "breach_count": "int=", "last_breached_at": "dt?", **TS,
    },
    "QualityTargetEvaluation": {
        "uid": "str", "name": "str", "metric": "str", "operator": "str", "threshold": "float",
        "current_value": "float", "is_breached": "bool", "severity": "str?",
    },
    "Dataset": {
        "uid": "str", "name": "str", "slug": "str", "item_count": "int=", "owner_name": "str?",
        "status": "str?", "data_type": "str?", "is_sequence": "bool?", "predefined_labels": "list?", **TS,
    },
    "DatasetItem": ITEM,
    "DatasetSequence": {
        "uid": "str", "is_hidden": "bool=", "key": "str?", "custom_uuid": "str?", "status": "str?",
        "featured_image": "str?", "dataset_uid": "str?", "dataset_data_type": "str?",
        "device_id": "str?", "number_of_frames": "int?", "views": "list?",
        "predefined_labels": "list?", "frames": "list?", "camera_calibration": "list?",
        "coc_timeline": "list?", "crop_data": "dict?", "metrics": "dict?",
        "sequence_status_workflow": "dict?", "sequence_deliverable_workflow": "dict?",
        "allow_lidar_calibration": "bool?", "lidar_calibration_enabled": "bool?",
        "camera_calibration_enabled": "bool?", "is_workflow_terminal": "bool?",
    },
    "DatasetHealth": {
        "dataset_uid": "str", "dataset_slug": "str", "dataset_status": "str?", "data_type": "str",
        "is_sequence": "bool", "item_count": "int=", "sequence_count": "int=", "total_frames": "int=",
        "s3_prefix": "str?", "gc_storage_prefix": "str?", "last_updated_at": "dt?",
        "sequences": "list=", "ingest_ok": "bool=", "issues": "list=",
    },
    "Slice": {
        "uid": "str", "name": "str", "slug": "str?", "owner_name": "str?", "visibility": "str?",
        "status": "str?", "organization": "dict?", "item_count": "int?", "sub_slices": "list?",
        "source_data": "any", "featured_slice_item_urls": "list?",
    },
    "SliceItem": ITEM,
    "UploadQuota": {"used": "int", "limit": "int"},
    "AllowedMimes": {"mime_types": "list=", "video_prefix": "str="},
    "Organization": {
        "uid": "str", "name": "str", "slug": "str",
        **{
            k: "str?"
            for k in ["handle", "description", "readme", "logo", "website", "industry", "organization_type", "x_url", "hugging_face_url", "github_url", "linkedin_url", "email", "phone", "visibility", "plan", "role", "billing_status", "public_slug"]
        },
        "is_verified": "bool=", "is_active": "bool=",
        **{
            k: "int?"
            for k in ["member_count", "team_count", "dataset_count", "project_count", "slice_count", "slug_edits_remaining"]
        },
        "joined_at": "dt?", "allowed_domains": "list?", **TS,
    },
    "OrganizationMember": {**MEMBER, "last_active_at": "dt?"},
    "Invitation": {
        "uid": "str", "organization_name": "str?", "organization_slug": "str?",
        "invited_by_username": "str?", "role": "str?", "status": "str?", "accept_url": "str?",
        "copy_link": "str?", "invited_email": "str", "expires_at": "dt?", "created_at": "dt?",
        "is_expired": "bool?",
    },
    "Team": {
        "uid": "str", "name": "str", "slug": "str?", "description": "str?", "color": "str?",
        "organization_uid": "str?", "organization_name": "str?", "organization_slug": "str?",
        "member_count": "int?", **TS,
    },
    "TeamMember": MEMBER,
    "StorageConfig": {
        "uid": "str", "name": "str", "provider": "str", "s3_bucket_name": "str?",
        "s3_bucket_region": "str?", "s3_bucket_prefix": "str?", "s3_auth_method": "str?",
        "gc_storage_bucket_name": "str?", "gc_storage_prefix": "str?", "s3_is_accelerated": "bool=",
        "is_verified": "bool=", "last_verified_at": "dt?", **TS,
    },
    "StorageConfigSetupInfo": {"avala_aws_account_id": "str", "external_id": "str"},
    "Device": {
        "uid": "str", "name": "str", "type": "str?", "status": "str?", "firmware_version": "str?",
        "tags": "list=", "metadata": "dict?", "last_seen_at": "dt?", "device_token": "str?", **TS,
    },
    "Recording": {
        "uid": "str", "device": "str?", "status": "str?", "duration_seconds": "float?",
        "size_bytes": "int?", "topic_count": "int=", "tags": "list=", "topics": "list?",
        "started_at": "dt?", "ended_at": "dt?", **TS,
    },
    "FleetEvent": {
        "uid": "str", "recording": "str?", "device": "str?", "type": "str?", "label": "str?",
        "description": "str?", "severity": "str?", "timestamp": "dt?", "duration_ms": "int?",
        "tags": "list=", "metadata": "dict?", **TS,
    },
    "Rule": {
        "uid": "str", "name": "str", "description": "str?", "enabled": "bool=", "condition": "dict?",
        "scope": "dict?", "actions": "list=", "hit_count": "int=", "last_hit_at": "dt?", **TS,
    },
    "Alert": {
        "uid": "str",
        **{
            k: "str?"
            for k in ["rule", "device", "recording", "severity", "status", "message", "acknowledged_by", "resolution_note"]
        },
        **{k: "dt?" for k in ["triggered_at", "acknowledged_at", "resolved_at", "created_at", "updated_at"]},
    },
    "AlertChannel": {"uid": "str", "name": "str", "type": "str?", "config": "dict?", **TS},
    "SignupResponse": {
        "user": (
            "",
            {
                "uid": "str", "username": "str", "email": "str?", "first_name": "str?",
                "last_name": "str?", "in_waitlist": "bool=",
            },
        ),
        "api_key": "str",
    },
}  # fmt: skip


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "any":
        return True
    if kind in ("int", "float") and isinstance(value, bool):
        return False
    if kind == "dt":
        return isinstance(value, str) and bool(DT.match(value))
    types: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "int": int,
        "float": (int, float),
        "bool": bool,
        "list": list,
        "dict": dict,
    }
    return isinstance(value, types[kind])


def conform(model: dict[str, Any], obj: Any, where: str = "") -> list[str]:
    if not isinstance(obj, dict):
        return [f"{where}: expected an object, got {obj!r}"]
    problems = []
    for name, spec in model.items():
        here = f"{where}.{name}"
        if isinstance(spec, tuple):  # nested model: ("?", fields) nullable, ("", fields) required
            optional, fields = spec[0] == "?", spec[1]
            if name not in obj:
                if not optional:
                    problems.append(f"{here}: missing")
            elif obj[name] is None:
                if not optional:
                    problems.append(f"{here}: null")
            else:
                problems += conform(fields, obj[name], here)
            continue
        kind = spec.rstrip("?=")
        if name not in obj:
            if not spec.endswith(("?", "=")) and kind != "any":
                problems.append(f"{here}: missing")
            continue
        value = obj[name]
        if value is None:
            if not spec.endswith("?") and kind != "any":
                problems.append(f"{here}: null is not accepted")
        elif not _type_ok(kind, value):
            problems.append(f"{here}: {value!r} is not {kind}")
    return problems


READS = [
    ("Agent", "/agents/", "page"),
    ("Agent", "/agents/{agent.qa}/", "one"),
    ("AgentExecution", "/agents/{agent.qa}/executions/", "page"),
    ("Task", "/tasks/", "page"),
    ("Task", "/tasks/task_456/", "one"),
    ("Project", "/users/me/projects/", "page"),
    ("Project", "/users/me/projects/proj_123/", "one"),
    ("Export", "/exports/", "page"),
    ("Export", "/exports/{export.done}/", "one"),
    ("AutoLabelJob", "/auto-label-jobs/", "page"),
    ("AutoLabelJob", "/auto-label-jobs/{auto_label_job.done}/", "one"),
    ("InferenceProvider", "/inference-providers/", "page"),
    ("InferenceProvider", "/inference-providers/{inference_provider.openai}/", "one"),
    ("Webhook", "/webhooks/", "page"),
    ("Webhook", "/webhooks/{webhook.main}/", "one"),
    ("WebhookDelivery", "/webhook-deliveries/", "page"),
    ("WebhookDelivery", "/webhook-deliveries/{webhook_delivery.main}/", "one"),
    ("AnnotationIssue", "/annotation-issues/?task=task_456", "page"),
    ("AnnotationIssue", "/sequences/{sequence.seq-0001}/annotation-issues/", "array"),
    ("AnnotationIssue", "/datasets/demo-org/training-data/annotation-issues/", "array"),
    (
        "AnnotationIssueMetrics",
        "/datasets/demo-org/training-data/annotation-issues/metrics/",
        "one",
    ),
    ("AnnotationIssueToolDetail", "/qc-available-tools/?dataset_type=lidar", "array"),
    ("ConsensusSummary", "/projects/proj_123/consensus/", "one"),
    ("ConsensusScore", "/projects/proj_123/consensus/scores/", "page"),
    ("ConsensusConfig", "/projects/proj_123/consensus/config/", "one"),
    ("QualityTarget", "/projects/proj_123/quality-targets/", "page"),
    ("QualityTarget", "/projects/proj_123/quality-targets/{quality_target.accuracy}/", "one"),
    ("Dataset", "/datasets/", "page"),
    ("Dataset", "/datasets/{dataset.training-data}/", "one"),
    ("Dataset", "/datasets/demo-org/training-data/", "one"),
    ("DatasetItem", "/datasets/demo-org/training-data/items/", "page"),
    ("DatasetItem", "/datasets/demo-org/training-data/items/{item.training-data.0}/", "one"),
    ("DatasetSequence", "/datasets/demo-org/training-data/sequences/", "page"),
    ("DatasetSequence", "/datasets/demo-org/training-data/sequences/{sequence.seq-0001}/", "one"),
    ("DatasetHealth", "/datasets/demo-org/training-data/health/", "one"),
    ("DatasetHealth", "/datasets/demo-org/archive-videos/health/", "one"),
    ("UploadQuota", "/datasets/manual-upload/quota/", "one"),
    ("AllowedMimes", "/datasets/manual-upload/allowed-mimes/", "one"),
    ("Slice", "/slices/demo-org/list/", "page"),
    ("Slice", "/slices/demo-org/demo-slice/", "one"),
    ("SliceItem", "/slices/demo-org/demo-slice/items/list/", "page"),
    ("SliceItem", "/slices/demo-org/demo-slice/items/{item.training-data.0}/", "one"),
    ("Organization", "/organizations/", "page"),
    ("Organization", "/organizations/demo-org/", "one"),
    ("OrganizationMember", "/organizations/demo-org/members/", "page"),
    ("Invitation", "/organizations/demo-org/invitations/", "page"),
    ("Team", "/organizations/demo-org/teams/", "page"),
    ("Team", "/organizations/demo-org/teams/core-team/", "one"),
    ("TeamMember", "/organizations/demo-org/teams/core-team/members/", "page"),
    ("StorageConfig", "/storage-configs/", "page"),
    ("StorageConfig", "/storage-configs/{storage_config.s3}/", "one"),
    ("StorageConfigSetupInfo", "/storage-configs/setup-info/", "one"),
    ("Device", "/fleet/devices/", "page"),
    ("Device", "/fleet/devices/{device.robot-01}/", "one"),
    ("Recording", "/fleet/recordings/", "page"),
    ("Recording", "/fleet/recordings/{recording.robot-01}/", "one"),
    ("FleetEvent", "/fleet/events/", "page"),
    ("FleetEvent", "/fleet/events/{event.0}/", "one"),
    ("Rule", "/fleet/rules/", "page"),
    ("Rule", "/fleet/rules/{rule.low-battery}/", "one"),
    ("Alert", "/fleet/alerts/", "page"),
    ("Alert", "/fleet/alerts/{alert.open}/", "one"),
    ("AlertChannel", "/fleet/alert-channels/", "page"),
]


def expand(path: str, ids: dict[str, str]) -> str:
    """Fill `{name}` placeholders with demo ids (names contain dots, so no str.format)."""
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)


def objects(body: Any, shape: str) -> list[Any]:
    if shape == "page":
        assert set(body) >= {"results", "next", "previous"}, body
        return list(body["results"])
    if shape == "array":
        assert isinstance(body, list), body
        return body
    return [body]


@pytest.mark.parametrize(("model", "path", "shape"), READS, ids=[f"{m}:{p}" for m, p, _ in READS])
def test_read_responses_conform(
    api: LocalAvala, client: httpx.Client, model: str, path: str, shape: str
) -> None:
    response = client.get(expand(path, api.demo_ids))
    assert response.status_code == 200, response.text
    found = objects(response.json(), shape)
    assert found, f"{path} returned nothing to check"
    for obj in found:
        assert conform(MODELS[model], obj, model) == []


def test_every_model_is_checked() -> None:
    read = {m for m, _, _ in READS}
    written = {"ConsensusComputeResult", "QualityTargetEvaluation", "SignupResponse"}
    assert read | written == set(MODELS)


WRITES = [
    ("Agent", "/agents/", {"name": "a"}),
    ("Task", "/tasks/", {"name": "t", "project": "proj_123"}),
    ("Project", "/users/me/projects/", {"name": "p"}),
    ("Export", "/exports/", {}),
    ("AutoLabelJob", "/projects/proj_123/auto-label/", {}),
    (
        "InferenceProvider",
        "/inference-providers/",
        {"name": "p", "provider_type": "custom", "config": {}},
    ),
    ("Webhook", "/webhooks/", {"target_url": "https://x.example/h", "events": []}),
    ("ConsensusComputeResult", "/projects/proj_123/consensus/compute/", None),
    (
        "QualityTarget",
        "/projects/proj_123/quality-targets/",
        {"name": "q", "metric": "m", "threshold": 1},
    ),
    ("Dataset", "/datasets/", {"name": "d", "slug": "d", "data_type": "image"}),
    ("Dataset", "/datasets/manual-upload/", {"name": "m", "slug": "m", "data_type": "image"}),
    ("Slice", "/slices/", {"name": "s", "visibility": "public", "sub_slices": []}),
    ("Organization", "/organizations/", {"name": "o"}),
    ("Invitation", "/organizations/demo-org/invitations/", {"email": "x@example.com"}),
    ("Team", "/organizations/demo-org/teams/", {"name": "t"}),
    ("StorageConfig", "/storage-configs/", {"name": "s", "provider": "gc_storage"}),
    ("Device", "/fleet/devices/", {"name": "d", "type": "t"}),
    ("Rule", "/fleet/rules/", {"name": "r", "condition": {}, "actions": []}),
    ("AlertChannel", "/fleet/alert-channels/", {"name": "c", "type": "email", "config": {}}),
    ("Alert", "/fleet/alerts/{alert.open}/acknowledge/", None),
    ("SignupResponse", "/signup/", {"email": "s@example.com", "password": "password1"}),
]


@pytest.mark.parametrize(("model", "path", "body"), WRITES, ids=[f"{m}:{p}" for m, p, _ in WRITES])
def test_write_responses_conform(
    api: LocalAvala, client: httpx.Client, model: str, path: str, body: Any
) -> None:
    response = client.post(expand(path, api.demo_ids), json=body)
    assert response.status_code in (200, 201), response.text
    assert conform(MODELS[model], response.json(), model) == []


def test_evaluate_conforms(client: httpx.Client) -> None:
    evaluation = client.post("/projects/proj_123/quality-targets/evaluate/").json()
    assert evaluation
    for obj in evaluation:
        assert conform(MODELS["QualityTargetEvaluation"], obj) == []


def test_conform_catches_problems() -> None:
    problems = conform(MODELS["Task"], {"uid": 5, "created_at": "2026-01-01 00:00"})
    assert len(problems) == 2
    assert conform(MODELS["Agent"], {"uid": "a", "name": "n", "events": None}) == [
        ".events: null is not accepted"
    ]
