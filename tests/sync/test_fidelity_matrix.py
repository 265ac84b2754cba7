"""The fidelity matrix (issue #21): awkward values of every common type, from each source
(PostgreSQL, MariaDB, SQLite, DuckDB, a Parquet file) into each destination (PostgreSQL,
DuckDB, SQLite), both paths where PostgreSQL meets PostgreSQL.

The truth is the Python values below, written into each source with its own SQL (or pyarrow
for Parquet), never through Cauce; what each destination holds is read back and compared with
them exactly: floats bitwise, decimals as ``Decimal``, timestamps as instants, bytes and text
byte for byte. Values only some systems hold (NaN, infinities, -0.0, BC dates, unconstrained
numerics, JSON…) are covered per system in ``test_fidelity_*.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import struct
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import Connector
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.files import FilesConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from tests.connectors import test_mssql_odbc
from tests.connectors.test_mssql_odbc import PostgresOverOdbc
from tests.sync.conftest import Harness, mariadb_admin, pg_exec

ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "i": -(2**63),
        "f": 5e-324,
        "d": Decimal("1234567890123456789012345678.0123456789"),
        "t": "",
        "b": b"",
        "day": dt.date(1000, 1, 1),
        "ts": dt.datetime(1000, 1, 1, 0, 0, 0, 1),
    },
    {
        "id": 2,
        "i": 2**63 - 1,
        "f": 1.7976931348623157e308,
        "d": Decimal("-0.0000000001"),
        "t": "ñandú 🦆 \t\n\r \"q\" 'a',b\\",
        "b": b'\x00\xff\x00\n,"',
        "day": dt.date(9999, 12, 31),
        "ts": dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
    },
    {
        "id": 3,
        "i": 0,
        "f": 0.1,
        "d": Decimal("0.0000000000"),
        "t": "NULL",
        "b": b"\\N",
        "day": dt.date(2024, 2, 29),
        "ts": dt.datetime(2024, 2, 29, 12, 0, 0, 500000),
    },
    {"id": 4, "i": None, "f": None, "d": None, "t": None, "b": None, "day": None, "ts": None},
]
SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("i", pa.int64()),
        ("f", pa.float64()),
        ("d", pa.decimal128(38, 10)),
        ("t", pa.string()),
        ("b", pa.binary()),
        ("day", pa.date32()),
        ("ts", pa.timestamp("us")),
    ]
)


def _sql_literal(value: Any, kind: str) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return {
            "mysql": f"X'{value.hex()}'",
            "sqlite": f"X'{value.hex()}'",
            "postgres": f"'\\x{value.hex()}'::bytea",
            "duckdb": f"from_hex('{value.hex()}')",
        }[kind]
    if isinstance(value, str):
        escaped = value.replace("'", "''")
        if kind == "mysql":
            escaped = escaped.replace("\\", "\\\\")
        return f"'{escaped}'"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal) and kind == "sqlite":
        return f"'{value}'"  # a number literal would be stored as a REAL (15 digits)
    if isinstance(value, dt.datetime):
        return f"'{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    return str(value)


def _inserts(table: str, kind: str) -> list[str]:
    return [
        f"INSERT INTO {table} VALUES ("
        + ", ".join(_sql_literal(row[f.name], kind) for f in SCHEMA)
        + ")"
        for row in ROWS
    ]


DDL = {
    "postgres": "CREATE TABLE m (id bigint PRIMARY KEY, i bigint, f double precision, "
    "d numeric(38,10), t text, b bytea, day date, ts timestamp)",
    "mysql": "CREATE TABLE m (id bigint PRIMARY KEY, i bigint, f double, d decimal(38,10), "
    "t longtext, b longblob, day date, ts datetime(6)) CHARACTER SET utf8mb4",
    "sqlite": "CREATE TABLE m (id INTEGER PRIMARY KEY, i INTEGER, f REAL, "
    "d DECIMAL_TEXT(38,10), t TEXT, b BLOB, day DATE, ts DATETIME)",
    "duckdb": "CREATE TABLE m (id BIGINT PRIMARY KEY, i BIGINT, f DOUBLE, d DECIMAL(38,10), "
    "t VARCHAR, b BLOB, day DATE, ts TIMESTAMP)",
}


def _source(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Connector:
    if kind == "postgres":
        db = request.getfixturevalue("pg_db")
        pg_exec(db, DDL["postgres"], *_inserts("m", "postgres"))
        return request.getfixturevalue("pg")
    if kind == "mysql":
        database = request.getfixturevalue("maria_db")
        with mariadb_admin(database=database) as con, con.cursor() as cur:
            cur.execute(DDL["mysql"])
            for statement in _inserts("m", "mysql"):
                cur.execute(statement)
        return request.getfixturevalue("maria")
    if kind == "sqlite":
        path = tmp_path / "src.sqlite"
        with sqlite3.connect(path) as con:
            con.execute(DDL["sqlite"])
            for statement in _inserts("m", "sqlite"):
                con.execute(statement)
        return SQLiteConnector(SQLiteConfig(path=str(path)), name="src")
    if kind == "duckdb":
        import duckdb

        path = tmp_path / "src.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute(DDL["duckdb"])
            for statement in _inserts("m", "duckdb"):
                con.execute(statement)
        return DuckDBConnector(DuckDBConfig(path=str(path)), name="src")
    import pyarrow.parquet as pq

    folder = tmp_path / "files"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(ROWS, schema=SCHEMA), folder / "m.parquet")
    return FilesConnector(FilesConnector.Config(path=str(folder)), name="src")


def _same(got: list[dict[str, Any]], source: str, dest: str) -> None:
    assert [r["id"] for r in got] == [r["id"] for r in ROWS]
    for want, have in zip(ROWS, got, strict=True):
        for name, value in want.items():
            actual = have[name]
            where = f"{source} -> {dest}, id {want['id']}, column {name}"
            if isinstance(value, float):
                assert struct.pack("<d", actual) == struct.pack("<d", value), where
            elif isinstance(value, Decimal):
                assert isinstance(actual, Decimal) and actual == value, where
            else:
                assert actual == value and type(actual) is type(value), where


SOURCES = ["postgres", "mysql", "sqlite", "duckdb", "parquet"]
DESTINATIONS = ["pg", "duck", "lite", "odbc"]

# the SQL Server connector, with its PostgreSQL flavour through psqlODBC (no SQL Server here)
odbcinst = test_mssql_odbc.odbcinst


@pytest.fixture
def odbc(odbcinst: dict[str, bool], pg_db: dict[str, Any]) -> Connector:
    from app.connectors.mssql import SqlServerConfig

    if not odbcinst["postgres"]:
        test_mssql_odbc._missing("psqlODBC is not installed (apt-get install odbc-postgresql)")
    config = SqlServerConfig(
        server=str(pg_db["host"]),
        port=int(pg_db["port"]),
        database=str(pg_db["dbname"]),
        user=str(pg_db["user"]),
        retry_attempts=1,
    )
    return PostgresOverOdbc(config, name="odbc")


@pytest.mark.parametrize("dest", DESTINATIONS)
@pytest.mark.parametrize("source", SOURCES)
def test_every_value_arrives_exactly(
    source: str,
    dest: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    pg: Connector,
    duck: Connector,
    lite: Connector,
    harness: Callable[..., Harness],
) -> None:
    src = _source(source, request, tmp_path)
    table = "m.parquet" if source == "parquet" else "m"
    odbc = request.getfixturevalue("odbc") if dest == "odbc" else None
    h = harness(src=src, pg=pg, duck=duck, lite=lite, odbc=odbc)
    paths = [True, False] if source == "postgres" and dest == "pg" else [True]
    for native in paths:
        out = f"out_{source}_{'fast' if native else 'arrow'}"
        for mode, extra in (("full", {}), ("merge", {"primary_key": ["id"]})):
            report = h.run(
                {
                    "name": f"{out}-{mode}",
                    "source": {"connection": "src", "table": table},
                    "destinations": [{"connection": dest, "table": out}],
                    "mode": mode,
                    **extra,
                },
                native=native,
            )
            assert report.ok, report.error
        if source == "postgres" and dest == "pg":
            assert report.destinations[0].path == ("native" if native else "arrow")
        data = h.connectors[dest].read(table=out).read_all().sort_by("id")
        assert data.schema.field("d").type == pa.decimal128(38, 10)
        _same(data.to_pylist(), source, dest)


def test_duckdb_uuid_and_json_stay_uuid_and_json_in_postgres(
    tmp_path: Path, pg_db: dict[str, Any], pg: Connector, harness: Callable[..., Harness]
) -> None:
    import duckdb

    from tests.sync.conftest import pg_rows

    path = tmp_path / "typed.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t (id INTEGER, u UUID, j JSON)")
        con.execute(
            "INSERT INTO t VALUES (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
            "'{\"k\": [1, 2.50]}'), (2, NULL, NULL)"
        )
    src = DuckDBConnector(DuckDBConfig(path=str(path)), name="src")
    report = harness(src=src, pg=pg).run(
        {
            "name": "typed",
            "source": {"connection": "src", "table": "t"},
            "destinations": [{"connection": "pg", "table": "typed"}],
        }
    )
    assert report.ok, report.error
    assert pg_rows(
        pg_db,
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
        "attrelid = 'typed'::regclass AND attnum > 0 ORDER BY attnum",
    ) == [("integer",), ("uuid",), ("json",)]
    assert pg_rows(pg_db, "SELECT u::text, j::text FROM typed ORDER BY id") == [
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", '{"k": [1, 2.50]}'),
        (None, None),
    ]


# -- ±infinity, dates before year 1 and after 9999 (PostgreSQL and DuckDB hold them; SQLite and
# SQL Server do not): the truth is PostgreSQL's own text of each value (``col::text``) ----
FAR = [  # (timestamp, date) as PostgreSQL prints them; timestamptz is the timestamp at +00
    ("infinity", "infinity"),
    ("-infinity", "-infinity"),
    ("4713-01-01 00:00:00 BC", "4713-01-01 BC"),
    ("0044-03-15 12:34:56.789012 BC", "0044-03-15 BC"),
    ("0001-12-31 23:59:59.999999 BC", "0001-12-31 BC"),
    ("0001-01-01 00:00:00", "0001-01-01"),
    ("2024-02-29 12:00:00.5", "2024-02-29"),
    ("12345-06-07 12:34:56.000001", "12345-06-07"),  # pyarrow reads four-digit years only
    ("294247-01-10 04:00:54.775806", "5874897-12-31"),  # the last before Arrow's infinity
    (None, None),
]
FAR_DDL = "CREATE TABLE far (id bigint PRIMARY KEY, ts timestamp, tz timestamptz, day date)"


def _zoned(text: str | None) -> str | None:
    if text is None or text.endswith("infinity"):
        return text
    return text[:-3] + "+00 BC" if text.endswith(" BC") else text + "+00"


def _far_rows() -> list[tuple[Any, ...]]:
    return [(i, ts, _zoned(ts), day) for i, (ts, day) in enumerate(FAR, 1)]


def _duck_literal(text: str | None) -> str:
    """PostgreSQL's ``0044-03-15 12:00:00+00 BC`` as DuckDB writes it, ``0044-03-15 (BC) …``."""
    import re

    if text is None:
        return "NULL"
    return "'" + re.sub(r"^(\d+-\d\d-\d\d)(.*) BC$", r"\1 (BC)\2", text) + "'"


