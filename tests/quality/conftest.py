"""A small crafted table in every engine checks run in, and a way to watch the SQL they run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import Connector, WriteMode
from tests.connectors.test_mysql import mariadb_db  # noqa: F401 - the fixture

ENGINES = ["duckdb", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "mariadb"]
NEWEST = dt.datetime(2026, 3, 1, 12, 0, 0)

#: id 5 twice; one NULL e-mail and one malformed; one unexpected status; one negative amount;
#: country 9 is not in countries
PEOPLE = pa.table(
    {
        "id": pa.array([1, 2, 3, 4, 5, 5], pa.int64()),
        "email": pa.array(["a@x.com", "b@x.com", None, "bad", "c@x.com", "d@x.com"]),
        "status": pa.array(["new", "new", "done", "done", "weird", "new"]),
        "amount": pa.array([10.0, 20.0, 30.0, -5.0, 50.0, 60.0]),
        "country": pa.array([1, 2, 1, 9, None, 2], pa.int64()),
        "home": pa.array([1, 1, 2, 2, 1, 2], pa.int64()),
        "updated": pa.array(
            [NEWEST - dt.timedelta(days=d) for d in (5, 4, 3, 2, 1, 0)], pa.timestamp("us")
        ),
    }
)
COUNTRIES = pa.table({"id": pa.array([1, 2], pa.int64())})


_MARIADB_TYPES = {
    "id": "BIGINT",
    "email": "VARCHAR(100)",
    "status": "VARCHAR(20)",
    "amount": "DOUBLE",
    "country": "BIGINT",
    "home": "BIGINT",
    "updated": "DATETIME",
}


def _load_mariadb(database: str) -> None:
    """MariaDB is a source only in Cauce: the tables are made with the driver (test data)."""
    from tests.connectors.test_mysql import _admin

    with _admin(database=database) as con, con.cursor() as cur:
        for name, data in (("people", PEOPLE), ("countries", COUNTRIES)):
            cur.execute(f"DROP TABLE IF EXISTS `{name}`")
            cols = ", ".join(f"`{c}` {_MARIADB_TYPES[c]}" for c in data.column_names)
            cur.execute(f"CREATE TABLE `{name}` ({cols})")
            marks = ", ".join(["%s"] * data.num_columns)
            cur.executemany(
                f"INSERT INTO `{name}` VALUES ({marks})",
                [tuple(r.values()) for r in data.to_pylist()],
            )


def load(connector: Connector) -> Connector:
    if connector.capabilities.dialect == "mysql":
        _load_mariadb(connector.config.database)  # type: ignore[attr-defined]
        return connector
    connector.write("people", PEOPLE.to_reader(), mode=WriteMode.REPLACE)
    connector.write("countries", COUNTRIES.to_reader(), mode=WriteMode.REPLACE)
    return connector


def open_engine(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Connector:
    if kind == "duckdb":
        from app.connectors.duckdb import DuckDBConnector

        return DuckDBConnector(DuckDBConnector.Config(path=str(tmp_path / "q.duckdb")), name="db")
    if kind == "sqlite":
        from app.connectors.sqlite import SQLiteConnector

        return SQLiteConnector(SQLiteConnector.Config(path=str(tmp_path / "q.sqlite")), name="db")
    if kind == "postgres":
        from tests.connectors.conftest import pg_connector

        return pg_connector(request.getfixturevalue("pg_db"))
    from app.connectors.mysql import MySQLConnector

    config = MySQLConnector.Config(
        host="127.0.0.1",
        port=3306,
        user="root",
        database=request.getfixturevalue("mariadb_db"),
        ssl_mode="disabled",
    )
    return MySQLConnector(config, name="db")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connector]:
    with open_engine(request.param, request, tmp_path) as connector:
        yield load(connector)


class Watched:
    """Runs SQL through a connector and remembers each statement and how many rows came back."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector
        self.seen: list[tuple[str, int]] = []

    def __call__(self, sql: str) -> pa.Table:
        got = self.connector.query(sql).read_all()
        self.seen.append((sql, got.num_rows))
        return got


def row(**kw: Any) -> dict[str, Any]:
    return kw
