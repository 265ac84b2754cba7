"""The sync store: definitions (versioned by content), runs, destination states, schema changes.

>>> import tempfile, pathlib
>>> from app.storage.migrate import init_db
>>> from app.storage.repository import Repository
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> project = Repository(url).ensure_project("demo")
>>> d = SyncDefinition(name="orders", source={"connection": "a", "table": "t"},
...                    destinations=[{"connection": "b", "table": "t"}])
>>> with SyncStore(url) as store:
...     first = store.save_sync(project, d)
...     same = store.save_sync(project, d)
...     changed = store.save_sync(project, d.model_copy(update={"description": "x"}))
>>> (first.version, same.version, changed.version)
(1, 1, 2)
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.model.schema_changes import SchemaChange
from app.model.sync import SyncDefinition
from app.storage.models import (
    ProjectRow,
    utcnow,
)
from app.storage.reaping import reap_abandoned
from app.storage.records import RunStatus, RunTrigger
from app.storage.run_states import check_sync_finish, final_status
from app.storage.sync_models import (
    SchemaChangeRow,
    SyncDestinationStateRow,
    SyncRow,
    SyncRunRow,
)
from app.storage.sync_records import (
    DestinationStateRecord,
    SchemaChangeRecord,
    SyncRecord,
    SyncRunRecord,
)
from app.storage.unit_of_work import NotFound, StoreBase, insert_missing

__all__ = ["SyncStore"]


def _sync_record(row: SyncRow) -> SyncRecord:
    return SyncRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        definition=dict(row.definition),
        content_hash=row.content_hash,
        version=row.version,
        updated_at=row.updated_at,
    )


def _run_record(row: SyncRunRow, name: str) -> SyncRunRecord:
    return SyncRunRecord(
        id=row.id,
        sync_id=row.sync_id,
        sync_name=name,
        sync_version=row.sync_version,
        trigger=row.trigger,
        status=row.status,
        started_at=row.started_at,
        finished_at=row.finished_at,
        rows_read=row.rows_read,
        destinations=dict(row.destinations),
        error=row.error,
        host=row.host,
    )


class SyncStore(StoreBase):
    """Syncs of the projects of one organization; every method is one transaction."""

    # -- definitions --------------------------------------------------------------------------
    def _sync(self, s: Session, sync_id: int) -> SyncRow:
        row = s.get(SyncRow, sync_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no sync {id}").format(id=sync_id))
        return row

    def save_sync(self, project_id: int, definition: SyncDefinition) -> SyncRecord:
        """Store a sync's definition; a changed definition gets the next version number."""
        content = definition.model_dump(mode="json")
        digest = definition.content_hash()
        now = utcnow()
        with self._session() as s:
            project = s.get(ProjectRow, project_id)
            if project is None or project.organization_id != self._org_id:
                raise NotFound(_("no project {id}").format(id=project_id))
            insert_missing(
                s,
                SyncRow,
                {"project_id": project_id, "name": definition.name},
                {
                    "organization_id": self._org_id,
                    "definition": content,
                    "content_hash": digest,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            row = s.scalars(
                select(SyncRow)
                .where(SyncRow.project_id == project_id, SyncRow.name == definition.name)
                .with_for_update()
            ).one()
            if row.content_hash != digest:
                row.definition, row.content_hash = content, digest
                row.version, row.updated_at = row.version + 1, now
            s.flush()
            return _sync_record(row)

    def get_sync(self, project_id: int, name: str) -> SyncRecord:
        with self._session(write=False) as s:
            row = s.scalar(
                select(SyncRow).where(
                    SyncRow.organization_id == self._org_id,
                    SyncRow.project_id == project_id,
                    SyncRow.name == name,
                )
            )
            if row is None:
                raise NotFound(_("no sync named {name!r}").format(name=name))
            return _sync_record(row)

    def list_syncs(self, project_id: int) -> list[SyncRecord]:
        with self._session(write=False) as s:
            rows = s.scalars(
                select(SyncRow)
                .where(SyncRow.organization_id == self._org_id, SyncRow.project_id == project_id)
                .order_by(SyncRow.name)
            )
            return [_sync_record(r) for r in rows]

    # -- runs ---------------------------------------------------------------------------------
    def start_sync_run(
        self,
        sync_id: int,
        *,
        trigger: RunTrigger | str,
        host: str | None = None,
        started_at: datetime | None = None,
    ) -> SyncRunRecord:
        """Open a run (``started_at``: when it started, if before now; timezone-aware)."""
        trigger = RunTrigger(trigger)
        here = host is None or host == socket.gethostname()
        with self._session() as s:
            sync = self._sync(s, sync_id)
            reap_abandoned(s, SyncRunRow, self._org_id)  # runs whose process died, seen now
            row = SyncRunRow(
                organization_id=self._org_id,
                sync_id=sync_id,
                sync_version=sync.version,
                trigger=trigger.value,
                status=RunStatus.RUNNING.value,
                started_at=started_at or utcnow(),
                destinations={},
                host=host if host is not None else socket.gethostname(),
                pid=os.getpid() if here else None,
            )
            s.add(row)
            s.flush()
            return _run_record(row, sync.name)

    def finish_sync_run(
        self,
        run_id: int,
        status: RunStatus | str,
        *,
        rows_read: int | None,
        destinations: dict[str, Any],
        error: str | None = None,
    ) -> SyncRunRecord:
        status = final_status(status)
        with self._session() as s:
            row = s.scalar(
                select(SyncRunRow)
                .where(SyncRunRow.id == run_id, SyncRunRow.organization_id == self._org_id)
                .with_for_update()
            )
            if row is None:
                raise NotFound(_("no sync run {id}").format(id=run_id))
            check_sync_finish(run_id, row.status)
            row.status, row.finished_at, row.rows_read = status.value, utcnow(), rows_read
            row.destinations = self._redact_data(destinations)
            row.error = self._redact(error)
            s.flush()
            return _run_record(row, self._sync(s, row.sync_id).name)

    def sync_runs(self, sync_id: int, limit: int = 20) -> list[SyncRunRecord]:
        with self._session(write=False) as s:
            name = self._sync(s, sync_id).name
            rows = s.scalars(
                select(SyncRunRow)
                .where(SyncRunRow.sync_id == sync_id)
                .order_by(SyncRunRow.id.desc())
                .limit(limit)
            )
            return [_run_record(r, name) for r in rows]

    # -- state and schema changes -------------------------------------------------------------
    def save_destination_state(
        self,
        sync_id: int,
        destination: str,
        *,
        cursor_value: str | None,
        cursor_type: str | None,
        run_id: int | None,
        rows: int | None,
    ) -> None:
        """Keep the metadata DB's copy of a destination's committed position."""
        with self._session() as s:
            self._sync(s, sync_id)
            insert_missing(
                s,
                SyncDestinationStateRow,
                {"sync_id": sync_id, "destination": destination},
                {"organization_id": self._org_id, "updated_at": utcnow()},
            )
            row = s.scalars(
                select(SyncDestinationStateRow)
                .where(
                    SyncDestinationStateRow.sync_id == sync_id,
                    SyncDestinationStateRow.destination == destination,
                )
                .with_for_update()
            ).one()
            row.cursor_value, row.cursor_type = cursor_value, cursor_type
            row.last_run_id, row.last_rows, row.updated_at = run_id, rows, utcnow()

    def destination_states(self, sync_id: int) -> list[DestinationStateRecord]:
        with self._session(write=False) as s:
            self._sync(s, sync_id)
            rows = s.scalars(
                select(SyncDestinationStateRow)
                .where(SyncDestinationStateRow.sync_id == sync_id)
                .order_by(SyncDestinationStateRow.destination)
            )
            return [
                DestinationStateRecord(
                    r.destination,
                    r.cursor_value,
                    r.cursor_type,
                    r.last_run_id,
                    r.last_rows,
                    r.updated_at,
                )
                for r in rows
            ]

    def record_schema_change(
        self, sync_id: int, run_id: int | None, destination: str, change: SchemaChange
    ) -> None:
        with self._session() as s:
            self._sync(s, sync_id)
            s.add(
                SchemaChangeRow(
                    organization_id=self._org_id,
                    sync_id=sync_id,
                    sync_run_id=run_id,
                    destination=destination,
                    column_name=change.column,
                    change_kind=change.kind.value,
                    old_type=change.old_type,
                    new_type=change.new_type,
                    decision=change.decision.value,
                    detected_at=utcnow(),
                )
            )

    def schema_changes(self, sync_id: int) -> list[SchemaChangeRecord]:
        with self._session(write=False) as s:
            self._sync(s, sync_id)
            rows = s.scalars(
                select(SchemaChangeRow)
                .where(SchemaChangeRow.sync_id == sync_id)
                .order_by(SchemaChangeRow.id)
            )
            return [
                SchemaChangeRecord(
                    r.id,
                    r.sync_run_id,
                    r.destination,
                    r.column_name,
                    r.change_kind,
                    r.old_type,
                    r.new_type,
                    r.decision,
                    r.detected_at,
                )
                for r in rows
            ]
