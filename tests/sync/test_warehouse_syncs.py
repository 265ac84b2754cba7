"""Syncs into the warehouses: Snowflake (on fakesnow), Redshift (its SQL on PostgreSQL through
psycopg, and the real redshift-connector driver through PgBouncer to PostgreSQL).

Full, append and merge from a DuckDB source of more than 10,000 rows (the bulk path, asserted
on the statements issued), the state committed with the data (Snowflake's merge: one
``MERGE`` just before the state's transaction, see test_snowflake_merge.py), schema evolution
with each warehouse's DDL, and a failure just before the commit leaving the destination as it
was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from app.connectors.base import STATE_TABLE, ConnectionError_
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.engine.sync.cursor import read_state

ROWS = 12_000


@pytest.fixture(
    params=[
        "snowflake",
        pytest.param("redshift", marks=pytest.mark.postgres),
        pytest.param("redshift-driver", marks=pytest.mark.postgres),
    ]
)
def wh(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if request.param == "snowflake":
        from tests.connectors.warehouses import fake_snowflake

        with fake_snowflake("wh") as connector:
            connector.trace = []
            yield connector
    elif request.param == "redshift-driver":
        from tests.connectors.warehouses import redshift_driver

        database = str(request.getfixturevalue("pg_db")["dbname"])
        bouncer = request.getfixturevalue("pgbouncer")
        connector = redshift_driver(bouncer, database, monkeypatch, name="wh")
        connector.trace = []
        yield connector
        connector.close()
    else:
        from tests.connectors.warehouses import redshift_on_postgres

        connector = redshift_on_postgres(request.getfixturevalue("pg_db"), name="wh")
        connector.trace = []
        yield connector


@pytest.fixture
def src(tmp_path: Path) -> Iterator[DuckDBConnector]:
    path = tmp_path / "src.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE items AS SELECT i::BIGINT AS id, 'n' || i AS name, "
            f"(i * 1.25)::DECIMAL(8,2) AS price, i::BIGINT AS seq FROM range({ROWS}) t(i)"
        )
    connector = DuckDBConnector(DuckDBConfig(path=str(path)), name="src")
    yield connector
    connector.close()


def _source(src: DuckDBConnector, sql: str) -> None:
    with duckdb.connect(str(src.root / src.config.path)) as con:  # type: ignore[attr-defined]
        con.execute(sql)


def _rows(connector: Any) -> list[dict[str, Any]]:
    return connector.read(table="items").read_all().sort_by("id").to_pylist()


def _statements(wh: Any) -> list[str]:
    return [s for s in wh.trace if isinstance(s, str)]


def _definition(mode: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "items",
        "source": {"connection": "src", "table": "items"},
        "destinations": [{"connection": "wh", "table": "items"}],
        "mode": mode,
        **extra,
    }


def test_full_append_merge_use_the_bulk_path_and_commit_state(
    wh: Any, src: DuckDBConnector, harness: Any
) -> None:
    h = harness(src=src, wh=wh)
    report = h.run(_definition("append", cursor="seq"))
    assert report.ok, report.error
    assert _rows(wh) == _rows(src)
    loads = [s for s in wh.trace if isinstance(s, tuple)]
    assert sum(n for _, n in loads) == ROWS
    inserts = [
        s
        for s in _statements(wh)
        if s.startswith("INSERT INTO") and "VALUES" in s and STATE_TABLE not in s
    ]
    # no row-by-row inserts: Snowflake loads through write_pandas (staged Parquet + COPY
    # INTO), Redshift with multi-row INSERTs of at most insert_rows rows
    if wh.type_name == "snowflake":
        assert not inserts and len(loads) == 1
    else:
        assert len(inserts) == 12 and all(s.count("),") >= 999 for s in inserts[:-1])
    wh.trace.clear()

    _source(src, "INSERT INTO items SELECT i, 'new', 1.00, i FROM range(12000, 12010) t(i)")
    report = h.run(_definition("append", cursor="seq"))
    assert report.ok, report.error
    assert len(_rows(wh)) == ROWS + 10
    state = read_state(wh, "items", "items")
    assert state is not None and state.value == "12009"
    assert h.run(_definition("append", cursor="seq")).destinations[0].rows == 0

    wh.trace.clear()
    _source(src, "UPDATE items SET name = 'changed', seq = seq + 100000 WHERE id < 5")
    report = h.run(_definition("merge", primary_key=["id"], cursor="seq"))
    assert report.ok, report.error
    assert _rows(wh) == _rows(src)
    # the data and the state in one transaction: between BEGIN and COMMIT, DML only
    statements = _statements(wh)
    begin, commit = (
        statements.index("BEGIN"),
        len(statements) - 1 - statements[::-1].index("COMMIT"),
    )
    inside = statements[begin + 1 : commit]
    assert inside and all(re.match(r"(DELETE|INSERT)\b", s) for s in inside), inside
    assert any(STATE_TABLE in s for s in inside)
    # Snowflake upserts with one MERGE, atomic and committed just before that transaction
    # (tests/sync/test_snowflake_merge.py); Redshift with DELETE + INSERT inside it
    merges = [i for i, s in enumerate(statements) if s.startswith("MERGE")]
    assert merges == ([begin - 1] if wh.type_name == "snowflake" else []), statements

    _source(src, "DELETE FROM items WHERE id >= 100")
    report = h.run(_definition("full"))
    assert report.ok, report.error
    assert _rows(wh) == _rows(src) and len(_rows(wh)) == 100


def test_failure_before_commit_leaves_destination_and_state(
    wh: Any, src: DuckDBConnector, harness: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(src=src, wh=wh)
    assert h.run(_definition("append", cursor="seq")).ok
    before, state = _rows(wh), read_state(wh, "items", "items")
    _source(src, "INSERT INTO items SELECT i, 'late', 2.00, i FROM range(20000, 20100) t(i)")
    run = type(wh)._run

    def broken(self: Any, cur: Any, statement: Any, params: Any = None) -> Any:
        if statement == "COMMIT":
            raise ConnectionError_("the connection dropped")  # not transient: no retry
        return run(self, cur, statement, params)

    monkeypatch.setattr(type(wh), "_run", broken)
    for mode in ("append", "full"):
        report = h.run(_definition(mode, cursor="seq"))
        assert not report.ok and "dropped" in str(report.error)
    monkeypatch.setattr(type(wh), "_run", run)
    assert _rows(wh) == before
    assert read_state(wh, "items", "items") == state
    assert all("__cauce_stage" not in t.name for t in wh.list_tables())


def test_schema_evolution_adds_and_widens(wh: Any, src: DuckDBConnector, harness: Any) -> None:
    h = harness(src=src, wh=wh)
    definition = _definition("merge", primary_key=["id"], schema_policy="evolve")
    assert h.run(definition).ok
    _source(src, "ALTER TABLE items ADD COLUMN note VARCHAR")
    _source(src, "ALTER TABLE items ALTER COLUMN price TYPE DECIMAL(14,2)")
    _source(src, "UPDATE items SET note = 'hi', price = 123456789.99 WHERE id = 1")
    report = h.run(definition)
    assert report.ok, report.error
    kinds = {(c.column, c.kind.value) for c in report.destinations[0].changes}
    assert kinds == {("note", "added"), ("price", "widened")}
    schema = wh.table_schema("items")
    assert schema.field("note").type == pa.string()
    assert schema.field("price").type == pa.decimal128(14, 2)
    [one] = [r for r in _rows(wh) if r["id"] == 1]
    assert (one["note"], one["price"]) == ("hi", Decimal("123456789.99"))
    assert _rows(wh) == _rows(src)
