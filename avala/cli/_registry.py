"""The static table of resource groups: what `avala --help` lists without importing the SDK.

Only names, the client attribute, where the class lives and a one-line help live here. The
commands themselves are derived from the class when a group is used (`_commands.py`), so this
table is the only thing that could drift from the SDK, and `tests/cli/test_registry.py` checks
it against `Client`'s attributes and the classes' docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RESOURCES", "ResourceSpec", "cli_name"]

_PKG = "avala._sync.resources"


@dataclass(frozen=True)
class ResourceSpec:
    """One resource group: `attr` on its parent (the client, or `client.fleet`)."""

    attr: str
    module: str
    cls: str
    help: str
    children: tuple[ResourceSpec, ...] = ()

    @property
    def name(self) -> str:
        return cli_name(self.attr)


def cli_name(python_name: str) -> str:
    """`list_executions` -> `list-executions`: SDK names with dashes."""
    return python_name.replace("_", "-")


def _spec(attr: str, cls: str, help: str, module: str | None = None) -> ResourceSpec:
    return ResourceSpec(attr, f"{_PKG}.{module or attr}", cls, help)


_FLEET = f"{_PKG}.fleet"

RESOURCES: tuple[ResourceSpec, ...] = (
    _spec("agents", "Agents", "Automation agents: callbacks the platform invokes on task events."),
    _spec("annotation_issues", "AnnotationIssues", "Quality issues raised on annotations."),
    _spec("annotations", "Annotations", "Bulk edits of annotation objects."),
    _spec("auto_label_jobs", "AutoLabelJobs", "Automated labeling jobs."),
    _spec("consensus", "Consensus", "Consensus scoring of a project's annotations."),
    _spec("datasets", "Datasets", "Datasets: addressed by uid, or by owner and slug."),
    _spec("exports", "Exports", "Data exports."),
    ResourceSpec(
        "fleet",
        _FLEET,
        "Fleet",
        "Fleet management: devices, recordings, events, rules, alerts and alert channels.",
        children=(
            ResourceSpec(
                "devices",
                f"{_FLEET}.devices",
                "FleetDevices",
                "Devices of the fleet (robots, vehicles, sensors rigs) that produce recordings.",
            ),
            ResourceSpec(
                "recordings",
                f"{_FLEET}.recordings",
                "FleetRecordings",
                "Recordings captured by fleet devices.",
            ),
            ResourceSpec(
                "events",
                f"{_FLEET}.events",
                "FleetEvents",
                "Events marked on recordings (a collision, a disengagement, an operator note...).",
            ),
            ResourceSpec(
                "rules",
                f"{_FLEET}.rules",
                "FleetRules",
                "Rules: conditions over fleet data that raise alerts and run actions.",
            ),
            ResourceSpec("alerts", f"{_FLEET}.alerts", "FleetAlerts", "Alerts raised by rules."),
            ResourceSpec(
                "alert_channels",
                f"{_FLEET}.alert_channels",
                "FleetAlertChannels",
                "Where alerts are sent (a Slack channel, an email list, a webhook...).",
            ),
        ),
    ),
    _spec("inference_providers", "InferenceProviders", "AI model provider configuration."),
    ResourceSpec(
        "organizations",
        f"{_PKG}.organizations",
        "Organizations",
        "Organizations, their members, invitations and teams.",
        children=(
            _spec(
                "members",
                "OrganizationMembers",
                "The members of an organization, addressed by their user uid.",
                "organization_members",
            ),
            _spec(
                "invitations",
                "OrganizationInvitations",
                "Invitations to join an organization, sent by email.",
                "organization_invitations",
            ),
            _spec(
                "teams",
                "OrganizationTeams",
                "The teams of an organization and their members, addressed by slug.",
                "organization_teams",
            ),
        ),
    ),
    _spec("projects", "Projects", "Projects visible to the API key's user."),
    _spec(
        "quality_targets",
        "QualityTargets",
        "Quality metrics and targets of a project: thresholds the API evaluates and alerts on.",
    ),
    _spec(
        "slices",
        "Slices",
        "Dataset slices: saved selections of items, addressed by owner and slug.",
    ),
    _spec(
        "storage_configs",
        "StorageConfigs",
        "Cloud storage configurations (S3 or Google Cloud Storage buckets).",
    ),
    _spec("tasks", "Tasks", "Annotation tasks."),
    _spec("users", "Users", "The user behind the API key."),
    _spec(
        "webhook_deliveries",
        "WebhookDeliveries",
        "Webhook delivery logs: every event sent to a subscription, with its outcome.",
    ),
    _spec(
        "webhooks",
        "Webhooks",
        "Webhook subscriptions: HTTPS endpoints the platform posts events to.",
    ),
)
