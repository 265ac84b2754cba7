"""The lean run recorder against the ORM it stands in for (``app/storage/lean_runs.py``).

Contract tests: each operation is done through the ORM path (``Repository``, ``AlertStore``)
and through :class:`LeanRunStore`, on two copies of one metadata DB (or on different runs of
one), and the rows are read back raw with :mod:`sqlite3` and compared column by column (times
only in their textual format, which must be SQLAlchemy's), then through the ORM's own readers,
which must read the lean rows exactly as their own.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.model.pipeline import Pipeline
from app.storage.lean_runs import BUSY_TIMEOUT_MS, HEAD_REVISION, LeanRunStore
from app.storage.migrate import init_db
from app.storage.queries import QueryRecord
from app.storage.records import EventRecord, NodeLocation, NodeRunRecord, RunStatus
from app.storage.redaction import secret_redactor
from app.storage.repository import Repository
from app.storage.value_redaction import value_redactor
from tests.conftest import REPO
from tests.storage.lean_support import (
    TIMES,
    dead_pid,
    error_of,
    heavy_modules_loaded,
    raw_rows,
    same_rows,
    world_copy,
)

UID = "6f1c2a3e-0000-4000-8000-00000000abcd"
IDS = {"id", "run_id", "pipeline_version_id"}


@dataclass(frozen=True)
class World:
    """A metadata DB with project ``shop`` and one version of pipeline ``orders`` (``UID``)."""

    path: Path
    project_id: int
    version_id: int

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path.as_posix()}"

    def repo(self) -> Repository:
        return Repository(self.url)

    def lean(self) -> LeanRunStore:
        store = LeanRunStore.open(self.path)
        assert store is not None
        return store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    path = tmp_path_factory.mktemp("template") / "cauce.db"
    init_db(f"sqlite:///{path.as_posix()}")
    with Repository(f"sqlite:///{path.as_posix()}") as repo:
        project = repo.ensure_project("shop")
        version = repo.save_pipeline_version(project, Pipeline(id=UID, name="orders"), author="a")
    return World(path, project, version.id)


@pytest.fixture
def orm(template: World, tmp_path: Path) -> World:
    return world_copy(template, tmp_path / "orm" / "cauce.db")


@pytest.fixture
def lean(template: World, tmp_path: Path) -> World:
    return world_copy(template, tmp_path / "lean" / "cauce.db")


def _table(world: World, table: str, order: str = "id") -> list[dict[str, Any]]:
    return raw_rows(world.path, f"SELECT * FROM {table} ORDER BY {order}")


def _plain(record: Any) -> dict[str, Any]:
    """A record as a dict, ids and recording times aside (they differ between two runs)."""
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in IDS | TIMES}


def _node(
    node_id: str,
    name: str,
    status: str,
    location: str,
    rows_in: int | None,
    rows_out: int | None,
    seconds: float | None,
    error: str | None = None,
) -> NodeRunRecord:
    return NodeRunRecord(
        node_id, name, RunStatus(status), NodeLocation(location), rows_in, rows_out, seconds, error
    )


# -- what it is built on -----------------------------------------------------------------------
def test_its_constants_are_the_orm_paths() -> None:
    from app.storage.db import SQLITE_BUSY_TIMEOUT_MS
    from app.storage.lean_runs import _VERSION_TABLE
    from app.storage.migrate import VERSION_TABLE, head_revision

    assert head_revision() == HEAD_REVISION
    assert BUSY_TIMEOUT_MS == SQLITE_BUSY_TIMEOUT_MS
    assert _VERSION_TABLE == VERSION_TABLE


@pytest.mark.parametrize("module", ["app.storage.lean_runs", "app.storage.lean_syncs"])
def test_importing_it_loads_no_heavy_library(module: str) -> None:
    assert heavy_modules_loaded(module) == []


def test_its_text_of_values_is_sqlalchemys() -> None:
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.types import JSON, Boolean

    from app.storage.model_base import UTCDateTime
    from app.storage.sqlite_text import sqlite_bool, sqlite_json, sqlite_timestamp

    dialect = sqlite.dialect()
    to_text = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)  # as executed
    assert to_text is not None

    def orm_time(value: datetime) -> str:
        return str(to_text(value))

    for value in (
        datetime(2026, 3, 1, 1, 2, 3, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime.now(UTC),
    ):
        assert sqlite_timestamp(value) == orm_time(value)
    naive = datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="naive") as err:
        sqlite_timestamp(naive)
    assert error_of(lambda: orm_time(naive)) == (ValueError, str(err.value))
    data = {"ñ": ["día", {"x": [1, 2.5, None, True]}], "🚀": "\u2603", "q": 'say "hi"\n'}
    assert sqlite_json(data) == JSON().bind_processor(dialect)(data)
    to_bool = Boolean().bind_processor(dialect)
    for flag in (True, False, 1, 0):
        assert sqlite_bool(flag) == to_bool(flag)
    for wrong in ("yes", 2):
        assert error_of(lambda: sqlite_bool(wrong)) == error_of(lambda: to_bool(wrong))  # noqa: B023


# -- opening -----------------------------------------------------------------------------------
def test_open_answers_none_where_the_orm_path_must_run(template: World, tmp_path: Path) -> None:
    missing = tmp_path / "none" / "cauce.db"
    assert LeanRunStore.open(missing) is None
    assert not missing.exists() and not missing.parent.exists()  # nothing created
    old = world_copy(template, tmp_path / "old" / "cauce.db")
    with closing(sqlite3.connect(old.path)) as con, con:
        con.execute("UPDATE cauce_alembic_version SET version_num = '0015'")
    assert LeanRunStore.open(old.path) is None
    fresh = world_copy(template, tmp_path / "fresh" / "cauce.db")
    assert LeanRunStore.open(fresh.path, organization="acme") is None
    assert raw_rows(fresh.path, "SELECT name FROM organizations") == [{"name": "default"}]
    stranger = tmp_path / "stranger.db"
    stranger.write_bytes(b"not a database at all, " * 100)
    assert LeanRunStore.open(stranger) is None
    empty = tmp_path / "empty.db"
    empty.touch()
    assert LeanRunStore.open(empty) is None and empty.stat().st_size == 0  # left as it was
    store = LeanRunStore.open(fresh.path)
    assert store is not None and store.organization_id == 1
    store.close()


def test_its_connection_is_set_up_as_the_orms(lean: World) -> None:
    from app.storage.db import make_engine

    pragmas = ("busy_timeout", "journal_mode", "synchronous", "foreign_keys")

    def read(con: Any) -> list[Any]:
        return [con.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas]

    engine = make_engine(lean.url)
    try:
        orm_connection = engine.raw_connection()
        try:
            expected = read(orm_connection)
        finally:
            orm_connection.close()
    finally:
        engine.dispose()
    with lean.lean() as store:
        assert read(store._con) == expected == [BUSY_TIMEOUT_MS, "wal", 1, 1]


def test_a_writer_waits_for_another_then_writes(lean: World) -> None:
    """Another process holds the write lock (and changes the DB meanwhile): the recorder waits
    for it (busy timeout) and then writes; it never reads first and fails on a stale
    snapshot, as a transaction begun without ``IMMEDIATE`` would."""
    import threading

    with lean.lean() as warm:  # WAL set before the other writer starts
        warm.project_id("shop")
    other = sqlite3.connect(lean.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO projects (organization_id, name, created_at) VALUES (1, 'x', '2026')"
    )
    outcome: list[object] = []

    def record() -> None:
        store = lean.lean()
        try:
            outcome.append(store.start_run(lean.version_id, trigger="cli"))
        except Exception as err:  # reported below
            outcome.append(err)
        finally:
            store.close()

    worker = threading.Thread(target=record)
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and not outcome  # waiting for the lock
    other.execute("COMMIT")
    other.close()
    worker.join(30)
    assert outcome == [1]


# -- start_run ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("trigger", "host"), [("cli", None), ("gui", "elsewhere"), ("schedule", socket.gethostname())]
)
def test_start_run_writes_the_orms_row(orm: World, lean: World, trigger: str, host: str) -> None:
    with orm.repo() as repo:
        orm_run = repo.start_run(orm.version_id, trigger=trigger, host=host).id
    with lean.lean() as store:
        lean_run = store.start_run(lean.version_id, trigger=trigger, host=host)
    same_rows(_table(orm, "runs"), _table(lean, "runs"))
    (row,) = _table(lean, "runs")
    assert row["created_at"] == row["started_at"] and row["finished_at"] is None
    assert row["pid"] == (None if host == "elsewhere" else os.getpid())
    with orm.repo() as a, lean.repo() as b:
        assert _plain(a.get_run(orm_run)) == _plain(b.get_run(lean_run))
        started = b.get_run(lean_run).started_at
        assert started is not None and started.tzinfo is UTC


def test_start_run_refuses_what_the_orm_refuses(lean: World) -> None:
    with lean.repo() as repo, lean.lean() as store:
        for call in (
            (lambda s: s.start_run(9999, trigger="cli")),
            (lambda s: s.start_run(lean.version_id, trigger="cron")),
        ):
            assert error_of(lambda: call(store)) == error_of(lambda: call(repo))  # noqa: B023
    assert _table(lean, "runs") == []


def test_start_run_reaps_this_hosts_runs_whose_process_died(orm: World, lean: World) -> None:
    dead = dead_pid()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for world in (orm, lean):
            with world.repo() as repo:  # four runs left running: pids set as a process would
                runs = [repo.start_run(world.version_id, trigger="cli").id for _i in range(4)]
                repo.start_run(world.version_id, trigger="cli", pending=True)
            with closing(sqlite3.connect(world.path)) as con, con:
                for run, pid, host in zip(
                    runs,
                    (dead, alive.pid, os.getpid(), dead),
                    (socket.gethostname(),) * 3 + ("elsewhere",),
                    strict=True,
                ):
                    con.execute("UPDATE runs SET pid = ?, host = ? WHERE id = ?", (pid, host, run))
        with orm.repo() as repo:
            repo.start_run(orm.version_id, trigger="cli")
        with lean.lean() as store:
            store.start_run(lean.version_id, trigger="cli")
    finally:
        alive.kill()
        alive.wait()
    same_rows(_table(orm, "runs"), _table(lean, "runs"))
    statuses = [(r["status"], r["error"]) for r in _table(lean, "runs")]
    here = socket.gethostname()
    reaped = f"abandoned: its process (PID {dead} on {here}) ended before the run finished"
    assert statuses[0] == ("abandoned", reaped)
    assert [s for s, _e in statuses[1:]] == ["running", "running", "running", "pending", "running"]
    with orm.repo() as a, lean.repo() as b:
        assert [_plain(r) for r in a.recent_runs()] == [_plain(r) for r in b.recent_runs()]


# -- finish_run --------------------------------------------------------------------------------
NODES = [
    _node("n1", "orders", "succeeded", "local", 10, 10, 0.25),
    _node("n2", "clientes ñ", "failed", "pushdown", None, None, None, "no: 'señal' ☃"),
    _node("n1", "orders", "succeeded", "local", 12, 11, 2, None),
]
EVENTS = [
    EventRecord(
        0,
        "run.note",
        None,
        {"nested": {"list": [1, 2.5, None, True], "año": "día ☃"}, "🚀": ["é", {"k": "ü"}]},
        datetime(2026, 1, 2, 3, 4, 5, 120, tzinfo=timezone(timedelta(hours=-5))),
    ),
    EventRecord(7, "run.empty", 999, {}, datetime(2026, 1, 2, 8, 4, 5, tzinfo=UTC)),
]
STATEMENTS = [
    QueryRecord(
        "n1",
        "read",
        "local engine",
        "duckdb",
        "SELECT * FROM orders WHERE país = 'ñ'",
        bytes=100,
        own_seconds=0.2,
        median_seconds=0.1,
        slow=True,
        plan={"format": "text", "plan": ["SCAN orders ñ", {"rows": 3}]},
        plan_reason="slowdown",
    ),
    # the same text again: stored once; a reason without a plan is not kept
    QueryRecord(
        "n2",
        "stage",
        "wh",
        "postgres",
        "SELECT * FROM orders WHERE país = 'ñ'",
        plan_reason="requested",
    ),
    QueryRecord("n3", "part", "wh", "postgres", "SELECT 1", bytes=0, own_seconds=3),
]


def _finish_both(
    orm: World, lean: World, status: str, error: str | None, **records: Any
) -> tuple[int, int]:
    with orm.repo() as repo:
        orm_run = repo.start_run(orm.version_id, trigger="cli").id
        repo.finish_run(orm_run, status, error=error, **records)
    with lean.lean() as store:
        lean_run = store.start_run(lean.version_id, trigger="cli")
        store.finish_run(lean_run, status, error=error, **records)
    return orm_run, lean_run


def _same_tables(orm: World, lean: World) -> None:
    for table in ("runs", "node_runs", "events", "node_queries"):
        same_rows(_table(orm, table), _table(lean, table))
    same_rows(_table(orm, "query_texts", "hash"), _table(lean, "query_texts", "hash"))


@pytest.mark.parametrize(
    ("status", "error"),
    [("succeeded", None), ("failed", "cannot reach 'db': ñ"), ("cancelled", "")],
)
def test_finish_run_writes_the_orms_rows(orm: World, lean: World, status: str, error: str) -> None:
    runs = _finish_both(orm, lean, status, error, nodes=NODES, events=EVENTS, statements=STATEMENTS)
    _same_tables(orm, lean)
    assert len(_table(lean, "query_texts", "hash")) == 2  # the repeated text once
    assert [r["node_id"] for r in _table(lean, "node_runs")] == ["n1", "n2"]
    assert _table(lean, "node_runs")[0]["rows_in"] == 12  # a node given twice: its last
    payload = _table(lean, "events")[0]["payload"]
    assert "\\u00f1" in payload and "ñ" not in payload  # escaped as json.dumps does
    with orm.repo() as a, lean.repo() as b:
        orm_detail, lean_detail = a.run_detail(runs[0]), b.run_detail(runs[1])
        assert _plain(orm_detail.run) == _plain(lean_detail.run)
        assert orm_detail.nodes == lean_detail.nodes
        assert [(e.type, e.payload, e.created_at) for e in orm_detail.events] == [
            (e.type, e.payload, e.created_at) for e in lean_detail.events
        ]
        assert lean_detail.events[0].created_at == EVENTS[0].created_at
        assert [_plain(r) for r in a.statements("shop")] == [
            _plain(r) for r in b.statements("shop")
        ]
        orm_one, lean_one = a.statement("shop", runs[0], "n1"), b.statement("shop", runs[1], "n1")
        assert orm_one is not None and lean_one is not None
        assert (_plain(orm_one[0]), *orm_one[1:]) == (_plain(lean_one[0]), *lean_one[1:])
        hashes = [r["sql_hash"] for r in _table(lean, "node_queries")]
        assert a.sql_texts(hashes) == b.sql_texts(hashes) and len(b.sql_texts(hashes)) == 2


def test_finish_run_with_nothing_gathered(orm: World, lean: World) -> None:
    _finish_both(orm, lean, "succeeded", None)
    same_rows(_table(orm, "runs"), _table(lean, "runs"))
    assert _table(lean, "node_runs") == _table(lean, "events") == _table(lean, "node_queries") == []


def test_a_text_stored_by_an_earlier_run_is_not_stored_again(orm: World, lean: World) -> None:
    for _twice in range(2):
        _finish_both(
            orm, lean, "succeeded", None, nodes=NODES, events=EVENTS, statements=STATEMENTS
        )
    _same_tables(orm, lean)
    assert len(_table(lean, "query_texts", "hash")) == 2
    assert len(_table(lean, "node_queries")) == 6


def test_finish_run_masks_what_the_orm_masks(orm: World, lean: World) -> None:
    secret_redactor().add("hunter2")
    nodes = [_node("n1", "x", "failed", "local", None, None, 1.0, "login hunter2 no")]
    events = [EventRecord(0, "e", None, {"dsn": "u:hunter2@h", "hunter2": [1]}, datetime.now(UTC))]
    plan = {"plan": "scan hunter2"}
    statements = [QueryRecord("n1", "read", "db", "duckdb", "SELECT 'hunter2'", plan=plan)]
    with value_redactor().scope(["email"]) as scope:
        scope.observe(["ana@example.com"])
        error = "row ana@example.com refused; password hunter2"
        _finish_both(orm, lean, "failed", error, nodes=nodes, events=events, statements=statements)
    _same_tables(orm, lean)
    stored = str([_table(lean, t) for t in ("runs", "node_runs", "events", "node_queries")])
    stored += str(_table(lean, "query_texts", "hash"))
    assert "hunter2" not in stored and "ana@example.com" not in stored
    assert _table(lean, "runs")[0]["error"] == "row **** refused; password ***"


def test_finish_run_refuses_what_the_orm_refuses(lean: World) -> None:
    """Same error class, same message, nothing written — on the same runs of one DB."""
    with lean.repo() as repo:
        running = repo.start_run(lean.version_id, trigger="cli").id
        pending = repo.start_run(lean.version_id, trigger="cli", pending=True).id
        done = repo.start_run(lean.version_id, trigger="cli").id
        repo.finish_run(done, "succeeded")
    with Repository(lean.url, organization="acme") as other:
        project = other.ensure_project("shop")
        version = other.save_pipeline_version(project, Pipeline(name="o"), author="a").id
        foreign = other.start_run(version, trigger="cli").id
    bad_event = [EventRecord(0, "e", None, {"when": datetime.now(UTC)}, datetime.now(UTC))]
    nowhere = dataclasses.replace(NODES[0], location="moon")  # type: ignore[arg-type]  # on purpose
    cases: list[tuple[int, str, dict[str, Any]]] = [
        (running, "running", {}),
        (running, "finished", {}),
        (done, "failed", {}),
        (pending, "succeeded", {"nodes": NODES}),
        (9999, "failed", {}),
        (foreign, "failed", {}),
        (running, "succeeded", {"events": bad_event}),
        (running, "succeeded", {"nodes": [nowhere]}),
    ]
    before = {t: _table(lean, t) for t in ("runs", "node_runs", "events")}
    with lean.repo() as repo, lean.lean() as store:
        for run, status, records in cases:
            orm_error = error_of(lambda: repo.finish_run(run, status, **records))  # noqa: B023
            assert error_of(lambda: store.finish_run(run, status, **records)) == orm_error  # noqa: B023
        assert {t: _table(lean, t) for t in before} == before
        store.finish_run(pending, "cancelled")
    assert _table(lean, "runs")[1]["status"] == "cancelled"


def test_a_naive_event_time_is_refused_as_the_orm_refuses_it(lean: World) -> None:
    """The ORM wraps the ``ValueError`` in SQLAlchemy's ``StatementError``; the lean recorder
    raises it bare. Either way nothing of the run's end is stored."""
    from sqlalchemy.exc import StatementError

    naive = [EventRecord(0, "e", None, {}, datetime(2026, 1, 1))]
    with lean.repo() as repo, lean.lean() as store:
        run = repo.start_run(lean.version_id, trigger="cli").id
        with pytest.raises(StatementError) as orm_error:
            repo.finish_run(run, "succeeded", nodes=NODES, events=naive)
        with pytest.raises(ValueError, match="naive") as lean_error:
            store.finish_run(run, "succeeded", nodes=NODES, events=naive)
    assert str(lean_error.value) == str(orm_error.value.orig)
    assert _table(lean, "runs")[0]["status"] == "running" and _table(lean, "node_runs") == []


