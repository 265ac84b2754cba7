"""The notification outbox: what is still to be delivered, persisted so a restart loses nothing.

One row per (event, channel). A worker *claims* a row before sending it — a lease
(``claimed_until``) taken in one transaction: ``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL, a conditional ``UPDATE … WHERE claimed_until IS NULL OR claimed_until < now`` on
SQLite (whose writing transactions are serialised anyway) — so two processes never send the
same row at once. A process killed while holding a lease leaves the row pending; the lease
expires and another worker sends it again, with the same event id (receivers deduplicate on
``webhook-id``).

Rows of one subscription (``channel_key``: project and channel) are delivered in order: only
the oldest pending row of a channel can be claimed, so an event waiting for its retry holds
back the ones queued after it. A row that fails its last attempt is ``dead`` (the
dead-letter state) and the next one goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import aliased

from app.i18n import _
from app.storage.alert_models import DeliveryRow, OutboxRow
from app.storage.errors import InvalidTransition, NotFound
from app.storage.models import utcnow
from app.storage.unit_of_work import StoreBase, insert_missing

__all__ = ["DeliveryRecord", "OutboxItem", "OutboxStore"]


@dataclass(frozen=True)
class OutboxItem:
    id: int
    event_id: str
    event_type: str
    channel_key: str
    channel: dict[str, Any]
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class DeliveryRecord:
    outbox_id: int
    event_id: str
    channel_key: str
    attempt: int
    status_code: int | None
    error: str | None
    seconds: float
    at: datetime
    #: the delivery's own id (pages of the log are cut by it)
    id: int = 0


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        channel_key=row.channel_key,
        channel=dict(row.channel),
        payload=dict(row.payload),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
    )


class OutboxStore(StoreBase):
    """The outbox of one organization (see :class:`~app.storage.unit_of_work.StoreBase`)."""

    def enqueue(
        self,
        event_id: str,
        event_type: str,
        channel_key: str,
        channel: dict[str, Any],
        payload: dict[str, Any],
    ) -> bool:
        """Queue one delivery; False when this event is already queued for this channel."""
        now = utcnow()
        with self._session() as s:
            return insert_missing(
                s,
                OutboxRow,
                {"event_id": event_id, "channel_key": channel_key},
                {
                    "organization_id": self._org_id,
                    "event_type": event_type,
                    "channel": self._redact_data(channel),
                    "payload": self._redact_data(payload),
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )

    def claim_due(
        self,
        *,
        limit: int = 10,
        lease: float = 60.0,
        now: datetime | None = None,
        only: int | None = None,
    ) -> list[OutboxItem]:
        """Claim up to ``limit`` due rows, at most one per channel (its oldest pending row);
        ``only``: that row, if it is one of them."""
        now = now or utcnow()
        earlier = aliased(OutboxRow)
        blocked = exists().where(
            earlier.channel_key == OutboxRow.channel_key,
            earlier.status == "pending",
            earlier.id < OutboxRow.id,
        )
        free = (OutboxRow.claimed_until.is_(None)) | (OutboxRow.claimed_until < now)
        due = (
            select(OutboxRow)
            .where(
                OutboxRow.organization_id == self._org_id,
                OutboxRow.status == "pending",
                OutboxRow.next_attempt_at <= now,
                free,
                ~blocked,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if only is not None:
            due = due.where(OutboxRow.id == only)
        until = now + timedelta(seconds=lease)
        with self._session() as s:
            if s.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True, of=OutboxRow)
            claimed = []
            for row in s.scalars(due).all():
                taken = s.execute(  # on SQLite the condition is the claim
                    update(OutboxRow)
                    .where(OutboxRow.id == row.id, OutboxRow.status == "pending", free)
                    .values(claimed_until=until)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(_item(row))
            return claimed

    def record_attempt(
        self,
        item_id: int,
        *,
        ok: bool,
        status_code: int | None,
        error: str | None,
        seconds: float,
        retry_at: datetime | None,
    ) -> OutboxItem:
        """Log one attempt and move the row on: delivered, pending until ``retry_at``, or dead
        (failed with no ``retry_at``). The lease is released."""
        now = utcnow()
        error = self._redact(error)
        with self._session() as s:
            row = s.scalars(
                select(OutboxRow).where(OutboxRow.id == item_id).with_for_update()
            ).one()
            row.attempts += 1
            row.last_status_code, row.last_error, row.claimed_until = status_code, error, None
            if ok:
                row.status, row.finished_at = "delivered", now
            elif retry_at is None:
                row.status, row.finished_at = "dead", now
            else:
                row.next_attempt_at = retry_at
            s.add(
                DeliveryRow(
                    organization_id=self._org_id,
                    outbox_id=row.id,
                    attempt=row.attempts,
                    status_code=status_code,
                    error=error,
                    seconds=seconds,
                    at=now,
                )
            )
            s.flush()
            return _item(row)

    def items(
        self,
        *,
        statuses: Sequence[str] = (),
        event_id: str | None = None,
        limit: int = 100,
        channel_keys: Sequence[str] = (),
        channel_prefix: str | None = None,
        after: int | None = None,
    ) -> list[OutboxItem]:
        """Rows in queue order (of ``channel_keys``, or of keys starting with
        ``channel_prefix``, when given; ``after``: rows of a greater id only)."""
        query = select(OutboxRow).where(OutboxRow.organization_id == self._org_id)
        if statuses:
            query = query.where(OutboxRow.status.in_(list(statuses)))
        if event_id is not None:
            query = query.where(OutboxRow.event_id == event_id)
        if channel_keys:
            query = query.where(OutboxRow.channel_key.in_(list(channel_keys)))
        if channel_prefix is not None:
            query = query.where(
                func.substr(OutboxRow.channel_key, 1, len(channel_prefix)) == channel_prefix
            )
        if after is not None:
            query = query.where(OutboxRow.id > after)
        with self._session(write=False) as s:
            return [_item(r) for r in s.scalars(query.order_by(OutboxRow.id).limit(limit))]

    def counts(self) -> dict[str, int]:
        query = (
            select(OutboxRow.status, func.count())
            .where(OutboxRow.organization_id == self._org_id)
            .group_by(OutboxRow.status)
        )
        with self._session(write=False) as s:
            return {status: int(n) for status, n in s.execute(query)}

    def next_due(self) -> datetime | None:
        """When the earliest pending row is due (None: nothing pending)."""
        query = select(func.min(OutboxRow.next_attempt_at)).where(
            OutboxRow.organization_id == self._org_id, OutboxRow.status == "pending"
        )
        with self._session(write=False) as s:
            return s.scalar(query)

    def deliveries(
        self, *, limit: int = 50, channel_keys: Sequence[str] = (), before: int | None = None
    ) -> list[DeliveryRecord]:
        """The delivery log, newest first (of ``channel_keys`` only, when given; ``before``:
        deliveries of a smaller id only)."""
        query = (
            select(DeliveryRow, OutboxRow.event_id, OutboxRow.channel_key)
            .join(OutboxRow, OutboxRow.id == DeliveryRow.outbox_id)
            .where(DeliveryRow.organization_id == self._org_id)
        )
        if channel_keys:
            query = query.where(OutboxRow.channel_key.in_(list(channel_keys)))
        if before is not None:
            query = query.where(DeliveryRow.id < before)
        query = query.order_by(DeliveryRow.id.desc()).limit(limit)
        with self._session(write=False) as s:
            return [
                DeliveryRecord(
                    outbox_id=d.outbox_id,
                    event_id=event_id,
                    channel_key=key,
                    attempt=d.attempt,
                    status_code=d.status_code,
                    error=d.error,
                    seconds=d.seconds,
                    at=d.at,
                    id=d.id,
                )
                for d, event_id, key in s.execute(query)
            ]

    def item(self, item_id: int) -> OutboxItem:
        """One row of this organization (``NotFound`` for another's, as for none)."""
        with self._session(write=False) as s:
            row = s.scalar(
                select(OutboxRow).where(
                    OutboxRow.id == item_id, OutboxRow.organization_id == self._org_id
                )
            )
            if row is None:
                raise NotFound(_("no notification {id} in the outbox").format(id=item_id))
            return _item(row)

    def requeue(self, item_id: int, *, now: datetime | None = None) -> OutboxItem:
        """Put a dead (or pending) row back in the queue, due ``now``: the next attempt is
        its last one unless it has attempts left (its attempt count is kept, so the delivery
        log's numbering goes on). A delivered row cannot be (``InvalidTransition``)."""
        now = now or utcnow()
        with self._session() as s:
            row = self._locked(s, item_id)
            if row.status == "delivered":
                raise InvalidTransition(
                    _("notification {id} was delivered already").format(id=item_id)
                )
            row.status, row.next_attempt_at, row.finished_at = "pending", now, None
            s.flush()
            return _item(row)

    def discard(self, item_id: int, *, now: datetime | None = None) -> OutboxItem:
        """Delete a pending or dead row and its attempts from the log: it will never be sent.
        A delivered row, or one a worker is sending now (its lease not expired), cannot be
        (``InvalidTransition``)."""
        now = now or utcnow()
        with self._session() as s:
            row = self._locked(s, item_id)
            if row.status == "delivered":
                raise InvalidTransition(
                    _("notification {id} was delivered already").format(id=item_id)
                )
            if row.claimed_until is not None and row.claimed_until > now:
                raise InvalidTransition(
                    _("notification {id} is being sent right now: try again shortly").format(
                        id=item_id
                    )
                )
            gone = _item(row)
            s.execute(delete(DeliveryRow).where(DeliveryRow.outbox_id == row.id))
            s.delete(row)
            return gone

    def _locked(self, s: Any, item_id: int) -> OutboxRow:
        row: OutboxRow | None = s.scalars(
            select(OutboxRow)
            .where(OutboxRow.id == item_id, OutboxRow.organization_id == self._org_id)
            .with_for_update()
        ).first()
        if row is None:
            raise NotFound(_("no notification {id} in the outbox").format(id=item_id))
        return row
