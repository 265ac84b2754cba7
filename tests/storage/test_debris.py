"""Debris of a sync killed with SIGKILL: its spool file and its ``running`` record are reaped.

Issue #11: every killed sync left its spool file (up to 260 MB) in the system temp directory
and a ``sync_runs`` row ``running`` forever. Here a real ``cauce sync run`` process is killed
while it spools; the next run on the machine removes the file and marks the row
``abandoned``, on SQLite and on PostgreSQL metadata databases.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.storage.migrate import init_db
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta

ROWS = 1_000_000


def _project(tmp_path: Path) -> Path:
    with sqlite3.connect(tmp_path / "src.sqlite") as con:
        con.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            f"WHERE i < {ROWS}) INSERT INTO items SELECT i, 'name ' || i FROM n"
        )
    project = Project(
        meta=ProjectMeta(name="debris"),
        connections={
            "src": Connection(
                name="src", type="sqlite", params={"path": str(tmp_path / "src.sqlite")}
            ),
            "dst": Connection(
                name="dst", type="duckdb", params={"path": str(tmp_path / "dst.duckdb")}
            ),
        },
        syncs={
            "items": SyncDefinition(
                name="items",
                source={"connection": "src", "table": "items"},
                destinations=[{"connection": "dst", "table": "items"}],
            )
        },
    )
    save_project(project, tmp_path / "debris")
    return tmp_path / "debris"


def _sync(root: Path, db_url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app.cli",
        "--db",
        db_url,
        "sync",
        "run",
        "items",
        "--project",
        str(root),
    ]


def _statuses(db_url: str) -> list[tuple[str, str | None]]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as con:
            return [
                (r[0], r[1])
                for r in con.execute(sa.text("SELECT status, error FROM sync_runs ORDER BY id"))
            ]
    finally:
        engine.dispose()


def test_a_killed_sync_is_reaped_by_the_next_run(tmp_path: Path, db_url: str) -> None:
    root = _project(tmp_path)
    init_db(db_url)
    spool_dir = Path(os.environ["CAUCE_HOME"]) / "spool"
    proc = subprocess.Popen(
        _sync(root, db_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    spools: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        spools = [p for p in spool_dir.glob("cauce-sync-*.arrows") if p.stat().st_size > 0]
        if spools and _statuses(db_url) == [("running", None)]:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the sync ended before it could be killed: {proc.stderr}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert [p.name for p in spool_dir.glob("cauce-sync-*")] == [spools[0].name]  # debris
    assert _statuses(db_url) == [("running", None)]

    done = subprocess.run(_sync(root, db_url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(spool_dir.glob("cauce-sync-*")) == []
    [(first, error), second] = _statuses(db_url)
    assert first == "abandoned" and f"PID {proc.pid}" in str(error)
    assert second == ("succeeded", None)
