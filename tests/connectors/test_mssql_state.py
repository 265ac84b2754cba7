"""A sync's state committed with the data by the SQL Server connector.

The T-SQL (state table, ``MERGE … WITH (HOLDLOCK) … ;``) is parsed back with sqlglot; the very
same write path runs for real against PostgreSQL through psqlODBC with the PostgreSQL flavour
(no SQL Server runs here): data and state commit together or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

import psycopg
import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from app.connectors.base import STATE_TABLE, ConnectionError_, StateWrite, WriteMode
from app.connectors.mssql import SqlServerConfig, SqlServerConnector
from app.connectors.mssql._flavour import POSTGRES_ODBC, TSQL
from app.connectors.mssql._state import (
    KEY_LENGTHS,
    STATE_COLUMNS,
    create_state_table,
    state_lookup,
    state_prelude,
    state_upsert,
)
from app.engine.sync.cursor import CursorState, read_state
from tests.connectors import test_mssql_odbc
from tests.connectors.test_mssql_odbc import PostgresOverOdbc
from tests.connectors.test_suite import ROWS

# the fixtures of the ODBC tests: psqlODBC registered, a PostgreSQL-flavoured connector
odbcinst, pg_odbc = test_mssql_odbc.odbcinst, test_mssql_odbc.pg_odbc

STATE = StateWrite(
    "orders",
    "dbo.orders",
    "2026-01-02 03:04:05.000006Z",
    "timestamp[us, UTC]",
    "2026-03-01T12:00:00.250000+02:00",
)


# -- the T-SQL, parsed back -------------------------------------------------------------------
def test_state_table_is_tsql_with_indexable_keys() -> None:
    text = TSQL.render(create_state_table(TSQL))
    assert text == (
        "CREATE TABLE [_cauce_sync_state] ([sync_name] NVARCHAR(128) NOT NULL, "
        "[table_name] NVARCHAR(320) NOT NULL, [cursor_value] NVARCHAR(MAX), "
        "[cursor_type] NVARCHAR(MAX), [updated_at] DATETIME2(6), "
        "PRIMARY KEY ([sync_name], [table_name]))"
    )
    parsed = sqlglot.parse_one(text, read="tsql")
    assert parsed.sql("tsql") == text
    kinds = {c.name: c.args["kind"].sql("tsql") for c in parsed.find_all(exp.ColumnDef)}
    assert list(kinds) == list(STATE_COLUMNS)
    # a clustered index key holds at most 900 bytes; NVARCHAR is 2 bytes a character
    assert sum(KEY_LENGTHS.values()) * 2 <= 900
    assert all("MAX" not in kinds[k] for k in KEY_LENGTHS)


def test_state_upsert_is_one_terminated_merge_with_holdlock() -> None:
    text, params = state_upsert(TSQL, STATE)
    assert text.startswith(
        "MERGE INTO [_cauce_sync_state] WITH (HOLDLOCK) AS [tgt] USING "
        "(SELECT CAST(? AS NVARCHAR(128)) AS [sync_name], "
        "CAST(? AS NVARCHAR(320)) AS [table_name], "
    )
    assert (
        "CAST(? AS DATETIME2(6)) AS [updated_at]) AS [src] ON [tgt].[sync_name] = "
        "[src].[sync_name] AND [tgt].[table_name] = [src].[table_name]" in text
    )
    assert (
        "WHEN MATCHED THEN UPDATE SET [cursor_value] = [src].[cursor_value], "
        "[cursor_type] = [src].[cursor_type], [updated_at] = [src].[updated_at] " in text
    )
    assert text.endswith(";")
    [merge] = sqlglot.parse(text, read="tsql")
    assert isinstance(merge, exp.Merge)
    assert merge.sql("tsql") + ";" == text
    hints = merge.this.args["hints"]
    assert [h.sql("tsql") for h in hints] == ["WITH (HOLDLOCK)"]
    assert len(list(merge.find_all(exp.Placeholder))) == len(params) == 5
    assert params == [
        "orders",
        "dbo.orders",
        STATE.cursor_value,
        STATE.cursor_type,
        dt.datetime(2026, 3, 1, 10, 0, 0, 250000),
    ]  # naive UTC
    assert state_prelude(TSQL) == []  # the hint is the lock
    # the PostgreSQL flavour has no table hints: it locks the table instead
    assert state_prelude(POSTGRES_ODBC) == [
        'LOCK TABLE "_cauce_sync_state" IN SHARE ROW EXCLUSIVE MODE'
    ]
    assert "HOLDLOCK" not in state_upsert(POSTGRES_ODBC, STATE)[0]


def test_state_columns_follow_statewrite_and_values_are_never_inlined() -> None:
    assert tuple(f.name for f in dataclasses.fields(StateWrite)) == STATE_COLUMNS
    sneaky = StateWrite("o'; DROP TABLE x; --", "t", "x'y", None, "")
    text, params = state_upsert(TSQL, sneaky)
    assert "DROP" not in text and params == [sneaky.sync_name, "t", "x'y", None, None]


class _Recorder(SqlServerConnector):
    """Records the query the sync runner sends to read the state back."""

    queries: ClassVar[list[str]] = []

    def has_table(self, table: str) -> bool:
        return True

    def read(
        self, *, table: str | None = None, query: str | None = None, batch_rows: int = 0
    ) -> pa.RecordBatchReader:
        self.queries.append(str(query))
        empty = pa.table(
            {n: pa.array([], pa.string()) for n in ("cursor_value", "cursor_type", "updated_at")}
        )
        return pa.RecordBatchReader.from_batches(empty.schema, [])


def test_the_readback_guard_looks_up_the_row_as_the_runner_does() -> None:
    state = StateWrite("ventas_año", "dbo.pedidos_日本", None, None, "")
    lookup = state_lookup(TSQL, state)
    assert lookup == (
        "SELECT 1 FROM [_cauce_sync_state] WHERE [sync_name] = 'ventas_año' "
        "AND [table_name] = 'dbo.pedidos_日本'"
    )
    assert sqlglot.parse_one(lookup, read="tsql").sql("tsql") == lookup
    config = SqlServerConfig(server="h", database="d", user="u", password="p")
    assert read_state(_Recorder(config), state.sync_name, state.table_name) is None
    [runner_query] = _Recorder.queries
    runner_where = sqlglot.parse_one(runner_query, read="tsql").args["where"]
    assert runner_where == sqlglot.parse_one(lookup, read="tsql").args["where"]


def test_state_is_refused_before_connecting_when_a_key_is_too_long() -> None:
    try:  # the write path loads pyodbc (unixODBC's libodbc) before it looks at the state
        import pyodbc  # noqa: F401
    except ImportError as err:
        test_mssql_odbc._missing(f"pyodbc cannot load (apt-get install unixodbc): {err}")
    config = SqlServerConfig(
        server="127.0.0.1",
        port=1,
        database="d",
        user="u",
        password="p",
        retry_attempts=1,
        login_timeout=1,
    )
    connector = SqlServerConnector(config, name="azure")
    long_table = "dbo." + "t" * 317
    reader = pa.RecordBatchReader.from_batches(ROWS.schema, ROWS.to_batches())
    with pytest.raises(
        ConnectionError_, match="table_name .* is 321 characters long; SQL Server keeps at most 320"
    ):
        connector.write(
            long_table,
            reader,
            mode=WriteMode.APPEND,
            state=StateWrite("s", long_table, None, None, ""),
        )
    with pytest.raises(ConnectionError_, match="not an ISO 8601"):
        state_upsert(TSQL, StateWrite("s", "t", None, None, "yesterday"))


def test_capabilities_follow_the_flavour() -> None:
    assert SqlServerConnector.capabilities.transactional_state
    assert SqlServerConnector.capabilities.dialect == "tsql"
    assert PostgresOverOdbc.capabilities.dialect == "postgres"
    assert PostgresOverOdbc.capabilities.transactional_state


# -- the same write path, for real, against PostgreSQL through psqlODBC ------------------------
def _reader(table: pa.Table, batch_rows: int = 2) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_rows))


def _state(cursor: str | None, at: str = "2026-03-01T10:00:00+00:00") -> StateWrite:
    return StateWrite("orders", "items", cursor, "int64" if cursor else None, at)


def _rows(pg_db: dict[str, object], sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(str(pg_db["dsn"])) as con:
        return list(con.execute(sql.encode()).fetchall())


@pytest.mark.postgres
def test_state_commits_with_the_data_in_every_mode(
    pg_odbc: PostgresOverOdbc, pg_db: dict[str, object]
) -> None:
    assert not pg_odbc.has_table(STATE_TABLE)
    assert read_state(pg_odbc, "orders", "items") is None
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE, state=_state("3"))
    assert pg_odbc.has_table(STATE_TABLE)
    assert read_state(pg_odbc, "orders", "items") == CursorState(
        "3", "int64", dt.datetime(2026, 3, 1, 10, 0)
    )
    more = ROWS.slice(0, 1)
    pg_odbc.write(
        "items",
        _reader(more),
        mode=WriteMode.APPEND,
        state=_state("4", "2026-03-01T12:30:00+01:00"),
    )
    assert read_state(pg_odbc, "orders", "items") == CursorState(
        "4", "int64", dt.datetime(2026, 3, 1, 11, 30)
    )
    assert pg_odbc.read(table="items").read_all().num_rows == 4
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.MERGE, keys=["id"], state=_state(None))
    assert read_state(pg_odbc, "orders", "items").value is None
    # the data's parameters (a timestamp fourth) must not type the state's (text fourth)
    other = pa.table(
        {
            "a": [1],
            "b": ["x"],
            "c": ["y"],
            "d": pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("us")),
        }
    )
    pg_odbc.write(
        "other",
        _reader(other),
        mode=WriteMode.APPEND,
        state=StateWrite("orders", "other", "9", "int64", ""),
    )
    assert _rows(
        pg_db,
        f"SELECT sync_name, table_name, cursor_value, cursor_type, "
        f"updated_at IS NULL FROM {STATE_TABLE} ORDER BY 2",
    ) == [("orders", "items", None, None, False), ("orders", "other", "9", "int64", True)]
    assert _rows(
        pg_db,
        "SELECT data_type, character_maximum_length FROM "
        "information_schema.columns WHERE table_name = '_cauce_sync_state' "
        "ORDER BY ordinal_position",
    ) == [
        ("character varying", 128),
        ("character varying", 320),
        ("text", None),
        ("text", None),
        ("timestamp without time zone", None),
    ]


class SourceBroke(RuntimeError):
    pass


def _broken() -> pa.RecordBatchReader:
    def batches() -> Iterator[pa.RecordBatch]:
        yield ROWS.to_batches(1)[0]
        raise SourceBroke("the source failed mid-stream")

    return pa.RecordBatchReader.from_batches(ROWS.schema, batches())


@pytest.mark.postgres
@pytest.mark.parametrize("mode", list(WriteMode))
def test_failure_mid_write_changes_neither_data_nor_state(
    pg_odbc: PostgresOverOdbc, mode: WriteMode
) -> None:
    with pytest.raises(SourceBroke):  # the very first write: not even the state table stays
        pg_odbc.write("items", _broken(), mode=mode, keys=["id"], state=_state("1"))
    assert not pg_odbc.has_table(STATE_TABLE) and not pg_odbc.has_table("items")
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE, state=_state("3"))
    committed = read_state(pg_odbc, "orders", "items")
    with pytest.raises(SourceBroke):
        pg_odbc.write("items", _broken(), mode=mode, keys=["id"], state=_state("99"))
    assert pg_odbc.read(table="items").read_all().sort_by("id").equals(ROWS)
    assert read_state(pg_odbc, "orders", "items") == committed


@pytest.mark.postgres
@pytest.mark.parametrize("mode", list(WriteMode))
def test_a_failing_state_upsert_rolls_the_data_back(
    pg_odbc: PostgresOverOdbc, pg_db: dict[str, object], mode: WriteMode
) -> None:
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE, state=_state("3"))
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute(f"ALTER TABLE {STATE_TABLE} ADD CHECK (cursor_value <> 'poison')".encode())
    changed = ROWS.set_column(1, "name", pa.array(["x", "y", "z"]))
    with pytest.raises(ConnectionError_, match="check constraint"):
        pg_odbc.write("items", _reader(changed), mode=mode, keys=["id"], state=_state("poison"))
    assert pg_odbc.read(table="items").read_all().sort_by("id").equals(ROWS)
    assert read_state(pg_odbc, "orders", "items").value == "3"
    assert [t.name for t in pg_odbc.list_tables()] == [STATE_TABLE, "items"]


@pytest.mark.postgres
def test_a_state_that_cannot_be_read_back_is_refused(
    pg_odbc: PostgresOverOdbc, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE, state=_state("3"))
    # as when a collation turns a key's character into '?': the lookup misses the row
    monkeypatch.setattr(
        "app.connectors.mssql.state_lookup",
        lambda flavour, s: state_lookup(
            flavour, dataclasses.replace(s, sync_name=s.sync_name + "?")
        ),
    )
    with pytest.raises(ConnectionError_, match="could not be read back.*nothing was written"):
        pg_odbc.write("items", _reader(ROWS), mode=WriteMode.APPEND, state=_state("9"))
    assert pg_odbc.read(table="items").read_all().num_rows == 3
    assert read_state(pg_odbc, "orders", "items").value == "3"
