"""The query-analytics store: each pipeline run's statements (tables of
:mod:`app.storage.query_models`), and the history they are judged and charted against.

SQL texts are stored once per organization, by the SHA-256 of their bytes; a statement row
names its text. Texts and plans pass through the secret redactor before they are stored.
:class:`QueryRecord` and :func:`sql_hash` live in :mod:`app.storage.query_records` (no
SQLAlchemy there: the lean run recorder stores the same rows) and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.storage.models import (
    NodeRunRow,
    PipelineRow,
    PipelineVersionRow,
    ProjectRow,
    RunRow,
    utcnow,
)
from app.storage.query_models import NodeQueryRow, QueryTextRow
from app.storage.query_records import QueryRecord, sql_hash, statement_rows
from app.storage.unit_of_work import StoreBase, insert_missing

__all__ = ["QueryLog", "QueryRecord", "QueryStore", "StatementRun", "put_statements", "sql_hash"]


@dataclass(frozen=True)
class StatementRun:
    """One node's statement in one recorded run, with the node's results in that run."""

    run_id: int
    pipeline: str
    node_id: str
    node_name: str
    statement: str
    runs_on: str
    dialect: str
    #: the node's status in the run
    status: str
    #: when the run started
    started_at: datetime | None
    #: the statement's own duration (a read's), else the node's
    seconds: float | None
    #: rows the node read or wrote (destinations: written)
    rows: int | None
    bytes: int | None
    median_seconds: float | None
    slow: bool
    has_plan: bool
    sql_hash: str


_COLUMNS = (
    NodeQueryRow.run_id,
    NodeQueryRow.node_id,
    NodeQueryRow.statement,
    NodeQueryRow.runs_on,
    NodeQueryRow.dialect,
    NodeQueryRow.bytes,
    NodeQueryRow.median_seconds,
    NodeQueryRow.slow,
    NodeQueryRow.plan.is_not(None),
    NodeQueryRow.sql_hash,
    func.coalesce(RunRow.started_at, RunRow.created_at),
    PipelineRow.name,
    NodeRunRow.node_name,
    NodeRunRow.status,
    func.coalesce(NodeQueryRow.own_seconds, NodeRunRow.seconds),
    func.coalesce(NodeRunRow.rows_in, NodeRunRow.rows_out),
)


def _statement(found: Any) -> StatementRun:
    (run_id, node_id, statement, runs_on, dialect, size, median, slow, planned, digest) = found[:10]
    started, pipeline, name, status, seconds, rows = found[10:16]
    return StatementRun(
        run_id=run_id,
        pipeline=pipeline,
        node_id=node_id,
        node_name=name,
        statement=statement,
        runs_on=runs_on,
        dialect=dialect,
        status=status,
        started_at=started,
        seconds=seconds,
        rows=rows,
        bytes=size,
        median_seconds=median,
        slow=bool(slow),
        has_plan=bool(planned),
        sql_hash=digest,
    )


def put_statements(s: Session, org_id: int, run_id: int, records: Sequence[QueryRecord]) -> int:
    """Insert the statements of run ``run_id`` in the caller's transaction; only the SQL texts
    not stored yet are written. Texts and plans are redacted first. Returns how many."""
    if not records:
        return 0
    rows, texts = statement_rows(org_id, run_id, records)
    known = set(
        s.scalars(
            select(QueryTextRow.hash).where(
                QueryTextRow.organization_id == org_id, QueryTextRow.hash.in_(sorted(texts))
            )
        )
    )
    for digest in sorted(set(texts) - known):  # another run may store it meanwhile
        insert_missing(
            s,
            QueryTextRow,
            {"organization_id": org_id, "hash": digest},
            {"sql": texts[digest], "created_at": utcnow()},
        )
    s.execute(insert(NodeQueryRow), rows)
    return len(rows)


class QueryLog(StoreBase):
    """Statements of the pipeline runs of one organization (a part of
    :class:`~app.storage.repository.Repository`, which records runs; :class:`QueryStore` on
    its own)."""

    # -- writing --------------------------------------------------------------------------
    def record(self, run_id: int, records: Sequence[QueryRecord]) -> int:
        """Store the statements of run ``run_id``, one per node, in one transaction (a
        recorded run stores them with its final status instead: ``finish_run``)."""
        with self._session() as s:
            return put_statements(s, self._org_id, run_id, records)

    # -- history --------------------------------------------------------------------------
    def node_durations(
        self,
        project: str,
        pipeline_uid: str,
        *,
        before: int,
        runs: int,
        editor: bool,
    ) -> dict[str, list[float]]:
        """Each node's seconds (its statement's own, else the node's) in the last ``runs``
        successful runs of a pipeline before run ``before``, newest first. ``editor``: only
        the editor's runs (which count every node's rows, and so take longer), or only the
        others."""
        triggers = RunRow.trigger == "gui" if editor else RunRow.trigger != "gui"
        recent = (
            select(RunRow.id)
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
            .where(
                RunRow.organization_id == self._org_id,
                ProjectRow.name == project,
                PipelineRow.uid == pipeline_uid,
                RunRow.status == "succeeded",
                RunRow.id < before,
                triggers,
            )
            .order_by(RunRow.id.desc())
            .limit(runs)
            .subquery()
        )
        seconds = func.coalesce(NodeQueryRow.own_seconds, NodeRunRow.seconds)
        query = (
            select(NodeQueryRow.node_id, seconds)
            .join(recent, recent.c.id == NodeQueryRow.run_id)
            .join(
                NodeRunRow,
                (NodeRunRow.run_id == NodeQueryRow.run_id)
                & (NodeRunRow.node_id == NodeQueryRow.node_id),
            )
            .where(NodeRunRow.status == "succeeded", seconds.is_not(None))
            .order_by(NodeQueryRow.run_id.desc())
        )
        out: dict[str, list[float]] = {}
        with self._session(write=False) as s:
            for node_id, took in s.execute(query):
                out.setdefault(node_id, []).append(float(took or 0.0))
        return out

    def _statements(self) -> Any:
        return (
            select(*_COLUMNS)
            .join(RunRow, RunRow.id == NodeQueryRow.run_id)
            .join(
                NodeRunRow,
                (NodeRunRow.run_id == NodeQueryRow.run_id)
                & (NodeRunRow.node_id == NodeQueryRow.node_id),
            )
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
            .where(NodeQueryRow.organization_id == self._org_id)
        )

    def statements(
        self,
        project: str,
        *,
        pipeline: str | None = None,
        node_id: str | None = None,
        statements: Sequence[str] = (),
        runs: int = 200,
    ) -> list[StatementRun]:
        """The statements of the last ``runs`` recorded runs of ``project`` (of one pipeline,
        by name; of one node, by id; of these ``statements`` kinds), newest run first."""
        recent = (
            select(RunRow.id)
            .join(PipelineVersionRow, PipelineVersionRow.id == RunRow.pipeline_version_id)
            .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
            .join(ProjectRow, ProjectRow.id == PipelineRow.project_id)
            .where(RunRow.organization_id == self._org_id, ProjectRow.name == project)
        )
        if pipeline is not None:
            recent = recent.where(PipelineRow.name == pipeline)
        if node_id is not None:
            ran = select(NodeQueryRow.run_id).where(NodeQueryRow.node_id == node_id)
            recent = recent.where(RunRow.id.in_(ran))
        recent_ids = recent.order_by(RunRow.id.desc()).limit(runs).subquery()
        query = self._statements().join(recent_ids, recent_ids.c.id == RunRow.id)
        if node_id is not None:
            query = query.where(NodeQueryRow.node_id == node_id)
        if statements:
            query = query.where(NodeQueryRow.statement.in_(list(statements)))
        query = query.order_by(RunRow.id.desc(), NodeQueryRow.id)
        with self._session(write=False) as s:
            return [_statement(found) for found in s.execute(query)]

    def statement(
        self, project: str, run_id: int, node: str
    ) -> tuple[StatementRun, str, dict[str, Any] | None, str | None] | None:
        """One node's statement in one run of ``project`` (``node``: its id or its name in
        that run), with its SQL, its plan and why the plan was kept; None when there is
        none."""
        query = (
            self._statements()
            .add_columns(QueryTextRow.sql, NodeQueryRow.plan, NodeQueryRow.plan_reason)
            .join(
                QueryTextRow,
                (QueryTextRow.organization_id == NodeQueryRow.organization_id)
                & (QueryTextRow.hash == NodeQueryRow.sql_hash),
            )
            .where(NodeQueryRow.run_id == run_id, ProjectRow.name == project)
            .where((NodeQueryRow.node_id == node) | (NodeRunRow.node_name == node))
        )
        with self._session(write=False) as s:
            found = s.execute(query).first()
            if found is None:
                return None
            sql, plan, reason = found[16:]
            return _statement(found), sql, plan, reason

    def sql_texts(self, hashes: Sequence[str]) -> dict[str, str]:
        """The SQL texts named by ``hashes``."""
        if not hashes:
            return {}
        query = select(QueryTextRow.hash, QueryTextRow.sql).where(
            QueryTextRow.organization_id == self._org_id,
            QueryTextRow.hash.in_(sorted(set(hashes))),
        )
        with self._session(write=False) as s:
            return {h: sql for h, sql in s.execute(query)}


class QueryStore(QueryLog):
    """:class:`QueryLog` opened on its own (``Workspace.open_store(QueryStore)``)."""
