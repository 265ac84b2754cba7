"""Full, append and merge syncs: destination equals source, re-runs are exact."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import STATE_TABLE
from app.connectors.duckdb import DuckDBConnector
from app.connectors.postgres import PostgresConnector
from app.connectors.sqlite import SQLiteConnector
from tests.sync.conftest import pg_exec, pg_rows

pytestmark = pytest.mark.postgres

SOURCE = """
CREATE TABLE src.orders (id bigint PRIMARY KEY, customer text, amount numeric(12,2),
                         updated_at timestamptz NOT NULL);
INSERT INTO src.orders
SELECT i, 'c' || (i % 97), (i * 1.25)::numeric(12,2),
       timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
FROM generate_series(1, 5000) i;
"""
FINGERPRINT = (
    "SELECT count(*), count(DISTINCT id), "
    "md5(string_agg(concat_ws('|', id, customer, amount, updated_at), ',' ORDER BY id))"
    " FROM {}"
)


def _source(db: dict[str, Any]) -> None:
    pg_exec(db, "CREATE SCHEMA src", "CREATE SCHEMA dst", SOURCE)


def _same(db: dict[str, Any], table: str = "dst.orders") -> None:
    assert pg_rows(db, FINGERPRINT.format(table)) == pg_rows(db, FINGERPRINT.format("src.orders"))


def _definition(mode: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "orders",
        "source": {"connection": "pg", "table": "src.orders"},
        "destinations": [{"connection": "pg", "table": "dst.orders"}],
        "mode": mode,
        **extra,
    }


def test_full_sync_replaces_and_commits_state(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    _source(pg_db)
    h = harness(pg=pg)
    report = h.run(_definition("full"))
    assert report.ok, report.error
    assert report.destinations[0].rows == 5000
    _same(pg_db)
    pg_exec(
        pg_db,
        "DELETE FROM src.orders WHERE id <= 100",
        "UPDATE src.orders SET customer = 'changed' WHERE id = 200",
    )
    assert h.run(_definition("full")).ok
    _same(pg_db)
    assert pg_rows(pg_db, f"SELECT sync_name, table_name, cursor_value FROM {STATE_TABLE}") == [
        ("orders", "dst.orders", None)
    ]


def test_append_is_exact_on_rerun(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    _source(pg_db)
    h = harness(pg=pg)
    definition = _definition("append", cursor="updated_at")
    assert h.run(definition).ok
    again = h.run(definition)
    assert again.ok and again.rows_read == 0 and again.destinations[0].rows == 0
    pg_exec(
        pg_db,
        "INSERT INTO src.orders SELECT i, 'new', 1, timestamptz '2026-02-01' + "
        "i * interval '1 second' FROM generate_series(5001, 5100) i",
    )
    third = h.run(definition)
    assert third.rows_read == 100 and third.destinations[0].rows == 100
    _same(pg_db)
    [(cursor,)] = pg_rows(pg_db, f"SELECT cursor_value FROM {STATE_TABLE}")
    assert cursor == "2026-02-01 01:25:00.000000Z"  # 5100 s after midnight


def test_merge_with_cursor_updates_and_inserts(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    _source(pg_db)
    h = harness(pg=pg)
    definition = _definition("merge", primary_key=["id"], cursor="updated_at")
    assert h.run(definition).ok
    pg_exec(
        pg_db,
        "UPDATE src.orders SET customer = 'moved', updated_at = now() WHERE id % 10 = 0",
        "INSERT INTO src.orders VALUES (9001, 'late', 3, now())",
    )
    report = h.run(definition)
    assert report.ok and report.rows_read == 501  # only the changed rows are read
    _same(pg_db)
    assert h.run(definition).destinations[0].rows <= 501  # rows at the cursor, idempotent
    _same(pg_db)


def test_merge_hard_deletes(pg_db: dict[str, Any], pg: PostgresConnector, harness: Any) -> None:
    _source(pg_db)
    h = harness(pg=pg)
    definition = _definition("merge", primary_key=["id"], cursor="updated_at", hard_deletes=True)
    assert h.run(definition).ok
    pg_exec(pg_db, "DELETE FROM src.orders WHERE id BETWEEN 10 AND 19")
    report = h.run(definition)
    assert report.ok and report.destinations[0].deleted == 10
    _same(pg_db)
    assert not pg_rows(
        pg_db, "SELECT tablename FROM pg_tables WHERE tablename LIKE '\\_cauce\\_keys%'"
    )


def test_columns_and_renames(
    pg_db: dict[str, Any], pg: PostgresConnector, lite: SQLiteConnector, harness: Any
) -> None:
    _source(pg_db)
    h = harness(pg=pg, lite=lite)
    report = h.run(
        {
            "name": "slim",
            "source": {"connection": "pg", "table": "src.orders"},
            "destinations": [{"connection": "lite", "table": "orders"}],
            "mode": "merge",
            "primary_key": ["id"],
            "columns": ["id", "amount"],
            "rename": {"id": "order_id", "amount": "total"},
        }
    )
    assert report.ok, report.error
    table = lite.read(table="orders").read_all()
    assert table.schema.names == ["order_id", "total"]
    assert table.num_rows == 5000
    assert table.column("total").type == pa.decimal128(12, 2)
    assert sorted(table.column("order_id").to_pylist())[:3] == [1, 2, 3]


def test_one_read_feeds_two_destinations_with_their_own_state(
    pg_db: dict[str, Any], pg: PostgresConnector, duck: DuckDBConnector, harness: Any
) -> None:
    _source(pg_db)
    h = harness(pg=pg, duck=duck)
    both = _definition("append", cursor="updated_at")
    both["destinations"].append({"connection": "duck", "table": "orders"})
    only_pg = _definition("append", cursor="updated_at")
    assert h.run(only_pg).ok  # pg is ahead of duck
    pg_exec(
        pg_db,
        "INSERT INTO src.orders SELECT i, 'x', 2, timestamptz '2026-03-01' + "
        "i * interval '1 second' FROM generate_series(6001, 6010) i",
    )
    report = h.run(both)
    assert report.ok, report.error
    assert report.rows_read == 5010  # one read, from the smaller cursor (duck has none)
    assert [d.rows for d in report.destinations] == [10, 5010]
    assert h.kinds().count("sync_started") == 2
    _same(pg_db)
    duck_rows = (
        duck.read(
            query="SELECT count(*) AS n, count(DISTINCT id) AS k, sum(amount) AS s FROM orders"
        )
        .read_all()
        .to_pylist()
    )
    [(n, k, s)] = pg_rows(pg_db, "SELECT count(*), count(DISTINCT id), sum(amount) FROM src.orders")
    assert duck_rows == [{"n": n, "k": k, "s": s}]
    states = duck.read(query=f"SELECT cursor_value FROM {STATE_TABLE}").read_all()
    assert states.column(0).to_pylist() == [report.destinations[1].state.value]


def test_duckdb_to_sqlite_append_and_merge(
    duck: DuckDBConnector, lite: SQLiteConnector, harness: Any
) -> None:
    duck.execute(
        "CREATE TABLE events AS SELECT i AS id, i % 5 AS kind, "
        "TIMESTAMP '2026-01-01' + i * INTERVAL 1 minute AS at FROM range(1, 301) t(i)"
    )
    h = harness(duck=duck, lite=lite)
    append = {
        "name": "ev",
        "source": {"connection": "duck", "table": "events"},
        "destinations": [{"connection": "lite", "table": "events"}],
        "mode": "append",
        "cursor": "at",
    }
    assert h.run(append).ok and h.run(append).destinations[0].rows == 0
    duck.execute(
        "INSERT INTO events SELECT i, 9, TIMESTAMP '2026-02-01' + i * INTERVAL 1 minute"
        " FROM range(301, 311) t(i)"
    )
    assert h.run(append).destinations[0].rows == 10
    got = lite.read(table="events").read_all().sort_by("id")
    want = duck.read(table="events").read_all().sort_by("id")
    assert got.column("id").equals(want.column("id"))
    assert got.column("at").to_pylist() == want.column("at").to_pylist()