# -- history -----------------------------------------------------------------------------------
def _history(world: World) -> None:
    """Runs of pipeline ``orders`` by every trigger and outcome, recorded in turn by the ORM
    and by the lean recorder, with runs of another pipeline and of another project's pipeline
    of the same uid in between."""
    with world.repo() as repo:
        other = repo.save_pipeline_version(world.project_id, Pipeline(name="other"), author="a")
        elsewhere = repo.ensure_project("elsewhere")
        stranger = repo.save_pipeline_version(elsewhere, Pipeline(id=UID, name="o"), author="a")
    plans = [  # trigger, the run's status, its destination's, seconds, rows
        ("cli", "succeeded", "succeeded", 1.0, 100),
        ("gui", "succeeded", "succeeded", 5.0, 100),
        ("schedule", "succeeded", "succeeded", 2.0, None),
        ("cli", "failed", "failed", 9.0, 7),
        ("gui", "succeeded", "succeeded", 6.0, 120),
        ("api", "succeeded", "succeeded", 3.0, 110),
        ("cli", "succeeded", "failed", 4.0, 90),
        ("gui", "failed", "succeeded", 8.0, 1),
    ]
    versions = [world.version_id] * 2 * len(plans)
    versions[5], versions[11] = other.id, stranger.id
    with world.repo() as repo, world.lean() as store:
        for i, (trigger, status, dst, seconds, rows) in enumerate(plans * 2):
            writer: Any = repo if i % 2 else store
            started = writer.start_run(versions[i], trigger=trigger)
            run = started if isinstance(started, int) else started.id
            nodes = [
                _node("src", "src", "succeeded", "local", None, rows, seconds / 2),
                _node("dst", "dst", dst, "local", rows, rows, seconds),
                _node("dst2", "dst2", "succeeded", "local", 5, 5, None),
            ]
            statements = [
                QueryRecord("src", "read", "db", "duckdb", "SELECT 1", own_seconds=seconds / 4),
                QueryRecord("dst", "stage", "db", "duckdb", "SELECT 2"),
                QueryRecord("dst2", "part", "db", "duckdb", "SELECT 3"),  # no seconds at all
            ]
            writer.finish_run(run, status, nodes=nodes, statements=statements)


