"""`avala.types.organization`: the models of `avala.types.organizations` under the module path
code written for the official SDK imports (`from avala.types.organization import Invitation`)."""

from __future__ import annotations

from .organizations import (
    Invitation,
    Organization,
    OrganizationMember,
    Team,
    TeamMember,
)

__all__ = [
    "Invitation",
    "Organization",
    "OrganizationMember",
    "Team",
    "TeamMember",
]
