"""The statements of a run, for query analytics: for each node, the SQL that ran, where it ran,
the bytes it moved, and — when the run asks for plans — the plan its engine made for it.

Three kinds of statement (``QueryReport.statement``):

- ``stage``: a destination's whole query (``WITH … SELECT``), run on the local DuckDB engine or
  pushed down into the destination's database (there wrapped in ``INSERT``/``MERGE``);
- ``read``: a streamed source's read in its own database — its table, or the scan query a
  pushed prefix was folded into (``docs/pushdown.md``, the split case);
- ``part``: every other node: its own part of the SQL (its CTE), which ran fused inside its
  destination's statement (or a scan query), so it has no plan of its own.

Plans are the planner's estimates, ``EXPLAIN (FORMAT JSON)`` of the statement's query,
captured just before it runs: in DuckDB for local stages, through
:meth:`Connector.explain` in a database (PostgreSQL) for pushed stages and reads. Capturing
never runs a query a second time and never fails a run: a plan that cannot be made is
reported in ``plan_error``.

>>> select_all("sales.orders", "postgres")
'SELECT * FROM "sales"."orders"'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from app.engine.placement import LOCAL_ENGINE

if TYPE_CHECKING:
    from app.connectors.base import Connector
    from app.engine.local import LocalSession
    from app.engine.plan import ExecutionPlan, Stage

__all__ = ["PART", "READ", "STAGE", "STATEMENTS", "QueryReport", "StatementLog", "select_all"]

STAGE, READ, PART = "stage", "read", "part"
STATEMENTS = (STAGE, READ, PART)


@dataclass
class QueryReport:
    """One node's statement in a run (see the module's docstring for ``statement``)."""

    node_id: str
    node_name: str
    statement: str
    #: the connection it ran in, or "local engine"
    runs_on: str
    dialect: str
    sql: str
    #: Arrow bytes read (``read``) or streamed to the destination's writer (``stage``);
    #: None where not measured (pushed down, written inside DuckDB, a ``part``)
    bytes: int | None = None
    #: a ``read``'s own duration: the seconds spent in its connector, opening the read and
    #: fetching its rows (a node's duration is its stage's: every node of a fused query
    #: finishes with it); None for the others
    seconds: float | None = None
    #: ``{"format": <the dialect>, "plan": <its EXPLAIN's JSON>}`` when captured (DuckDB's and
    #: PostgreSQL's: :mod:`app.engine.plan_tree` reads both)
    plan: dict[str, Any] | None = None
    #: why no plan could be captured, when one was asked for
    plan_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def select_all(table: str, dialect: str) -> str:
    """``SELECT * FROM table`` in ``dialect``: what a streamed read of a table asks for."""
    target = exp.to_table(table, dialect=dialect)
    for part in target.find_all(exp.Identifier):
        part.set("quoted", True)
    return exp.select("*").from_(target).sql(dialect)


class StatementLog:
    """Collects a run's statements while its stages run (:func:`~app.engine.executor.run_pipeline`).

    ``capture``: explain each ``stage`` and ``read`` statement before it runs.
    """

    def __init__(self, capture: bool = False) -> None:
        self.capture = capture
        self.found: dict[str, QueryReport] = {}

    def pushdown(self, stage: Stage, connector: Connector) -> None:
        """A stage about to run in its database."""
        report = self._stage(stage, stage.connection)
        if self.capture:
            _explain(report, lambda: connector.explain(stage.sql))

    def local(self, stage: Stage, session: LocalSession, ids: Iterable[str]) -> None:
        """A local stage about to run, its sources registered: its streamed reads and its
        query (explained in the session's DuckDB; streams are planned, not consumed)."""
        for node_id in sorted(ids):
            source = session.streamed.get(node_id)
            if source is None or node_id in self.found:
                continue
            dialect = source.connector.capabilities.dialect
            sql = source.query or select_all(str(source.table), dialect)
            read = QueryReport(
                node_id,
                source.node.name,
                READ,
                str(source.node.params.get("connection", "")),
                dialect,
                sql,
            )
            self.found[node_id] = read
            if self.capture:
                _explain(read, functools.partial(source.connector.explain, sql))
        report = self._stage(stage, LOCAL_ENGINE)
        if self.capture:
            _explain(report, lambda: _duckdb_plan(session, stage.sql))

    def written(self, stage: Stage, session: LocalSession, ids: Iterable[str]) -> None:
        """A local stage that ran: the bytes its reads and its write moved."""
        report = self.found.get(stage.destination.id)
        if report is not None and report.statement == STAGE:
            report.bytes = session.written_bytes
        for node_id in ids:
            source = session.streamed.get(node_id)
            read = self.found.get(node_id)
            if source is not None and read is not None and read.statement == READ:
                read.bytes = (read.bytes or 0) + source.bytes
                read.seconds = round((read.seconds or 0.0) + source.read_seconds, 4)

    def _stage(self, stage: Stage, runs_on: str) -> QueryReport:
        node = stage.destination
        report = QueryReport(node.id, node.name, STAGE, runs_on, stage.dialect, stage.sql)
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


def _duckdb_plan(session: LocalSession, sql: str) -> Any:
    # a fixed keyword before a query Cauce rendered: no value is put into SQL here
    rows = session.con.execute("EXPLAIN (FORMAT JSON) " + sql).fetchall()
    return json.loads(rows[0][1]) if rows else None


def _explain(report: QueryReport, plan: Callable[[], Any]) -> None:
    """Capture ``plan()`` on ``report``, in the format of its dialect's ``EXPLAIN``."""
    try:
        found = plan()
    except Exception as err:  # noqa: BLE001 - a plan is never worth a failed run
        report.plan_error = str(err).strip().splitlines()[0] if str(err).strip() else repr(err)
        return
    if found is not None:
        report.plan = {"format": report.dialect, "plan": found}
