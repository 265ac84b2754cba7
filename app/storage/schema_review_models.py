"""Tables of the schema inbox (migration 0015): the schema changes a ``review`` sync holds,
waiting for a decision (``schema_reviews``), and every decision taken on them, with who and
when (``schema_review_actions``).

The sync's runs keep recording what they decided in ``schema_changes`` (``models.py``); a
held change is recorded here instead, once, and seen again by the next held runs.

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

from app.model.schema_changes import ChangeKind, ReviewFallback, ReviewStatus
from app.storage import sync_models as _sync_models  # noqa: F401 - its tables are referenced
from app.storage.models import Base

__all__ = ["ReviewAction", "SchemaReviewActionRow", "SchemaReviewRow"]


class ReviewAction(enum.StrEnum):
    """What was done to a held change (``schema_review_actions.action``)."""

    APPROVE = "approve"
    REJECT = "reject"
    ROLLBACK = "rollback"
    #: a run found the source and the destination agree again (nobody decided)
    WITHDRAW = "withdraw"


def _one_of(values: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class SchemaReviewRow(Base):
    """One schema change of one destination of a ``review`` sync, and where its review is."""

    __tablename__ = "schema_reviews"
    __table_args__ = (
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(["organization_id", "sync_id"], ["syncs.organization_id", "syncs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "first_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
        ForeignKeyConstraint(
            ["organization_id", "last_run_id"], ["sync_runs.organization_id", "sync_runs.id"]
        ),
        CheckConstraint(f"change_kind IN ({_one_of(ChangeKind)})", name="change_kind"),
        CheckConstraint(f"status IN ({_one_of(ReviewStatus)})", name="status"),
        CheckConstraint(
            f"fallback IS NULL OR fallback IN ({_one_of(ReviewFallback)})", name="fallback"
        ),
        CheckConstraint("runs_held >= 1", name="runs_held_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    sync_id: Mapped[int] = mapped_column(index=True)
    #: ``connection:table``, as the sync's destination states are named
    destination: Mapped[str] = mapped_column(String(400))
    column_name: Mapped[str] = mapped_column(String(200))
    change_kind: Mapped[str] = mapped_column(String(16))
    old_type: Mapped[str | None] = mapped_column(String(100))
    new_type: Mapped[str | None] = mapped_column(String(100))
    #: a rename guess: the destination's column the new one replaces
    renamed_from: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    #: rejected or rolled back: the policy that decides it now (``freeze`` or ``discard``)
    fallback: Mapped[str | None] = mapped_column(String(16))
    first_run_id: Mapped[int | None]
    last_run_id: Mapped[int | None]
    #: how many runs were held by it
    runs_held: Mapped[int]
    detected_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))


class SchemaReviewActionRow(Base):
    """One decision on a held change: approve, reject, roll back (or a run's withdrawal)."""

    __tablename__ = "schema_review_actions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "review_id"],
            ["schema_reviews.organization_id", "schema_reviews.id"],
        ),
        CheckConstraint(f"action IN ({_one_of(ReviewAction)})", name="action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    review_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16))
    #: the OS user of the CLI or the desktop app, or the API's principal
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
    #: what was done to the destination, or why (the fallback chosen, the reason)
    detail: Mapped[str | None] = mapped_column(Text)
