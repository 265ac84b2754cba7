"""The PostgreSQL -> PostgreSQL fast path (binary COPY, no Arrow, no spool).

It must give the very tables the Arrow path gives (types and values: NULLs, empty strings,
numerics, timestamps, unicode, bytea), take the Arrow path whenever a type would not pass
through exactly, and keep every mode's exactness (state committed with the data).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from app.connectors.postgres import PostgresConnector
from app.connectors.postgres._native import WRITE_CHUNK
from app.model.sync_events import DestinationFinished
from tests.sync.conftest import Harness, pg_exec, pg_rows

pytestmark = pytest.mark.postgres

SOURCE = """
CREATE TABLE src.mixed (
    id bigint PRIMARY KEY, small smallint, i integer, name text, amount numeric(14,2),
    wide numeric(38,9), ratio double precision, f4 real, ok boolean, day date,
    at timestamptz NOT NULL, local timestamp, t time, raw bytea);
INSERT INTO src.mixed VALUES
 (1, 1, 10, 'plain', 12.50, 1234567890123.123456789, 0.1, 1.5, true, '2026-01-02',
  '2026-01-02 03:04:05.000006+00', '2026-01-02 03:04:05.123456', '23:59:59.999999', '\\x00ff'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-03 00:00:00+00', NULL,
  NULL, NULL),
 (3, -32768, -2147483648, '', -0.01, -0.000000001, -1e300, -3.4e38, false, '0001-01-01',
  '1970-01-01 00:00:00+00', '1970-01-01 00:00:00', '00:00:00', '\\x'),
 (4, 32767, 2147483647, 'ünïcødé 漢字 🦆 "quoted", comma' || chr(10) || 'newline\\tab',
  999999999999.99, 99999999999999999999999999999.999999999, 'NaN', 'Infinity', true,
  '9999-12-31', '2262-04-11 23:47:16.854775+00', '2262-04-11 23:47:16.854775',
  '12:00:00', '\\x5c6e');
INSERT INTO src.mixed
SELECT i, (i % 100)::smallint, i, repeat('x', i % 13), i / 7.0, i / 3.0, i / 9.0, i / 11.0,
       i % 2 = 0, date '2026-01-01' + i % 400, timestamptz '2026-01-01' + i * interval '1 ms',
       timestamp '2026-01-01' + i * interval '1 s', time '00:00' + i * interval '1 s',
       decode(md5(i::text), 'hex')
