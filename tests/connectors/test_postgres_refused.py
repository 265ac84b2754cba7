"""A PostgreSQL server that refuses a connection for good (no such database or role) fails at
once; one that may accept it later (out of connection slots, not listening) is retried."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.connectors.base import ConnectionError_
from app.connectors.postgres import PostgresConfig, PostgresConnector
from app.services.workspace import Workspace

pytestmark = pytest.mark.postgres


def _connector(server: dict[str, Any], **overrides: Any) -> PostgresConnector:
    params: dict[str, Any] = {
        "host": server["host"],
        "port": server["port"],
        "user": server["user"],
        "database": "postgres",
    }
    params.update(overrides)
    return PostgresConnector(PostgresConfig(**params), name="wh")


def _refusal(connector: PostgresConnector) -> ConnectionError_:
    with pytest.raises(ConnectionError_) as caught:
        connector.test()
    return caught.value


def test_a_database_that_does_not_exist_is_not_retried(pg_server: dict[str, Any]) -> None:
    error = _refusal(_connector(pg_server, database="no_such_db_cauce"))
    assert 'database "no_such_db_cauce" does not exist' in str(error)
    assert not error.transient


def test_a_role_that_does_not_exist_is_not_retried(pg_server: dict[str, Any]) -> None:
    error = _refusal(_connector(pg_server, user="no_such_role_cauce"))
    assert 'role "no_such_role_cauce" does not exist' in str(error)
    assert not error.transient


def test_a_server_out_of_slots_is_retried(pg_server: dict[str, Any]) -> None:
    """``too many connections`` (53300) may pass later: still transient."""
    role = f"cauce_full_{uuid.uuid4().hex[:8]}"
    admin = (
        f"host={pg_server['host']} port={pg_server['port']} user={pg_server['user']} "
        "dbname=postgres"
    )
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0'.encode())
    try:
        error = _refusal(_connector(pg_server, user=role))
        assert "too many connections" in str(error)
        assert error.transient
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP ROLE "{role}"'.encode())


def test_nothing_listening_is_retried(pg_server: dict[str, Any]) -> None:
    error = _refusal(_connector(pg_server, port=1))
    assert error.transient


def test_a_sync_into_a_missing_database_fails_at_once(
    pg_server: dict[str, Any], tmp_path: Path
) -> None:
    from app.services.syncs import run_adhoc_sync

    base = f"postgresql://{pg_server['user']}@{pg_server['host']}:{pg_server['port']}"
    started = time.monotonic()
    report = run_adhoc_sync(
        source_url=f"{base}/postgres",
        source_table="pg_catalog.pg_am",
        dest_url=f"{base}/no_such_db_cauce",
        dest_table="am",
        workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"),
        retries=3,
        backoff=2,
    )
    assert report.status == "failed"
    assert "no_such_db_cauce" in (report.error or "")
    assert time.monotonic() - started < 2  # no retry (the first backoff alone is 2 s)
