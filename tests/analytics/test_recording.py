"""Every recorded run stores, per node, the SQL that ran, where it ran, rows, bytes and
duration, and the plans it was asked for: DuckDB's on the local engine, PostgreSQL's for a
pipeline pushed down into it or folded into a source's scan query. The SQL recorded is the SQL
that ran: run again on its engine, it gives the rows the run moved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from app.connectors.sqlite import SQLiteConnector
from app.services.query_analytics import node_trend, query_plan, slowest_queries
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.storage.queries import QueryStore
from app.storage.query_models import NodeQueryRow, QueryTextRow

from .conftest import point_at_postgres

SOURCES = {"genres": 25, "invoice_lines": 2240, "invoices": 412, "tracks": 3503}


def _count(ws: Workspace, model: type) -> int:
    with ws.open_store(QueryStore) as store, store._session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_local_run_records_its_statements_and_duckdbs_plan(chinook: Path, ws: Workspace) -> None:
    result = run_project(chinook, workspace=ws, explain=True)
    assert result.ok
    [report] = result.reports
    run_id = int(report.run_id)
    assert report.plan is not None
    [stage] = report.plan["stages"]

    mart = query_plan("chinook", run_id, "mart", workspace=ws)
    assert (mart.statement, mart.runs_on, mart.dialect) == ("stage", "local engine", "duckdb")
    assert mart.sql == stage["sql"]  # the statement the engine ran
    [ran] = [q for q in report.queries if q.node_name == "mart"]
    # the statement's own time, measured around it: within the destination node's duration
    assert mart.rows == 432 and mart.seconds == ran.seconds <= report.node("mart").seconds
    assert mart.reason == "requested" and mart.root is not None
    operators = [n.operator for n in mart.root.walk()]
    assert operators.count("PYTHON_ARROW_SCAN") == len(SOURCES)  # the four streamed reads
    assert "HASH_JOIN" in operators and "HASH_GROUP_BY" in operators

    chinook_db = chinook / "data" / "chinook.sqlite"
    for name, rows in SOURCES.items():
        read = query_plan("chinook", run_id, name, workspace=ws)
        assert (read.statement, read.runs_on, read.dialect) == ("read", "chinook", "sqlite")
        assert read.rows == rows
        with sqlite3.connect(chinook_db) as con:  # the recorded read, run on SQLite itself
            assert len(con.execute(read.sql).fetchall()) == rows
        assert read.root is None and "sqlite" in read.reason  # SQLite plans are not read
    # bytes read: what the same read gives as Arrow, measured apart from the run
    [lines] = [q for q in slowest_queries("chinook", workspace=ws) if q.node == "invoice_lines"]
    connector = SQLiteConnector(SQLiteConnector.Config(path=str(chinook_db)), name="chinook")
    with connector:
        table = connector.read(table="InvoiceLine", batch_rows=65_536).read_all()
    assert lines.bytes == table.nbytes and lines.rows == table.num_rows

    part = query_plan("chinook", run_id, "paid_lines", workspace=ws)
    assert part.statement == "part" and part.root is None and "WHERE" in part.sql
    assert "part of its destination" in part.reason


def test_texts_are_stored_once_and_plans_only_when_kept(chinook: Path, ws: Workspace) -> None:
    assert run_project(chinook, workspace=ws).ok
    texts, statements = _count(ws, QueryTextRow), _count(ws, NodeQueryRow)
    assert statements == 12 and texts == 12  # every node of the run, each its own text
    assert run_project(chinook, workspace=ws).ok
    assert _count(ws, QueryTextRow) == texts  # the same SQL again: no new text
    assert _count(ws, NodeQueryRow) == 2 * statements
    trend = node_trend("chinook", "revenue", "mart", workspace=ws)
    assert [p.has_plan for p in trend.points] == [False, False]  # not asked, not slower
    assert [p.rows for p in trend.points] == [432, 432]
    view = query_plan("chinook", trend.points[-1].run_id, "mart", workspace=ws)
    assert view.root is None and "--explain" in view.reason


def test_an_unknown_run_or_node_is_named(chinook: Path, ws: Workspace) -> None:
    assert run_project(chinook, workspace=ws).ok
    with pytest.raises(ValueError, match="run 99 of project 'chinook'.*'mart'"):
        query_plan("chinook", 99, "mart", workspace=ws)
    with pytest.raises(ValueError, match="no node 'nope'.*mart"):
        node_trend("chinook", "revenue", "nope", workspace=ws)
    with pytest.raises(ValueError, match="project 'other'"):
        query_plan("other", 1, "mart", workspace=ws)


@pytest.mark.postgres
def test_a_pipeline_pushed_down_into_postgres_records_postgres_plan(
    chinook: Path, ws: Workspace, pg_db: dict
) -> None:
    point_at_postgres(chinook, pg_db, ("chinook", "warehouse"))
    result = run_project(chinook, workspace=ws, explain=True)
    assert result.ok
    [report] = result.reports
    [stage] = report.plan["stages"] if report.plan else []
    assert stage["placement"] == "pushdown"

    mart = query_plan("chinook", int(report.run_id), "mart", workspace=ws)
    assert (mart.statement, mart.runs_on, mart.dialect) == ("stage", "warehouse", "postgres")
    assert mart.sql == stage["sql"] and mart.reason == "requested"
    assert mart.root is not None and mart.root.cost is not None
    operators = {n.operator for n in mart.root.walk()}
    assert "Hash Join" in operators or "Merge Join" in operators or "Nested Loop" in operators
    assert any(n.detail.startswith("InvoiceLine") for n in mart.root.walk())
    assert mart.costly, "PostgreSQL's costs flag the costliest operators"
    with psycopg.connect(str(pg_db["dsn"])) as con:  # the recorded statement, run again
        assert len(con.execute(mart.sql).fetchall()) == mart.rows == 432
    paid = query_plan("chinook", int(report.run_id), "paid_lines", workspace=ws)
    assert (paid.statement, paid.runs_on, paid.dialect) == ("part", "chinook", "postgres")


@pytest.mark.postgres
def test_a_prefix_folded_into_a_postgres_scan_records_the_scan_and_its_plan(
    chinook: Path, ws: Workspace, pg_db: dict
) -> None:
    """The split case: the data in PostgreSQL, the mart a DuckDB file. The aggregate runs in
    PostgreSQL as the scan query of a source; its 432 rows alone cross the network."""
    point_at_postgres(chinook, pg_db, ("chinook",))
    result = run_project(chinook, workspace=ws, explain=True)
    assert result.ok
    run_id = int(result.reports[0].run_id)
    scan = query_plan("chinook", run_id, "by_country_genre_year", workspace=ws)
    assert (scan.statement, scan.runs_on, scan.dialect) == ("read", "chinook", "postgres")
    assert "GROUP BY" in scan.sql and scan.rows == 432
    assert scan.root is not None and scan.root.operator in ("Aggregate", "HashAggregate", "Sort")
    with psycopg.connect(str(pg_db["dsn"])) as con:
        assert len(con.execute(scan.sql).fetchall()) == 432
    mart = query_plan("chinook", run_id, "mart", workspace=ws)
    assert (mart.runs_on, mart.dialect) == ("local engine", "duckdb")
    assert mart.root is not None
    [read] = [q for q in slowest_queries("chinook", workspace=ws) if q.statement == "read"]
    assert read.node == "by_country_genre_year" and read.bytes and read.plan_run_id == run_id
