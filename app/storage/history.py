"""Read-only queries over the run log for monitoring: pipeline and sync runs of one project,
filtered by name, status and time, with the rows each moved.

Rows moved by a pipeline run are the rows its sinks received (the ``rows_in`` of the nodes
that record one: destinations); by a sync run, the rows it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.storage.models import (
    NodeRunRow,
    PipelineRow,
    PipelineVersionRow,
    ProjectRow,
    RunRow,
)
from app.storage.sync_models import SyncRow, SyncRunRow
from app.storage.unit_of_work import StoreBase

__all__ = ["HistoryRow", "HistoryStore"]


@dataclass(frozen=True)
class HistoryRow:
    """One run of a pipeline (``kind == "pipeline"``) or a sync."""

    kind: str
    id: int
    name: str
    status: str
    trigger: str
    started_at: datetime | None
    finished_at: datetime | None
    rows: int | None
    error: str | None

    @property
    def seconds(self) -> float | None:
        """How long the run took (None while it runs)."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class HistoryStore(StoreBase):
    """The runs of one organization's projects, for history lists and charts."""

    def pipeline_runs(
        self,
        project: str,
        *,
        names: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[HistoryRow]:
        """Pipeline runs of ``project``, newest first (``since``/``until`` on the start)."""
        rows = (
            select(NodeRunRow.run_id, func.sum(NodeRunRow.rows_in).label("rows"))
            .where(NodeRunRow.rows_in.is_not(None))
            .group_by(NodeRunRow.run_id)
            .subquery()
        )
        started = func.coalesce(RunRow.started_at, RunRow.created_at)
        query: Any = (
            select(RunRow, PipelineRow.name, rows.c.rows)
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
            .outerjoin(rows, rows.c.run_id == RunRow.id)
            .where(RunRow.organization_id == self._org_id, ProjectRow.name == project)
        )
        if names:
            query = query.where(PipelineRow.name.in_(list(names)))
        if statuses:
            query = query.where(RunRow.status.in_(list(statuses)))
        if since is not None:
            query = query.where(started >= since)
        if until is not None:
            query = query.where(started < until)
        query = query.order_by(RunRow.id.desc()).limit(limit)
        with self._session(write=False) as s:
            return [
                HistoryRow(
                    "pipeline",
                    run.id,
                    name,
                    run.status,
                    run.trigger,
                    run.started_at or run.created_at,
                    run.finished_at,
                    None if moved is None else int(moved),
                    run.error,
                )
                for run, name, moved in s.execute(query)
            ]

    def sync_runs(
        self,
        project: str,
        *,
        names: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[HistoryRow]:
        """Sync runs of ``project``, newest first."""
        query: Any = (
            select(SyncRunRow, SyncRow.name)
            .join(SyncRow, SyncRow.id == SyncRunRow.sync_id)
            .join(ProjectRow, ProjectRow.id == SyncRow.project_id)
            .where(SyncRunRow.organization_id == self._org_id, ProjectRow.name == project)
        )
        if names:
            query = query.where(SyncRow.name.in_(list(names)))
        if statuses:
            query = query.where(SyncRunRow.status.in_(list(statuses)))
        if since is not None:
            query = query.where(SyncRunRow.started_at >= since)
        if until is not None:
            query = query.where(SyncRunRow.started_at < until)
        query = query.order_by(SyncRunRow.id.desc()).limit(limit)
        with self._session(write=False) as s:
            return [
                HistoryRow(
                    "sync",
                    run.id,
                    name,
                    run.status,
                    run.trigger,
                    run.started_at,
                    run.finished_at,
                    run.rows_read,
                    run.error,
                )
                for run, name in s.execute(query)
            ]

    def sync_run_destinations(self, run_id: int) -> tuple[str, dict[str, Any]] | None:
        """The sync's name and the per-destination results of one sync run (None: no such run)."""
        query = (
            select(SyncRow.name, SyncRunRow.destinations)
            .join(SyncRow, SyncRow.id == SyncRunRow.sync_id)
            .where(SyncRunRow.organization_id == self._org_id, SyncRunRow.id == run_id)
        )
        with self._session(write=False) as s:
            found = s.execute(query).first()
            return None if found is None else (found[0], dict(found[1] or {}))

    def sync_run(self, run_id: int) -> tuple[HistoryRow, str, dict[str, Any]] | None:
        """One sync run of this organization, its project's name and its per-destination
        results (None: no such run here)."""
        query = (
            select(SyncRunRow, SyncRow.name, ProjectRow.name)
            .join(SyncRow, SyncRow.id == SyncRunRow.sync_id)
            .join(ProjectRow, ProjectRow.id == SyncRow.project_id)
            .where(SyncRunRow.organization_id == self._org_id, SyncRunRow.id == run_id)
        )
        with self._session(write=False) as s:
            found = s.execute(query).first()
            if found is None:
                return None
            run, name, project = found
            row = HistoryRow(
                "sync",
                run.id,
                name,
                run.status,
                run.trigger,
                run.started_at,
                run.finished_at,
                run.rows_read,
                run.error,
            )
            return row, project, dict(run.destinations or {})
