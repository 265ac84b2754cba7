"""The statements of a run, for query analytics: for each node, the SQL that ran, where it ran,
the bytes it moved, and — when the run asks for plans — the plan its engine made for it.

Three kinds of statement (``QueryReport.statement``):

- ``stage``: a destination's whole query (``WITH … SELECT``), run on the local DuckDB engine or
  pushed down into the destination's database (there wrapped in ``INSERT``/``MERGE``);
- ``read``: a streamed source's read in its own database — its table, or the scan query a
  pushed prefix was folded into (``docs/pushdown.md``, the split case);
- ``part``: every other node: its own part of the SQL (its CTE), which ran fused inside its
  destination's statement (or a scan query), so it has no plan of its own.

Plans are the planner's estimates, ``EXPLAIN (FORMAT JSON)`` of the statement's query, made
once the statement ran and only when the run wants it (``want``: every plan, or a predicate —
the services ask for the plans of statements slower than their history): in DuckDB for local
stages (streamed sources stand in as empty views of their schema: DuckDB cannot estimate a
stream's rows either way), through :meth:`Connector.explain` in a database (PostgreSQL) for
pushed stages and reads. A run that wants no plan explains nothing. Capturing never runs a
query a second time and never fails a run: a plan that cannot be made is reported in
``plan_error``.

>>> select_all("sales.orders", "postgres")
'SELECT * FROM "sales"."orders"'
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from app.engine.run_state import (
    LOCAL_ENGINE,
    PART,
    READ,
    STAGE,
    STATEMENTS,
    PlanWanted,
    QueryReport,
    capture_plan,
)

if TYPE_CHECKING:
    from app.connectors.base import Connector
    from app.engine.local import LocalSession
    from app.engine.plan import ExecutionPlan, Stage

__all__ = [
    "PART",
    "READ",
    "STAGE",
    "STATEMENTS",
    "PlanWanted",
    "QueryReport",
    "StatementLog",
    "select_all",
]


def select_all(table: str, dialect: str) -> str:
    """``SELECT * FROM table`` in ``dialect``: what a streamed read of a table asks for."""
    target = exp.to_table(table, dialect=dialect)
    for part in target.find_all(exp.Identifier):
        part.set("quoted", True)
    return exp.select("*").from_(target).sql(dialect)


class StatementLog:
    """Collects a run's statements as its stages finish (:func:`~app.engine.executor.run_pipeline`).

    ``want``: which statements to explain (:data:`PlanWanted`).
    """

    def __init__(self, want: PlanWanted = None) -> None:
        self.want = want
        self.found: dict[str, QueryReport] = {}
        #: the plans to make once the run's statements are done (:meth:`explain`)
        self.pending: list[tuple[QueryReport, Callable[[], Any]]] = []

    def _wanted(self, report: QueryReport) -> bool:
        if callable(self.want):
            return self.want(report)
        return bool(self.want)

    def pushdown(self, stage: Stage, connector: Connector, seconds: float) -> None:
        """A stage that ran in its database, in ``seconds``."""
        report = self._stage(stage, stage.connection, seconds)
        if self._wanted(report):
            self.pending.append((report, lambda: connector.explain(stage.sql)))

    def local(
        self, stage: Stage, session: LocalSession, ids: Iterable[str], seconds: float
    ) -> None:
        """A local stage that ran in ``seconds``: its streamed reads (bytes, time in their
        connector) and its query, with the bytes its write streamed."""
        for node_id in sorted(ids):
            source = session.streamed.get(node_id)
            if source is None:
                continue
            read = self.found.get(node_id)
            if read is None:
                dialect = source.connector.capabilities.dialect
                sql = source.query or select_all(str(source.table), dialect)
                connection = str(source.node.params.get("connection", ""))
                read = QueryReport(node_id, source.node.name, READ, connection, dialect, sql)
                self.found[node_id] = read
            read.bytes = (read.bytes or 0) + source.bytes
            read.seconds = round((read.seconds or 0.0) + source.read_seconds, 4)
            if self._wanted(read) and all(r is not read for r, _plan in self.pending):
                self.pending.append((read, functools.partial(source.connector.explain, read.sql)))
        report = self._stage(stage, LOCAL_ENGINE, seconds)
        report.bytes = None if stage.preview else session.written_bytes
        if self._wanted(report):
            ran = set(ids)
            self.pending.append((report, lambda: _duckdb_plan(session, stage.sql, ran)))

    def explain(self) -> None:
        """Make the plans wanted, after the statements ran (their durations do not count
        the planning), while the run's session and connections are still open."""
        pending, self.pending = self.pending, []
        for report, plan in pending:
            capture_plan(report, plan)

    def _stage(self, stage: Stage, runs_on: str, seconds: float) -> QueryReport:
        node = stage.destination
        report = QueryReport(node.id, node.name, STAGE, runs_on, stage.dialect, stage.sql)
        report.seconds = round(seconds, 4)
        self.found[node.id] = report
        return report

    def reports(self, plan: ExecutionPlan, ran: set[str]) -> list[QueryReport]:
        """Every node that ran (``ran``: their ids), in the pipeline's order: its statement,
        or its own part of the SQL where it ran."""
        out = []
        for node in plan.pipeline.topological_order():
            if node.id not in ran:
                continue
            found = self.found.get(node.id)
            if found is not None:
                out.append(found)
                continue
            sql = plan.sql_of(node.id)
            if sql is None:
                continue
            place = plan.placement.places.get(node.id)
            out.append(
                QueryReport(
                    node.id,
                    node.name,
                    PART,
                    plan.runs_on(node.id),
                    place.dialect if place else "duckdb",
                    sql,
                )
            )
        return out


def _duckdb_plan(session: LocalSession, sql: str, ids: Iterable[str]) -> Any:
    """DuckDB's plan of a local stage that ran: its streams are gone (read once), so each
    stands in as an empty view of its schema while the query is planned."""
    import duckdb

    standing: list[str] = []
    try:
        for node_id in ids:
            source = session.streamed.get(node_id)
            if source is None:
                continue
            try:  # a stream read twice is a temp table of that name, still there
                session.con.register(source.view, source.schema.empty_table())
                standing.append(source.view)
            except duckdb.Error:
                continue
        # a fixed keyword before a query Cauce rendered: no value is put into SQL here
        rows = session.con.execute("EXPLAIN (FORMAT JSON) " + sql).fetchall()
    finally:
        for view in standing:
            with contextlib.suppress(duckdb.Error):
                session.con.unregister(view)
    return json.loads(rows[0][1]) if rows else None
