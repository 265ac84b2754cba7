"""The run log: runs of pipeline versions, per-node results, and events.

A run moves ``pending -> running -> succeeded | failed | cancelled`` (``pending`` may also go
straight to ``cancelled``); a finished run never changes again. Error texts and event payloads
pass through the secret redactor before they are stored.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.models import (
    EventRow,
    NodeRunRow,
    PipelineRow,
    PipelineVersionRow,
    RunRow,
    utcnow,
)
from app.storage.queries import QueryRecord, put_statements
from app.storage.reaping import reap_abandoned
from app.storage.records import (
    EventRecord,
    NodeLocation,
    NodeRunRecord,
    RunDetail,
    RunRecord,
    RunStatus,
    RunTrigger,
)
from app.storage.run_states import check_finish, final_status
from app.storage.unit_of_work import (
    InvalidTransition,
    NotFound,
    StoreBase,
    upsert_rows,
)

__all__ = ["RunLog"]

_RUN_COLUMNS = (RunRow, PipelineVersionRow.number, PipelineRow.name, PipelineRow.project_id)


def _run_record(row: RunRow, number: int, name: str, project_id: int) -> RunRecord:
    return RunRecord(
        id=row.id,
        pipeline_version_id=row.pipeline_version_id,
        pipeline_name=name,
        version_number=number,
        project_id=project_id,
        trigger=RunTrigger(row.trigger),
        status=RunStatus(row.status),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        error=row.error,
        host=row.host,
    )


def _event_record(row: EventRow) -> EventRecord:
    return EventRecord(
        id=row.id,
        type=row.type,
        run_id=row.run_id,
        payload=dict(row.payload),
        created_at=row.created_at,
    )


def _node_record(row: NodeRunRow) -> NodeRunRecord:
    return NodeRunRecord(
        node_id=row.node_id,
        node_name=row.node_name,
        status=RunStatus(row.status),
        location=NodeLocation(row.location),
        rows_in=row.rows_in,
        rows_out=row.rows_out,
        seconds=row.seconds,
        error=row.error,
    )


class RunLog(StoreBase):
    """Runs, node results and events of one organization."""

    def _run_query(self) -> Any:
        return (
            select(*_RUN_COLUMNS)
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .where(RunRow.organization_id == self._org_id)
        )

    def _run_row(self, s: Session, run_id: int) -> RunRow:
        row = s.scalar(
            select(RunRow)
            .where(RunRow.id == run_id, RunRow.organization_id == self._org_id)
            .with_for_update()
        )
        if row is None:
            raise NotFound(_("no run {id}").format(id=run_id))
        return row

    def _load_run(self, s: Session, run_id: int) -> RunRecord:
        found = s.execute(self._run_query().where(RunRow.id == run_id)).first()
        if found is None:
            raise NotFound(_("no run {id}").format(id=run_id))
        return _run_record(*found)

    # -- runs ---------------------------------------------------------------------------------
    def start_run(
        self,
        pipeline_version_id: int,
        *,
        trigger: RunTrigger | str,
        host: str | None = None,
        pending: bool = False,
    ) -> RunRecord:
        """Record a new run of a pipeline version.

        Args:
            pipeline_version_id: The exact version that runs.
            trigger: ``cli``, ``gui``, ``schedule`` or ``api``.
            host: Machine that runs it (this machine's name by default).
            pending: Queue it (``pending``, no start time) instead of ``running`` from now.
        """
        trigger = RunTrigger(trigger)
        now = utcnow()
        with self._session() as s:
            version = s.scalar(
                select(PipelineVersionRow.id).where(
                    PipelineVersionRow.id == pipeline_version_id,
                    PipelineVersionRow.organization_id == self._org_id,
                )
            )
            if version is None:
                raise NotFound(_("no pipeline version {id}").format(id=pipeline_version_id))
            reap_abandoned(s, RunRow, self._org_id)  # runs whose process died, seen now
            here = host is None or host == socket.gethostname()
            row = RunRow(
                organization_id=self._org_id,
                pipeline_version_id=pipeline_version_id,
                trigger=trigger.value,
                status=(RunStatus.PENDING if pending else RunStatus.RUNNING).value,
                created_at=now,
                started_at=None if pending else now,
                host=host if host is not None else socket.gethostname(),
                pid=os.getpid() if here else None,
            )
            s.add(row)
            s.flush()
            return self._load_run(s, row.id)

    def mark_run_running(self, run_id: int) -> RunRecord:
        """Move a ``pending`` run to ``running`` and set its start time."""
        with self._session() as s:
            row = self._run_row(s, run_id)
            if row.status != RunStatus.PENDING:
                raise InvalidTransition(
                    _("run {id} is {status}, not pending").format(id=run_id, status=row.status)
                )
            row.status, row.started_at = RunStatus.RUNNING.value, utcnow()
            s.flush()
            return self._load_run(s, run_id)

    def finish_run(
        self,
        run_id: int,
        status: RunStatus | str,
        *,
        error: str | None = None,
        nodes: Sequence[NodeRunRecord] = (),
        events: Sequence[EventRecord] = (),
        statements: Sequence[QueryRecord] = (),
    ) -> RunRecord:
        """Close a run with a terminal status (``succeeded``, ``failed`` or ``cancelled``).

        ``nodes`` and ``events`` are the run's node results and events gathered while it ran
        (kept off the run's path): stored in the same transaction as the final status, so a
        finished run always has them, and a run that never finishes (its process died) is
        reaped as abandoned. A node result replaces one recorded earlier for that node; each
        event keeps its own time (``id`` and ``run_id`` of an :class:`EventRecord` are ignored).
        ``statements``: the run's statements for query analytics, stored in the same
        transaction (:func:`~app.storage.queries.put_statements`).

        Raises:
            InvalidTransition: ``status`` is not terminal, or the run already finished, or a
                pending run is marked succeeded/failed without having started.
            TypeError: An event's payload cannot be stored as JSON.
        """
        status = final_status(status)
        bodies = [self._event_body(e.type, e.payload) for e in events]
        with self._session() as s:
            row = self._run_row(s, run_id)
            check_finish(run_id, row.status, status)
            upsert_rows(  # one statement for all of them: a run may have hundreds of nodes
                s,
                NodeRunRow,
                ["run_id", "node_id"],
                [  # the last result of a node given twice
                    self._node_values(run_id, node)
                    for node in {n.node_id: n for n in nodes}.values()
                ],
            )
            put_statements(s, self._org_id, run_id, statements)
            for event, body in zip(events, bodies, strict=True):
                s.add(
                    EventRow(
                        organization_id=self._org_id,
                        type=event.type,
                        run_id=run_id,
                        payload=body,
                        created_at=event.created_at,
                    )
                )
            row.status, row.finished_at = status.value, utcnow()
            row.error = self._redact(error)
            s.flush()
            return self._load_run(s, run_id)

    def _node_values(self, run_id: int, node: NodeRunRecord) -> dict[str, Any]:
        return {
            "organization_id": self._org_id,
            "run_id": run_id,
            "node_id": node.node_id,
            "node_name": node.node_name,
            "status": RunStatus(node.status).value,
            "location": NodeLocation(node.location).value,
            "rows_in": node.rows_in,
            "rows_out": node.rows_out,
            "seconds": node.seconds,
            "error": self._redact(node.error),
        }

    def record_node_run(
        self,
        run_id: int,
        node_id: str,
        *,
        node_name: str,
        status: RunStatus | str,
        location: NodeLocation | str = NodeLocation.LOCAL,
        rows_in: int | None = None,
        rows_out: int | None = None,
        seconds: float | None = None,
        error: str | None = None,
    ) -> NodeRunRecord:
        """Insert or update the result of one node in a run (one row per run and node id).

        Call it when a node starts and again when it ends; the latest call wins.
        """
        record = NodeRunRecord(
            node_id=node_id,
            node_name=node_name,
            status=RunStatus(status),
            location=NodeLocation(location),
            rows_in=rows_in,
            rows_out=rows_out,
            seconds=seconds,
            error=error,
        )
        with self._session() as s:
            self._run_row(s, run_id)
            upsert_rows(s, NodeRunRow, ["run_id", "node_id"], [self._node_values(run_id, record)])
            row = s.scalars(
                select(NodeRunRow).where(
                    NodeRunRow.run_id == run_id, NodeRunRow.node_id == record.node_id
                )
            ).one()
            return _node_record(row)

    def recent_runs(
        self,
        limit: int = 20,
        *,
        project_id: int | None = None,
        before: int | None = None,
        status: str | None = None,
        pipeline: str | None = None,
    ) -> list[RunRecord]:
        """The newest runs first, optionally of one project, pipeline (by name) or status only;
        ``before``: only runs with a smaller id (the next page of a listing)."""
        query = self._run_query().order_by(RunRow.id.desc()).limit(limit)
        if project_id is not None:
            query = query.where(PipelineRow.project_id == project_id)
        if before is not None:
            query = query.where(RunRow.id < before)
        if status is not None:
            query = query.where(RunRow.status == RunStatus(status).value)
        if pipeline is not None:
            query = query.where(PipelineRow.name == pipeline)
        with self._session(write=False) as s:
            return [_run_record(*found) for found in s.execute(query)]

    def get_run(self, run_id: int) -> RunRecord:
        """One run of this organization (``NotFound`` for another's)."""
        with self._session(write=False) as s:
            return self._load_run(s, run_id)

    def run_detail(self, run_id: int) -> RunDetail:
        """A run with its node results (in recording order) and its events (oldest first)."""
        with self._session(write=False) as s:
            run = self._load_run(s, run_id)
            nodes = s.scalars(
                select(NodeRunRow).where(NodeRunRow.run_id == run_id).order_by(NodeRunRow.id)
            )
            events = s.scalars(
                select(EventRow)
                .where(EventRow.run_id == run_id, EventRow.organization_id == self._org_id)
                .order_by(EventRow.id)
            )
            return RunDetail(
                run=run,
                nodes=[_node_record(n) for n in nodes],
                events=[_event_record(e) for e in events],
            )

    # -- events -------------------------------------------------------------------------------
    def record_event(
        self, type: str, payload: dict[str, Any] | None = None, *, run_id: int | None = None
    ) -> EventRecord:
        """Store an event; ``payload`` must be JSON-serialisable (secrets are masked).

        Raises:
            TypeError: The payload cannot be stored as JSON.
            NotFound: ``run_id`` is not a run of this organization.
        """
        body = self._event_body(type, payload)
        with self._session() as s:
            if run_id is not None:
                self._run_row(s, run_id)
            row = EventRow(
                organization_id=self._org_id,
                type=type,
                run_id=run_id,
                payload=body,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return _event_record(row)

    def _event_body(self, type: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        body = self._redact_data(dict(payload or {}))
        try:
            json.dumps(body)
        except (TypeError, ValueError) as err:
            raise TypeError(f"event {type!r}: payload is not JSON-serialisable ({err})") from None
        return body  # type: ignore[no-any-return]

    def recent_events(self, limit: int = 100, *, type: str | None = None) -> list[EventRecord]:
        """The newest events first, optionally of one type only."""
        query = (
            select(EventRow)
            .where(EventRow.organization_id == self._org_id)
            .order_by(EventRow.id.desc())
            .limit(limit)
        )
        if type is not None:
            query = query.where(EventRow.type == type)
        with self._session(write=False) as s:
            return [_event_record(e) for e in s.scalars(query)]
