"""A sync run recorded without the ORM (``app/services/sync_lean_recording.py``) against the
same run recorded through it: the records read back through the ORM's own readers, the
alerts, what falls back to the ORM, and a real ``cauce sync run`` process.

The syncs here go from a DuckDB file to a SQLite file (no server needed); the rows the lean
store writes are compared with the ORM's, column by column, in
``tests/storage/test_lean_syncs.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.services import sync_lean_recording
from app.services.sync_lean_recording import LeanSyncRecorder, open_sync_recorder
from app.services.sync_recording import SyncRecorder
from app.services.syncs import ADHOC_PROJECT, run_adhoc_sync
from app.services.urls import parse_url
from app.services.workspace import Workspace
from app.storage.alerts import AlertStore
from app.storage.repository import Repository
from app.storage.syncs import SyncStore
from tests.conftest import REPO

NAME = "items->items"
#: what a lean process must not load (SQLAlchemy and the metadata DB's models)
HEAVY = ("sqlalchemy", "app.storage.models", "app.storage.repository")
#: ``cauce`` (``python -c LOADED ARGS...``) printing which of ``HEAVY`` it loaded, on stderr
LOADED = (
    "import atexit, sys\n"
    f"atexit.register(lambda: print('LOADED', sorted(m for m in {HEAVY!r} "
    "if m in sys.modules), file=sys.stderr))\n"
    "from app.cli import main\n"
    "main(sys.argv[1:])\n"
)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    src = tmp_path / "src.duckdb"
    with duckdb.connect(str(src)) as con:
        con.execute(
            "CREATE TABLE items AS SELECT i AS id, 'n' || i AS name, "
            "TIMESTAMP '2026-01-01' + i * INTERVAL 1 hour AS at FROM range(20) t(i)"
        )
    return {
        "src": src,
        "source": f"duckdb:///{src.as_posix()}",
        "dest": f"sqlite:///{(tmp_path / 'dst.sqlite').as_posix()}",
        "url": f"sqlite:///{(tmp_path / 'meta.db').as_posix()}",
    }


def _sync(world: dict[str, Any], **kwargs: Any) -> Any:
    options: dict[str, Any] = {"mode": "merge", "keys": ["id"], "cursor": "at", **kwargs}
    return run_adhoc_sync(
        source_url=world["source"],
        source_table="items",
        dest_url=world["dest"],
        workspace=Workspace.open(world["url"]),
        **options,
    )


def _add(world: dict[str, Any], first: int, count: int) -> None:
    with duckdb.connect(str(world["src"])) as con:
        con.execute(
            "INSERT INTO items SELECT i, 'n' || i, TIMESTAMP '2026-01-01' + i * INTERVAL 1 hour "
            f"FROM range({first}, {first + count}) t(i)"
        )


def _orm_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a run falls back to the ORM's recorder."""

    def refused(*args: Any, **kwargs: Any) -> SyncRecorder:
        raise AssertionError("recorded through the ORM")

    monkeypatch.setattr(sync_lean_recording, "SyncRecorder", refused)


def _records(url: str) -> dict[str, Any]:
    """The sync's record as the ORM reads it, without ids and times."""
    with Repository(url) as repo:
        project = repo.ensure_project(ADHOC_PROJECT)
        events = [(e.type, sorted(e.payload)) for e in reversed(repo.recent_events(limit=1000))]
    with SyncStore(url) as store:
        sync = store.get_sync(project, NAME)
        runs = [
            {
                "status": r.status,
                "trigger": r.trigger,
                "version": r.sync_version,
                "rows_read": r.rows_read,
                "host": r.host,
                "destinations": {k: sorted(v) for k, v in r.destinations.items()},
                "error": r.error,
            }
            for r in reversed(store.sync_runs(sync.id))
        ]
        states = [
            (s.destination, s.cursor_value, s.last_rows) for s in store.destination_states(sync.id)
        ]
        changes = [(c.column, c.change_kind, c.decision) for c in store.schema_changes(sync.id)]
    return {
        "version": sync.version,
        "runs": runs,
        "events": events,
        "states": states,
        "changes": changes,
    }


