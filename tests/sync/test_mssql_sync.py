"""Syncs into the SQL Server connector, exact on re-run: its state commits with the data.

No SQL Server runs here: the destination is the SQL Server connector with the PostgreSQL
flavour, through psqlODBC (only the SQL text differs from production). Sources are SQLite and
PostgreSQL; the destination's ``_cauce_sync_state`` is the only state (no metadata DB).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import STATE_TABLE, ConnectionError_, StateWrite, WriteMode, WriteResult
from app.connectors.mssql import SqlServerConfig
from app.connectors.postgres import PostgresConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from tests.connectors import test_mssql_odbc
from tests.connectors.test_mssql_odbc import PostgresOverOdbc
from tests.sync.conftest import pg_exec, pg_rows

pytestmark = pytest.mark.postgres

# psqlODBC registered in a temporary odbcinst.ini (fails, never skips, under CI=true)
odbcinst = test_mssql_odbc.odbcinst

FINGERPRINT = (
    "SELECT count(*), count(DISTINCT id), md5(string_agg(concat_ws('|', id, "
    "customer, amount, updated_at), ',' ORDER BY id)) FROM {}"
)


class DropsOnce(PostgresOverOdbc):
    """The ODBC destination whose connection "drops" mid-stream on chosen write calls."""

    fail_on: set[int] = set()
    calls = 0

    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
    ) -> WriteResult:
        type(self).calls += 1
        if type(self).calls in self.fail_on:
            data = pa.RecordBatchReader.from_batches(data.schema, _drop_after_one(data))
        return super().write(table, data, mode=mode, keys=keys, state=state)


def _drop_after_one(data: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    yield data.read_next_batch()
    err = ConnectionError_("the connection dropped mid-write")
    err.transient = True
    raise err


@pytest.fixture
def odbc(odbcinst: dict[str, bool], pg_db: dict[str, Any]) -> DropsOnce:
    if not odbcinst["postgres"]:
        test_mssql_odbc._missing("psqlODBC is not installed (apt-get install odbc-postgresql)")
    DropsOnce.fail_on, DropsOnce.calls = set(), 0
    config = SqlServerConfig(
        server=str(pg_db["host"]),
        port=int(pg_db["port"]),
        database=str(pg_db["dbname"]),
        user=str(pg_db["user"]),
        retry_attempts=1,
    )
    return DropsOnce(config, name="odbc")


def _state(db: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The state rows, the cursor's type without the source's transaction position."""
    return [
        (*row[:3], row[3].split(" @")[0])
        for row in pg_rows(
            db,
            f"SELECT sync_name, table_name, cursor_value, cursor_type "
            f"FROM {STATE_TABLE} ORDER BY 1, 2",
        )
    ]


# -- PostgreSQL source ----------------------------------------------------------------------------
SOURCE = """
CREATE TABLE src.orders (id bigint PRIMARY KEY, customer text, amount numeric(12,2),
                         updated_at timestamptz NOT NULL);
INSERT INTO src.orders
SELECT i, 'c' || (i % 97), (i * 1.25)::numeric(12,2),
       timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
FROM generate_series(1, 5000) i;
"""


def _same(db: dict[str, Any], table: str) -> None:
    assert pg_rows(db, FINGERPRINT.format(table)) == pg_rows(db, FINGERPRINT.format("src.orders"))


def _orders(mode: str, table: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"orders_{mode}",
        "source": {"connection": "pg", "table": "src.orders"},
        "destinations": [{"connection": "odbc", "table": table}],
        "mode": mode,
        "cursor": "updated_at",
        "batch_rows": 1000,
        **extra,
    }


