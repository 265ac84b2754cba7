"""Scheduled runs in worker processes (``Scheduler(processes=N)``,
:mod:`app.services.scheduler_workers`): the same fires, policies and records as in threads,
the runs made by other processes; stopping cancels a run a worker is in the middle of; a
worker that dies fails its run and the next runs get a new one.

Real runs of the Chinook example on SQLite and PostgreSQL metadata DBs; time is driven by hand
(:meth:`Scheduler.tick`), as in ``test_scheduler.py``.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from app.services.runs import recent_runs
from app.services.scheduler import Scheduler
from app.services.workspace import Workspace
from tests.services.test_scheduler import (  # and its fixtures: the project, the workspaces
    T0,
    Clock,
    outcomes,
    project,  # noqa: F401
    sqlite_ws,  # noqa: F401
    workspace,  # noqa: F401
    write,
)

_SLOW = "SELECT count(*) AS n FROM range(1000000000000) t(x) WHERE x % 7 = 3"


def test_fires_run_in_worker_processes_and_are_recorded_once(
    project: Path,  # noqa: F811
    workspace: Workspace,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("a", "b", "c"):
        write(project, name=name, every_seconds=60, catch_up="all", overlap="allow")

    def not_here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a scheduled run ran in the scheduler's process")

    # a run in this process would fail: every one that succeeds ran in a worker
    monkeypatch.setattr("app.services.runs.run_project", not_here)
    s = Scheduler(project, workspace=workspace, clock=Clock(T0), processes=2).start(timer=False)
    try:
        workers = {p.pid for p in s._workers._pool._processes.values()} if s._workers else set()
        for name in ("a", "b", "c"):
            s.tick(name, T0 + timedelta(minutes=2))
        s.wait_idle()
    finally:
        s.stop()
    assert os.getpid() not in workers
    for name in ("a", "b", "c"):
        assert outcomes(workspace, name) == [(1, "succeeded"), (2, "succeeded")]
    runs = recent_runs(workspace, "chinook", limit=20)
    assert len(runs) == 6
    assert {(r.trigger, r.status) for r in runs} == {("schedule", "succeeded")}


def _slow_pipeline(root: Path) -> None:
    """A pipeline DuckDB computes for minutes unless interrupted."""
    (root / "connections" / "scratch.json").write_text(
        json.dumps(
            {"name": "scratch", "type": "duckdb", "params": {"path": "${PROJECT_DIR}/scratch.db"}}
        )
    )
    duckdb.connect(str(root / "scratch.db")).close()
    src, dst = str(uuid.uuid4()), str(uuid.uuid4())
    pipeline = {
        "format_version": 1,
        "id": str(uuid.uuid4()),
        "name": "slow",
        "description": "",
        "layout": {},
        "nodes": [
            {"id": src, "name": "count", "type": "source", "description": "",
             "params": {"connection": "scratch", "query": _SLOW}},
            {"id": dst, "name": "out", "type": "destination", "description": "",
             "params": {"connection": "warehouse", "table": "slow", "mode": "replace"}},
        ],
        "edges": [{"source": {"node": src, "port": "out"}, "target": {"node": dst, "port": "in"}}],
    }  # fmt: skip
    (root / "pipelines" / "slow.json").write_text(json.dumps(pipeline))


def test_stopping_cancels_a_run_a_worker_is_in(
    project: Path,  # noqa: F811
    sqlite_ws: Workspace,  # noqa: F811
) -> None:
    _slow_pipeline(project)
    write(project, name="s", pipeline="slow", every_seconds=60)
    s = Scheduler(project, workspace=sqlite_ws, clock=Clock(T0), processes=1).start(timer=False)
    s.tick("s", T0 + timedelta(minutes=1))
    deadline = time.monotonic() + 60
    while not recent_runs(sqlite_ws, "chinook") and time.monotonic() < deadline:
        time.sleep(0.1)  # the worker has recorded the run: it is computing
    time.sleep(0.5)
    began = time.monotonic()
    assert s.stop(timeout=0.2) is False  # it outlived the timeout: cancelled
    assert time.monotonic() - began < 30
    assert outcomes(sqlite_ws, "s") == [(1, "cancelled")]
    [run] = recent_runs(sqlite_ws, "chinook")
    assert run.status == "cancelled"


def test_a_worker_that_dies_fails_its_run_and_the_next_runs_get_a_new_one(
    project: Path,  # noqa: F811
    sqlite_ws: Workspace,  # noqa: F811
) -> None:
    _slow_pipeline(project)
    write(project, name="s", pipeline="slow", every_seconds=60)
    write(project, name="m", every_seconds=60)
    s = Scheduler(project, workspace=sqlite_ws, clock=Clock(T0), processes=1).start(timer=False)
    try:
        assert s._workers is not None
        s.tick("s", T0 + timedelta(minutes=1))
        deadline = time.monotonic() + 60
        while not recent_runs(sqlite_ws, "chinook") and time.monotonic() < deadline:
            time.sleep(0.1)
        [pid] = list(s._workers._pool._processes)
        os.kill(pid, signal.SIGKILL)
        s.wait_idle()
        assert outcomes(sqlite_ws, "s") == [(1, "failed")]
        s.tick("m", T0 + timedelta(minutes=1))
        s.wait_idle()
    finally:
        s.stop()
    assert outcomes(sqlite_ws, "m") == [(1, "succeeded")]
