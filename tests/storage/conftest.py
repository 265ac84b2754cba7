"""Fixtures of the storage suite: every database test runs on SQLite and on PostgreSQL.

``db_url`` is an empty database per test (migration tests need that). The repository tests
share one initialised database per dialect and session, and isolate each test in its own
organization: every row is tenant-scoped, so tests cannot see each other's data. That keeps
the suite fast (creating a PostgreSQL database costs about a second here).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage.migrate import init_db
from app.storage.redaction import secret_redactor
from app.storage.repository import Repository

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
DIALECTS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pg_url(dbname: object) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"


@pytest.fixture(params=DIALECTS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty metadata database URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'meta' / 'cauce.db').as_posix()}"
    return pg_url(request.getfixturevalue("pg_db")["dbname"])


@pytest.fixture(scope="session", params=DIALECTS)
def shared_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One initialised metadata database per dialect for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path_factory.mktemp('shared') / 'cauce.db').as_posix()}"
        init_db(url)
        yield url
        return
    import psycopg

    request.getfixturevalue("pg_server")
    name = f"cauce_storage_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        init_db(pg_url(name))
        yield pg_url(name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def repo(shared_db_url: str) -> Iterator[Repository]:
    """A repository scoped to a brand-new organization of the shared database."""
    with Repository(shared_db_url, organization=f"test-{uuid.uuid4().hex}") as repository:
        yield repository


@pytest.fixture(autouse=True)
def _fresh_redactor() -> Iterator[None]:
    """Each test starts with no known secret values in the process-wide redactor."""
    secret_redactor().clear()
    yield
    secret_redactor().clear()