FROM generate_series(5, 3000) i;
"""
TYPES = (
    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
    "WHERE attrelid = '{}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
)


def _differences(db: dict[str, Any], a: str, b: str) -> int:
    rows = pg_rows(
        db,
        f"SELECT count(*) FROM ((SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})"
        f" UNION ALL (SELECT * FROM {b} EXCEPT ALL SELECT * FROM {a})) d",
    )
    return int(rows[0][0])


def _sync(h: Harness, table: str, mode: str, *, native: bool, **extra: Any) -> Any:
    definition = {
        "name": f"mixed-{table}",
        "mode": mode,
        "source": {"connection": "pg", "table": "src.mixed"},
        "destinations": [{"connection": "pg", "table": table}],
        **extra,
    }
    report = h.run(definition, native=native)
    assert report.ok, report.error
    assert report.destinations[0].path == ("native" if native else "arrow")
    return report


@pytest.mark.parametrize("mode", ["full", "merge"])
def test_native_and_arrow_paths_give_identical_tables(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any, mode: str
) -> None:
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", SOURCE)
    h = harness(pg=pg)
    extra = {"primary_key": ["id"], "cursor": "at"} if mode == "merge" else {}
    fast = _sync(h, "dst.fast", mode, native=True, **extra)
    slow = _sync(h, "dst.slow", mode, native=False, **extra)
    assert fast.destinations[0].rows == slow.destinations[0].rows == 3000
    assert fast.rows_read == slow.rows_read == 3000
    assert (
        pg_rows(pg_db, TYPES.format("dst.fast"))
        == pg_rows(pg_db, TYPES.format("dst.slow"))
        == pg_rows(pg_db, TYPES.format("src.mixed"))
    )
    assert _differences(pg_db, "dst.fast", "src.mixed") == 0
    assert _differences(pg_db, "dst.fast", "dst.slow") == 0
    finished = [e for e in h.events if isinstance(e, DestinationFinished)]
    assert [e.path for e in finished] == ["native", "arrow"]
    if mode == "merge":  # an incremental round: changed rows (and the boundary row) only
        pg_exec(
            pg_db,
            "UPDATE src.mixed SET name = name || '+', at = timestamptz '2263-01-01' "
            "+ id * interval '1 ms' WHERE id % 10 = 0",
            "INSERT INTO src.mixed (id, at, name) VALUES (9001, '2264-01-01', '')",
        )
        again_fast = _sync(h, "dst.fast", mode, native=True, **extra)
        again_slow = _sync(h, "dst.slow", mode, native=False, **extra)
        assert again_fast.rows_read == again_slow.rows_read
        fast_state = again_fast.destinations[0].state
        slow_state = again_slow.destinations[0].state
        assert (fast_state.value, fast_state.type) == (slow_state.value, slow_state.type)
        assert _differences(pg_db, "dst.fast", "src.mixed") == 0
        assert _differences(pg_db, "dst.fast", "dst.slow") == 0
        # the table the merge created has its primary key: the merge probes it (ON CONFLICT)
        assert pg_rows(
            pg_db,
            "SELECT count(*) FROM pg_index WHERE indisprimary AND "
            "indrelid IN ('dst.fast'::regclass, 'dst.slow'::regclass)",
        ) == [(2,)]


def test_renamed_selected_columns_and_append_are_exact(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", SOURCE)
    h = harness(pg=pg)
    extra = {"cursor": "id", "columns": ["id", "name", "at"], "rename": {"name": "label"}}
    first = _sync(h, "dst.log", "append", native=True, **extra)
    assert first.destinations[0].rows == 3000 and first.destinations[0].state.value == "3000"
    assert _sync(h, "dst.log", "append", native=True, **extra).destinations[0].rows == 0
    pg_exec(pg_db, "INSERT INTO src.mixed (id, name, at) VALUES (3001, 'late', now())")
    third = _sync(h, "dst.log", "append", native=True, **extra)
    assert third.destinations[0].rows == 1 and third.destinations[0].state.value == "3001"
    assert pg_rows(pg_db, TYPES.format("dst.log")) == [
        ("id", "bigint"),
        ("label", "text"),
        ("at", "timestamp with time zone"),
    ]
    assert _differences(pg_db, "dst.log", "(SELECT id, name, at FROM src.mixed) s") == 0


def test_types_that_do_not_pass_through_exactly_take_the_arrow_path(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    pg_exec(
        pg_db,
        "CREATE SCHEMA src",
        "CREATE SCHEMA dst",
        "CREATE TABLE src.odd (id int PRIMARY KEY, code varchar(8), u uuid)",
        "INSERT INTO src.odd VALUES (1, 'a', gen_random_uuid()), (2, NULL, NULL)",
        "CREATE TABLE src.narrow (id int PRIMARY KEY, n bigint)",
        "INSERT INTO src.narrow VALUES (1, 5)",
        "CREATE TABLE dst.narrow (id bigint PRIMARY KEY, n bigint)",
    )
    h = harness(pg=pg)
    odd = h.run(
        {
            "name": "odd",
            "source": {"connection": "pg", "table": "src.odd"},
            "destinations": [{"connection": "pg", "table": "dst.odd"}],
        }
    )
    assert odd.ok and odd.destinations[0].path == "arrow"
    assert pg_rows(pg_db, TYPES.format("dst.odd")) == [
        ("id", "integer"),
        ("code", "text"),
        ("u", "uuid"),
    ]  # its type kept (#21)
    # an existing destination wider than the source (int8 <- int4): the Arrow path casts
    narrow = h.run(
        {
            "name": "narrow",
            "source": {"connection": "pg", "table": "src.narrow"},
            "destinations": [{"connection": "pg", "table": "dst.narrow"}],
            "mode": "merge",
            "primary_key": ["id"],
        }
    )
    assert narrow.ok and narrow.destinations[0].path == "arrow"
    assert pg_rows(pg_db, "SELECT id, n FROM dst.narrow") == [(1, 5)]


def test_merge_into_a_table_without_unique_key_and_duplicate_source_keys(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    """A query source may repeat keys: the last row per key wins, as on the Arrow path."""
    pg_exec(
        pg_db,
        "CREATE SCHEMA src",
        "CREATE SCHEMA dst",
        "CREATE TABLE src.events (k bigint, v text, seq bigint)",
        "INSERT INTO src.events VALUES (1, 'a', 1), (2, 'b', 2), (1, 'c', 3)",
        "CREATE TABLE dst.keep (k bigint, v text, seq bigint)",
        "INSERT INTO dst.keep VALUES (2, 'old', 0)",
    )
    h = harness(pg=pg)
    for table in ("dst.keep", "dst.created"):
        report = h.run(
            {
                "name": f"ev-{table}",
                "mode": "merge",
                "primary_key": ["k"],
                "source": {
                    "connection": "pg",
                    "query": "SELECT k, v, seq FROM src.events ORDER BY seq",
                },
                "destinations": [{"connection": "pg", "table": table}],
            }
        )
        assert report.ok, report.error
        assert report.destinations[0].path == "native"
        assert pg_rows(pg_db, f"SELECT k, v FROM {table} ORDER BY k") == [(1, "c"), (2, "b")]


def test_closing_a_stream_midway_stops_the_reader_and_frees_the_source(
    pg_db: dict[str, Any],
) -> None:
    """A cancelled or failed write closes the source stream after a chunk or two: the reading
    thread (blocked on a full queue, or in the middle of the rows) must stop and the source
    connection must be closed, not left streaming the rest of the table."""
    from tests.sync.conftest import pg_connector

    pg_exec(
        pg_db,
        "CREATE TABLE big AS SELECT i AS id, md5(i::text) AS name "
        "FROM generate_series(1, 400000) i",
    )
    rows = pg_connector(pg_db, app="cauce-midway").open_native("SELECT * FROM big")
    chunks = rows.chunks()
    first = next(chunks)
    assert len(first) >= WRITE_CHUNK  # ~20 MB in all: many more chunks were still to come
    rows.close()
    thread = rows._thread  # noqa: SLF001 - the reader under test
    assert not thread.is_alive()
    assert rows._con is not None and rows._con.is_closed()  # noqa: SLF001
    # the client closed its socket; the server notices at its next write to it, which takes a
    # moment on a loaded machine: wait for that, not for the rest of the table to stream
    deadline = time.monotonic() + 15
    while True:
        active = pg_rows(
            pg_db,
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = 'cauce-midway' AND state = 'active'",
        )
        if active == [(0,)] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert active == [(0,)]


def test_the_reader_names_a_failed_connection_and_masks_the_password(pg_db: dict[str, Any]) -> None:
    """The binary COPY reader has its own connection (asyncpg): its failures read like the
    connector's others — connection name, what failed, the password masked — and say whether
    a retry may help."""
    from app.connectors.base import ConnectionError_
    from app.connectors.postgres import PostgresConfig

    secret = "pa55-word-Zr7"
    missing = PostgresConnector(
        PostgresConfig(
            host=str(pg_db["host"]),
            port=int(pg_db["port"]),
            user=str(pg_db["user"]),
            database=secret,
            password=secret,
        ),
        name="warehouse",
    )
    with pytest.raises(ConnectionError_) as caught:
        missing.open_native("SELECT 1 AS x")
    message = str(caught.value)
    assert message.startswith("warehouse: connecting to") and "does not exist" in message
    assert secret not in message and "***" in message
    assert not caught.value.transient  # a database that does not exist stays missing
    refused = PostgresConnector(
        PostgresConfig(host="127.0.0.1", port=1, user="u", database="d", connect_timeout=2),
        name="off",
    )
    with pytest.raises(ConnectionError_) as caught:
        refused.open_native("SELECT 1 AS x")
    assert caught.value.transient and "off: connecting to 127.0.0.1:1/d" in str(caught.value)


def test_transient_failures_are_the_connections_not_the_datas() -> None:
    import asyncpg
    import psycopg

    from app.connectors.postgres._native import transient

    assert transient(asyncpg.exceptions.AdminShutdownError("terminated"))  # 57P01
    assert transient(asyncpg.exceptions.ConnectionDoesNotExistError("gone"))  # 08003
    assert transient(asyncpg.exceptions.TooManyConnectionsError("full"))  # 53300
    assert transient(ConnectionResetError()) and transient(TimeoutError())
    assert not transient(asyncpg.exceptions.UndefinedTableError("no table"))  # 42P01
    assert not transient(asyncpg.exceptions.NumericValueOutOfRangeError("bad value"))
    assert not transient(asyncpg.exceptions.InterfaceError("misuse"))
    assert transient(psycopg.OperationalError("dropped"))
    assert not transient(psycopg.errors.UndefinedTable("no table"))


def test_a_connection_the_fast_reader_cannot_open_falls_back_to_the_arrow_path(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path's reader (asyncpg) may lack what a server demands that psycopg (libpq)
    has, such as GSSAPI authentication: the sync then writes through the Arrow path, and the
    table is the same."""
    import asyncpg

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise asyncpg.InterfaceError("unsupported authentication method requested by the server: 7")

    monkeypatch.setattr(asyncpg, "connect", refuse)
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", SOURCE)
    h = harness(pg=pg)
    report = h.run(
        {
            "name": "gss",
            "mode": "merge",
            "primary_key": ["id"],
            "cursor": "at",
            "source": {"connection": "pg", "table": "src.mixed"},
            "destinations": [{"connection": "pg", "table": "dst.fallback"}],
        },
        native=True,
    )
    assert report.ok, report.error
    assert report.destinations[0].path == "arrow"
    assert report.destinations[0].rows == 3000
    assert _differences(pg_db, "dst.fallback", "src.mixed") == 0


