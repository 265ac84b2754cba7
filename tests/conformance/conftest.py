"""Session-wide engines for the conformance suite: one DuckDB, one PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.conformance.corpus import TABLE
from tests.conformance.engines import DuckEngine, PostgresEngine

TABLES = {"t": TABLE}


@pytest.fixture(scope="session")
def duck() -> DuckEngine:
    return DuckEngine(TABLES)


@pytest.fixture(scope="session")
def postgres(pg_server: dict[str, object]) -> Iterator[PostgresEngine]:
    import psycopg

    name = f"cauce_conformance_{uuid.uuid4().hex[:10]}"
    admin = (
        f"host={pg_server['host']} port={pg_server['port']} user={pg_server['user']} "
        "dbname=postgres"
    )
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    engine = PostgresEngine(admin.replace("dbname=postgres", f"dbname={name}"), TABLES)
    try:
        yield engine
    finally:
        engine.close()
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