def _plan(path: Path, sql: str, params: tuple[Any, ...]) -> list[Any]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()


def test_history_reads_answer_what_the_orm_answers(lean: World) -> None:
    from sqlalchemy import Engine, event

    from app.storage import lean_runs
    from app.storage.alerts import AlertStore

    _history(lean)
    orm_sql: list[tuple[str, tuple[Any, ...]]] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "coalesce(node_queries" in sql or "sum(node_runs" in sql:
            orm_sql.append((sql, tuple(params)))

    answers = 0
    event.listen(Engine, "before_cursor_execute", listen)
    try:
        with lean.repo() as repo, AlertStore(lean.url) as alerts, lean.lean() as store:
            for before, runs in [(b, r) for b in (1, 5, 12, 17, 10_000) for r in (0, 1, 3, 50)]:
                for editor in (False, True):
                    expected = repo.node_durations(
                        "shop", UID, before=before, runs=runs, editor=editor
                    )
                    got = store.node_durations("shop", UID, before=before, runs=runs, editor=editor)
                    assert got == expected, (before, runs, editor)
                    answers += bool(expected)
                for nodes in (["dst"], ["dst", "dst2"], ["src", "dst", "nope"], []):
                    expected_rows = alerts.pipeline_rows_history(
                        "shop", UID, nodes, before=before, limit=runs
                    )
                    got_rows = store.pipeline_rows_history(
                        "shop", UID, nodes, before=before, limit=runs
                    )
                    assert got_rows == expected_rows, (before, runs, nodes)
                    answers += bool(expected_rows)
            assert store.node_durations("nowhere", UID, before=99, runs=9) == {}
            assert store.node_durations("shop", UID, before=99, runs=9, editor=True)["dst"]
    finally:
        event.remove(Engine, "before_cursor_execute", listen)
    assert answers > 40  # not only empty answers compared
    # the lean queries are the ORM's, parameters in the same order: the same plan, so the
    # rows of one run come back in the same order too
    lean_sql = {
        "coalesce": (
            lean_runs._NODE_DURATIONS.format(trigger="!="),
            lean_runs._NODE_DURATIONS.format(trigger="="),
        ),
        "sum": (lean_runs._ROWS_HISTORY,),
    }
    compared = 0
    for sql, params in orm_sql:
        kind = "coalesce" if "coalesce(" in sql else "sum"
        marks = ", ".join("?" for _n in range(sql.count("?") - 7))
        for mine in lean_sql[kind]:
            if mine.format(nodes=marks).count("?") == len(params) and (
                kind == "sum" or ("!=" in mine) == ("!=" in sql)
            ):
                assert _plan(lean.path, mine.format(nodes=marks), params) == _plan(
                    lean.path, sql, params
                )
                compared += 1
    assert compared == len(orm_sql) == 20 * (2 + 3)  # every query the ORM ran


