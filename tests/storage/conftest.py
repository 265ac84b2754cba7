"""Fixtures of the storage suite: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage.migrate import init_db
from app.storage.redaction import secret_redactor
from app.storage.repository import Repository


def pg_url(pg_db: dict[str, object]) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db['dbname']}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty metadata database URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'meta' / 'cauce.db').as_posix()}"
    return pg_url(request.getfixturevalue("pg_db"))


@pytest.fixture
def repo(db_url: str) -> Iterator[Repository]:
    """A repository on a freshly initialised database."""
    init_db(db_url)
    with Repository(db_url) as repository:
        yield repository


@pytest.fixture(autouse=True)
def _fresh_redactor() -> Iterator[None]:
    """Each test starts with no known secret values in the process-wide redactor."""
    secret_redactor().clear()
    yield
    secret_redactor().clear()
