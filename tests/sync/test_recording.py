"""Recording a sync run alongside it: the record opens while rows move, and nothing commits
to a destination before the record exists (``app.services.sync_recording``)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.engine.sync import SyncReport
from app.engine.sync.cursor import CursorState
from app.model.events import Event
from app.model.sync import SyncDefinition
from app.model.sync_events import SyncFinished, SyncStarted
from app.services.sync_recording import RecordingAlongside
from app.services.syncs import run_adhoc_sync
from app.services.workspace import Workspace
from app.storage.db import MetadataUnreachable
from app.storage.repository import Repository
from app.storage.syncs import SyncStore
from tests.sync.conftest import Harness, pg_exec, pg_rows

REPO = Path(__file__).resolve().parents[2]


def _url(db: dict[str, Any]) -> str:
    return f"postgresql://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"


def _visible(db: dict[str, Any], table: str) -> bool:
    """Whether ``table`` exists for another connection (i.e. its creation has committed)."""
    [(found,)] = pg_rows(db, f"SELECT to_regclass('{table}') IS NOT NULL")
    return bool(found)


class _Watching:
    """A recording that checks, when the runner waits for it, that nothing has committed."""

    def __init__(self, db: dict[str, Any], table: str) -> None:
        self.db, self.table = db, table
        self.calls: list[str] = []
        self.committed_before_ready: list[bool] = []

    def begin(self) -> None:
        self.calls.append("begin")

    def ready(self) -> None:
        self.calls.append("ready")
        self.committed_before_ready.append(_visible(self.db, self.table))

    def stored_state(self, destination: str) -> CursorState | None:
        self.calls.append("stored_state")
        return None


@pytest.mark.parametrize("native", [True, False], ids=["native path", "arrow path"])
def test_the_runner_waits_for_the_record_before_committing(
    pg_db: dict[str, Any], harness: Any, pg: Any, native: bool
) -> None:
    pg_exec(
        pg_db,
        "CREATE TABLE src AS SELECT i AS id, md5(i::text) AS name FROM generate_series(1, 5000) i",
    )
    watching = _Watching(pg_db, "dst")
    h: Harness = harness(pg=pg)
    report = h.run(
        {
            "name": "s",
            "source": {"connection": "pg", "table": "src"},
            "destinations": [{"connection": "pg", "table": "dst"}],
            "mode": "full",
        },
        recording=watching,
        native=native,
    )
    assert report.ok, report.error
    assert report.destinations[0].path == ("native" if native else "arrow")
    assert watching.calls[0] == "begin" and "ready" in watching.calls
    assert watching.committed_before_ready == [False] * len(watching.committed_before_ready)
    assert pg_rows(pg_db, "SELECT count(*) FROM dst") == [(5000,)]


def test_a_run_that_cannot_be_recorded_changes_nothing(
    pg_db: dict[str, Any], tmp_path: Path
) -> None:
    pg_exec(pg_db, "CREATE TABLE src AS SELECT i AS id FROM generate_series(1, 3) i")
    url, meta = _url(pg_db), f"sqlite:///{tmp_path / 'meta.db'}"
    first = run_adhoc_sync(
        source_url=url,
        source_table="public.src",
        dest_url=url,
        dest_table="dst",
        workspace=Workspace.open(meta),
    )
    assert first.ok and pg_rows(pg_db, "SELECT count(*) FROM dst") == [(3,)]
    pg_exec(pg_db, "INSERT INTO src SELECT generate_series(4, 10)")
    seen: list[Event] = []
    with pytest.raises(MetadataUnreachable, match="cannot reach the metadata database"):
        run_adhoc_sync(
            source_url=url,
            source_table="public.src",
            dest_url=url,
            dest_table="dst",
            workspace=Workspace.open("postgresql://postgres@127.0.0.1:1/none"),
            on_event=seen.append,
        )
    assert pg_rows(pg_db, "SELECT count(*) FROM dst") == [(3,)]  # the old table, untouched
    assert pg_rows(pg_db, "SELECT count(*) FROM pg_class WHERE relname LIKE 'dst__%'") == [(0,)]
    assert seen == []  # no event without a run id to carry


def test_events_carry_the_recorded_run_id_in_order(pg_db: dict[str, Any], tmp_path: Path) -> None:
    pg_exec(pg_db, "CREATE TABLE src AS SELECT i AS id FROM generate_series(1, 100) i")
    url, meta = _url(pg_db), f"sqlite:///{tmp_path / 'meta.db'}"
    seen: list[Event] = []
    before = datetime.now().astimezone()
    report = run_adhoc_sync(
        source_url=url,
        source_table="public.src",
        dest_url=url,
        dest_table="dst",
        workspace=Workspace.open(meta),
        on_event=seen.append,
    )
    assert report.ok and report.run_id
    assert {e.run_id for e in seen} == {report.run_id}
    assert isinstance(seen[0], SyncStarted) and isinstance(seen[-1], SyncFinished)
    assert [e.at for e in seen] == sorted(e.at for e in seen)
    with Repository(meta) as repo, SyncStore(meta) as store:
        [record] = store.list_syncs(repo.ensure_project("adhoc"))
        [run] = store.sync_runs(record.id, limit=5)
    assert str(run.id) == report.run_id and run.status == "succeeded"
    # the run's start, not the record's: before the first event
    assert before <= run.started_at <= datetime.fromtimestamp(seen[0].at).astimezone()


def test_a_run_failing_before_rows_move_is_still_recorded(
    pg_db: dict[str, Any], tmp_path: Path
) -> None:
    url, meta = _url(pg_db), f"sqlite:///{tmp_path / 'meta.db'}"
    seen: list[Event] = []
    report = run_adhoc_sync(
        source_url=url,
        source_table="public.missing",
        dest_url=url,
        dest_table="dst",
        workspace=Workspace.open(meta),
        on_event=seen.append,
        retries=0,
    )
    assert report.status == "failed" and "missing" in str(report.error)
    assert [e.kind for e in seen][-2:] == ["sync_failed", "sync_finished"]
    assert {e.run_id for e in seen} == {report.run_id}
    with Repository(meta) as repo, SyncStore(meta) as store:
        [record] = store.list_syncs(repo.ensure_project("adhoc"))
        [run] = store.sync_runs(record.id, limit=5)
    assert run.status == "failed" and "missing" in str(run.error)


class _FakeRecorder:
    def __init__(self, log: list[str], gate: threading.Event | None = None) -> None:
        self.log, self.gate = log, gate

    def start(
        self, definition: SyncDefinition, started_at: datetime | None = None
    ) -> tuple[str, dict[str, CursorState]]:
        if self.gate is not None:
            self.gate.wait(5)
        self.log.append(f"start {definition.name}")
        return "42", {"dest:t": CursorState("7", "int64")}

    def on_event(self, event: Event) -> None:
        self.log.append(f"recorded {event.kind} {event.run_id}")

    def finish(self, report: SyncReport) -> None:
        self.log.append(f"finish {report.status} {report.run_id}")

    def close(self) -> None:
        self.log.append("close")


_DEFINITION = SyncDefinition(
    name="s",
    source={"connection": "a", "table": "t"},
    destinations=[{"connection": "dest", "table": "t"}],
)


def test_events_are_held_until_the_record_exists_then_stamped_in_order() -> None:
    log: list[str] = []
    gate = threading.Event()
    opened: list[str] = []
    heard: list[Event] = []

    def open_recorder() -> Any:
        opened.append(threading.current_thread().name)
        return _FakeRecorder(log, gate)

    recording = RecordingAlongside(open_recorder, _DEFINITION, heard.append, latest=60)
    recording.publish(SyncStarted(run_id="", sync="s", mode="full", destinations=("dest:t",)))
    assert opened == [] and heard == []  # nothing opened before rows move
    recording.begin()
    recording.publish(SyncStarted(run_id="", sync="s", mode="full", destinations=()))
    assert heard == []  # the record is not there yet (the gate holds it)
    gate.set()
    recording.ready()
    assert opened == ["cauce-sync-record"]
    assert [e.run_id for e in heard] == ["42", "42"]
    assert [e.destinations for e in heard] == [("dest:t",), ()]  # type: ignore[attr-defined]
    assert recording.stored_state("dest:t") == CursorState("7", "int64")
    report = SyncReport("s", "", "full", status="succeeded")
    recording.finish(report)
    recording.close()
    assert report.run_id == "42"
    assert log == [
        "start s",
        "recorded sync_started 42",
        "recorded sync_started 42",
        "finish succeeded 42",
        "close",
    ]


def test_a_recording_error_is_raised_to_whoever_waits() -> None:
    def broken() -> Any:
        raise MetadataUnreachable("cannot reach the metadata database x: refused")

    recording = RecordingAlongside(broken, _DEFINITION)
    with pytest.raises(MetadataUnreachable):
        recording.ready()
    with pytest.raises(MetadataUnreachable):
        recording.finish(SyncReport("s", "", "full"))
    recording.close()


def test_sync_use_cases_load_no_sqlalchemy_before_the_run() -> None:
    code = (
        "import sys, app.cli_sync, app.services.syncs, app.services.sync_recording; "
        "sys.exit('sqlalchemy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_the_record_opens_after_a_while_even_before_rows_move() -> None:
    """A source slow to send its first row: the run is recorded, its events heard, meanwhile."""
    log: list[str] = []
    heard: list[Event] = []
    recording = RecordingAlongside(
        lambda: _FakeRecorder(log), _DEFINITION, heard.append, latest=0.05
    )
    recording.publish(SyncStarted(run_id="", sync="s", mode="full", destinations=()))
    deadline = time.monotonic() + 5
    while not heard and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [e.run_id for e in heard] == ["42"] and log[0] == "start s"
    recording.close()