# -- what the lean path checks before it runs --------------------------------------------------
def test_project_and_current_version_are_the_orms(lean: World) -> None:
    with lean.lean() as store:
        assert store.project_id("shop") == lean.project_id
        assert store.project_id("nowhere") is None
        with Repository(lean.url, organization="acme") as acme:
            theirs = acme.ensure_project("acme only")
        assert store.project_id("acme only") is None
        acme_store = LeanRunStore.open(lean.path, organization="acme")
        assert acme_store is not None and acme_store.project_id("acme only") == theirs
        acme_store.close()
        assert store.current_version(lean.project_id, "no-such-uid") is None
        with lean.repo() as repo:
            for name in ("orders", "orders renamed"):
                saved = repo.save_pipeline_version(
                    lean.project_id, Pipeline(id=UID, name=name), author="a"
                )
                current = repo.current_version(lean.project_id, UID)
                assert current.id == saved.id
                found = store.current_version(lean.project_id, UID)
                assert found == (current.id, current.content_hash, name)
            repo.set_current_version(lean.project_id, UID, lean.version_id)
            first = repo.current_version(lean.project_id, UID)
        assert store.current_version(lean.project_id, UID) == (
            lean.version_id,
            first.content_hash,
            "orders",
        )


def test_the_connections_digest_changes_exactly_when_a_connection_does(lean: World) -> None:
    from app.model.connection import Connection

    db = Connection(name="db", type="sqlite", params={"path": "x.db"}, description="d")
    with lean.repo() as repo, lean.lean() as store:
        other = repo.ensure_project("other")
        digests = [store.connections_digest(lean.project_id)]
        for change in (
            [db],
            [db.model_copy()],  # saved unchanged
            [db.model_copy(update={"params": {"path": "y.db"}})],
            [db.model_copy(update={"description": "ñ"})],
            [db.model_copy(update={"type": "duckdb"})],
            [Connection(name="another", type="duckdb", params={"p": 1})],
        ):
            repo.save_connections(lean.project_id, change)
            repo.save_connection(other, Connection(name="x", type="duckdb", params={}))
            digests.append(store.connections_digest(lean.project_id))
            assert store.connections_digest(lean.project_id) == digests[-1]  # stable
        repo.delete_connection(lean.project_id, "another")
        assert store.connections_digest(lean.project_id) == digests[-2]
    assert digests[1] == digests[2]
    assert len(set(digests)) == len(digests) - 1


