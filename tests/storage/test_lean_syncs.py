"""The lean sync recorder against the ORM it stands in for (``app/storage/lean_syncs.py``).

Contract tests, as ``test_lean_runs.py``: each operation is done through the ORM path
(``Repository``, ``SyncStore``, ``AlertStore``) and through :class:`LeanSyncStore`, on two
copies of one metadata DB (or on different runs of one), and the rows are read back raw with
:mod:`sqlite3` and compared column by column (times only in their textual format), then
through the ORM's own readers, which must read the lean rows exactly as their own. Refusals
are compared on one DB: the same error class and message, and nothing written.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import Any

import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.model.schema_changes import Decision
from app.storage import lean_syncs
from app.storage.alerts import AlertStore
from app.storage.lean_runs import HEAD_REVISION
from app.storage.lean_syncs import LeanSyncStore
from app.storage.migrate import init_db
from app.storage.redaction import secret_redactor
from app.storage.repository import Repository
from app.storage.sqlite_text import sqlite_timestamp
from app.storage.syncs import SyncStore
from app.storage.value_redaction import value_redactor
from tests.storage.lean_support import dead_pid, raw_rows, world_copy
from tests.storage.lean_sync_support import (
    CHANGES,
    CUSTOMERS,
    DESTINATIONS,
    ORDERS,
    SYNC_TABLES,
    A,
    B,
    World,
    foreign_sync,
    on_both,
    on_path,
    plain,
    read_alike,
    record_a_run,
    refused_alike,
    rows_of,
    same_tables,
    save_definition,
)

SECRET = "hunter2"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    path = tmp_path_factory.mktemp("template") / "cauce.db"
    url = f"sqlite:///{path.as_posix()}"
    init_db(url)
    with Repository(url) as repo, SyncStore(url) as syncs:
        project = repo.ensure_project("shop")
        repo.save_connections(project, [A, B])
        sync = syncs.save_sync(project, ORDERS)
    assert project == sync.id == 1  # what save_definition and the tests assume
    return World(path, project, sync.id)


@pytest.fixture
def orm(template: World, tmp_path: Path) -> World:
    return world_copy(template, tmp_path / "orm" / "cauce.db")


@pytest.fixture
def lean(template: World, tmp_path: Path) -> World:
    return world_copy(template, tmp_path / "lean" / "cauce.db")


@pytest.fixture
def secret() -> Iterator[str]:
    secret_redactor().add(SECRET)
    try:
        yield SECRET
    finally:
        secret_redactor().discard(SECRET)


# -- opening -----------------------------------------------------------------------------------
def test_open_answers_none_where_the_orm_path_must_run(template: World, tmp_path: Path) -> None:
    missing = tmp_path / "none" / "cauce.db"
    assert LeanSyncStore.open(missing) is None and not missing.parent.exists()
    old = world_copy(template, tmp_path / "old" / "cauce.db")
    with closing(sqlite3.connect(old.path)) as con, con:
        con.execute("UPDATE cauce_alembic_version SET version_num = '0015'")
    assert HEAD_REVISION != "0015" and LeanSyncStore.open(old.path) is None
    stranger = tmp_path / "stranger.db"
    stranger.write_bytes(b"not a database at all, " * 100)
    assert LeanSyncStore.open(stranger) is None
    fresh = world_copy(template, tmp_path / "fresh" / "cauce.db")
    assert LeanSyncStore.open(fresh.path, organization="acme") is None
    store = LeanSyncStore.open(fresh.path)
    assert type(store) is LeanSyncStore and store.project_id("shop") == fresh.project_id
    store.close()


# -- the definition and the connections --------------------------------------------------------
def test_save_sync_writes_the_orms_rows(orm: World, lean: World) -> None:
    changed = ORDERS.model_copy(update={"description": "con ñ ☃"})
    saves = [ORDERS, changed, CUSTOMERS, CUSTOMERS, ORDERS, changed, changed]
    orm_got, lean_got = on_both(orm, lean, lambda r: [save_definition(r, d) for d in saves])
    assert lean_got == orm_got == [(1, 1), (1, 2), (2, 1), (2, 1), (1, 3), (1, 4), (1, 4)]
    same_tables(orm, lean, "syncs")
    for world in (orm, lean):  # a changed sync's updated_at moved, an unchanged one's did not
        rows = rows_of(world, "syncs")
        assert [r["created_at"] == r["updated_at"] for r in rows] == [False, True]
    read_alike(orm, lean, lambda s, _sync: s.list_syncs(1))
    with lean.syncs() as syncs:
        assert syncs.get_sync(1, "orders").sync() == changed
        assert syncs.get_sync(1, CUSTOMERS.name).sync() == CUSTOMERS


def test_saving_an_unchanged_sync_writes_nothing(lean: World) -> None:
    before = rows_of(lean, "syncs")
    with on_path(lean, lean=True) as store:
        assert save_definition(store, ORDERS) == (lean.sync_id, 1)
    assert rows_of(lean, "syncs") == before  # updated_at too


def test_save_sync_refuses_an_unknown_project(lean: World) -> None:
    with Repository(lean.url, organization="acme") as acme:
        foreign = acme.ensure_project("theirs")
    for project in (9999, foreign):
        refused = refused_alike(
            lean, partial(save_definition, definition=CUSTOMERS, project_id=project)
        )
        assert refused[1] == f"no project {project}"


CONNECTION_CASES: dict[str, tuple[list[Connection], bool]] = {
    "none": ([], True),
    "all as stored": ([B, A], True),
    "one of them": ([B], True),
    "the same params otherwise written": (  # 1 == 1.0 and key order is moot, for the ORM
        [A.model_copy(update={"params": {"n": 1.0, "path": "a.db"}})],
        True,
    ),
    "the same twice": ([A, A], True),
    "another type": ([A.model_copy(update={"type": "duckdb"})], False),
    "another param": ([A.model_copy(update={"params": {"path": "b.db", "n": 1}})], False),
    "one param more": ([A.model_copy(update={"params": {**A.params, "x": None}})], False),
    "another description": ([B, A.model_copy(update={"description": "origen n"})], False),
    "a new one": ([A, B, Connection(name="c", type="duckdb", params={})], False),
    "one of another project": ([Connection(name="z", type="duckdb", params={})], False),
}


@pytest.mark.parametrize("case", list(CONNECTION_CASES))
def test_connections_stored_exactly_when_saving_them_writes_nothing(lean: World, case: str) -> None:
    chosen, expected = CONNECTION_CASES[case]
    fields = [(c.name, c.type, dict(c.params), c.description) for c in chosen]
    with Repository(lean.url) as repo:
        repo.save_connection(repo.ensure_project("other"), Connection(name="z", type="duckdb"))
        with on_path(lean, lean=True) as store:
            stored = store.connections_stored(lean.project_id, fields)
        before = raw_rows(lean.path, "SELECT * FROM connections ORDER BY id")
        repo.save_connections(lean.project_id, chosen)
    assert stored is expected
    after = raw_rows(lean.path, "SELECT * FROM connections ORDER BY id")
    assert (after == before) is stored  # the ORM path's own verdict


# -- start_sync_run ----------------------------------------------------------------------------
AT = datetime(2026, 3, 1, 1, 2, 3, 5, timezone(timedelta(hours=2)))


@pytest.mark.parametrize(
    ("trigger", "host", "started_at"),
    [("cli", None, None), ("gui", "elsewhere", None), ("schedule", socket.gethostname(), AT)],
)
def test_start_sync_run_writes_the_orms_row(
    orm: World, lean: World, trigger: str, host: str | None, started_at: datetime | None
) -> None:
    def start(recorder: Any) -> int:
        save_definition(recorder, ORDERS.model_copy(update={"description": "v2"}))
        return recorder.start_sync_run(1, trigger=trigger, host=host, started_at=started_at)

    orm_run, lean_run = on_both(orm, lean, start)
    assert lean_run == orm_run == 1
    same_tables(orm, lean, "syncs", "sync_runs")
    (row,) = rows_of(lean, "sync_runs")
    assert row["sync_version"] == 2 and row["destinations"] == "{}"
    assert row["pid"] == (None if host == "elsewhere" else os.getpid())
    if started_at is not None:
        assert row["started_at"] == rows_of(orm, "sync_runs")[0]["started_at"]
        assert row["started_at"] == sqlite_timestamp(started_at) == "2026-02-28 23:02:03.000005"
    read_alike(orm, lean, lambda s, sync: s.sync_runs(sync))


def test_start_sync_run_refuses_what_the_orm_refuses(lean: World) -> None:
    from sqlalchemy.exc import StatementError

    foreign = foreign_sync(lean)
    for sync, trigger in ((9999, "cli"), (foreign, "cli"), (lean.sync_id, "cron")):
        refused_alike(lean, methodcaller("start_sync_run", sync, trigger=trigger))
    naive = datetime(2026, 1, 1)
    with lean.syncs() as syncs, on_path(lean, lean=True) as store:
        with pytest.raises(StatementError) as orm_error:  # the ORM wraps it; the lean raises it
            syncs.start_sync_run(lean.sync_id, trigger="cli", started_at=naive)
        with pytest.raises(ValueError, match="naive") as lean_error:
            store.start_sync_run(lean.sync_id, trigger="cli", started_at=naive)
    assert str(lean_error.value) == str(orm_error.value.orig)
    assert rows_of(lean, "sync_runs") == []


def test_start_sync_run_reaps_this_hosts_sync_runs_whose_process_died(
    orm: World, lean: World
) -> None:
    dead, here = dead_pid(), socket.gethostname()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for world in (orm, lean):
            with on_path(world, lean=False) as path:  # runs left running by these processes
                runs = [path.start_sync_run(1, trigger="cli") for _i in range(4)]
                # and a pipeline run of a dead process: not a sync's to reap
                version = path.repo.save_pipeline_version(1, Pipeline(name="p"), author="a")
                pipeline_run = path.repo.start_run(version.id, trigger="cli").id
            pids = (dead, alive.pid, os.getpid(), dead)
            hosts = (here, here, here, "elsewhere")
            with closing(sqlite3.connect(world.path)) as con, con:
                for run, pid, host in zip(runs, pids, hosts, strict=True):
                    sql = "UPDATE sync_runs SET pid = ?, host = ? WHERE id = ?"
                    con.execute(sql, (pid, host, run))
                con.execute("UPDATE runs SET pid = ? WHERE id = ?", (dead, pipeline_run))
        on_both(orm, lean, methodcaller("start_sync_run", 1, trigger="cli"))
    finally:
        alive.kill()
        alive.wait()
    same_tables(orm, lean, "sync_runs", "runs")
    statuses = [(r["status"], r["error"]) for r in rows_of(lean, "sync_runs")]
    reaped = f"abandoned: its process (PID {dead} on {here}) ended before the run finished"
    assert statuses == [("abandoned", reaped)] + [("running", None)] * 4
    assert [r["status"] for r in rows_of(lean, "runs")] == ["running"]
    read_alike(orm, lean, lambda s, sync: s.sync_runs(sync))


# -- finish_sync_run ---------------------------------------------------------------------------
def _start_and_finish(status: str, **finish: Any) -> Callable[[Any], None]:
    def act(recorder: Any) -> None:
        recorder.finish_sync_run(recorder.start_sync_run(1, trigger="cli"), status, **finish)

    return act


@pytest.mark.parametrize(
    ("status", "rows_read", "destinations", "error"),
    [
        ("succeeded", 120, DESTINATIONS, None),
        ("failed", None, DESTINATIONS, "cannot reach 'b': ñ"),
        ("cancelled", 0, {}, ""),
    ],
)
def test_finish_sync_run_writes_the_orms_row(
    orm: World,
    lean: World,
    status: str,
    rows_read: int | None,
    destinations: dict[str, Any],
    error: str | None,
) -> None:
    finish = {"rows_read": rows_read, "destinations": destinations, "error": error}
    on_both(orm, lean, _start_and_finish(status, **finish))
    same_tables(orm, lean, "sync_runs")
    (row,) = rows_of(lean, "sync_runs")
    assert row["finished_at"] is not None and row["rows_read"] == rows_read
    assert "ñ" not in row["destinations"]  # escaped as json.dumps does
    read_alike(orm, lean, lambda s, sync: s.sync_runs(sync))
    with lean.syncs() as syncs:
        (run,) = syncs.sync_runs(lean.sync_id)
    assert (run.status, run.destinations, run.error) == (status, destinations, error)


def test_finish_sync_run_masks_what_the_orm_masks(orm: World, lean: World, secret: str) -> None:
    destinations = {
        "b:people": {"error": "Key (email)=(luis@x.org) already exists", secret: [secret]},
        "c:people": {"error": f"row ana@example.com refused by {secret}"},
    }
    error = f"row ana@example.com refused; password {secret}"
    with value_redactor().scope(["email"]) as scope:
        scope.observe(["ana@example.com"])
        finish = {"rows_read": 3, "destinations": destinations, "error": error}
        on_both(orm, lean, _start_and_finish("failed", **finish))
    same_tables(orm, lean, "sync_runs")
    stored = str(rows_of(lean, "sync_runs"))
    assert secret not in stored and "ana@example.com" not in stored and "luis@x.org" not in stored
    assert rows_of(lean, "sync_runs")[0]["error"] == "row **** refused; password ***"


def test_finish_sync_run_refuses_what_the_orm_refuses(lean: World) -> None:
    from sqlalchemy.exc import StatementError

    with SyncStore(lean.url, organization="acme") as acme:
        foreign = acme.start_sync_run(foreign_sync(lean), trigger="cli").id
    with lean.syncs() as syncs:
        running = syncs.start_sync_run(lean.sync_id, trigger="cli").id
        done = syncs.start_sync_run(lean.sync_id, trigger="cli").id
        syncs.finish_sync_run(done, "succeeded", rows_read=1, destinations={})
    end = {"rows_read": 1, "destinations": {}}
    expected = {
        (running, "running"): "running is not a final status",
        (running, "pending"): "pending is not a final status",
        (running, "finished"): "'finished' is not a valid RunStatus",
        (done, "failed"): f"sync run {done} already finished (succeeded)",
        (done, "succeeded"): f"sync run {done} already finished (succeeded)",
        (9999, "failed"): "no sync run 9999",
        (foreign, "failed"): f"no sync run {foreign}",
    }
    for (run, status), message in expected.items():
        assert (
            refused_alike(lean, methodcaller("finish_sync_run", run, status, **end))[1] == message
        )
    odd = {"b:t": {"at": datetime.now(UTC)}}  # no JSON: the ORM wraps the error
    with lean.syncs() as syncs, on_path(lean, lean=True) as store:
        with pytest.raises(StatementError) as wrapped:
            syncs.finish_sync_run(running, "failed", rows_read=1, destinations=odd)
        with pytest.raises(TypeError) as bare:
            store.finish_sync_run(running, "failed", rows_read=1, destinations=odd)
        assert str(bare.value) == str(wrapped.value.orig)
        store.finish_sync_run(running, "cancelled", rows_read=None, destinations={})
    twice = refused_alike(lean, methodcaller("finish_sync_run", running, "failed", **end))
    assert twice[1] == f"sync run {running} already finished (cancelled)"


# -- destination states, schema changes, events ------------------------------------------------
def test_destination_states_are_the_orms(orm: World, lean: World) -> None:
    steps = [  # by runs 1 or 2: inserted, inserted, updated, inserted; read back by name
        (1, "b:orders", "10", "int", 5),
        (1, "B:orders", None, None, None),
        (2, "b:orders", "2026-01-02 03:04:05", "timestamp", 7),
        (2, "ñ:orders", "x", "string", 0),
    ]

    def save(recorder: Any) -> list[Any]:
        runs = [recorder.start_sync_run(1, trigger="cli") for _run in range(2)]
        for run, destination, value, kind, rows in steps:
            recorder.save_destination_state(
                1,
                destination,
                cursor_value=value,
                cursor_type=kind,
                run_id=runs[run - 1],
                rows=rows,
            )
        return recorder.destination_states(1)

    orm_states, lean_states = on_both(orm, lean, save)
    same_tables(orm, lean, "sync_destination_states")
    read_alike(orm, lean, lambda s, sync: s.destination_states(sync))
    assert lean_states == [(s.destination, s.cursor_value, s.cursor_type) for s in orm_states]
    assert [d for d, _v, _t in lean_states] == ["B:orders", "b:orders", "ñ:orders"]  # bytes
    assert [r["last_run_id"] for r in rows_of(lean, "sync_destination_states")] == [2, 1, 2]
    assert lean_states[1] == ("b:orders", "2026-01-02 03:04:05", "timestamp")


def test_destination_states_refuse_what_the_orm_refuses(lean: World) -> None:
    from sqlalchemy.exc import IntegrityError

    state: dict[str, Any] = {"cursor_value": "1", "cursor_type": "int", "rows": 1}
    for sync in (9999, foreign_sync(lean)):
        assert refused_alike(lean, methodcaller("destination_states", sync))[1] == f"no sync {sync}"
        save = methodcaller("save_destination_state", sync, "b:t", run_id=None, **state)
        assert refused_alike(lean, save)[1] == f"no sync {sync}"
    with lean.syncs() as syncs, on_path(lean, lean=True) as store:
        for store_, error in ((syncs, IntegrityError), (store, sqlite3.IntegrityError)):
            with pytest.raises(error, match="FOREIGN KEY"):  # no such run
                store_.save_destination_state(lean.sync_id, "b:t", run_id=77, **state)
    assert rows_of(lean, "sync_destination_states") == []


def test_schema_changes_are_the_orms(orm: World, lean: World) -> None:
    def record(recorder: Any) -> None:
        run = recorder.start_sync_run(1, trigger="cli")
        for with_run, destination, change in CHANGES:
            recorder.record_schema_change(1, run if with_run else None, destination, change)

    on_both(orm, lean, record)
    same_tables(orm, lean, "schema_changes")
    read_alike(orm, lean, lambda s, sync: s.schema_changes(sync))


def test_schema_changes_refuse_what_the_orm_refuses(lean: World) -> None:
    from sqlalchemy.exc import IntegrityError

    change = CHANGES[1][2]
    record = methodcaller("record_schema_change", 9999, None, "b:t", change)
    assert refused_alike(lean, record)[1] == "no sync 9999"
    held = dataclasses.replace(change, decision=Decision.HELD)  # the schema inbox's
    with lean.syncs() as syncs, on_path(lean, lean=True) as store:
        for store_, error in ((syncs, IntegrityError), (store, sqlite3.IntegrityError)):
            with pytest.raises(error, match="CHECK"):
                store_.record_schema_change(lean.sync_id, None, "b:t", held)
            with pytest.raises(error, match="FOREIGN KEY"):  # no such run
                store_.record_schema_change(lean.sync_id, 77, "b:t", change)
    assert rows_of(lean, "schema_changes") == []


def test_events_are_the_orms(orm: World, lean: World, secret: str) -> None:
    events: list[tuple[str, dict[str, Any] | None]] = [
        ("sync.started", {"sync": "orders", "sync_run_id": 1, "at": "2026-01-02T03:04:05+00:00"}),
        ("sync.note", {"año": ["día ☃", {"k": [1, 2.5, None, True]}], "dsn": f"u:{secret}@h"}),
        ("sync.empty", None),
    ]
    on_both(orm, lean, lambda r: [r.record_event(t, p) for t, p in events])
    same_tables(orm, lean, "events")
    assert secret not in str(rows_of(lean, "events"))
    with Repository(orm.url) as a, Repository(lean.url) as b:
        assert [plain(e) for e in a.recent_events()] == [plain(e) for e in b.recent_events()]
    refused = refused_alike(lean, methodcaller("record_event", "e", {"when": datetime.now(UTC)}))
    assert refused[0] is TypeError and "not JSON-serialisable" in refused[1]


# -- a whole record, and the history it is judged against ---------------------------------------
def test_a_whole_sync_record_is_the_orms(orm: World, lean: World) -> None:
    on_both(orm, lean, record_a_run)
    same_tables(orm, lean, *SYNC_TABLES, "connections")


def _history(world: World) -> None:
    """Runs of sync ``orders`` of every outcome, recorded in turn by the ORM and by the lean
    recorder, with runs of another sync and of another project's ``orders`` in between."""
    with Repository(world.url) as repo, world.syncs() as syncs:
        other = syncs.save_sync(world.project_id, CUSTOMERS).id
        stranger = syncs.save_sync(repo.ensure_project("elsewhere"), ORDERS).id
    plans = [  # status, rows read
        ("succeeded", 100),
        ("succeeded", None),
        ("failed", 7),
        ("succeeded", 120),
        ("cancelled", 3),
        ("succeeded", 0),
        ("succeeded", 90),
        ("succeeded", 110),
    ]
    syncs_of = [world.sync_id] * 2 * len(plans)
    syncs_of[3], syncs_of[10] = other, stranger
    with on_path(world, lean=False) as orm_path, on_path(world, lean=True) as store:
        for i, (status, rows) in enumerate(plans * 2):
            writer = orm_path if i % 2 else store
            run = writer.start_sync_run(syncs_of[i], trigger="cli")
            writer.finish_sync_run(run, status, rows_read=rows, destinations={})


