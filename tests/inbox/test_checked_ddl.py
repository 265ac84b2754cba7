"""The connectors' checked schema changes (the schema inbox's approve and roll back) on real
PostgreSQL, DuckDB and SQLite: a change that would lose or alter a value is refused, naming it,
and nothing is changed; the others are done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, Connector
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from tests.sync.conftest import pg_connector


def _connector(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Connector:
    if kind == "postgres":
        return pg_connector(request.getfixturevalue("pg_db"))
    if kind == "duckdb":
        return DuckDBConnector(DuckDBConfig(path=str(tmp_path / "d.duckdb")), name="duck")
    return SQLiteConnector(SQLiteConfig(path=str(tmp_path / "s.sqlite")), name="lite")


def _rows(c: Connector) -> list[dict[str, Any]]:
    return sorted(c.read(table="t").read_all().to_pylist(), key=lambda r: r["id"])


@pytest.mark.parametrize("kind", ["postgres", "duckdb", "sqlite"])
def test_drop_only_empty_columns_and_rename(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    c = _connector(kind, tmp_path, request)
    c.execute("CREATE TABLE t (id integer PRIMARY KEY, kept varchar(20), empty varchar(20))")
    c.execute("INSERT INTO t (id, kept) VALUES (1, 'a'), (2, NULL)")
    before = _rows(c)
    with pytest.raises(ConnectionError_, match=r"kept \(1\).*hold values"):
        c.drop_columns("t", ["empty", "kept"])
    assert _rows(c) == before  # neither dropped: one transaction
    c.drop_columns("t", ["empty"])
    assert c.table_schema("t").names == ["id", "kept"]
    c.rename_column("t", "kept", "label")
    assert [r["label"] for r in _rows(c)] == ["a", None]


@pytest.mark.parametrize("kind", ["postgres", "duckdb"])
def test_retype_only_when_every_value_comes_back(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    c = _connector(kind, tmp_path, request)
    c.execute("CREATE TABLE t (id integer, n bigint, code varchar(10), price decimal(12,4))")
    c.execute("INSERT INTO t VALUES (1, 5, '007', 1.25), (2, 3000000000, '12', 2.5)")
    before = _rows(c)
    with pytest.raises(ConnectionError_, match="do not fit"):
        c.retype_columns("t", [pa.field("n", pa.int32())])
    with pytest.raises(ConnectionError_, match="1 of its values would change"):
        c.retype_columns("t", [pa.field("code", pa.int64())])  # '007' would become 7
    assert _rows(c) == before
    c.retype_columns("t", [pa.field("price", pa.decimal128(8, 2))])  # 1.25 and 2.5 fit
    assert str(c.table_schema("t").field("price").type) == "decimal128(8, 2)"
    c.execute("UPDATE t SET code = '7' WHERE id = 1")
    c.retype_columns("t", [pa.field("code", pa.int64())])
    assert [r["code"] for r in _rows(c)] == [7, 12]


def test_sqlite_refuses_a_change_of_declared_type(tmp_path: Path) -> None:
    c = SQLiteConnector(SQLiteConfig(path=str(tmp_path / "s.sqlite")), name="lite")
    c.execute("CREATE TABLE t (id INTEGER, n INTEGER)")
    c.retype_columns("t", [pa.field("n", pa.int32())])  # the same declared type: nothing to do
    with pytest.raises(ConnectionError_, match="cannot change the declared type"):
        c.retype_columns("t", [pa.field("n", pa.float64())])