def test_column_tags_are_seen_as_project_tag_map_sees_them(lean: World) -> None:
    from app.services.masking import project_tag_map
    from app.services.workspace import Workspace
    from app.storage.tags import ColumnTag, TagStore

    workspace = Workspace(lean.url)
    with lean.lean() as store, lean.repo() as repo, TagStore(lean.url) as tags:
        other = repo.ensure_project("other")
        tags.set_tags(other, [ColumnTag("db", "people", "email", "pii.email")])
        with Repository(lean.url, organization="acme") as foreign:
            tags_of_acme = TagStore(lean.url, organization="acme")
            tags_of_acme.set_tags(foreign.ensure_project("shop"), [ColumnTag("db", "t", "c", "x")])
            tags_of_acme.close()

        # project_tag_map asks the lean store first: the ORM's answer is its tag store's
        def orm(project: str) -> bool:
            ids = [p.id for p in repo.list_projects() if p.name == project]
            return bool(ids and tags.tags(ids[0]))

        for project in ("shop", "other", "nowhere"):
            assert store.has_column_tags(project) == orm(project)
            assert bool(project_tag_map(workspace, project)) == orm(project)
        assert not store.has_column_tags("shop") and store.has_column_tags("other")
        tags.set_tags(lean.project_id, [ColumnTag("db", "orders", "card", "pii.card")])
        assert store.has_column_tags("shop") == orm("shop") is True
        assert project_tag_map(workspace, "shop") == {("db", "orders"): {"card": {"pii.card"}}}