def test_a_second_run_is_recorded_lean_and_reads_back_as_the_orm_wrote_the_first(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _sync(world)
    assert first.ok and first.rows_read == 20
    after_first = _records(world["url"])
    _orm_only(monkeypatch)
    _add(world, 20, 5)
    second = _sync(world)
    assert second.ok and second.rows_read >= 5 and int(second.run_id) > int(first.run_id)
    after_second = _records(world["url"])
    # the lean run added exactly what the ORM run had added: one run, the same events
    assert after_second["version"] == after_first["version"] == 1
    assert len(after_second["runs"]) == 2
    lean_run, orm_run = after_second["runs"][1], after_first["runs"][0]
    assert {**lean_run, "rows_read": 0} == {**orm_run, "rows_read": 0}
    assert lean_run["rows_read"] == second.rows_read
    added = after_second["events"][len(after_first["events"]) :]
    assert added == after_first["events"]
    [(destination, cursor, rows)] = after_second["states"]
    assert destination == after_first["states"][0][0] and rows == second.destinations[0].rows
    assert cursor == "2026-01-02 00:00:00.000000"  # row 24: the cursor the run committed


def test_the_ends_it_cannot_keep_go_through_the_orm(world: dict[str, Any]) -> None:
    assert _sync(world).ok
    ws = Workspace.open(world["url"])
    connections = {
        "source": parse_url(world["source"], "source"),
        "dest": parse_url(world["dest"], "dest"),
    }
    shape = {
        "name": NAME,
        "source": {"connection": "source", "table": "items"},
        "destinations": [{"connection": "dest", "table": "items"}],
    }
    definition = SyncDefinition.model_validate(shape)

    def chosen(
        workspace: Workspace = ws,
        project: str = ADHOC_PROJECT,
        chosen_connections: dict[str, Connection] = connections,
        sync: SyncDefinition = definition,
    ) -> type[Any]:
        recorder = open_sync_recorder(workspace, project, chosen_connections, sync, trigger="cli")
        recorder.close()
        return type(recorder)

    assert chosen() is LeanSyncRecorder
    review = SyncDefinition.model_validate({**shape, "schema_policy": "review"})
    assert chosen(sync=review) is SyncRecorder  # its inbox is the ORM's
    moved = dict(connections, dest=Connection(name="dest", type="sqlite", params={"path": "x.db"}))
    assert chosen(chosen_connections=moved) is SyncRecorder  # a changed connection is written
    assert chosen(project="never-recorded") is SyncRecorder  # a project is created
    assert chosen(workspace=Workspace.open(world["url"] + "x")) is SyncRecorder  # no such DB
    server = Workspace.open("postgresql://nobody@127.0.0.1:1/none")
    assert server.sqlite_file() is None  # decided without connecting


def test_alerts_after_lean_runs_are_the_usual_ones(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _sync(world).ok  # through the ORM: creates the records
    _orm_only(monkeypatch)
    calls: list[str] = []
    import app.services.alerts as alerts

    usual = alerts.after_sync_run

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3].status)
        return usual(*args, **kwargs)

    monkeypatch.setattr(alerts, "after_sync_run", counted)
    assert _sync(world).ok
    assert calls == []  # a quiet success: nothing loaded, nothing to do

    with duckdb.connect(str(world["src"])) as con:
        con.execute("ALTER TABLE items RENAME TO gone")
    failed = _sync(world)
    assert failed.status == "failed"
    with duckdb.connect(str(world["src"])) as con:
        con.execute("ALTER TABLE gone RENAME TO items")
    assert _sync(world).ok
    assert calls == ["failed", "succeeded"]  # raised, then its streak ended
    with AlertStore(world["url"]) as store:
        found = [(a.type, a.status) for a in reversed(store.list_alerts(project=ADHOC_PROJECT))]
    assert found == [("run_failed", "resolved"), ("run_recovered", "resolved")]


def test_schema_changes_of_a_lean_run_are_recorded_and_alerted(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _sync(world).ok
    _orm_only(monkeypatch)
    with duckdb.connect(str(world["src"])) as con:
        con.execute("ALTER TABLE items ADD COLUMN note VARCHAR DEFAULT 'x'")
    assert _sync(world).ok
    records = _records(world["url"])
    assert records["changes"] == [("note", "added", "applied")]
    assert [e for e, _k in records["events"]].count("schema_change_detected") == 1
    with AlertStore(world["url"]) as store:
        [alert] = store.list_alerts(project=ADHOC_PROJECT, types=["schema_changed"])
    assert alert.details["changes"][0]["column"] == "note"


def test_a_lean_sync_process_loads_no_orm(world: dict[str, Any], tmp_path: Path) -> None:
    command = [sys.executable, "-c", LOADED, "--db", world["url"], "sync", "run"]
    command += ["--source", world["source"], "--source-table", "items", "--dest", world["dest"]]
    command += ["--mode", "merge", "--key", "id", "--cursor", "at", "--json"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path) for _ in "ab"
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
    loaded = [r.stderr.split("LOADED", 1)[1].strip() for r in runs]
    assert "sqlalchemy" in loaded[0]  # the first run creates the metadata DB
    assert loaded[1] == "[]", runs[1].stderr
    reports = [json.loads(r.stdout) for r in runs]
    assert [r["status"] for r in reports] == ["succeeded", "succeeded"]
    assert int(reports[1]["run_id"]) == int(reports[0]["run_id"]) + 1


def test_lean_sync_processes_recording_into_one_db_at_once_all_succeed(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """Four syncs (one source, four destination tables), each run once to create its records,
    then all four at once as processes: each recorded lean, none lost to a busy database."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def command(table: str) -> list[str]:
        return [
            *(sys.executable, "-c", LOADED, "--db", world["url"], "sync", "run"),
            *("--source", world["source"], "--source-table", "items"),
            *("--dest", world["dest"], "--dest-table", table, "--json"),
        ]

    tables = [f"copy_{i}" for i in range(4)]
    for table in tables:
        first = subprocess.run(
            command(table), capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert first.returncode == 0, first.stderr
    started = [
        subprocess.Popen(
            command(t),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for t in tables
    ]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in started]
    assert [code for code, _out, _err in outcomes] == [0] * 4, [e for _c, _o, e in outcomes]
    run_ids = {json.loads(out)["run_id"] for _code, out, _err in outcomes}
    assert len(run_ids) == 4
    assert all(err.split("LOADED", 1)[1].strip() == "[]" for _c, _o, err in outcomes)  # lean
    with Repository(world["url"]) as repo, SyncStore(world["url"]) as store:
        project = repo.ensure_project(ADHOC_PROJECT)
        for table in tables:
            runs = store.sync_runs(store.get_sync(project, f"items->{table}").id)
            assert [r.status for r in runs] == ["succeeded", "succeeded"]
            assert [r.rows_read for r in runs] == [20, 20]
