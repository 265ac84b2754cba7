"""The scheduler's runtime state in the metadata DB: one row per due time of a schedule.

Schedule *definitions* live in the project (``schedules/<name>.json``); this store keeps what
happened to each due time (``schedule_fires``): claimed and run, or missed, coalesced or skipped,
with the reason. A fire is claimed by inserting its row — unique per project, schedule and due
time — so two schedulers can never both run it, whatever their clocks and locks say. Every fire
that did not run is also recorded as an event (``schedule.missed``, ``schedule.coalesced``,
``schedule.skipped``), for alerts to react to.

>>> import tempfile, pathlib
>>> from datetime import UTC, datetime
>>> from app.storage.migrate import init_db
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> with ScheduleStore(url) as store:
...     t = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
...     first, again = store.claim("shop", "nightly", t), store.claim("shop", "nightly", t)
...     (first is not None, again, store.last_fires("shop"))
(True, None, {'nightly': datetime.datetime(2026, 1, 1, 2, 0, tzinfo=datetime.timezone.utc)})
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.models import EventRow, ProjectRow, ScheduleFireRow, utcnow
from app.storage.records import FireOutcome, FireRecord
from app.storage.unit_of_work import InvalidTransition, NotFound, StoreBase, insert_missing

__all__ = ["ScheduleStore"]

#: the event type recorded for each fire that did not run
EVENT_TYPES = {
    FireOutcome.MISSED: "schedule.missed",
    FireOutcome.COALESCED: "schedule.coalesced",
    FireOutcome.SKIPPED: "schedule.skipped",
}


def _insert(s: Session) -> Any:
    """The dialect's ``INSERT`` (with ``ON CONFLICT``), loaded when first needed."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def _record(row: ScheduleFireRow) -> FireRecord:
    return FireRecord(
        id=row.id,
        schedule=row.schedule,
        scheduled_for=row.scheduled_for,
        outcome=row.outcome,
        reason=row.reason,
        host=row.host,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


class ScheduleStore(StoreBase):
    """Fires of the schedules of one organization's projects; every method is one transaction."""

    def _project_id(self, s: Session, project: str) -> int:
        where = (ProjectRow.organization_id == self._org_id, ProjectRow.name == project)
        found = s.scalar(select(ProjectRow.id).where(*where))
        if found is not None:
            return found
        insert_missing(
            s,
            ProjectRow,
            {"organization_id": self._org_id, "name": project},
            {"created_at": utcnow()},
        )
        return s.scalars(select(ProjectRow.id).where(*where)).one()

    def claim(
        self,
        project: str,
        schedule: str,
        scheduled_for: datetime,
        outcome: FireOutcome = FireOutcome.RUNNING,
        *,
        reason: str | None = None,
    ) -> int | None:
        """Record the due time ``scheduled_for`` of a schedule with its outcome, once.

        Returns the new fire's id, or ``None`` when that due time is already recorded (by this
        scheduler or another one): then the caller must not run it. A fire that does not run
        (``missed``, ``coalesced``, ``skipped``) is also stored as an event, in the same
        transaction.
        """
        now = utcnow()
        finished = None if outcome is FireOutcome.RUNNING else now
        with self._session() as s:
            project_id = self._project_id(s, project)
            key = {"project_id": project_id, "schedule": schedule, "scheduled_for": scheduled_for}
            # RETURNING, not rowcount: psycopg reports -1 for an ORM insert that did nothing
            fire_id = s.scalar(
                _insert(s)(ScheduleFireRow)
                .values(
                    **key,
                    organization_id=self._org_id,
                    outcome=outcome.value,
                    reason=self._redact(reason),
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    created_at=now,
                    finished_at=finished,
                )
                .on_conflict_do_nothing(index_elements=list(key))
                .returning(ScheduleFireRow.id)
            )
            if fire_id is None:
                return None
            row = s.get_one(ScheduleFireRow, fire_id)
            if outcome in EVENT_TYPES:
                s.add(self._event(project, row))
            return fire_id

    def _event(self, project: str, row: ScheduleFireRow) -> EventRow:
        payload: dict[str, Any] = {
            "project": project,
            "schedule": row.schedule,
            "scheduled_for": row.scheduled_for.isoformat(),
            "outcome": row.outcome,
            "reason": row.reason,
        }
        return EventRow(
            organization_id=self._org_id,
            type=EVENT_TYPES[FireOutcome(row.outcome)],
            run_id=None,
            payload=self._redact_data(payload),
            created_at=utcnow(),
        )

    def finish(self, fire_id: int, outcome: FireOutcome, *, reason: str | None = None) -> None:
        """Set the outcome of a fire that ran (``succeeded``, ``failed``, ``cancelled``)."""
        with self._session() as s:
            row = s.get(ScheduleFireRow, fire_id, with_for_update=True)
            if row is None or row.organization_id != self._org_id:
                raise NotFound(_("no schedule fire {id}").format(id=fire_id))
            if row.outcome != FireOutcome.RUNNING:
                raise InvalidTransition(
                    _("schedule fire {id} is already {outcome}").format(
                        id=fire_id, outcome=row.outcome
                    )
                )
            row.outcome, row.reason, row.finished_at = outcome.value, self._redact(reason), utcnow()

    def last_fires(self, project: str) -> dict[str, datetime]:
        """The latest recorded due time of each schedule of ``project`` (any outcome)."""
        with self._session(write=False) as s:
            rows = s.execute(
                select(ScheduleFireRow.schedule, func.max(ScheduleFireRow.scheduled_for))
                .join(ProjectRow, ProjectRow.id == ScheduleFireRow.project_id)
                .where(ProjectRow.organization_id == self._org_id, ProjectRow.name == project)
                .group_by(ScheduleFireRow.schedule)
            ).all()
        return {name: when for name, when in rows}  # max() keeps the column's type (UTC)

    def fires(
        self, project: str, schedule: str | None = None, *, limit: int = 50
    ) -> list[FireRecord]:
        """Recorded fires of ``project`` (of one schedule when given), newest due time first."""
        with self._session(write=False) as s:
            query = (
                select(ScheduleFireRow)
                .join(ProjectRow, ProjectRow.id == ScheduleFireRow.project_id)
                .where(ProjectRow.organization_id == self._org_id, ProjectRow.name == project)
            )
            if schedule is not None:
                query = query.where(ScheduleFireRow.schedule == schedule)
            rows = s.scalars(
                query.order_by(
                    ScheduleFireRow.scheduled_for.desc(), ScheduleFireRow.id.desc()
                ).limit(limit)
            ).all()
            return [_record(r) for r in rows]

    def close_unfinished(self, project: str) -> int:
        """Mark the fires of ``project`` still ``running`` as cancelled: their scheduler stopped
        before they finished. Call only while holding the scheduler lock. Returns how many."""
        with self._session() as s:
            rows = s.scalars(
                select(ScheduleFireRow)
                .join(ProjectRow, ProjectRow.id == ScheduleFireRow.project_id)
                .where(
                    ProjectRow.organization_id == self._org_id,
                    ProjectRow.name == project,
                    ScheduleFireRow.outcome == FireOutcome.RUNNING.value,
                )
                .with_for_update()
            ).all()
            for row in rows:
                row.outcome = FireOutcome.CANCELLED.value
                row.reason = _("the scheduler stopped before the run finished")
                row.finished_at = utcnow()
            return len(rows)
