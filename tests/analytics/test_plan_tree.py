"""Plans made by the real engines — DuckDB's and PostgreSQL's ``EXPLAIN (FORMAT JSON)`` — read
into one tree, with the operator doing most of the work flagged as costly."""

from __future__ import annotations

import json

import duckdb
import psycopg
import pytest

from app.connectors.postgres import PostgresConnector
from app.engine.plan_tree import COSTLY_SHARE, PlanError, parse_plan

JOIN = (
    "SELECT s.k, count(*) AS n FROM big AS b JOIN small AS s ON b.k = s.k "
    "WHERE b.v > 10 GROUP BY s.k"
)


def test_a_duckdb_plan_flags_the_work_on_the_big_table() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE big AS SELECT i % 100 AS k, i AS v FROM range(2000000) t(i)")
    con.execute("CREATE TABLE small AS SELECT i AS k FROM range(100) t(i)")
    [(_, text)] = con.execute("EXPLAIN (FORMAT JSON) " + JOIN).fetchall()
    tree = parse_plan("duckdb", json.loads(text))

    nodes = list(tree.walk())
    scans = {n.properties["Table"].split(".")[-1]: n for n in nodes if "SCAN" in n.operator}
    assert set(scans) == {"big", "small"}
    # DuckDB's own estimates, read as numbers: the big table's filtered scan, the small one
    assert scans["small"].rows == 100
    assert scans["big"].rows is not None and scans["big"].rows > 100_000
    join = next(n for n in nodes if n.operator == "HASH_JOIN")
    assert "INNER" in join.detail and "k = k" in join.detail
    # the work of the join is the rows it takes in: its children's estimates
    assert join.own == sum(c.rows or 0 for c in join.children)
    assert abs(sum(n.share for n in nodes) - 1.0) < 1e-9
    costly = {n.operator for n in nodes if n.costly}
    assert all(n.share >= COSTLY_SHARE for n in nodes if n.costly)
    # the scan of the big table, the join and the aggregate over it; never a projection
    # (it only passes rows on) nor the scan of the small table
    assert scans["big"].costly and join.costly and "PERFECT_HASH_GROUP_BY" in costly
    assert not scans["small"].costly and "PROJECTION" not in costly
    assert tree.to_dict()["children"], "the tree serialises with its children"


@pytest.fixture
def pg_tables(pg_db: dict) -> dict:
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute(
            "CREATE TABLE big AS SELECT i % 100 AS k, i AS v FROM generate_series(1, 300000) i"
        )
        con.execute("CREATE TABLE small AS SELECT i AS k FROM generate_series(0, 99) i")
        con.execute("ANALYZE big")
        con.execute("ANALYZE small")
    return pg_db


def test_a_postgres_plan_from_the_connector_flags_the_seq_scan_of_the_big_table(
    pg_tables: dict,
) -> None:
    connector = PostgresConnector(
        PostgresConnector.Config(
            host=pg_tables["host"],
            port=pg_tables["port"],
            user=pg_tables["user"],
            database=pg_tables["dbname"],
        ),
        name="pg",
    )
    with connector:
        raw = connector.explain(JOIN)
    tree = parse_plan("postgres", raw)
    nodes = list(tree.walk())
    # exclusive costs add up to the root's inclusive total cost, which PostgreSQL computed
    assert tree.cost == raw[0]["Plan"]["Total Cost"]
    assert sum(n.own for n in nodes) == pytest.approx(tree.cost)
    big = next(n for n in nodes if n.detail.startswith("big"))
    assert big.operator == "Seq Scan" and "(v > 10)" in big.detail
    assert big.own == big.cost  # a leaf does all of its own work
    assert big.costly and big.share == max(n.share for n in nodes)
    small = next(n for n in nodes if n.detail.startswith("small"))
    assert not small.costly
    assert "Plan Width" in big.properties  # every other field kept, as text


def test_explaining_never_runs_the_query(pg_tables: dict) -> None:
    """EXPLAIN runs in a read-only transaction: even a statement that writes is only planned."""
    connector = PostgresConnector(
        PostgresConnector.Config(
            host=pg_tables["host"],
            port=pg_tables["port"],
            user=pg_tables["user"],
            database=pg_tables["dbname"],
        ),
        name="pg",
    )
    with connector:
        raw = connector.explain("DELETE FROM small")
    tree = parse_plan("postgres", raw)
    assert tree.operator == "ModifyTable" and tree.detail.startswith("Delete; small")
    with psycopg.connect(str(pg_tables["dsn"])) as con:
        assert con.execute("SELECT count(*) FROM small").fetchone() == (100,)


@pytest.mark.parametrize(
    ("fmt", "data", "says"),
    [
        ("postgres", {"Node Type": "Seq Scan"}, "'Plan'"),
        ("postgres", [{"Plan": {"Total Cost": 1}}], "Node Type"),
        ("duckdb", "not a plan", "operator object"),
        ("duckdb", [{"children": []}], "'name'"),
        ("mysql", [], "no plan reader for 'mysql'"),
    ],
)
def test_a_plan_that_is_not_explain_json_is_refused_naming_what_is_missing(
    fmt: str, data: object, says: str
) -> None:
    with pytest.raises(PlanError, match=says):
        parse_plan(fmt, data)
