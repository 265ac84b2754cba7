"""Replaying a run: the SQL a pipeline's last run executed, run again without planning it.

A pipeline whose every node runs inside the local DuckDB engine — files read in place,
transformations fused into one query per destination, DuckDB-file destinations written with
``CREATE TABLE … AS``, ``INSERT`` or ``MERGE`` — executes nothing but SQL text once it is
planned. After such a run succeeds, :mod:`app.engine.replay_build` keeps what it executed as
a :class:`Replay`: each stage's write (:class:`~app.connectors.native_write.NativeWrite`),
the databases it attached, the directories the session was locked to, and the report's
static parts (the plan, where each node ran, each statement's SQL). :func:`run_replay` runs it
again as :func:`~app.engine.executor.run_pipeline` would have: the same events in the same
order, the same report, the same writes, the same least-privilege session.

The caller decides when a replay is still the plan (:mod:`app.services.replays`: the same
project files, the same input files, the same Cauce). This module loads neither sqlglot nor
pyarrow nor pydantic: a ``cauce --run-project`` process that replays pays for DuckDB and its
own run, not for the compiler (``bench/startup.py``).

One difference from a planned run, on failure only: when a stage's write fails, the planned
run looks for the node whose part of the fused query fails (running its parts one at a time);
a replay blames the destination, with DuckDB's error, as the planned run does when every part
runs. A replay is made only from a run that succeeded on the same inputs.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from app.connectors.errors import ConnectionError_
from app.connectors.file_locks import waiting_for_lock
from app.connectors.native_write import NativeWrite, run_write
from app.engine.engine_session import lock_engine, open_engine
from app.engine.run_state import (
    LOCAL_ENGINE,
    PART,
    RAN,
    STAGE,
    NodeStatus,
    PlanWanted,
    QueryReport,
    RunReport,
    RunState,
    StageRows,
    capture_plan,
)
from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.model.events import EventBus, RunFinished, RunStarted

__all__ = ["REPLAY_FORMAT", "Replay", "ReplayNode", "ReplayStage", "run_replay"]

#: the shape of a kept replay; a replay of another format is not run (planned again)
REPLAY_FORMAT = 2


@dataclass(frozen=True)
class ReplayNode:
    id: str
    name: str
    type: str
    #: where the plan placed it (``ExecutionPlan.placement_of``) and what it runs on
    placement: str = "local"
    runs_on: str = LOCAL_ENGINE
    #: its own part of the SQL (``ExecutionPlan.sql_of``): its statement when it is not a
    #: destination that wrote
    part_sql: str | None = None
    part_dialect: str = "duckdb"


@dataclass(frozen=True)
class ReplayStage:
    #: the nodes the stage runs, in the plan's order (``Stage.nodes``)
    nodes: tuple[ReplayNode, ...]
    destination: ReplayNode
    #: the destination's DuckDB file and the alias it is attached as
    path: str
    alias: str
    write: NativeWrite
    #: the stage's SQL as the plan shows it (``Stage.sql``): its statement and its plan
    sql: str


@dataclass(frozen=True)
class Replay:
    """What a pipeline's successful run executed, to run it again (see the module)."""

    pipeline: str
    pipeline_id: str
    #: every node, in the pipeline's topological order (the report's order)
    order: tuple[ReplayNode, ...]
    #: the node names in the pipeline's own order (``RunStarted.nodes``)
    names: tuple[str, ...]
    stages: tuple[ReplayStage, ...]
    #: ``ExecutionPlan.describe()``
    plan: dict[str, Any]
    #: the directories the session may read and write (without its own spill directory)
    allowed: tuple[str, ...]
    memory_limit: str
    #: the files the run read: (path, size, modification time in ns); the caller checks them
    inputs: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)
    #: the DuckDB files its sources read, attached read-only: (path, alias, connection)
    sources: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.pipeline

    def topological_order(self) -> tuple[ReplayNode, ...]:
        return self.order

    def placement_of(self, node_id: str) -> str:
        return next(n.placement for n in self.order if n.id == node_id)

    def to_dict(self) -> dict[str, Any]:
        def node(n: ReplayNode) -> dict[str, Any]:
            return dict(n.__dict__)

        return {
            "format": REPLAY_FORMAT,
            "pipeline": self.pipeline,
            "pipeline_id": self.pipeline_id,
            "order": [node(n) for n in self.order],
            "names": list(self.names),
            "stages": [
                {
                    "nodes": [n.id for n in s.nodes],
                    "destination": s.destination.id,
                    "path": s.path,
                    "alias": s.alias,
                    "write": s.write.to_dict(),
                    "sql": s.sql,
                }
                for s in self.stages
            ],
            "plan": self.plan,
            "allowed": list(self.allowed),
            "memory_limit": self.memory_limit,
            "inputs": [list(i) for i in self.inputs],
            "sources": [list(a) for a in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Replay:
        """The replay ``to_dict`` wrote (raises ``KeyError``/``TypeError``/``ValueError`` for
        anything else, and for another :data:`REPLAY_FORMAT`)."""
        if data.get("format") != REPLAY_FORMAT:
            raise ValueError(f"replay format {data.get('format')!r}")
        order = tuple(ReplayNode(**n) for n in data["order"])
        by_id = {n.id: n for n in order}
        stages = tuple(
            ReplayStage(
                nodes=tuple(by_id[i] for i in s["nodes"]),
                destination=by_id[s["destination"]],
                path=str(s["path"]),
                alias=str(s["alias"]),
                write=NativeWrite.from_dict(s["write"]),
                sql=str(s["sql"]),
            )
            for s in data["stages"]
        )
        return cls(
            pipeline=str(data["pipeline"]),
            pipeline_id=str(data["pipeline_id"]),
            order=order,
            names=tuple(data["names"]),
            stages=stages,
            plan=dict(data["plan"]),
            allowed=tuple(data["allowed"]),
            memory_limit=str(data["memory_limit"]),
            inputs=tuple((str(p), int(s), int(m)) for p, s, m in data["inputs"]),
            sources=tuple((str(p), str(a), str(c)) for p, a, c in data["sources"]),
        )


def input_stats(paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, modification time in ns) of each file; (path, -1, -1) for one that does
    not exist (a DuckDB file's write-ahead log, mostly)."""
    found = []
    for path in sorted(set(paths)):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            found.append((path, -1, -1))
            continue
        found.append((path, st.st_size, st.st_mtime_ns))
    return tuple(found)


def run_replay(
    replay: Replay,
    *,
    bus: EventBus | None = None,
    cancel: CancelToken | None = None,
    run_id: str,
    plans: PlanWanted = None,
) -> RunReport:
    """Run ``replay`` as :func:`~app.engine.executor.run_pipeline` runs a plan: the same
    events, report and writes. Failures are in the report; ``plans``: which statements to
    explain once they ran (:mod:`app.engine.statements`)."""
    bus = bus or EventBus()
    cancel = cancel or CancelToken()
    run = RunState(replay, bus, run_id)
    run.report.plan = copy.deepcopy(replay.plan)  # the report's own: a kept replay is shared
    for rep in run.report.nodes:
        node = next(n for n in replay.order if n.id == rep.node_id)
        rep.placement, rep.runs_on = node.placement, node.runs_on
    seconds: dict[str, float] = {}
    with _Session(replay, cancel) as session:
        started = time.perf_counter()
        bus.publish(RunStarted(run.run_id, pipeline=replay.pipeline, nodes=replay.names))
        _execute(run, replay, session, cancel, seconds)
        run.report.seconds = round(time.perf_counter() - started, 4)
        ran = {n.node_id for n in run.report.nodes if n.status in RAN}
        run.report.queries = _queries(replay, ran, seconds, plans, session)
    bus.publish(
        RunFinished(
            run.run_id,
            pipeline=replay.pipeline,
            status=str(run.report.status),
            seconds=run.report.seconds,
            error=run.report.error,
        )
    )
    return run.report


class _Session:
    """The replay's DuckDB connection, set up and locked as ``LocalSession`` sets up its own
    (:mod:`app.engine.local`), with the directories the planned run's session allowed."""

    def __init__(self, replay: Replay, cancel: CancelToken) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="cauce-engine-")
        self.con = open_engine(replay.memory_limit, self._tmp.name)
        lock_engine(self.con, [*replay.allowed, self._tmp.name])
        cancel.on_cancel(self.con.interrupt)
        self.attached: set[str] = set()

    def attach(self, stage: ReplayStage) -> None:
        """Attach the destination's file read-write once (its folder made), as the DuckDB
        connector attaches it; another process's lock on it is waited for."""
        if stage.alias in self.attached:
            return
        Path(stage.path).parent.mkdir(parents=True, exist_ok=True)
        self._attach(stage.path, stage.alias, stage.write.connection, read_only=False)

    def attach_sources(self, replay: Replay) -> None:
        """Attach the DuckDB files the sources read, read-only, as planning attached them."""
        for path, alias, connection in replay.sources:
            self._attach(path, alias, connection, read_only=True)

    def _attach(self, path: str, alias: str, connection: str, *, read_only: bool) -> None:
        quoted_path, quoted_alias = path.replace("'", "''"), alias.replace('"', '""')
        sql = f"ATTACH '{quoted_path}' AS \"{quoted_alias}\"" + (
            " (READ_ONLY)" if read_only else ""
        )
        try:
            waiting_for_lock(lambda: self.con.execute(sql))
        except duckdb.Error as err:
            action = _("attaching as {alias!r}").format(alias=alias)
            raise ConnectionError_(
                _("{connection}: {action} failed: {error}").format(
                    connection=connection,
                    action=action,
                    error=str(err).strip() or type(err).__name__,
                )
            ) from None
        self.attached.add(alias)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.con.close()
        finally:
            self._tmp.cleanup()


def _execute(
    run: RunState,
    replay: Replay,
    session: _Session,
    cancel: CancelToken,
    seconds: dict[str, float],
) -> None:
    """The executor's ``_execute`` over the kept stages (the same states, errors and events)."""
    current: ReplayStage | None = None
    try:
        session.attach_sources(replay)
        for i, stage in enumerate(replay.stages):
            cancel.check()
            current = stage
            run.start_stage(stage, replay)
            began = time.perf_counter()
            session.attach(stage)
            try:
                written = run_write(session.con, stage.write)
            except duckdb.InterruptException:
                raise RunCancelled() from None
            seconds[stage.destination.id] = time.perf_counter() - began
            rows = StageRows()
            rows.totals[stage.destination.id] = (written, None)
            run.finish_stage(stage, list(replay.stages[i + 1 :]), rows)
        run.report.status = NodeStatus.SUCCEEDED
    except RunCancelled as err:
        run.cancelled(current, str(err))
    except (ConnectionError_, duckdb.Error, OSError, ValueError) as err:
        if cancel.cancelled:
            run.cancelled(current, _("the run was cancelled"))
            return
        run.failed(current, err)


def _queries(
    replay: Replay,
    ran: set[str],
    seconds: dict[str, float],
    plans: PlanWanted,
    session: _Session,
) -> list[QueryReport]:
    """The run's statements as ``StatementLog.reports`` makes them: a stage's statement for
    each destination that wrote, each other node's own part; plans as ``plans`` asks, made
    after every statement ran."""
    stages = {s.destination.id: s for s in replay.stages}
    out: list[QueryReport] = []
    pending: list[tuple[QueryReport, Callable[[], Any]]] = []
    for node in replay.order:
        if node.id not in ran:
            continue
        stage = stages.get(node.id)
        if stage is not None and node.id in seconds:
            report = QueryReport(node.id, node.name, STAGE, LOCAL_ENGINE, "duckdb", stage.sql)
            report.seconds = round(seconds[node.id], 4)
            wanted = plans(report) if callable(plans) else bool(plans)
            if wanted:
                pending.append((report, _plan_of(session, stage.sql)))
            out.append(report)
        elif node.part_sql is not None:
            out.append(
                QueryReport(
                    node.id, node.name, PART, node.runs_on, node.part_dialect, node.part_sql
                )
            )
    for report, plan in pending:
        capture_plan(report, plan)
    return out


def _plan_of(session: _Session, sql: str) -> Callable[[], Any]:
    def plan() -> Any:
        # a fixed keyword before a query Cauce rendered: no value is put into SQL here
        rows = session.con.execute("EXPLAIN (FORMAT JSON) " + sql).fetchall()
        return json.loads(rows[0][1]) if rows else None

    return plan
