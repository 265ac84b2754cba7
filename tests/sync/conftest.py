"""Fixtures for sync tests: real PostgreSQL (``pg_db``), DuckDB and SQLite files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.connectors.base import Connector
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.postgres import PostgresConfig, PostgresConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from app.engine.sync import SyncReport, SyncRunner
from app.model.events import Event, EventBus
from app.model.sync import SyncDefinition


def pg_connector(db: dict[str, Any], name: str = "pg", app: str = "cauce") -> PostgresConnector:
    return PostgresConnector(
        PostgresConfig(
            host=str(db["host"]),
            port=int(db["port"]),
            user=str(db["user"]),
            database=str(db["dbname"]),
            application_name=app,
        ),
        name=name,
    )


def pg_rows(db: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(str(db["dsn"])) as con:
        return list(con.execute(sql.encode()).fetchall())


def pg_exec(db: dict[str, Any], *sql: str) -> None:
    with psycopg.connect(str(db["dsn"]), autocommit=True) as con:
        for statement in sql:
            con.execute(statement.encode())


@pytest.fixture
def pg(pg_db: dict[str, Any]) -> PostgresConnector:
    return pg_connector(pg_db)


@pytest.fixture
def duck(tmp_path: Path) -> Iterator[DuckDBConnector]:
    connector = DuckDBConnector(DuckDBConfig(path=str(tmp_path / "wh.duckdb")), name="duck")
    yield connector
    connector.close()


@pytest.fixture
def lite(tmp_path: Path) -> SQLiteConnector:
    return SQLiteConnector(SQLiteConfig(path=str(tmp_path / "dest.sqlite")), name="lite")


class Harness:
    """Runs a sync over a fixed set of connectors and keeps every event."""

    def __init__(self, connectors: dict[str, Connector]) -> None:
        self.connectors = connectors
        self.events: list[Event] = []

    def run(self, definition: SyncDefinition | dict[str, Any], **kwargs: Any) -> SyncReport:
        if isinstance(definition, dict):
            definition = SyncDefinition.model_validate(definition)
        bus = EventBus()
        bus.subscribe(self.events.append)
        return SyncRunner(
            definition, self.connectors.__getitem__, bus=bus, backoff=0.05, **kwargs
        ).run()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@pytest.fixture
def harness() -> Callable[..., Harness]:
    return lambda **connectors: Harness(connectors)


MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root"}


def mariadb_admin(**kwargs: Any) -> Any:
    """A pymysql connection to the test MariaDB server (autocommit unless told)."""
    import pymysql

    options: dict[str, Any] = {"autocommit": True, "charset": "utf8mb4", **kwargs}
    return pymysql.connect(
        host=MARIADB["host"], port=MARIADB["port"], user=MARIADB["user"], password="", **options
    )


@pytest.fixture
def maria_db() -> Iterator[str]:
    """A fresh, empty MariaDB database, dropped afterwards."""
    import uuid

    from tests.conftest import require_service

    require_service("MariaDB", str(MARIADB["host"]), int(MARIADB["port"]))
    name = f"cauce_sync_{uuid.uuid4().hex[:10]}"
    with mariadb_admin() as con, con.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        yield name
    finally:
        with mariadb_admin() as con, con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def maria(maria_db: str) -> Connector:
    from app.connectors.mysql import MySQLConnector

    config = MySQLConnector.Config(
        host=str(MARIADB["host"]),
        port=int(MARIADB["port"]),
        database=maria_db,
        user=str(MARIADB["user"]),
        ssl_mode="disabled",
    )
    return MySQLConnector(config, name="maria")