LATE = """
CREATE TABLE src.late (id bigint PRIMARY KEY, at timestamptz, local timestamp);
INSERT INTO src.late
SELECT i, timestamptz '2026-01-01 00:00+00' + i * interval '1 s', 'infinity'
FROM generate_series(1, 500) i;
"""


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", "294247-01-10 04:00:54.775807+00"),  # one microsecond past 64-bit µs
        ("local", "294276-12-31 23:59:59.999999"),  # PostgreSQL's last timestamp
    ],
)
@pytest.mark.parametrize("mode", ["full", "append", "merge"])
def test_a_timestamp_past_64_bit_microseconds_is_the_same_error_on_both_paths(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any, mode: str, column: str, value: str
) -> None:
    """PostgreSQL's timestamps go to 294276, Arrow's and DuckDB's end in 294247: the fast
    path copied such values where the Arrow path refused them. Both now refuse them with the
    same words (column, row key, value), and neither writes anything."""
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", LATE)
    pg_exec(pg_db, f"UPDATE src.late SET {column} = '{value}' WHERE id = 321")
    errors = {}
    for native in (True, False):
        table = f"dst.late_{'native' if native else 'arrow'}"
        report = harness(pg=pg).run(
            {
                "name": f"late-{native}",
                "mode": mode,
                "primary_key": ["id"],
                **({"cursor": "id"} if mode != "full" else {}),
                "source": {"connection": "pg", "table": "src.late"},
                "destinations": [{"connection": "pg", "table": table}],
            },
            native=native,
        )
        assert not report.ok
        assert report.destinations[0].path == "arrow"  # the fast path handed over
        errors[native] = str(report.error).replace(table, "T").replace(f"late-{native}", "S")
        assert pg_rows(pg_db, f"SELECT to_regclass('{table}')") == [(None,)]  # nothing written
    assert errors[True] == errors[False]
    assert f"the row with id=321: column '{column}'" in errors[True], errors[True]


def test_infinity_and_the_last_64_bit_timestamp_still_take_the_fast_path(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Any
) -> None:
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", LATE)
    pg_exec(
        pg_db,
        "UPDATE src.late SET at = '294247-01-10 04:00:54.775806+00', "
        "local = '294247-01-10 04:00:54.775806' WHERE id = 7",
        "UPDATE src.late SET at = '-infinity', local = '4713-01-01 00:00 BC' WHERE id = 8",
    )
    h = harness(pg=pg)
    for native in (True, False):
        table = f"dst.edge_{'native' if native else 'arrow'}"
        report = h.run(
            {
                "name": f"edge-{native}",
                "mode": "full",
                "source": {"connection": "pg", "table": "src.late"},
                "destinations": [{"connection": "pg", "table": table}],
            },
            native=native,
        )
        assert report.ok, report.error
        assert report.destinations[0].path == ("native" if native else "arrow")
        assert _differences(pg_db, table, "src.late") == 0
