"""``Connector.atomic()``: statements in one transaction, with the rows each changed —
committed together, or not at all — on PostgreSQL, DuckDB and SQLite; refused elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.connectors.base import ConnectionError_, Connector
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.files import FilesConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from tests.sync.conftest import pg_connector


def _pg(pg_db: dict[str, Any], tmp_path: Path) -> Connector:
    return pg_connector(pg_db)


def _duck(pg_db: dict[str, Any], tmp_path: Path) -> Connector:
    return DuckDBConnector(DuckDBConfig(path=str(tmp_path / "t.duckdb")), name="duck")


def _lite(pg_db: dict[str, Any], tmp_path: Path) -> Connector:
    return SQLiteConnector(SQLiteConfig(path=str(tmp_path / "t.sqlite")), name="lite")


@pytest.fixture(params=["postgres", "duckdb", "sqlite"])
def connector(request: pytest.FixtureRequest, tmp_path: Path) -> Connector:
    make: Callable[[dict[str, Any], Path], Connector] = {
        "postgres": _pg,
        "duckdb": _duck,
        "sqlite": _lite,
    }[request.param]
    pg_db = request.getfixturevalue("pg_db") if request.param == "postgres" else {}
    c = make(pg_db, tmp_path)
    c.execute("CREATE TABLE t (id integer, name text)")
    c.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'b')")
    return c


def _names(c: Connector) -> list[tuple[int, str | None]]:
    rows = c.query("SELECT id, name FROM t ORDER BY id").read_all().to_pylist()
    return [(r["id"], r["name"]) for r in rows]


def test_statements_commit_together_with_their_row_counts(connector: Connector) -> None:
    with connector.atomic() as tx:
        assert tx.execute("DELETE FROM t WHERE name = 'b'") == 2
        assert tx.execute("UPDATE t SET name = NULL WHERE id = 1") == 1
        assert tx.scalar("SELECT count(*) FROM t") == 1  # inside: sees its own changes
    assert _names(connector) == [(1, None)]


def test_a_failure_inside_rolls_everything_back(connector: Connector) -> None:
    with pytest.raises(RuntimeError), connector.atomic() as tx:
        tx.execute("DELETE FROM t WHERE name = 'b'")
        raise RuntimeError("something was left")
    with pytest.raises(ConnectionError_), connector.atomic() as tx:
        tx.execute("DELETE FROM t WHERE id = 1")
        tx.execute("DELETE FROM no_such_table")
    assert _names(connector) == [(1, "a"), (2, "b"), (3, "b")]


def test_a_connector_without_transactions_refuses(tmp_path: Path) -> None:
    files = FilesConnector(FilesConnector.Config(path=str(tmp_path)), name="files")
    with pytest.raises(ConnectionError_, match="cannot run statements in a transaction"):
        files.atomic()