def test_postgres_to_odbc_append_then_merge_exact_on_rerun(
    pg_db: dict[str, Any], odbc: DropsOnce, harness: Any
) -> None:
    pg_exec(pg_db, "CREATE SCHEMA src", SOURCE)
    pg = PostgresConnector(
        PostgresConnector.Config(
            host=str(pg_db["host"]),
            port=int(pg_db["port"]),
            user=str(pg_db["user"]),
            database=str(pg_db["dbname"]),
        ),
        name="pg",
    )
    h = harness(pg=pg, odbc=odbc)
    append = _orders("append", "appended")
    merge = _orders("merge", "merged", primary_key=["id"])
    for definition in (append, merge):
        first = h.run(definition)
        assert first.ok, first.error
        assert first.destinations[0].rows == 5000
        again = h.run(definition)
        assert again.ok and again.destinations[0].rows <= 1  # nothing new (merge: >= cursor)
    _same(pg_db, "public.appended")
    _same(pg_db, "public.merged")
    cursor = "2026-01-01 01:23:20.000000Z"  # 5000 s after midnight
    assert _state(pg_db) == [
        ("orders_append", "appended", cursor, "timestamp[us, tz=UTC]"),
        ("orders_merge", "merged", cursor, "timestamp[us, tz=UTC]"),
    ]

    pg_exec(
        pg_db,
        "INSERT INTO src.orders SELECT i, 'new', 1, timestamptz '2026-02-01' + "
        "i * interval '1 second' FROM generate_series(5001, 5100) i",
    )
    DropsOnce.fail_on = {DropsOnce.calls + 1}  # the next write drops: retried from the state
    report = h.run(append)
    assert report.ok and report.destinations[0].attempts == 2
    assert report.rows_read == 100 and report.destinations[0].rows == 100
    _same(pg_db, "public.appended")

    pg_exec(
        pg_db,
        "UPDATE src.orders SET customer = 'moved', updated_at = "
        "timestamptz '2026-03-01' + id * interval '1 ms' WHERE id % 10 = 0",
    )
    DropsOnce.fail_on = {DropsOnce.calls + 1}
    report = h.run(merge)
    assert report.ok and report.destinations[0].attempts == 2
    assert report.rows_read == 600  # 100 inserted since the cursor + 500 older ones moved
    _same(pg_db, "public.merged")
    assert h.run(merge).destinations[0].rows == 1  # only the row at the cursor, idempotent
    _same(pg_db, "public.merged")
    assert [r[2] for r in _state(pg_db)] == [
        "2026-02-01 01:25:00.000000Z",
        "2026-03-01 00:00:05.100000Z",
    ]


# -- SQLite source --------------------------------------------------------------------------------
def _sqlite_source(path: Path, first: int, last: int, seq: int) -> None:
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, label TEXT, "
            "seq INTEGER NOT NULL)"
        )
        con.executemany(
            "INSERT OR REPLACE INTO events VALUES (?, ?, ?)",
            [(i, f"event {i} ✓", seq + i) for i in range(first, last + 1)],
        )


def _events(mode: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"events_{mode}",
        "source": {"connection": "lite", "table": "events"},
        "destinations": [{"connection": "odbc", "table": f"events_{mode}"}],
        "mode": mode,
        "cursor": "seq",
        "batch_rows": 1000,
        **extra,
    }


def test_sqlite_to_odbc_append_then_merge_exact_on_rerun(
    tmp_path: Path, pg_db: dict[str, Any], odbc: DropsOnce, harness: Any
) -> None:
    source = tmp_path / "src.sqlite"
    _sqlite_source(source, 1, 3000, 0)
    lite = SQLiteConnector(SQLiteConfig(path=str(source)), name="lite")
    h = harness(lite=lite, odbc=odbc)
    append, merge = _events("append"), _events("merge", primary_key=["id"])

    def same(table: str) -> None:
        want = lite.read(table="events").read_all().sort_by("id")
        got = odbc.read(table=table).read_all().sort_by("id")
        assert got.to_pylist() == want.to_pylist()

    for definition in (append, merge):
        assert h.run(definition).ok
        assert h.run(definition).destinations[0].rows <= 1
    _sqlite_source(source, 3001, 3500, 10_000)  # new rows, larger cursors
    DropsOnce.fail_on = {DropsOnce.calls + 1, DropsOnce.calls + 3}  # each sync drops once
    for definition, rows in ((append, 500), (merge, 501)):  # merge: also the row at the cursor
        report = h.run(definition)
        assert report.ok and report.destinations[0].attempts == 2
        assert report.destinations[0].rows == rows
    same("events_append")
    _sqlite_source(source, 1, 200, 20_000)  # rewrites: the merge updates them
    report = h.run(merge)
    assert report.ok and report.destinations[0].rows == 201
    same("events_merge")
    assert pg_rows(pg_db, f"SELECT table_name, cursor_value FROM {STATE_TABLE} ORDER BY 1") == [
        ("events_append", "13500"),
        ("events_merge", "20200"),
    ]
