"""Many processes on one fresh PostgreSQL metadata database at once (issue #11, point 3).

16 ``cauce sync run`` processes start together on a database nobody initialised: every one
must exit 0 with no traceback, every run record must be finished, and the destination must
hold each source row once. ``CAUCE_STRESS_ROUNDS`` repeats it (ten rounds were run by hand,
see docs/security.md); CI runs one round to keep the suite short. Concurrent ``cauce db
init`` is checked the same way. The exact interleaving that made get-or-create fail
(a second creator arriving while the first has inserted but not committed) is reproduced
deterministically, per table, by the ``waits_for_a_concurrent_creator`` tests.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PROCESSES = 16
ROUNDS = int(os.environ.get("CAUCE_STRESS_ROUNDS", "1"))

pytestmark = pytest.mark.postgres


@pytest.fixture
def fresh_databases(pg_server: dict[str, object]) -> Iterator[list[str]]:
    names = [f"cauce_conc_{uuid.uuid4().hex[:10]}" for _ in range(ROUNDS)]
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        for name in names:
            con.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield names
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            for name in names:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def _project(tmp_path: Path) -> Path:
    with sqlite3.connect(tmp_path / "src.sqlite") as con:
        con.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, at TEXT)")
        con.executemany(
            "INSERT INTO items VALUES (?, ?, ?)",
            [(i, f"n{i}", f"2026-01-01 {i % 24:02d}:{i % 60:02d}:00") for i in range(50)],
        )
    project = Project(
        meta=ProjectMeta(name="shop"),
        connections={
            "src": Connection(
                name="src", type="sqlite", params={"path": "${PROJECT_DIR}/../src.sqlite"}
            ),
            "dst": Connection(
                name="dst", type="sqlite", params={"path": "${PROJECT_DIR}/../dst.sqlite"}
            ),
        },
        syncs={
            "items": SyncDefinition(
                name="items",
                source={"connection": "src", "table": "items"},
                destinations=[{"connection": "dst", "table": "items"}],
                mode="merge",
                primary_key=["id"],
                cursor="at",
            )
        },
    )
    root = tmp_path / "shop"
    save_project(project, root)
    return root


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _all_succeed(procs: list[subprocess.Popen[str]]) -> None:
    failures = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        if proc.returncode != 0 or "Traceback" in err:
            failures.append(f"exit {proc.returncode}:\n{out}\n{err}")
    assert not failures, "\n---\n".join(failures[:3])


def test_sixteen_sync_runs_at_once_on_a_fresh_database(
    tmp_path: Path, fresh_databases: list[str]
) -> None:
    root = _project(tmp_path)
    for name in fresh_databases:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        (tmp_path / "dst.sqlite").unlink(missing_ok=True)
        procs = [
            _start(["--db", url, "sync", "run", "items", "--project", str(root)], tmp_path)
            for _ in range(PROCESSES)
        ]
        _all_succeed(procs)
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as con:
            statuses = con.execute(
                b"SELECT status, count(*) FROM sync_runs GROUP BY status"
            ).fetchall()
            assert dict(statuses) == {"succeeded": PROCESSES}
            assert con.execute(b"SELECT count(*) FROM syncs").fetchone() == (1,)
            assert con.execute(b"SELECT count(*) FROM connections").fetchone()[0] <= 2
            assert con.execute(b"SELECT count(*) FROM sync_destination_states").fetchone() == (1,)
        with sqlite3.connect(tmp_path / "dst.sqlite") as lite:
            assert lite.execute("SELECT count(*), count(DISTINCT id) FROM items").fetchone() == (
                50,
                50,
            )


def test_concurrent_db_init_on_a_fresh_database(tmp_path: Path, fresh_databases: list[str]) -> None:
    for name in fresh_databases:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        _all_succeed([_start(["--db", url, "db", "init"], tmp_path) for _ in range(PROCESSES)])
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as con:
            assert con.execute(b"SELECT count(*) FROM organizations").fetchone() == (1,)


def _blocked_then_released(dsn: str, insert: str, call) -> object:  # type: ignore[no-untyped-def]
    """Run ``call`` while another transaction holds an uncommitted ``insert`` of the same
    row, then commit that transaction: the exact interleaving of two concurrent creators."""
    import threading

    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as err:  # reported by the caller
            outcome.append(err)

    with psycopg.connect(dsn) as other:
        other.execute(insert.encode())
        worker = threading.Thread(target=target)
        worker.start()
        worker.join(1.0)
        assert worker.is_alive(), "the second creator should wait for the first"
        other.commit()
        worker.join(30)
    [result] = outcome
    if isinstance(result, BaseException):
        raise result
    return result


@pytest.mark.parametrize("what", ["project", "connection", "sync", "state"])
def test_get_or_create_waits_for_a_concurrent_creator(pg_db: dict[str, object], what: str) -> None:
    from app.storage.migrate import init_db
    from app.storage.repository import Repository
    from app.storage.syncs import SyncStore

    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_db['dbname']}"
    dsn = str(pg_db["dsn"])
    init_db(url)
    repo, store = Repository(url), SyncStore(url)
    org = repo.organization_id
    definition = SyncDefinition(
        name="items",
        source={"connection": "src", "table": "t"},
        destinations=[{"connection": "dst", "table": "t"}],
    )
    if what == "project":
        insert = (
            f"INSERT INTO projects (organization_id, name, created_at) "
            f"VALUES ({org}, 'shop', now())"
        )
        _blocked_then_released(dsn, insert, lambda: repo.ensure_project("shop"))
        count = "SELECT count(*) FROM projects"
    else:
        project = repo.ensure_project("shop")
    if what == "connection":
        insert = (
            f"INSERT INTO connections (organization_id, project_id, name, type, params, "
            f"description, created_at, updated_at) VALUES ({org}, {project}, 'src', "
            f"'sqlite', '{{}}', '', now(), now())"
        )
        _blocked_then_released(
            dsn,
            insert,
            lambda: repo.save_connection(
                project, Connection(name="src", type="sqlite", params={"path": "s.db"})
            ),
        )
        count = "SELECT count(*) FROM connections WHERE params->>'path' = 's.db'"
    if what == "sync":
        insert = (
            f"INSERT INTO syncs (organization_id, project_id, name, definition, "
            f"content_hash, version, created_at, updated_at) VALUES ({org}, {project}, "
            f"'items', '{{}}', 'x', 1, now(), now())"
        )
        _blocked_then_released(dsn, insert, lambda: store.save_sync(project, definition))
        count = "SELECT count(*) FROM syncs WHERE version = 2"
    if what == "state":
        sync = store.save_sync(project, definition)
        insert = (
            f"INSERT INTO sync_destination_states (organization_id, sync_id, destination,"
            f" updated_at) VALUES ({org}, {sync.id}, 'dst.t', now())"
        )
        _blocked_then_released(
            dsn,
            insert,
            lambda: store.save_destination_state(
                sync.id, "dst.t", cursor_value="7", cursor_type="int64", run_id=None, rows=1
            ),
        )
        count = "SELECT count(*) FROM sync_destination_states WHERE cursor_value = '7'"
    repo.close()
    store.close()
    assert pg_rows_one(dsn, count) == 1


def pg_rows_one(dsn: str, sql: str) -> object:
    with psycopg.connect(dsn) as con:
        row = con.execute(sql.encode()).fetchone()
        assert row is not None
        return row[0]