def test_open_alerts_counts_what_ending_the_streaks_ends(lean: World) -> None:
    from app.model.alerts import AlertType
    from app.storage.alerts import AlertStore

    with AlertStore(lean.url) as alerts, lean.lean() as store:

        def raise_(type_: str, kind: str, subject: str, **kw: Any) -> int:
            record, _new = alerts.raise_alert(
                project=kw.pop("project", "shop"),
                type=type_,
                severity="error",
                subject_kind=kind,
                subject=subject,
                message="m",
                **kw,
            )
            return record.id

        raise_("run_failed", "pipeline", "orders")
        raise_("run_failed", "pipeline", "orders")  # one more occurrence, the same alert
        acknowledged = raise_("duration_exceeded", "pipeline", "orders")
        alerts.acknowledge(acknowledged, "ana")
        alerts.resolve(raise_("node_slowdown", "pipeline", "orders"))
        raise_("run_recovered", "pipeline", "orders", resolved=True)
        raise_("schema_changed", "pipeline", "orders", extra="41")  # one per occurrence
        raise_("run_failed", "sync", "orders")
        raise_("run_failed", "pipeline", "orders", project="other")
        raise_("run_failed", "pipeline", "orders|x")
        counts = {s: store.open_alerts("shop", "pipeline", s) for s in ("orders", "orders|x")}
        assert counts == {"orders": 2, "orders|x": 1}
        for subject, count in counts.items():
            ended = [
                alerts.end_streak(project="shop", type=t.value, subject_kind="pipeline", subject=s)
                for t in AlertType
                for s in (subject,)
            ]
            assert sum(e is not None for e in ended) == count
            assert store.open_alerts("shop", "pipeline", subject) == 0
        assert store.open_alerts("shop", "sync", "orders") == 1
        assert store.open_alerts("nowhere", "pipeline", "orders") == 0


