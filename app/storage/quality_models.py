"""Metadata-DB tables of data quality: check results per run, stored profiles (with scores).

Kept apart from :mod:`app.storage.models` (which imports this module at its end, so that
``Base.metadata`` holds these tables too). Each row is written in one transaction of its own:
a run cancelled half-way leaves whole results, never half of one.

A result or a profile belongs to a project and, when it was made by a run, to that run: a
pipeline run (``run_id``) or a sync run (``sync_run_id``); on-demand checks and ``cauce
profile --store`` have neither.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage import sync_models as _sync_models  # noqa: F401 - its tables are referenced
from app.storage.models import Base

__all__ = ["CHECK_STATUSES", "CheckResultRow", "StoredProfileRow"]

CHECK_STATUSES = ("passed", "failed", "warned", "error")


class CheckResultRow(Base):
    """One check's outcome in one checking pass (``batch``), with a bounded sample."""

    __tablename__ = "quality_check_results"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        ForeignKeyConstraint(["organization_id", "run_id"], ["runs.organization_id", "runs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "sync_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in CHECK_STATUSES) + ")", name="status"
        ),
        CheckConstraint("severity IN ('fail', 'warn')", name="severity"),
        Index("ix_quality_check_results_table", "project_id", "connection", "table_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    run_id: Mapped[int | None] = mapped_column(index=True)
    sync_run_id: Mapped[int | None] = mapped_column(index=True)
    #: one checking pass of one table: the results it stored share this id
    batch: Mapped[str] = mapped_column(String(36), index=True)
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(400))
    check_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int | None] = mapped_column(BigInteger)
    failing: Mapped[int | None] = mapped_column(BigInteger)
    #: the check as declared, the observed value, the failing-row sample (masked), the SQL
    detail: Mapped[dict[str, Any]]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class StoredProfileRow(Base):
    """A table's profile (``TableProfile.to_dict``) and its quality score, as of one run."""

    __tablename__ = "stored_profiles"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        ForeignKeyConstraint(["organization_id", "run_id"], ["runs.organization_id", "runs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "sync_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
        Index("ix_stored_profiles_table", "project_id", "connection", "table_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int]
    run_id: Mapped[int | None] = mapped_column(index=True)
    sync_run_id: Mapped[int | None] = mapped_column(index=True)
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(400))
    rows: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[float | None]
    profile: Mapped[dict[str, Any]]
    #: the score's dimensions and explained losses; the drift from the previous profile
    quality: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
