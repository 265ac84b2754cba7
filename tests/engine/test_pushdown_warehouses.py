"""Pushdown into the warehouses' stand-ins: Snowflake (fakesnow), BigQuery (the bqemulator),
Redshift (its SQL run on PostgreSQL). The same pipelines as on PostgreSQL, pushed down and
run locally, must give the same rows (decimals exact); the whole-graph statement and the
split case's scan query run on the stand-in's engine.

What the stand-ins cannot prove is listed in docs/pushdown.md (fakesnow runs Snowflake SQL
on DuckDB; the emulator runs BigQuery SQL on DuckDB; Redshift's SQL runs on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.model.connection import Connection
from tests.conformance.engines import differences
from tests.engine import pushdown_cases as cases


@pytest.fixture
def snowflake(tmp_path: Path) -> Iterator[Any]:
    pytest.importorskip("fakesnow")
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake("snow") as snow:
        conns = {
            "snow": Connection(name="snow", type="snowflake", params={}),
            "mart": cases.mart(tmp_path),
        }
        prov = cases.provider(tmp_path, conns, lambda c: snow if c.type == "snowflake" else None)
        cases.load(snow)
        yield prov
        prov.close()


@pytest.fixture
def bigquery(tmp_path: Path, bq_config: dict[str, object]) -> Iterator[Any]:
    conns = {
        "bq": Connection(name="bq", type="bigquery", params=bq_config),
        "mart": cases.mart(tmp_path),
    }
    prov = cases.provider(tmp_path, conns)
    cases.load(prov.open("bq"))
    yield prov
    prov.close()


@pytest.fixture
def redshift(tmp_path: Path, pg_db: dict[str, object]) -> Iterator[Any]:
    from tests.connectors.warehouses import redshift_on_postgres

    rs = redshift_on_postgres(pg_db, name="rs")
    conns = {"rs": Connection(name="rs", type="redshift", params={}), "mart": cases.mart(tmp_path)}
    prov = cases.provider(tmp_path, conns, lambda c: rs if c.type == "redshift" else None)
    cases.load(rs)
    yield prov
    prov.close()


@pytest.fixture
def redshift_driver(
    tmp_path: Path,
    pg_db: dict[str, object],
    pgbouncer: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Any]:
    """Redshift through its real driver (PgBouncer in front of PostgreSQL)."""
    from tests.connectors.warehouses import redshift_driver as through_pgbouncer

    rs = through_pgbouncer(pgbouncer, str(pg_db["dbname"]), monkeypatch, name="rs")
    conns = {"rs": Connection(name="rs", type="redshift", params={}), "mart": cases.mart(tmp_path)}
    prov = cases.provider(tmp_path, conns, lambda c: rs if c.type == "redshift" else None)
    cases.load(rs)
    yield prov
    prov.close()


WAREHOUSES = ["snowflake", "bigquery", "redshift", "redshift_driver"]
NAMES = {"snowflake": "snow", "bigquery": "bq", "redshift": "rs", "redshift_driver": "rs"}


@pytest.mark.parametrize("warehouse", WAREHOUSES)
def test_whole_graph_pushed_matches_local(warehouse: str, request: pytest.FixtureRequest) -> None:
    prov = request.getfixturevalue(warehouse)
    conn = NAMES[warehouse]
    p = cases.sales_pipeline(conn, conn)
    pushed = cases.run(p, prov, "auto")
    assert pushed.plan is not None
    assert pushed.plan["stages"][0]["placement"] == "pushdown"
    assert set(cases.runs_on(pushed).values()) == {conn}
    pushed_rows = cases.rows(prov.open(conn), "sales_by_country")
    local = cases.run(p, prov, "local")
    assert set(cases.runs_on(local).values()) == {"local engine"}
    local_rows = cases.rows(prov.open(conn), "sales_by_country")
    assert len(pushed_rows) == 4
    assert not list(differences(pushed_rows, local_rows))
    assert ("ES", cases.D("306.09"), 4, 10) in pushed_rows


@pytest.mark.parametrize("warehouse", WAREHOUSES)
def test_split_scan_runs_in_the_warehouse(warehouse: str, request: pytest.FixtureRequest) -> None:
    prov = request.getfixturevalue(warehouse)
    conn = NAMES[warehouse]
    p = cases.sales_pipeline(conn, "mart")
    pushed = cases.run(p, prov, "auto")
    where = cases.runs_on(pushed)
    assert where["by_country"] == conn and where["out"] == "local engine"
    assert pushed.node("by_country").rows_out == 4
    pushed_rows = cases.rows(prov.open("mart"), "sales_by_country")
    cases.run(p, prov, "local")
    assert not list(differences(pushed_rows, cases.rows(prov.open("mart"), "sales_by_country")))


@pytest.mark.parametrize("warehouse", WAREHOUSES)
def test_merge_pushed_matches_local(warehouse: str, request: pytest.FixtureRequest) -> None:
    prov = request.getfixturevalue(warehouse)
    conn = NAMES[warehouse]
    results = []
    for execution in ("auto", "local"):
        table = f"merged_{execution}"
        p = cases.sales_pipeline(conn, conn, table=table)
        dest = p.node_by_name("out")
        p.set_params(dest.id, dict(dest.params, mode="merge", keys=["country"]))
        cases.run(p, prov, execution)
        cases.run(p, prov, execution)
        results.append(cases.rows(prov.open(conn), table))
    assert len(results[0]) == 5  # the NULL country never matches: inserted twice, both ways
    assert not list(differences(results[0], results[1]))