def _duck_text(text: str | None) -> str | None:
    """DuckDB's text of a value in PostgreSQL's form (``(BC)`` after the date -> `` BC``)."""
    import re

    return None if text is None else re.sub(r"^(\d+-\d\d-\d\d) \(BC\)(.*)$", r"\1\2 BC", text)


def _far_source(
    kind: str, pg_db: dict[str, Any], request: pytest.FixtureRequest, tmp_path: Path
) -> Connector:
    literal = lambda v: "NULL" if v is None else f"'{v}'"  # noqa: E731
    pg_exec(
        pg_db,
        FAR_DDL,
        *[
            f"INSERT INTO far VALUES ({i}, {literal(ts)}, {literal(tz)}, {literal(day)})"
            for i, ts, tz, day in _far_rows()
        ],
    )
    if kind == "postgres":
        return request.getfixturevalue("pg")
    import duckdb

    path = tmp_path / "far.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(FAR_DDL)
        for i, ts, tz, day in _far_rows():
            con.execute(
                f"INSERT INTO far VALUES ({i}, {_duck_literal(ts)}, {_duck_literal(tz)},"
                f" {_duck_literal(day)})"
            )
    return DuckDBConnector(DuckDBConfig(path=str(path)), name="src")


@pytest.mark.parametrize("dest", DESTINATIONS)
@pytest.mark.parametrize("source", ["postgres", "duckdb"])
def test_infinity_and_bc_values_are_exact_or_the_same_error_on_every_path(
    source: str,
    dest: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    pg_db: dict[str, Any],
    pg: Connector,
    duck: Connector,
    lite: Connector,
    harness: Callable[..., Harness],
) -> None:
    import re

    import duckdb

    from tests.sync.conftest import pg_rows

    src = _far_source(source, pg_db, request, tmp_path)
    truth = pg_rows(pg_db, "SELECT id, ts::text, tz::text, day::text FROM far ORDER BY id")
    assert [r[1:] for r in truth] == [r[1:] for r in _far_rows()]  # PostgreSQL agrees
    odbc = request.getfixturevalue("odbc") if dest == "odbc" else None
    h = harness(src=src, pg=pg, duck=duck, lite=lite, odbc=odbc)
    paths = [True, False] if source == "postgres" and dest == "pg" else [True]
    types = set()
    for native in paths:
        out = f"far_{source}_{'fast' if native else 'arrow'}"
        for mode, extra in (("full", {}), ("merge", {"primary_key": ["id"]})):
            report = h.run(
                {
                    "name": f"{out}-{mode}",
                    "source": {"connection": "src", "table": "far"},
                    "destinations": [{"connection": dest, "table": out}],
                    "mode": mode,
                    **extra,
                },
                native=native,
            )
            if dest in ("lite", "odbc"):  # neither holds them: the same error, naming all
                assert not report.ok
                error = str(report.error)
                found = re.search(
                    r"(?:the row with id=(\d+)|row (\d+)): column 'ts' holds "
                    r"'([^']+)', and (SQLite|SQL Server) holds no infinite",
                    error,
                )
                assert found is not None, error
                row = int(found.group(1) or found.group(2))
                assert found.group(3) == truth[row - 1][1]
                assert (found.group(1) is not None) == (mode == "merge")
                assert (
                    not h.connectors[dest].has_table(out)
                    or h.connectors[dest].read(table=out).read_all().num_rows == 0
                )
                continue
            assert report.ok, report.error
            if source == "postgres" and dest == "pg":
                assert report.destinations[0].path == ("native" if native else "arrow")
        if dest == "pg":
            assert (
                pg_rows(pg_db, f"SELECT id, ts::text, tz::text, day::text FROM {out} ORDER BY id")
                == truth
            )
            types.add(
                tuple(
                    r[0]
                    for r in pg_rows(
                        pg_db,
                        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                        f"attrelid = '{out}'::regclass AND attnum > 0 ORDER BY attnum",
                    )
                )
            )
        elif dest == "duck":
            duck.close()
            with duckdb.connect(duck.path) as con:
                con.execute("SET TimeZone = 'UTC'")
                got = con.execute(
                    f"SELECT id, ts::VARCHAR, tz::VARCHAR, day::VARCHAR FROM {out} ORDER BY id"
                ).fetchall()
                kinds = con.execute(
                    f"SELECT data_type FROM information_schema.columns WHERE "
                    f"table_name = '{out}' ORDER BY ordinal_position"
                ).fetchall()
            assert [tuple(_duck_text(v) for v in r[1:]) for r in got] == [r[1:] for r in truth]
            assert [r[0] for r in got] == [r[0] for r in truth]
            assert [k[0] for k in kinds] == [
                "BIGINT",
                "TIMESTAMP",
                "TIMESTAMP WITH TIME ZONE",
                "DATE",
            ]
    if dest == "pg":
        assert types == {
            ("bigint", "timestamp without time zone", "timestamp with time zone", "date")
        }