def test_sync_rows_history_answers_what_the_orm_answers(lean: World) -> None:
    from sqlalchemy import Engine, event

    _history(lean)
    orm_sql: list[tuple[str, tuple[Any, ...]]] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if sql.startswith("SELECT sync_runs.rows_read"):
            orm_sql.append((sql, tuple(params)))

    answers, asked = 0, []
    event.listen(Engine, "before_cursor_execute", listen)
    try:
        with AlertStore(lean.url) as alerts, on_path(lean, lean=True) as store:
            for before in (1, 5, 12, 17, 10_000):
                for limit in (0, 1, 3, 50):
                    for sync in ("orders", CUSTOMERS.name):
                        asked.append((1, "shop", sync, "succeeded", before, limit, 0))
                        ask = {"before": before, "limit": limit}
                        expected = alerts.sync_rows_history("shop", sync, **ask)
                        assert store.sync_rows_history("shop", sync, **ask) == expected, ask
                        answers += bool(expected)
            assert store.sync_rows_history("nowhere", "orders", before=99, limit=9) == []
            assert store.sync_rows_history("shop", "orders", before=99, limit=3) == [110, 90, 0]
    finally:
        event.remove(Engine, "before_cursor_execute", listen)
    assert answers > 15  # not only empty answers compared
    # the ORM's query verbatim (but for line breaks), its parameters in the same order
    assert {" ".join(sql.split()) for sql, _p in orm_sql} == {lean_syncs._SYNC_ROWS_HISTORY}
    assert [params for _s, params in orm_sql] == asked and len(asked) == 5 * 4 * 2
