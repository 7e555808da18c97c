"""Code written for the official SDK imports from its module paths: every public name of
its `avala.types.<module>` modules, and the clients from `avala._client` and
`avala._async_client`, resolve to our classes."""

from __future__ import annotations

import importlib

import pytest

import avala
import avala.types

# Every public name of the official 0.10.0 SDK's `avala/types/*.py` (the upload modules
# belong to the data plane).
OFFICIAL_TYPES = {
    "account": ("SignupUser", "SignupResponse"),
    "agent": ("Agent", "AgentExecution"),
    "annotation_issue": (
        "AnnotationIssueProject",
        "AnnotationIssueReporter",
        "AnnotationIssueTool",
        "AnnotationIssueProblem",
        "AnnotationIssue",
        "AnnotationIssueMetrics",
        "AnnotationIssueToolProblem",
        "AnnotationIssueToolDetail",
    ),
    "auto_label_job": ("AutoLabelJob",),
    "consensus": (
        "ConsensusConfig",
        "ConsensusScore",
        "ConsensusSummary",
        "ConsensusComputeResult",
    ),
    "dataset": (
        "Dataset",
        "DatasetItem",
        "DatasetSequence",
        "Vec3",
        "Quat",
        "FrameImage",
        "DatasetFrame",
        "CameraCalibration",
        "DatasetCalibration",
        "SequenceHealth",
        "DatasetHealth",
    ),
    "export": ("Export",),
    "fleet": (
        "Device",
        "Recording",
        "FleetEvent",
        "Rule",
        "Alert",
        "AlertChannel",
        "BatchEventParams",
    ),
    "inference_provider": ("InferenceProvider",),
    "manual_upload": ("UploadQuota", "AllowedMimes"),
    "organization": ("Organization", "OrganizationMember", "Invitation", "Team", "TeamMember"),
    "project": ("Project",),
    "quality_target": ("QualityTarget", "QualityTargetEvaluation"),
    "slice": ("Slice", "SliceItem"),
    "storage_config": ("StorageConfig", "StorageConfigSetupInfo"),
    "task": ("Task",),
    "webhook": ("Webhook", "WebhookDelivery"),
}


@pytest.mark.parametrize(("module", "names"), sorted(OFFICIAL_TYPES.items()))
def test_every_official_types_module_resolves(module: str, names: tuple[str, ...]) -> None:
    imported = importlib.import_module(f"avala.types.{module}")
    for name in names:
        assert getattr(imported, name) is getattr(avala.types, name), (module, name)


def test_the_official_client_module_paths() -> None:
    from avala._async_client import AsyncClient
    from avala._client import Client

    assert Client is avala.Client
    assert AsyncClient is avala.AsyncClient


def test_signup_models_decode_and_mask_the_key() -> None:
    from avala.types.account import SignupResponse

    answer = SignupResponse.model_validate(
        {"user": {"uid": "u1", "username": "ada"}, "api_key": "avk_live_secret"}
    )
    assert answer.user.in_waitlist is True
    assert "avk_live_secret" not in repr(answer)
