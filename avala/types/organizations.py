from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from ._base import Model, Resource


class Organization(Resource, kw_only=True):
    """An organization. The API addresses it by `slug`, not by `uid`."""

    name: str
    slug: str
    handle: str | None = None
    description: str | None = None
    readme: str | None = None
    logo: str | None = None
    website: str | None = None
    industry: str | None = None
    organization_type: str | None = None
    x_url: str | None = None
    hugging_face_url: str | None = None
    github_url: str | None = None
    linkedin_url: str | None = None
    email: str | None = None
    phone: str | None = None
    visibility: str | None = None
    plan: str | None = None
    role: str | None = None
    """Your role in the organization."""
    billing_status: str | None = None
    public_slug: str | None = None
    is_verified: bool = False
    is_active: bool = True
    member_count: int | None = None
    team_count: int | None = None
    dataset_count: int | None = None
    project_count: int | None = None
    slice_count: int | None = None
    slug_edits_remaining: int | None = None
    allowed_domains: list[str] | None = None
    joined_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class _Member(Model, kw_only=True):
    """A user's membership, keyed by the user's uid."""

    __field_aliases__: ClassVar[Mapping[str, str]] = {"id": "user_uid"}

    user_uid: str
    username: str | None = None
    email: str | None = None
    full_name: str | None = None
    picture: str | None = None
    role: str | None = None
    created_at: datetime | None = None

    @property
    def id(self) -> str:
        """The member's `user_uid`, the key member routes take."""
        return self.user_uid


class OrganizationMember(_Member, kw_only=True):
    """A member of an organization, keyed by the user's uid."""

    last_active_at: datetime | None = None
    """Only shown to the organization's managers."""


class Invitation(Resource, kw_only=True):
    invited_email: str
    organization_name: str | None = None
    organization_slug: str | None = None
    invited_by_username: str | None = None
    role: str | None = None
    status: str | None = None
    accept_url: str | None = None
    copy_link: str | None = None
    is_expired: bool | None = None
    expires_at: datetime | None = None
    created_at: datetime | None = None


class Team(Resource, kw_only=True):
    """A team inside an organization. The API addresses it by `slug`."""

    name: str
    slug: str | None = None
    description: str | None = None
    color: str | None = None
    organization_uid: str | None = None
    organization_name: str | None = None
    organization_slug: str | None = None
    member_count: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class TeamMember(_Member, kw_only=True):
    """A member of a team, keyed by the user's uid."""
