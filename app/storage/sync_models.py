"""Tables of syncs: a sync's current definition, its runs, each destination's committed
position, and the schema changes its runs detected (migration 0002).

Defined on the same declarative base as :mod:`app.storage.models` (which imports this module
at its end, so ``Base.metadata`` always holds them); kept apart to keep each module small.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.model.schema_changes import RECORDED_DECISIONS, RECORDED_KINDS
from app.storage.model_base import Base
from app.storage.model_base import check_in as _check_in
from app.storage.records import RunStatus, RunTrigger

__all__ = ["SchemaChangeRow", "SyncDestinationStateRow", "SyncRow", "SyncRunRow"]


class SyncRow(Base):
    """A sync of a project: its current definition and how many times it changed."""

    __tablename__ = "syncs"
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SyncRunRow(Base):
    """One run of a sync (``destinations``: rows, status and error per destination)."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(["organization_id", "sync_id"], ["syncs.organization_id", "syncs.id"]),
        _check_in("status", RunStatus, "status"),
        _check_in("trigger", RunTrigger, "trigger"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    sync_id: Mapped[int] = mapped_column(index=True)
    sync_version: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    rows_read: Mapped[int | None] = mapped_column(BigInteger)
    destinations: Mapped[dict[str, Any]]
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    #: the process running it, to tell a run in progress from an abandoned one
    pid: Mapped[int | None]


class SyncDestinationStateRow(Base):
    """The metadata DB's copy of one destination's committed position (the destination's own
    ``_cauce_sync_state`` table is the truth where it has one)."""

    __tablename__ = "sync_destination_states"
    __table_args__ = (
        UniqueConstraint("sync_id", "destination"),
        ForeignKeyConstraint(["organization_id", "sync_id"], ["syncs.organization_id", "syncs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "last_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    sync_id: Mapped[int]
    destination: Mapped[str] = mapped_column(String(400))
    cursor_value: Mapped[str | None] = mapped_column(Text)
    cursor_type: Mapped[str | None] = mapped_column(String(100))
    last_run_id: Mapped[int | None]
    last_rows: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]


class SchemaChangeRow(Base):
    """A schema difference a sync run detected in one destination, and the policy's decision."""

    __tablename__ = "schema_changes"
    __table_args__ = (
        ForeignKeyConstraint(["organization_id", "sync_id"], ["syncs.organization_id", "syncs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "sync_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
        # the kinds and decisions of 0002 (held changes and rename guesses: schema_reviews)
        _check_in("change_kind", RECORDED_KINDS, "change_kind"),
        _check_in("decision", RECORDED_DECISIONS, "decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    sync_id: Mapped[int] = mapped_column(index=True)
    sync_run_id: Mapped[int | None]
    destination: Mapped[str] = mapped_column(String(400))
    column_name: Mapped[str] = mapped_column(String(200))
    change_kind: Mapped[str] = mapped_column(String(16))
    old_type: Mapped[str | None] = mapped_column(String(100))
    new_type: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(16))
    detected_at: Mapped[datetime]
