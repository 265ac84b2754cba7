"""PostgreSQL and passwords, against a private server that demands one of everyone.

The password is an optional secret: with trust, peer or certificate authentication there is
none. Opening a connection takes it from the environment only; the secret store (and keyring)
is asked when the server asks, as ``psql`` prompts only then. A wrong or missing password is
refused at once with a clear message, never retried, never shown.
"""

from __future__ import annotations

import time
import types
from pathlib import Path
from typing import Any

import pytest

from app.connectors.base import ConnectionError_
from app.model.connection import Connection
from app.services.connections import open_connector
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver, secret_ref

pytestmark = pytest.mark.postgres


class CountingStore:
    """An in-memory secret store that counts how often it is opened and read."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.opened = self.reads = 0

    def open(self) -> CountingStore:
        self.opened += 1
        return self

    def get(self, ref: str) -> str | None:
        self.reads += 1
        return self.values.get(ref)

    def set(self, ref: str, value: str) -> None:
        self.values[ref] = value

    def delete(self, ref: str) -> None:
        self.values.pop(ref, None)


def _open(
    server: dict[str, Any],
    store: CountingStore,
    env: dict[str, str] | None = None,
    name: str = "warehouse",
) -> Any:
    connection = Connection(
        name=name,
        type="postgres",
        params={
            "host": server["host"],
            "port": server["port"],
            "user": server["user"],
            "database": server.get("dbname", "postgres"),
            "connect_timeout": 5,
        },
    )
    resolver = SecretResolver(None, environ=env or {}, open_store=store.open)
    return open_connector(
        connection, project_dir=Path.cwd(), secrets=secret_lookup("shop", resolver)
    )


def _read_all(connector: Any) -> int:
    rows = connector.open_native("SELECT 1 AS x UNION ALL SELECT 2")
    try:
        return sum(len(chunk) for chunk in rows.chunks())
    finally:
        rows.close()


def test_a_stored_password_is_fetched_when_the_server_asks(
    pg_password_server: dict[str, Any],
) -> None:
    ref = secret_ref("shop", "warehouse", "password")
    store = CountingStore({ref: pg_password_server["password"]})
    connector = _open(pg_password_server, store)
    assert connector.config.password is None  # not looked up when opening
    connector.test()  # psycopg: refused for want of a password, asks the store, connects
    assert (store.opened, store.reads) == (1, 1)
    assert _read_all(connector) > 0  # asyncpg then uses the same password
    connector.test()
    assert (store.opened, store.reads) == (1, 1)  # fetched once


def test_the_fast_reader_alone_fetches_it_too(pg_password_server: dict[str, Any]) -> None:
    ref = secret_ref("shop", "warehouse", "password")
    store = CountingStore({ref: pg_password_server["password"]})
    connector = _open(pg_password_server, store)
    assert _read_all(connector) > 0  # asyncpg first: refused, asks the store, connects
    assert store.reads == 1


def test_the_store_is_left_alone_when_the_server_does_not_ask(pg_db: dict[str, Any]) -> None:
    ref = secret_ref("shop", "warehouse", "password")
    store = CountingStore({ref: "not-needed"})
    connector = _open(pg_db, store)
    connector.test()
    assert _read_all(connector) > 0
    assert (store.opened, store.reads) == (0, 0)


@pytest.mark.parametrize("reader", ["psycopg", "asyncpg"])
def test_a_wrong_password_is_refused_at_once_and_never_shown(
    pg_password_server: dict[str, Any], reader: str
) -> None:
    wrong = "Wr0ng-but-secret-9q"
    ref = secret_ref("shop", "warehouse", "password")
    store = CountingStore({ref: "never-asked"})
    connector = _open(pg_password_server, store, env={"CAUCE_SECRET_WAREHOUSE_PASSWORD": wrong})
    with pytest.raises(ConnectionError_) as caught:
        connector.test() if reader == "psycopg" else _read_all(connector)
    message = str(caught.value)
    assert message.startswith("warehouse: connecting to 127.0.0.1:")
    assert "password authentication failed" in message and wrong not in message
    assert not caught.value.transient  # a retry would be refused the same way
    assert store.reads == 0  # the environment's value is the one given


@pytest.mark.parametrize("reader", ["psycopg", "asyncpg"])
def test_no_password_anywhere_is_refused_clearly(
    pg_password_server: dict[str, Any], reader: str
) -> None:
    store = CountingStore()
    connector = _open(pg_password_server, store)
    with pytest.raises(ConnectionError_) as caught:
        connector.test() if reader == "psycopg" else _read_all(connector)
    message = str(caught.value)
    assert message.startswith("warehouse: connecting to 127.0.0.1:")
    assert "password" in message
    assert not caught.value.transient
    assert store.reads == 1  # the store was asked, and had nothing


def test_a_sync_with_a_wrong_password_fails_clearly_and_at_once(
    pg_password_server: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.syncs import run_adhoc_sync

    server = pg_password_server
    url = f"postgresql://{server['user']}@{server['host']}:{server['port']}/postgres"
    monkeypatch.setenv("CAUCE_SECRET_SOURCE_PASSWORD", "Wr0ng-but-secret-9q")
    monkeypatch.setenv("CAUCE_SECRET_DEST_PASSWORD", "Wr0ng-but-secret-9q")
    monkeypatch.setenv("CAUCE_HOME", str(tmp_path))
    import app.engine.sync.destination as destination

    waits: list[float] = []  # a retry waits its backoff here (a wall-clock bound is flaky)
    clock = types.SimpleNamespace(monotonic=time.monotonic, sleep=waits.append)
    monkeypatch.setattr(destination, "time", clock)
    report = run_adhoc_sync(
        source_url=url,
        source_table="pg_catalog.pg_am",
        dest_url=url,
        dest_table="copy_of_am",
        workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"),
        retries=3,
        backoff=2,
    )
    assert report.status == "failed"
    assert "password authentication failed" in (report.error or "")
    assert "Wr0ng-but-secret-9q" not in (report.error or "")
    assert waits == []  # no retry: a wrong password is not transient


def test_a_failing_store_is_reported_as_the_connections_error(
    pg_password_server: dict[str, Any],
) -> None:
    """Asked late, the store can still fail (a wrong master key, a locked keychain): that is
    reported like the connection's other failures, not as a crash of the run."""
    from app.storage.encrypted_store import WrongMasterKey

    class LockedStore(CountingStore):
        def get(self, ref: str) -> str | None:
            raise WrongMasterKey("the master key does not open the secret file")

    connector = _open(pg_password_server, LockedStore())
    with pytest.raises(ConnectionError_, match="warehouse: the master key does not open"):
        connector.test()
