"""Every response model of the Avala API, as msgspec Structs (plus the `Literal` aliases of
known filter values). Import from here: `from avala.types import Task, Dataset`."""

from __future__ import annotations

from ._base import Model, Resource
from .account import SignupResponse, SignupUser
from .agents import Agent, AgentExecution
from .annotation_issues import (
    AnnotationIssue,
    AnnotationIssueMetrics,
    AnnotationIssuePriority,
    AnnotationIssueProblem,
    AnnotationIssueProject,
    AnnotationIssueReporter,
    AnnotationIssueStatus,
    AnnotationIssueTool,
    AnnotationIssueToolDetail,
    AnnotationIssueToolProblem,
)
from .annotations import BulkEditResult
from .auto_label_jobs import AutoLabelJob, AutoLabelJobStatus
from .consensus import ConsensusComputeResult, ConsensusConfig, ConsensusScore, ConsensusSummary
from .datasets import (
    AllowedMimes,
    CameraCalibration,
    CameraOptics,
    Dataset,
    DatasetCalibration,
    DatasetDataType,
    DatasetFrame,
    DatasetHealth,
    DatasetItem,
    DatasetSequence,
    DatasetStatus,
    DatasetVisibility,
    FrameFields,
    FrameImage,
    Quat,
    SequenceHealth,
    UploadQuota,
    Vec3,
)
from .exports import Export, ExportStatus
from .fleet import (
    Alert,
    AlertChannel,
    AlertStatus,
    BatchEventParams,
    Device,
    DeviceStatus,
    FleetEvent,
    FleetSeverity,
    Recording,
    RecordingStatus,
    Rule,
)
from .inference_providers import InferenceProvider, InferenceProviderType
from .organizations import Invitation, Organization, OrganizationMember, Team, TeamMember
from .projects import Project
from .quality_targets import (
    QualityTarget,
    QualityTargetEvaluation,
    QualityTargetOperator,
    QualityTargetSeverity,
)
from .slices import Slice, SliceItem, SliceVisibility
from .storage_configs import StorageConfig, StorageConfigSetupInfo, StorageProvider
from .tasks import Task, TaskStatus
from .users import User
from .webhook_deliveries import WebhookDelivery
from .webhooks import Webhook

__all__ = [
    "Agent",
    "AgentExecution",
    "Alert",
    "AlertChannel",
    "AlertStatus",
    "AllowedMimes",
    "AnnotationIssue",
    "AnnotationIssueMetrics",
    "AnnotationIssuePriority",
    "AnnotationIssueProblem",
    "AnnotationIssueProject",
    "AnnotationIssueReporter",
    "AnnotationIssueStatus",
    "AnnotationIssueTool",
    "AnnotationIssueToolDetail",
    "AnnotationIssueToolProblem",
    "AutoLabelJob",
    "BulkEditResult",
    "AutoLabelJobStatus",
    "BatchEventParams",
    "CameraCalibration",
    "CameraOptics",
    "ConsensusComputeResult",
    "ConsensusConfig",
    "ConsensusScore",
    "ConsensusSummary",
    "Dataset",
    "DatasetCalibration",
    "DatasetDataType",
    "DatasetFrame",
    "DatasetHealth",
    "DatasetItem",
    "DatasetSequence",
    "DatasetStatus",
    "DatasetVisibility",
    "Device",
    "DeviceStatus",
    "Export",
    "ExportStatus",
    "FleetEvent",
    "FleetSeverity",
    "FrameFields",
    "FrameImage",
    "InferenceProvider",
    "InferenceProviderType",
    "Invitation",
    "Model",
    "Organization",
    "OrganizationMember",
    "Project",
    "QualityTarget",
    "QualityTargetEvaluation",
    "QualityTargetOperator",
    "QualityTargetSeverity",
    "Quat",
    "Recording",
    "RecordingStatus",
    "Resource",
    "Rule",
    "SequenceHealth",
    "SignupResponse",
    "SignupUser",
    "Slice",
    "SliceItem",
    "SliceVisibility",
    "StorageConfig",
    "StorageConfigSetupInfo",
    "StorageProvider",
    "Task",
    "TaskStatus",
    "Team",
    "TeamMember",
    "UploadQuota",
    "User",
    "Vec3",
    "Webhook",
    "WebhookDelivery",
]
