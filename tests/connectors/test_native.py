"""DuckDB-native connectors (DuckDB files, CSV/Parquet) seen from the engine, plus SQLite typing."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.duckdb import DuckDBConnector
from app.connectors.files import FilesConnector
from app.connectors.registry import connector_registry
from app.connectors.sqlite import SQLiteConnector

ROWS = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": ["a", "", None]})


def test_entry_points_register_all_four() -> None:
    registry = connector_registry()
    for name in ("sqlite", "duckdb", "files", "postgres"):
        assert name in registry, registry.broken
        assert registry.get(name).capabilities.dialect in ("sqlite", "duckdb", "postgres")


def test_duckdb_attach_scan_and_write_from_engine(tmp_path: Path) -> None:
    db = DuckDBConnector(DuckDBConnector.Config(path="w.duckdb"), root=tmp_path)
    db.write("Sales.Items", ROWS.to_reader(), mode=WriteMode.REPLACE)
    engine = duckdb.connect()
    db.attach(engine, "wh", read_only=False)
    scan = db.scan("wh", table="Sales.Items")
    assert scan.sql("duckdb") == '"wh"."Sales"."Items"'
    query = db.scan("wh", query='WITH c AS (SELECT * FROM "Sales"."Items") SELECT * FROM c')
    assert engine.sql(exp.select("*").from_(query).sql("duckdb")).fetchall()[0] == (1, "a")
    source = exp.select("id", exp.alias_(exp.func("upper", exp.column("name")), "name")).from_(
        scan.copy()
    )
    assert db.write_from_duckdb(engine, "wh", "Copy", source, mode=WriteMode.APPEND).rows == 3
    assert db.write_from_duckdb(engine, "wh", "Copy", source, mode=WriteMode.APPEND).rows == 3
    assert db.write_from_duckdb(engine, "wh", "Copy", source, mode=WriteMode.REPLACE).rows == 3
    change = sqlglot.parse_one("SELECT 2 AS id, 'bee' AS name UNION ALL SELECT 9, 'new'")
    db.write_from_duckdb(engine, "wh", "Copy", change, mode=WriteMode.MERGE, keys=["id"])
    bad = sqlglot.parse_one("SELECT 1 AS id, 1 / 0 AS name, error('boom') AS x")
    with pytest.raises(ConnectionError_, match="Copy"):
        db.write_from_duckdb(engine, "wh", "Copy", bad, mode=WriteMode.REPLACE)
    engine.execute("DETACH wh")
    engine.close()
    assert db.read(table="Copy").read_all().sort_by("id").to_pylist() == [
        {"id": 1, "name": "A"},
        {"id": 2, "name": "bee"},
        {"id": 3, "name": None},
        {"id": 9, "name": "new"},
    ]


def test_duckdb_pushdown_and_memory() -> None:
    db = DuckDBConnector(DuckDBConnector.Config(path=":memory:"))
    db.write("t", ROWS.to_reader(), mode=WriteMode.REPLACE)
    db.execute('CREATE VIEW v AS SELECT * FROM "t" WHERE id > 1')
    query = sqlglot.parse_one('SELECT id * 10 AS id, name FROM "v"', dialect="duckdb")
    assert db.write_query("tens", query, mode=WriteMode.REPLACE).rows == 2
    assert db.read(table="tens").read_all().column("id").to_pylist() == [20, 30]
    assert {(t.name, t.kind) for t in db.list_tables()} == {
        ("t", "table"),
        ("tens", "table"),
        ("v", "view"),
    }
    with pytest.raises(ConnectionError_, match="in-memory"):
        db.attach(duckdb.connect(), "x", read_only=True)
    db.close()


def test_files_scan_glob_and_engine_write(tmp_path: Path) -> None:
    files = FilesConnector(FilesConnector.Config(path="data"), root=tmp_path)
    (tmp_path / "data").mkdir()
    files.write("part1.parquet", ROWS.to_reader(), mode=WriteMode.REPLACE)
    files.write("part2.parquet", ROWS.to_reader(), mode=WriteMode.REPLACE)
    assert files.read(table="part*.parquet").read_all().num_rows == 6
    engine = duckdb.connect()
    files.attach(engine, "files", read_only=True)
    scan = files.scan("files", table="part1.parquet")
    assert str(tmp_path / "data" / "part1.parquet") in scan.sql("duckdb")
    query = exp.select("id", "name").from_(exp.Table(this=scan)).where("id > 1")
    files.write_from_duckdb(engine, "files", "out/selected.csv", query, mode=WriteMode.REPLACE)
    files.write_from_duckdb(engine, "files", "out/selected.csv", query, mode=WriteMode.APPEND)
    text = (tmp_path / "data" / "out" / "selected.csv").read_text()
    assert text == 'id,name\n2,""\n3,\n2,""\n3,\n'  # old rows kept verbatim, "" is not NULL
    with pytest.raises(ConnectionError_, match="merge is not supported"):
        files.write_from_duckdb(engine, "files", "x.csv", query, mode=WriteMode.MERGE, keys=["id"])
    assert not [p for p in (tmp_path / "data").rglob("*") if "cauce-tmp" in p.name]


@pytest.mark.parametrize(
    "name", ["../escape.csv", "/etc/passwd.csv", "a/../../x.csv", "~/x.csv", "C:/x.csv"]
)
def test_files_refuse_paths_outside_the_directory(tmp_path: Path, name: str) -> None:
    (tmp_path / "data").mkdir()
    files = FilesConnector(FilesConnector.Config(path="data"), root=tmp_path)
    with pytest.raises(ConnectionError_, match="inside the connection's directory"):
        files.read(table=name)
    with pytest.raises(ConnectionError_):
        files.write(name, ROWS.to_reader(), mode=WriteMode.REPLACE)


def test_files_refuse_symlink_escape(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "link").symlink_to(tmp_path)
    files = FilesConnector(FilesConnector.Config(path="data"), root=tmp_path)
    with pytest.raises(ConnectionError_, match="outside"):
        files.write("link/x.parquet", ROWS.to_reader(), mode=WriteMode.REPLACE)


def test_files_csv_options(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text('id;name\n1;x\n2;""\n3;\n')
    files = FilesConnector(
        FilesConnector.Config(path=".", format="csv", delimiter=";"), root=tmp_path
    )
    assert files.read(table="in.txt").read_all().column("name").to_pylist() == ["x", "", None]
    result = files.read(query='SELECT count(*) AS n FROM "in.txt" AS i WHERE i.name IS NULL')
    assert result.read_all().column("n").to_pylist() == [1]


def test_sqlite_declared_types_and_stored_values(tmp_path: Path) -> None:
    path = tmp_path / "typed.sqlite"
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE t (a INTEGER, b NUMERIC(10,2), c NVARCHAR(20), d DATETIME, "
            "e DATE, f BOOLEAN, g BLOB, h REAL, i)"
        )
        con.execute(
            "INSERT INTO t VALUES (1, 1.1, 'x', '2021-01-01 10:00:00', '2021-01-02', "
            "1, x'00ff', 1.5, 42)"
        )
        con.execute(
            "INSERT INTO t VALUES (NULL, '2.345', 7, '2021-01-01T10:00:00.5+01:00', "
            "NULL, 'false', NULL, NULL, 'x')"
        )
    lite = SQLiteConnector(SQLiteConnector.Config(path="typed.sqlite"), root=tmp_path)
    schema = lite.table_schema("t")
    assert [str(f.type) for f in schema] == [
        "int64",
        "decimal128(10, 2)",
        "string",
        "timestamp[us]",
        "date32[day]",
        "bool",
        "binary",
        "double",
        "string",
    ]
    # 2.345 has more places than NUMERIC(10,2): refused unless the column is coerced (#21)
    with pytest.raises(
        ConnectionError_, match=r"row 2: column 'b' holds 2\.345, which does not fit"
    ):
        lite.read(table="t").read_all()
    lite = SQLiteConnector(
        SQLiteConnector.Config(path="typed.sqlite", coerce=["t.b"]), root=tmp_path
    )
    rows = lite.read(table="t").read_all().to_pylist()
    assert rows[0]["b"] == Decimal("1.10") and rows[1]["b"] == Decimal("2.34")  # half-even
    assert rows[1]["c"] == "7" and rows[0]["i"] == "42" and rows[1]["f"] is False
    assert str(rows[1]["d"]) == "2021-01-01 09:00:00.500000"  # offsets normalised to UTC
    bad = lite.read(query="SELECT 'not a date' AS d")
    assert bad.read_all().column("d").to_pylist() == ["not a date"]
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO t (d) VALUES ('yesterday')")
    with pytest.raises(ConnectionError_, match="column 'd'"):
        lite.read(table="t").read_all()


def test_duckdb_destination_folder_is_created_when_written(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "mart.duckdb"
    connector = DuckDBConnector(DuckDBConnector.Config(path=str(target)), name="wh")
    with duckdb.connect() as con:
        connector.attach(con, "wh", read_only=False)
        connector.write_from_duckdb(con, "wh", "t", exp.select("1 AS x"), mode=WriteMode.REPLACE)
    assert target.exists()


def test_duckdb_standalone_write_creates_the_file_and_folder_reads_create_nothing(
    tmp_path: Path,
) -> None:
    target = tmp_path / "a" / "b" / "new.duckdb"
    connector = DuckDBConnector(DuckDBConnector.Config(path=str(target)), name="wh")
    assert not connector.has_table("t") and not target.exists()  # reading creates nothing
    data = pa.table({"x": pa.array([1, 2], pa.int64())})
    connector.write("t", data.to_reader(), mode=WriteMode.REPLACE)
    assert target.exists() and connector.has_table("t")


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("timestamp 'infinity'", "infinity"),
        ("timestamptz '-infinity'", "-infinity"),
        ("date 'infinity'", "infinity"),
        ("[date '2024-01-01', date '-infinity']", "-infinity"),
    ],
)
def test_files_refuse_infinities_into_parquet_from_a_pipeline(
    tmp_path: Path, expression: str, shown: str
) -> None:
    """Parquet's DATE and TIMESTAMP have no infinity: DuckDB would write its stand-in, which
    every other reader takes for a real date in year 294247 or 5881580. A pipeline's write
    stops at such a value, naming the column and the value, and leaves no file; CSV keeps the
    words, which read back exactly."""
    (tmp_path / "data").mkdir()
    files = FilesConnector(FilesConnector.Config(path="data"), root=tmp_path)
    engine = duckdb.connect()
    query = sqlglot.parse_one(
        f"SELECT i AS id, CASE WHEN i = 3 THEN {expression} END AS at FROM range(5) t(i)",
        dialect="duckdb",
    )
    with pytest.raises(ConnectionError_) as refused:
        files.write_from_duckdb(engine, "files", "out/at.parquet", query, mode=WriteMode.REPLACE)
    message = str(refused.value)
    assert f"column 'at' holds '{shown}'" in message, message
    assert "Parquet has no infinite dates or timestamps" in message
    assert not (tmp_path / "data" / "out" / "at.parquet").exists()
    assert not [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    written = files.write_from_duckdb(engine, "files", "out/at.csv", query, mode=WriteMode.REPLACE)
    assert written.rows == 5
    finite = sqlglot.parse_one(
        "SELECT i AS id, timestamp '2024-01-01' + to_days(i) AS at FROM range(5) t(i)",
        dialect="duckdb",
    )
    out = files.write_from_duckdb(engine, "files", "ok.parquet", finite, mode=WriteMode.REPLACE)
    assert out.rows == 5
