"""Tables of configuration history and tags (migration 0009).

Pipelines keep their versions in ``pipeline_versions`` (``models.py``). Syncs, connections and
schedules keep theirs here, in ``config_versions``: one immutable row per saved content, whose
canonical JSON is the content-addressed blob named by ``content_hash`` (``content_blobs``, shared
with pipeline versions). A connection's content never holds a secret (they live in the secret
store, and the project files refuse them).

A tag names a set of versions of one project (``version_tags`` and its ``version_tag_members``):
restoring the tag puts each member back as a new version.

Imported by :mod:`app.storage.models` so that ``Base.metadata`` always holds them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["ConfigKind", "ConfigVersionRow", "VersionTagMemberRow", "VersionTagRow"]


class ConfigKind(enum.StrEnum):
    """What a configuration version is of (a pipeline's live in ``pipeline_versions``)."""

    SYNC = "sync"
    CONNECTION = "connection"
    SCHEDULE = "schedule"


_KINDS = ", ".join(f"'{k.value}'" for k in ConfigKind)
_MEMBER_KINDS = _KINDS + ", 'pipeline'"


class ConfigVersionRow(Base):
    """One immutable saved state of a sync, connection or schedule of a project (by name)."""

    __tablename__ = "config_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "name", "number"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        ForeignKeyConstraint(
            ["organization_id", "parent_id"],
            ["config_versions.organization_id", "config_versions.id"],
        ),
        ForeignKeyConstraint(
            ["organization_id", "content_hash"],
            ["content_blobs.organization_id", "content_blobs.hash"],
        ),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[int]
    parent_id: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class VersionTagRow(Base):
    """A named set of versions of one project (``release-2026-12``)."""

    __tablename__ = "version_tags"
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class VersionTagMemberRow(Base):
    """One version a tag names: a pipeline (by uid) or a sync/connection/schedule (by name),
    and its version number."""

    __tablename__ = "version_tag_members"
    __table_args__ = (
        UniqueConstraint("tag_id", "kind", "key"),
        ForeignKeyConstraint(
            ["organization_id", "tag_id"], ["version_tags.organization_id", "version_tags.id"]
        ),
        CheckConstraint(f"kind IN ({_MEMBER_KINDS})", name="kind"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    tag_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    number: Mapped[int]
