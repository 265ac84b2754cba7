"""Destinations for the connector suite: one parametrized fixture over every built-in connector.

Each case gives a live connector plus how it names a table (files need an extension) and what
it supports, like dlt's ``destinations_configs``: a test written once runs on all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import Connector
from app.connectors.duckdb import DuckDBConnector
from app.connectors.files import FilesConnector
from app.connectors.postgres import PostgresConnector
from app.connectors.sqlite import SQLiteConnector

CHINOOK_TABLES = [
    "Album",
    "Artist",
    "Customer",
    "Employee",
    "Genre",
    "Invoice",
    "InvoiceLine",
    "MediaType",
    "Playlist",
    "PlaylistTrack",
    "Track",
]


@dataclass
class Case:
    """One destination under test."""

    kind: str
    connector: Connector
    table: Callable[[str], str]
    merge: bool = True

    def read_all(self, name: str) -> pa.Table:
        return self.connector.read(table=self.table(name)).read_all()


def pg_connector(pg_db: dict[str, object], **extra: object) -> PostgresConnector:
    config = PostgresConnector.Config(
        host=str(pg_db["host"]),
        port=int(pg_db["port"]),
        database=str(pg_db["dbname"]),
        user=str(pg_db["user"]),
        **extra,
    )
    return PostgresConnector(config, name="warehouse")


CASES = [
    "sqlite",
    "duckdb",
    "parquet",
    "csv",
    pytest.param("postgres", marks=pytest.mark.postgres),
    "snowflake",
    pytest.param("redshift", marks=pytest.mark.postgres),
]


def make_case(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Case:
    if kind == "sqlite":
        return Case(
            kind, SQLiteConnector(SQLiteConnector.Config(path="dest.sqlite"), root=tmp_path), str
        )
    if kind == "duckdb":
        return Case(
            kind, DuckDBConnector(DuckDBConnector.Config(path="dest.duckdb"), root=tmp_path), str
        )
    if kind in ("parquet", "csv"):
        (tmp_path / "out").mkdir()
        connector = FilesConnector(FilesConnector.Config(path="out"), root=tmp_path)
        return Case(kind, connector, lambda name: f"{name}.{kind}", merge=False)
    if kind == "snowflake":
        return Case(kind, request.getfixturevalue("snowflake"), str)
    if kind == "redshift":
        return Case(kind, request.getfixturevalue("redshift_pg"), str)
    return Case(kind, pg_connector(request.getfixturevalue("pg_db")), str)


@pytest.fixture(params=CASES)
def dest(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Case]:
    """A fresh, empty destination of each kind."""
    case = make_case(request.param, tmp_path, request)
    try:
        yield case
    finally:
        case.connector.close()


@pytest.fixture
def chinook(chinook_sqlite: Path) -> SQLiteConnector:
    """The Chinook database as a SQLite source."""
    return SQLiteConnector(SQLiteConnector.Config(path=str(chinook_sqlite)), name="chinook")


@pytest.fixture
def snowflake() -> Iterator[Connector]:
    """A Snowflake connector on fakesnow (an in-process stand-in over DuckDB), fresh and
    empty: the real snowflake-connector-python, with its ``connect`` patched."""
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake() as connector:
        yield connector


@pytest.fixture
def redshift_pg(pg_db: dict[str, object]) -> Connector:
    """The Redshift connector whose statements run on PostgreSQL (through psycopg): the
    exact SQL it emits, on a real engine (the driver itself needs Redshift)."""
    from tests.connectors.warehouses import redshift_on_postgres

    return redshift_on_postgres(pg_db)