@pytest.mark.parametrize("source", ["postgres", "duckdb"])
def test_infinities_are_refused_by_parquet_and_kept_as_words_by_csv(
    source: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    pg_db: dict[str, Any],
    harness: Callable[..., Harness],
) -> None:
    """Parquet's DATE and TIMESTAMP have no infinity (Arrow's stand-in would read back as a
    real date in year 5881580): refused by column, row and value, and no file is left. Its
    other values (BC, after 9999) are ordinary Parquet values and arrive exactly. CSV holds
    every value as text PostgreSQL itself reads back exactly: the proof is PostgreSQL's
    reading of the file."""
    import csv
    import re

    import duckdb
    import psycopg

    from tests.sync.conftest import pg_rows

    src = _far_source(source, pg_db, request, tmp_path)
    truth = pg_rows(pg_db, "SELECT id, ts::text, tz::text, day::text FROM far ORDER BY id")
    folder = tmp_path / "out"
    folder.mkdir()
    files = FilesConnector(FilesConnector.Config(path=str(folder)), name="files")
    h = harness(src=src, files=files)

    def sync(table: str, **source_: str) -> Any:
        return h.run(
            {
                "name": table.replace(".", "-"),
                "source": {"connection": "src", **(source_ or {"table": "far"})},
                "destinations": [{"connection": "files", "table": table}],
            }
        )

    refused = sync("far.parquet")
    assert not refused.ok
    found = re.search(
        r"row (\d+): column 'ts' holds '([^']+)', and Parquet has no infinite", str(refused.error)
    )
    assert found is not None, refused.error
    assert found.group(2) == truth[int(found.group(1)) - 1][1] == "infinity"
    assert not list(folder.iterdir())
    finite = sync(
        "finite.parquet",
        query="SELECT * FROM far WHERE ts IS NULL OR isfinite(ts) AND isfinite(day)",
    )
    assert finite.ok, finite.error
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        got = con.execute(
            "SELECT id, ts::VARCHAR, tz::VARCHAR, day::VARCHAR FROM "
            f"read_parquet('{folder / 'finite.parquet'}') ORDER BY id"
        ).fetchall()
    want = [r for r in truth if r[1] is None or not r[1].endswith("infinity")]
    assert [(r[0], *(_duck_text(v) for v in r[1:])) for r in got] == want

    written = sync("far.csv")
    assert written.ok, written.error
    with open(folder / "far.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    with psycopg.connect(str(pg_db["dsn"]), options="-c TimeZone=UTC") as con:
        back = con.execute(
            "SELECT id::bigint, nullif(ts, '')::timestamp::text, nullif(tz, '')::timestamptz::text,"
            " nullif(day, '')::date::text FROM unnest(%s::text[], %s::text[], %s::text[],"
            " %s::text[]) x(id, ts, tz, day) ORDER BY 1",
            [list(c) for c in zip(*rows, strict=True)],
        ).fetchall()
    assert back == truth


@pytest.mark.parametrize("dest", ["lite", "odbc"])
def test_a_date_after_9999_is_refused_by_sqlite_and_sql_server_naming_it(
    dest: str,
    request: pytest.FixtureRequest,
    pg_db: dict[str, Any],
    pg: Connector,
    lite: Connector,
    harness: Callable[..., Harness],
) -> None:
    """SQLite's date functions and SQL Server's DATE/DATETIME2 end at 9999-12-31."""
    from tests.sync.conftest import pg_exec

    pg_exec(
        pg_db,
        "CREATE TABLE late (id bigint PRIMARY KEY, day date, at timestamptz)",
        "INSERT INTO late VALUES (1, '9999-12-31', '9999-12-31 23:59:59.999999+00'),"
        " (2, '9999-12-31', '10000-01-01 00:00:00+00'), (3, '12345-06-07', NULL)",
    )
    odbc = request.getfixturevalue("odbc") if dest == "odbc" else None
    h = harness(pg=pg, lite=lite, odbc=odbc)
    report = h.run(
        {
            "name": "late",
            "source": {"connection": "pg", "table": "late"},
            "destinations": [{"connection": dest, "table": "late_out"}],
            "mode": "merge",
            "primary_key": ["id"],
        }
    )
    assert not report.ok
    error = str(report.error)
    assert (
        "the row with id=3: column 'day' holds '12345-06-07'" in error
        or "the row with id=2: column 'at' holds '10000-01-01 00:00:00" in error
    ), error
    assert "after year 9999" in error
    target = h.connectors[dest]
    assert (
        not target.has_table("late_out") or target.read(table="late_out").read_all().num_rows == 0
    )
