"""Metadata-DB tables of retention (migration 0011): policies, their runs (the proof records)
and the archive files each run wrote.

A run keeps a copy of what its policy said when it ran (connection, table, column, days,
cutoff), so its proof stays whole when the policy is changed or removed: runs name their
policy, they do not point at its row. A run's archive files are written one per batch, each
recorded with its rows and SHA-256 once the batch's delete has committed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["RETENTION_STATUSES", "RetentionArchiveRow", "RetentionPolicyRow", "RetentionRunRow"]

RETENTION_STATUSES = ("running", "succeeded", "failed", "cancelled", "abandoned")
RETENTION_TRIGGERS = ("manual", "schedule")


class RetentionPolicyRow(Base):
    """One retention policy of a project (see :class:`app.model.retention.RetentionPolicy`)."""

    __tablename__ = "retention_policies"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("project_id", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(100))
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    date_column: Mapped[str] = mapped_column(String(300))
    keep_days: Mapped[int]
    batch_rows: Mapped[int]
    encrypt: Mapped[bool] = mapped_column(Boolean)
    archive_dir: Mapped[str | None] = mapped_column(String(1000))
    run_at: Mapped[str | None] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RetentionRunRow(Base):
    """One run of a policy: what it archived and deleted, up to which cutoff, who and when."""

    __tablename__ = "retention_runs"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("organization_id", "id"),
        # a daily due time is claimed once: two schedulers never run it twice
        UniqueConstraint("project_id", "policy", "scheduled_for"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in RETENTION_STATUSES) + ")", name="status"
        ),
        CheckConstraint(
            "trigger IN (" + ", ".join(f"'{s}'" for s in RETENTION_TRIGGERS) + ")",
            name="trigger",
        ),
        Index("ix_retention_runs_policy", "project_id", "policy"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    policy: Mapped[str] = mapped_column(String(100))
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    date_column: Mapped[str] = mapped_column(String(300))
    keep_days: Mapped[int]
    cutoff: Mapped[datetime]
    trigger: Mapped[str] = mapped_column(String(16))
    #: the daily due time this run was for (scheduled runs only)
    scheduled_for: Mapped[datetime | None]
    #: who asked: the user of the CLI or the editor, or the scheduler's
    requested_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: the folder holding this run's archive files
    archive_dir: Mapped[str] = mapped_column(String(2000))
    encrypted: Mapped[bool] = mapped_column(Boolean)
    #: SHA-256 (hex, first 16) of the archive key, when encrypted: which key opens the files
    key_id: Mapped[str | None] = mapped_column(String(16))
    rows_archived: Mapped[int] = mapped_column(BigInteger)
    rows_deleted: Mapped[int] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    #: the process running it, to tell a run in progress from an abandoned one
    pid: Mapped[int | None]


class RetentionArchiveRow(Base):
    """One archive file of a run: a batch of rows, its size and checksum."""

    __tablename__ = "retention_archives"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "run_id"],
            ["retention_runs.organization_id", "retention_runs.id"],
        ),
        UniqueConstraint("run_id", "seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    run_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    #: the file's name in the run's folder
    file_name: Mapped[str] = mapped_column(String(300))
    rows: Mapped[int] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    #: False: found on disk after its run was abandoned (its delete may not have committed)
    confirmed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
