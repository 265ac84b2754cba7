"""Pushdown into a real PostgreSQL: whole-graph, split, and forced local give the same rows.

Each pipeline runs twice, ``execution="auto"`` (pushed down where the planner can) and
``execution="local"`` (everything through the local DuckDB engine); the destination tables'
rows must be equal, decimals exact. The SQL the plan says a database runs is run there.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from app.model.connection import Connection
from tests.conformance.engines import differences
from tests.engine import pushdown_cases as cases


def _pg(pg_db: dict, name: str = "pg") -> Connection:
    return Connection(
        name=name,
        type="postgres",
        params={
            "host": pg_db["host"],
            "port": pg_db["port"],
            "user": pg_db["user"],
            "database": pg_db["dbname"],
        },
    )


@pytest.fixture
def pg(pg_db: dict, tmp_path: Path):  # type: ignore[no-untyped-def]
    conns = {
        "pg": _pg(pg_db),
        "pg_too": _pg(pg_db, "pg_too"),  # another name for the same database
        "mart": cases.mart(tmp_path),
    }
    prov = cases.provider(tmp_path, conns)
    cases.load(prov.open("pg"))
    yield prov
    prov.close()


def _pg_rows(pg_db: dict, table: str) -> list[tuple]:
    with psycopg.connect(str(pg_db["dsn"])) as con:
        return [tuple(r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall()]


def test_whole_graph_runs_in_postgres_and_matches_local(pg) -> None:  # type: ignore[no-untyped-def]
    p = cases.sales_pipeline("pg", "pg_too")
    pushed = cases.run(p, pg, "auto")
    assert pushed.plan is not None
    [stage] = pushed.plan["stages"]
    assert stage["placement"] == "pushdown" and stage["runs_on"] == "pg_too"
    where = cases.runs_on(pushed)
    assert set(where.values()) == {"pg"}, where
    pushed_rows = cases.rows(pg.open("pg"), "sales_by_country")

    local = cases.run(p, pg, "local")
    assert set(cases.runs_on(local).values()) == {"local engine"}
    assert local.plan is not None and local.plan["stages"][0]["placement"] == "local"
    local_rows = cases.rows(pg.open("pg"), "sales_by_country")
    assert len(local_rows) == 4  # ES, US, FR and the NULL country
    assert not list(differences(pushed_rows, local_rows))
    assert ("ES", cases.D("306.09"), 4, 10) in pushed_rows


def test_pipeline_setting_forces_local(pg) -> None:  # type: ignore[no-untyped-def]
    p = cases.sales_pipeline("pg", "pg")
    p.execution = "local"
    report = cases.run(p, pg, None)  # type: ignore[arg-type]
    assert set(cases.runs_on(report).values()) == {"local engine"}
    assert (
        "execution" in p.canonical()
        and "execution" not in cases.sales_pipeline("a", "b").canonical()
    )


def test_split_folds_the_prefix_into_the_source_query(pg, pg_db: dict) -> None:  # type: ignore[no-untyped-def]
    """Destination elsewhere (a DuckDB file): join, filter and aggregate run in PostgreSQL
    as the scan query of one source; only the 4 aggregated rows cross the network."""
    p = cases.sales_pipeline("pg", "mart")
    pushed = cases.run(p, pg, "auto")
    where = cases.runs_on(pushed)
    assert where == {
        "customers": "pg",
        "orders": "pg",
        "joined": "pg",
        "big": "pg",
        "by_country": "pg",
        "out": "local engine",
    }
    assert pushed.plan is not None
    folded = {n["name"]: n for n in pushed.plan["nodes"]}["by_country"]
    assert folded["folded"] and "GROUP BY" in folded["sql"]
    # the source stream read only the aggregated rows
    assert pushed.node("by_country").rows_out == 4
    # the scan query is PostgreSQL's: it runs there, giving the same rows
    with psycopg.connect(str(pg_db["dsn"])) as con:
        scanned = [tuple(r) for r in con.execute(folded["sql"]).fetchall()]
    mart = pg.open("mart")
    pushed_rows = cases.rows(mart, "sales_by_country")
    assert not list(differences(sorted(scanned, key=str), sorted(pushed_rows, key=str)))

    cases.run(p, pg, "local")
    assert not list(differences(pushed_rows, cases.rows(mart, "sales_by_country")))


def test_a_node_postgres_cannot_run_identically_stays_local(pg) -> None:  # type: ignore[no-untyped-def]
    """Custom SQL (DuckDB SQL typed by the user) is never pushed: the aggregate before it is
    the frontier, folded into the scan; the custom SQL and the write run locally."""
    p = cases.sales_pipeline("pg", "pg")
    cases.with_local_step(p)
    pushed = cases.run(p, pg, "auto")
    where = cases.runs_on(pushed)
    assert where["by_country"] == "pg" and where["local_step"] == "local engine"
    assert where["out"] == "local engine"
    first = cases.rows(pg.open("pg"), "sales_by_country")
    cases.run(p, pg, "local")
    again = cases.rows(pg.open("pg"), "sales_by_country")
    assert not list(differences(first, again))
    assert all(r[4] == r[1] * 2 for r in first if r[1] is not None)


@pytest.mark.parametrize("mode", ["append", "merge"])
def test_write_modes_pushed_and_local_agree(pg, pg_db: dict, mode: str) -> None:  # type: ignore[no-untyped-def]
    results = []
    for execution in ("auto", "local"):
        table = f"t_{mode}_{execution}"
        p = cases.sales_pipeline("pg", "pg", table=table)
        dest = p.node_by_name("out")
        params = dict(dest.params, mode=mode)
        if mode == "merge":
            params["keys"] = ["country"]
        p.set_params(dest.id, params)
        report = cases.run(p, pg, execution)
        assert report.plan is not None
        expected = "pushdown" if execution == "auto" else "local"
        assert report.plan["stages"][0]["placement"] == expected
        cases.run(p, pg, execution)  # twice: append doubles, merge does not
        results.append(sorted(_pg_rows(pg_db, table), key=str))
    # a merge on "country" never matches the NULL country's row (SQL's MERGE), either way
    assert len(results[0]) == (8 if mode == "append" else 5)
    assert not list(differences(results[0], results[1]))