# -- several processes at once -----------------------------------------------------------------
_RECORD = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from app.storage.records import EventRecord, NodeRunRecord
from app.storage.query_records import QueryRecord
path, version, count, go = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
orm = sys.argv[5] == "orm"
if orm:
    from app.storage.repository import Repository
    store = Repository(f"sqlite:///{path.as_posix()}")
else:
    from app.storage.lean_runs import LeanRunStore
    store = LeanRunStore.open(path)
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    run = store.start_run(version, trigger="cli")
    run = run if isinstance(run, int) else run.id
    store.finish_run(
        run,
        "succeeded",
        nodes=[NodeRunRecord("n", "n", "succeeded", "local", i, i, 0.1, None)],
        events=[EventRecord(0, "e", None, {"i": i}, datetime.now(UTC))],
        statements=[QueryRecord("n", "read", "db", "duckdb", f"SELECT {i}")],
    )
print("recorded")
"""


def test_processes_recording_into_one_db_at_once_all_succeed(lean: World, tmp_path: Path) -> None:
    go, count = tmp_path / "go", 25
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _RECORD, str(lean.path), str(lean.version_id), str(count)]
            + [str(go), kind],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind in ("lean", "lean", "orm")
    ]
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0 and out.strip() == "recorded", err
    runs = _table(lean, "runs")
    assert len(runs) == 3 * count and {r["status"] for r in runs} == {"succeeded"}
    assert len(_table(lean, "node_runs")) == len(_table(lean, "events")) == 3 * count
    assert len(_table(lean, "node_queries")) == 3 * count
    assert len(_table(lean, "query_texts", "hash")) == count  # each text once, whoever was first
