"""Tables of alerts and notifications: alerts, the delivery outbox, the delivery log.

Defined on the same declarative base as :mod:`app.storage.models` (which imports this module
at its end, so ``Base.metadata`` always holds them); kept apart to keep each module small.
Added by migration 0006.

- ``alerts``: one row per open problem of one subject (a pipeline, a sync, the machine).
  ``streak_key`` is set while an alert is open and cleared when it is resolved; a unique
  constraint on it makes "one open alert per failure streak" a guarantee of the database, not
  of the code (two processes raising the same alert at once create one row).
- ``notification_outbox``: one row per (event, channel) to deliver. ``event_id`` is the
  Standard Webhooks ``webhook-id``: the same on every retry. ``status`` moves
  ``pending -> delivered | dead``; ``claimed_until`` is the lease a worker holds on a row.
- ``notification_deliveries``: every attempt, its status code or error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["AlertRow", "DeliveryRow", "OutboxRow"]


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("organization_id", "streak_key"),
        CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name="status"),
        CheckConstraint("severity IN ('info', 'warning', 'error', 'critical')", name="severity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    project: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16))
    #: ``pipeline``, ``sync`` or ``machine``, and its name
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16))
    #: set while open (``type|project|kind|subject``): at most one open alert per streak
    streak_key: Mapped[str | None] = mapped_column(String(700))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    #: how many times it happened while open (failed runs in the streak)
    occurrences: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None]


class OutboxRow(Base):
    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint("event_id", "channel_key"),
        CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(40))
    #: ``project/channel``: the subscription, delivered in order
    channel_key: Mapped[str] = mapped_column(String(300), index=True)
    #: the channel's definition when queued (never a secret: those are looked up to send)
    channel: Mapped[dict[str, Any]]
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    claimed_until: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class DeliveryRow(Base):
    __tablename__ = "notification_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("notification_outbox.id"), index=True)
    attempt: Mapped[int]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime]
