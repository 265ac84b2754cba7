"""Alerts in the metadata DB: raise (one open alert per streak), acknowledge, resolve, list;
and the run history alert rules are checked against.

A *streak key* (``type|project|subject kind|subject``, plus a discriminator for alerts that
are one per occurrence, such as the schema changes of one sync run) is set on an alert while it
is open or acknowledged and cleared when it is resolved. The unique constraint on it means a
second failure of the same pipeline — even from another process at the same moment — adds an
occurrence to the open alert instead of a new alert: :meth:`AlertStore.raise_alert` says which
happened, and only a new alert is notified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.alert_models import AlertRow
from app.storage.models import (
    NodeRunRow,
    PipelineRow,
    PipelineVersionRow,
    ProjectRow,
    RunRow,
    utcnow,
)
from app.storage.sync_models import SyncRow, SyncRunRow
from app.storage.unit_of_work import NotFound, StoreBase, insert_missing

__all__ = ["AlertRecord", "AlertStore", "streak_key"]


@dataclass(frozen=True)
class AlertRecord:
    id: int
    project: str
    type: str
    severity: str
    subject_kind: str
    subject: str
    status: str
    message: str
    details: dict[str, Any]
    occurrences: int
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None


def streak_key(type_: str, project: str, subject_kind: str, subject: str, extra: str = "") -> str:
    """The key of an alert's streak.

    >>> streak_key("run_failed", "demo", "pipeline", "orders")
    'run_failed|demo|pipeline|orders'
    """
    key = "|".join((type_, project, subject_kind, subject))
    return f"{key}|{extra}" if extra else key


def _record(row: AlertRow) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        project=row.project,
        type=row.type,
        severity=row.severity,
        subject_kind=row.subject_kind,
        subject=row.subject,
        status=row.status,
        message=row.message,
        details=dict(row.details),
        occurrences=row.occurrences,
        created_at=row.created_at,
        updated_at=row.updated_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        resolved_at=row.resolved_at,
    )


class AlertStore(StoreBase):
    """Alerts of one organization (see :class:`~app.storage.unit_of_work.StoreBase`)."""

    def raise_alert(
        self,
        *,
        project: str,
        type: str,
        severity: str,
        subject_kind: str,
        subject: str,
        message: str,
        details: dict[str, Any] | None = None,
        extra: str = "",
        resolved: bool = False,
    ) -> tuple[AlertRecord, bool]:
        """Open an alert, or count one more occurrence of the open one of its streak.

        Returns the alert and whether it is new (to be notified). ``resolved``: an alert that
        is over when raised (``run_recovered``): always new, never part of a streak.
        """
        now = utcnow()
        body = {
            "project": project,
            "type": type,
            "severity": severity,
            "subject_kind": subject_kind,
            "subject": subject,
            "message": self._redact(message) or "",
            "details": self._redact_data(details or {}),
            "occurrences": 1,
            "created_at": now,
            "updated_at": now,
            "status": "resolved" if resolved else "open",
        }
        with self._session() as s:
            if resolved:
                row = AlertRow(organization_id=self._org_id, resolved_at=now, **body)
                s.add(row)
                s.flush()
                return _record(row), True
            key = streak_key(type, project, subject_kind, subject, extra)
            found: AlertRow | None = None
            created = False
            while found is None:
                created = insert_missing(
                    s, AlertRow, {"organization_id": self._org_id, "streak_key": key}, body
                )
                # None when the open alert this insert met was resolved before this read
                # (PostgreSQL, another run ending the streak): the streak is over, open anew
                found = s.scalars(
                    select(AlertRow)
                    .where(AlertRow.organization_id == self._org_id, AlertRow.streak_key == key)
                    .with_for_update()
                ).one_or_none()
            row = found
            if not created:
                row.occurrences += 1
                row.updated_at = now
                row.details = {**row.details, "last": body["details"]}
            s.flush()
            return _record(row), created

    def end_streak(
        self, *, project: str, type: str, subject_kind: str, subject: str
    ) -> AlertRecord | None:
        """Resolve the open alert of a streak (a run succeeded again); None when none is open."""
        key = streak_key(type, project, subject_kind, subject)
        with self._session() as s:
            row = s.scalars(
                select(AlertRow)
                .where(AlertRow.organization_id == self._org_id, AlertRow.streak_key == key)
                .with_for_update()
            ).one_or_none()
            if row is None:
                return None
            self._close(row)
            return _record(row)

    def open_alert(
        self, *, project: str, type: str, subject_kind: str, subject: str
    ) -> AlertRecord | None:
        key = streak_key(type, project, subject_kind, subject)
        with self._session(write=False) as s:
            row = s.scalars(
                select(AlertRow).where(
                    AlertRow.organization_id == self._org_id, AlertRow.streak_key == key
                )
            ).one_or_none()
            return None if row is None else _record(row)

    def acknowledge(self, alert_id: int, by: str) -> AlertRecord:
        with self._session() as s:
            row = self._row(s, alert_id)
            if row.status == "open":
                row.status, row.acknowledged_at, row.acknowledged_by = "acknowledged", utcnow(), by
                row.updated_at = utcnow()
            return _record(row)

    def resolve(self, alert_id: int) -> AlertRecord:
        """Resolve by hand: the streak ends, the next failure opens a new alert."""
        with self._session() as s:
            row = self._row(s, alert_id)
            if row.status != "resolved":
                self._close(row)
            return _record(row)

    def get(self, alert_id: int) -> AlertRecord:
        with self._session(write=False) as s:
            return _record(self._row(s, alert_id))

    def list_alerts(
        self,
        *,
        project: str | None = None,
        statuses: Sequence[str] = (),
        limit: int = 50,
        severities: Sequence[str] = (),
        types: Sequence[str] = (),
        before: int | None = None,
    ) -> list[AlertRecord]:
        """Newest first (``before``: only alerts of a smaller id, for the next page)."""
        query = select(AlertRow).where(AlertRow.organization_id == self._org_id)
        if project is not None:
            query = query.where(AlertRow.project == project)
        if statuses:
            query = query.where(AlertRow.status.in_(list(statuses)))
        if severities:
            query = query.where(AlertRow.severity.in_(list(severities)))
        if types:
            query = query.where(AlertRow.type.in_(list(types)))
        if before is not None:
            query = query.where(AlertRow.id < before)
        with self._session(write=False) as s:
            rows = s.scalars(query.order_by(AlertRow.id.desc()).limit(limit))
            return [_record(r) for r in rows]

    # -- history the rules are checked against -------------------------------------------------
    def pipeline_rows_history(
        self, project: str, uid: str, node_ids: Sequence[str], *, before: int, limit: int
    ) -> list[int]:
        """Rows the given (destination) nodes wrote in each of the last ``limit`` successful
        runs of a pipeline before run ``before``, newest first."""
        if not node_ids:
            return []
        query = (
            select(func.sum(NodeRunRow.rows_in))
            .join(RunRow, RunRow.id == NodeRunRow.run_id)
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
            .where(
                RunRow.organization_id == self._org_id,
                ProjectRow.name == project,
                PipelineRow.uid == uid,
                RunRow.status == "succeeded",
                RunRow.id < before,
                NodeRunRow.node_id.in_(list(node_ids)),
                NodeRunRow.rows_in.is_not(None),
            )
            .group_by(RunRow.id)
            .order_by(RunRow.id.desc())
            .limit(limit)
        )
        with self._session(write=False) as s:
            return [int(v) for v in s.scalars(query) if v is not None]

    def sync_rows_history(self, project: str, sync: str, *, before: int, limit: int) -> list[int]:
        """Rows read by each of the last ``limit`` successful runs of a sync, newest first."""
        query = (
            select(SyncRunRow.rows_read)
            .join(SyncRow, SyncRow.id == SyncRunRow.sync_id)
            .join(ProjectRow, ProjectRow.id == SyncRow.project_id)
            .where(
                SyncRunRow.organization_id == self._org_id,
                ProjectRow.name == project,
                SyncRow.name == sync,
                SyncRunRow.status == "succeeded",
                SyncRunRow.id < before,
                SyncRunRow.rows_read.is_not(None),
            )
            .order_by(SyncRunRow.id.desc())
            .limit(limit)
        )
        with self._session(write=False) as s:
            return [int(v) for v in s.scalars(query) if v is not None]

    def last_success(self, project: str, subject_kind: str, subject: str) -> datetime | None:
        """When the last successful run of a pipeline (by name) or sync finished."""
        query: Any
        if subject_kind == "sync":
            query = (
                select(func.max(SyncRunRow.finished_at))
                .join(SyncRow, SyncRow.id == SyncRunRow.sync_id)
                .join(ProjectRow, ProjectRow.id == SyncRow.project_id)
                .where(SyncRow.name == subject, SyncRunRow.status == "succeeded")
            )
        else:
            query = (
                select(func.max(RunRow.finished_at))
                .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
                .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
                .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
                .where(PipelineRow.name == subject, RunRow.status == "succeeded")
            )
        query = query.where(ProjectRow.name == project, ProjectRow.organization_id == self._org_id)
        with self._session(write=False) as s:
            value = s.scalar(query)
        if value is not None and value.tzinfo is None:  # max() loses the column's type
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        return value

    def database_bytes(self) -> int | None:
        """The metadata DB's size: the SQLite file (with its WAL), or PostgreSQL's
        ``pg_database_size``; None for an in-memory database."""
        url = self._engine.url
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                return None
            from pathlib import Path

            files = [Path(url.database), Path(url.database + "-wal")]
            return sum(f.stat().st_size for f in files if f.exists())
        with self._session(write=False) as s:
            return int(s.scalar(select(func.pg_database_size(func.current_database()))) or 0)

    # -- helpers ---------------------------------------------------------------------------
    def _row(self, s: Session, alert_id: int) -> AlertRow:
        row = s.scalars(
            select(AlertRow)
            .where(AlertRow.organization_id == self._org_id, AlertRow.id == alert_id)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(_("no alert with id {id}").format(id=alert_id))
        return row

    @staticmethod
    def _close(row: AlertRow) -> None:
        row.status, row.streak_key = "resolved", None
        row.resolved_at = row.updated_at = utcnow()
