"""The metadata database schema as SQLAlchemy 2 ORM models (typed ``Mapped[...]``).

Third normal form, with one deliberate, *enforced* redundancy: every domain row carries
``organization_id`` (the tenant), and each child row reaches its parent through a composite
foreign key ``(organization_id, parent_id) -> parent(organization_id, id)``. The database itself
therefore guarantees that a row's organization is its parent's, so the copy can never disagree
and every query can filter by tenant without a join.

``pipelines.current_version_id`` and ``pipeline_versions.pipeline_id`` reference each other; the
pointer is a composite key ``(id, current_version_id) -> pipeline_versions(pipeline_id, id)``,
so the current version always belongs to its own pipeline.

Timestamps are timezone-aware UTC, set in Python (:func:`utcnow`), never by server defaults:
``func.now()`` renders SQL that SQLite rejects in migrations.

Every change here needs a migration in ``app/storage/migrations/versions/`` (see
``docs/storage.md``); ``tests/storage/test_migrations.py`` fails while they disagree.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.model_base import NAMING_CONVENTION as NAMING_CONVENTION
from app.storage.model_base import Base, UTCDateTime, utcnow
from app.storage.model_base import check_in as _check_in
from app.storage.records import FireOutcome, NodeLocation, RunStatus, RunTrigger

__all__ = [
    "TABLE_MODULES",
    "Base",
    "ConnectionRow",
    "EventRow",
    "NodeRunRow",
    "OrganizationRow",
    "PipelineRow",
    "PipelineVersionRow",
    "ProjectRow",
    "RunRow",
    "ScheduleFireRow",
    "UTCDateTime",
    "utcnow",
]


class OrganizationRow(Base):
    """A tenant. A fresh database holds one, named ``default``."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class ProjectRow(Base):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        UniqueConstraint("organization_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ConnectionRow(Base):
    """A named connection of a project. ``params`` never holds a secret value."""

    __tablename__ = "connections"
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
    type: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]]
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PipelineRow(Base):
    """A pipeline of a project; its content lives in immutable versions.

    ``uid`` is the pipeline model's own stable id (``Pipeline.id``); ``name`` mirrors the
    current version's name so that it can be unique per project.
    """

    __tablename__ = "pipelines"
    __table_args__ = (
        UniqueConstraint("project_id", "uid"),
        UniqueConstraint("project_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        ForeignKeyConstraint(
            ["id", "current_version_id"],
            ["pipeline_versions.pipeline_id", "pipeline_versions.id"],
            use_alter=True,
            name="fk_pipelines_current_version",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    uid: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    current_version_id: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContentBlobRow(Base):
    """Canonical JSON stored once per organization, by its SHA-256 (content-addressed):
    versions that hold the same content (a re-import, a rollback saved again) share one."""

    __tablename__ = "content_blobs"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class PipelineVersionRow(Base):
    """One immutable saved state of a pipeline (never updated after insert); its content is
    the blob named by ``content_hash``."""

    __tablename__ = "pipeline_versions"
    __table_args__ = (
        UniqueConstraint("pipeline_id", "number"),
        UniqueConstraint("pipeline_id", "id"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "pipeline_id"], ["pipelines.organization_id", "pipelines.id"]
        ),
        ForeignKeyConstraint(
            ["pipeline_id", "parent_id"],
            ["pipeline_versions.pipeline_id", "pipeline_versions.id"],
            name="fk_pipeline_versions_parent",
        ),
        ForeignKeyConstraint(
            ["organization_id", "content_hash"],
            ["content_blobs.organization_id", "content_blobs.hash"],
            name="fk_pipeline_versions_content",
        ),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    pipeline_id: Mapped[int]
    number: Mapped[int]
    parent_id: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    semantic_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    blob: Mapped[ContentBlobRow] = relationship(lazy="joined", viewonly=True)

    @property
    def content(self) -> dict[str, Any]:
        return self.blob.content


class RunRow(Base):
    """One execution of one pipeline version."""

    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "pipeline_version_id"],
            ["pipeline_versions.organization_id", "pipeline_versions.id"],
        ),
        _check_in("status", RunStatus, "status"),
        _check_in("trigger", RunTrigger, "trigger"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    pipeline_version_id: Mapped[int] = mapped_column(index=True)
    trigger: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    #: the process running it, to tell a run in progress from an abandoned one
    pid: Mapped[int | None]


class NodeRunRow(Base):
    """The result of one node within one run."""

    __tablename__ = "node_runs"
    __table_args__ = (
        UniqueConstraint("run_id", "node_id"),
        ForeignKeyConstraint(["organization_id", "run_id"], ["runs.organization_id", "runs.id"]),
        _check_in("status", RunStatus, "status"),
        _check_in("location", NodeLocation, "location"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    run_id: Mapped[int]
    node_id: Mapped[str] = mapped_column(String(64))
    node_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(String(16))
    rows_in: Mapped[int | None] = mapped_column(BigInteger)
    rows_out: Mapped[int | None] = mapped_column(BigInteger)
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class EventRow(Base):
    """Something that happened (run started, schema upgraded, alert raised, ...)."""

    __tablename__ = "events"
    __table_args__ = (
        ForeignKeyConstraint(["organization_id", "run_id"], ["runs.organization_id", "runs.id"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    type: Mapped[str] = mapped_column(String(100), index=True)
    run_id: Mapped[int | None] = mapped_column(index=True)
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ScheduleFireRow(Base):
    """One due time of a schedule and what became of it (ran, missed, skipped, coalesced).

    Unique per (project, schedule, due time): a fire is claimed by inserting its row, so two
    schedulers can never both run the same one (``docs/scheduling.md``).
    """

    __tablename__ = "schedule_fires"
    __table_args__ = (
        UniqueConstraint("project_id", "schedule", "scheduled_for"),
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        _check_in("outcome", FireOutcome, "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    schedule: Mapped[str] = mapped_column(String(200))
    scheduled_for: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


# The other tables live in modules of their own, on the same base: syncs and schema changes,
# the catalog (migration 0002), alerts and notifications (0006), data quality (0007), server
# access (0008), configuration versions and tags (0009), retention (0011), query analytics
# (0012), dictionary and glossary (0013), GDPR requests (0014), schema review (0015), the token
# vault (0016). Every one is imported at the end of this module, so that every mapped class is
# declared once, when the models are first imported: declared later, by a store on a thread
# while another thread configures the mappers, SQLAlchemy's registry changed under that
# configuration ("dictionary changed size during iteration", seen with 16 syncs at once).
TABLE_MODULES = (
    "access_models",
    "alert_models",
    "catalog_models",
    "dictionary_models",
    "gdpr_models",
    "quality_models",
    "query_models",
    "retention_models",
    "schema_review_models",
    "sync_models",
    "tag_models",
    "vault_models",
    "version_models",
)


for _module in TABLE_MODULES:  # every table, declared now (see above)
    importlib.import_module(f"app.storage.{_module}")
