"""Runs a pipeline: execute its plan (:mod:`app.engine.plan`) stage by stage, as a state machine
that emits events.

Each node moves pending → running → succeeded | failed | cancelled | skipped. Nodes that only
feed a destination's query run fused inside it (DuckDB or the warehouse runs the whole CTE
chain at once); their row counts are not observable separately and are reported as ``None``.
Streamed sources report the rows they read; destinations the rows they wrote.

Runs are synchronous; the caller puts them on a worker thread and cancels them through the
:class:`~app.engine.local.CancelToken` from any thread.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
from sqlglot import exp

from app.connectors.base import ConnectionError_, WriteMode
from app.engine.local import BatchObserver, CancelToken, LocalSession, RunCancelled
from app.engine.placement import LOCAL_ENGINE
from app.engine.plan import (
    ExecutionPlan,
    PlannedRun,
    Stage,
    plan_run,
)
from app.engine.provider import ConnectorProvider
from app.engine.statements import PlanWanted, QueryReport, StatementLog
from app.i18n import _
from app.model.events import (
    EventBus,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from app.model.pipeline import Node, Pipeline

__all__ = [
    "NodeReport",
    "NodeStatus",
    "RunReport",
    "run_pipeline",
]


class NodeStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


@dataclass
class NodeReport:
    node_id: str
    name: str
    type: str
    status: NodeStatus = NodeStatus.PENDING
    placement: str = "local"
    #: the connection the node ran in, or "local engine"
    runs_on: str = LOCAL_ENGINE
    rows_in: int | None = None
    rows_out: int | None = None
    seconds: float = 0.0
    error: str | None = None
    #: rows per output port, when counted (``count_rows=True``): what an edge carries
    rows_by_port: dict[str, int] = field(default_factory=dict)


@dataclass
class RunReport:
    run_id: str
    pipeline: str
    status: NodeStatus = NodeStatus.PENDING
    seconds: float = 0.0
    error: str | None = None
    nodes: list[NodeReport] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    #: each node's statement: its SQL, where it ran, bytes, plan (:mod:`app.engine.statements`)
    queries: list[QueryReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status is NodeStatus.SUCCEEDED

    def node(self, name: str) -> NodeReport:
        return next(n for n in self.nodes if n.name == name)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["queries"]  # the plan above has each node's SQL; analytics keep the rest
        data["status"] = str(self.status)
        for n in data["nodes"]:
            n["status"] = str(n["status"])
        return data


class _Run:
    """The state machine of one run."""

    def __init__(self, pipeline: Pipeline, bus: EventBus, run_id: str) -> None:
        self.pipeline, self.bus, self.run_id = pipeline, bus, run_id
        self.report = RunReport(
            run_id=run_id,
            pipeline=pipeline.name,
            nodes=[NodeReport(n.id, n.name, n.type) for n in pipeline.topological_order()],
        )
        self._by_id = {n.node_id: n for n in self.report.nodes}
        self._started: dict[str, float] = {}

    def start_stage(self, stage: Stage, plan: ExecutionPlan) -> None:
        for node in stage.nodes:
            rep = self._by_id[node.id]
            if rep.status is NodeStatus.PENDING:
                rep.status, rep.placement = NodeStatus.RUNNING, plan.placement_of(node.id)
                self._started[node.id] = time.perf_counter()
                self.bus.publish(
                    NodeStarted(
                        self.run_id, node_id=node.id, node_name=node.name, placement=rep.placement
                    )
                )

    def progress(self, node: Node, rows: int, seconds: float) -> None:
        self.bus.publish(
            NodeProgress(
                self.run_id, node_id=node.id, node_name=node.name, rows=rows, seconds=seconds
            )
        )

    def finish_stage(self, stage: Stage, remaining: list[Stage], rows: _StageRows) -> None:
        still_needed = {n.id for s in remaining for n in s.nodes}
        for node in stage.nodes:
            rep = self._by_id[node.id]
            if node.id in rows.totals:
                rep.rows_in, rep.rows_out = rows.totals[node.id]
            rep.rows_by_port.update(rows.ports.get(node.id, {}))
            if node.id in still_needed or rep.status is not NodeStatus.RUNNING:
                continue
            rep.status = NodeStatus.SUCCEEDED
            rep.seconds = round(time.perf_counter() - self._started[node.id], 4)
            self.bus.publish(
                NodeFinished(
                    self.run_id,
                    node_id=node.id,
                    node_name=node.name,
                    rows_in=rep.rows_in,
                    rows_out=rep.rows_out,
                    seconds=rep.seconds,
                    placement=rep.placement,
                )
            )

    def fail(self, stage: Stage | None, error: str, status: NodeStatus) -> None:
        for rep in self.report.nodes:
            if rep.status is NodeStatus.RUNNING:
                rep.status = status
                started = self._started.get(rep.node_id)
                rep.seconds = round(time.perf_counter() - started, 4) if started else 0.0
                if stage is not None and rep.node_id == stage.destination.id:
                    rep.error = error
                else:
                    rep.error = (
                        error
                        if status is NodeStatus.CANCELLED
                        else (
                            _("did not complete: {destination} failed").format(
                                destination=stage.destination.name if stage else _("run")
                            )
                        )
                    )
            elif rep.status is NodeStatus.PENDING:
                rep.status = NodeStatus.SKIPPED
            else:
                continue
            self.bus.publish(
                NodeFailed(
                    self.run_id,
                    node_id=rep.node_id,
                    node_name=rep.name,
                    error=rep.error or "",
                    status=str(rep.status),
                )
            )

    def fail_at(self, culprit: str, error: str, counted: dict[str, int | None]) -> None:
        """The query of node ``culprit`` failed: it alone is failed; the nodes materialised
        before it (``counted``: rows by node) succeeded; every other node did not run."""
        name = self._by_id[culprit].name
        for rep in self.report.nodes:
            if rep.node_id in counted and rep.status is NodeStatus.RUNNING:
                rep.status, rep.rows_out = NodeStatus.SUCCEEDED, counted[rep.node_id]
                rep.seconds = round(time.perf_counter() - self._started[rep.node_id], 4)
                self.bus.publish(
                    NodeFinished(
                        self.run_id,
                        node_id=rep.node_id,
                        node_name=rep.name,
                        rows_in=rep.rows_in,
                        rows_out=rep.rows_out,
                        seconds=rep.seconds,
                        placement=rep.placement,
                    )
                )
                continue
            if rep.node_id == culprit:
                rep.status, rep.error = NodeStatus.FAILED, error
            elif rep.status in (NodeStatus.RUNNING, NodeStatus.PENDING):
                rep.status = NodeStatus.SKIPPED
                rep.error = _("did not run: {node} failed").format(node=name)
            else:
                continue
            self.bus.publish(
                NodeFailed(
                    self.run_id,
                    node_id=rep.node_id,
                    node_name=rep.name,
                    error=rep.error or "",
                    status=str(rep.status),
                )
            )


class _NodeQueryFailed(Exception):
    """The materialised query of one node failed (a counted run knows which node it was)."""

    def __init__(self, node_id: str, error: duckdb.Error, counted: dict[str, int | None]) -> None:
        super().__init__(str(error))
        self.node_id, self.error, self.counted = node_id, error, counted


def run_pipeline(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    bus: EventBus | None = None,
    cancel: CancelToken | None = None,
    run_id: str | None = None,
    dry_run: bool = False,
    memory_limit: str | None = None,
    count_rows: bool = False,
    previews: Collection[str] = (),
    planned: PlannedRun | None = None,
    execution: str | None = None,
    column_tags: dict[tuple[str, str], dict[str, frozenset[str]]] | None = None,
    plans: PlanWanted = None,
    observe: BatchObserver | None = None,
) -> RunReport:
    """Plan and run ``pipeline``. Raises :class:`CompileError` for an invalid pipeline
    (nothing is run or written); any failure while running is in the returned report.

    ``count_rows`` materialises every node of local stages to count the rows of each output
    port (for the editor's edge labels): exact, but slower than the fused query.
    ``previews``: nodes that are not destinations whose output is computed and counted, not
    written (a partial run, :mod:`app.engine.partial`, up to such a node).
    ``planned``: the plan of :func:`plan_run` for this pipeline, run as it is (its session's
    cancel token is the run's; ``cancel``, ``memory_limit`` and ``previews`` were given to
    :func:`plan_run`); closed when the run ends.
    ``execution``: ``"local"`` runs every node on the local engine (``None``: the pipeline's
    own setting). ``column_tags``: the ports' tagged columns, for ``mask`` rules by tag
    (``app.services.masking.column_tags``). ``plans``: which statements to explain once they
    ran — all (True), none, or those a predicate picks (``RunReport.queries``,
    :mod:`app.engine.statements`). ``observe``: shown each batch a streamed source reads.
    """
    bus = bus or EventBus()
    run = _Run(pipeline, bus, run_id or str(uuid.uuid4()))
    if planned is None:
        planned = plan_run(
            pipeline,
            provider,
            cancel=cancel,
            memory_limit=memory_limit,
            previews=previews,
            execution=execution,
            column_tags=column_tags,
        )
    with planned:
        session, plan = planned.session, planned.plan
        session.progress = run.progress
        session.observe = observe
        run.report.plan = plan.describe()
        for rep in run.report.nodes:
            rep.placement = plan.placement_of(rep.node_id)
            rep.runs_on = plan.runs_on(rep.node_id)
        if dry_run:
            run.report.status = NodeStatus.SUCCEEDED
            return run.report
        started = time.perf_counter()
        bus.publish(
            RunStarted(
                run.run_id, pipeline=pipeline.name, nodes=tuple(n.name for n in pipeline.nodes)
            )
        )
        log = StatementLog(plans)
        _execute(run, plan, session, provider, session.cancel, count_rows, log)
        run.report.seconds = round(time.perf_counter() - started, 4)
        log.explain()
        ran = {n.node_id for n in run.report.nodes if n.status in _RAN}
        run.report.queries = log.reports(plan, ran)
    bus.publish(
        RunFinished(
            run.run_id,
            pipeline=pipeline.name,
            status=str(run.report.status),
            seconds=run.report.seconds,
            error=run.report.error,
        )
    )
    return run.report


def _execute(
    run: _Run,
    plan: ExecutionPlan,
    session: LocalSession,
    provider: ConnectorProvider,
    cancel: CancelToken,
    count_rows: bool,
    log: StatementLog,
) -> None:
    current: Stage | None = None
    try:
        for i, stage in enumerate(plan.stages):
            cancel.check()
            current = stage
            run.start_stage(stage, plan)
            rows = _run_stage(stage, plan, session, provider, count_rows, log)
            run.finish_stage(stage, plan.stages[i + 1 :], rows)
        run.report.status = NodeStatus.SUCCEEDED
    except _NodeQueryFailed as failed:
        if cancel.cancelled:
            run.report.status, run.report.error = NodeStatus.CANCELLED, _("the run was cancelled")
            run.fail(current, run.report.error, NodeStatus.CANCELLED)
            return
        node = run.pipeline.node(failed.node_id)
        message = f"{node.name}: {_one_line(failed.error)}"
        run.report.status, run.report.error = NodeStatus.FAILED, message
        run.fail_at(failed.node_id, message, failed.counted)
    except RunCancelled as err:
        run.report.status, run.report.error = NodeStatus.CANCELLED, str(err)
        run.fail(current, str(err), NodeStatus.CANCELLED)
    except (ConnectionError_, duckdb.Error, OSError, ValueError) as err:
        if cancel.cancelled:
            run.report.status, run.report.error = NodeStatus.CANCELLED, _("the run was cancelled")
            run.fail(current, run.report.error, NodeStatus.CANCELLED)
            return
        message = _one_line(err)
        # the run's error names the destination, once; the destination's own error need not
        prefix = f"{current.destination.name}: " if current is not None else ""
        whole = message if message.startswith(prefix) else prefix + message
        run.report.status, run.report.error = NodeStatus.FAILED, whole
        run.fail(current, message, NodeStatus.FAILED)


#: the states of a node that ran (or began to): their statements are the run's queries
_RAN = frozenset({NodeStatus.SUCCEEDED, NodeStatus.FAILED, NodeStatus.CANCELLED})


@dataclass
class _StageRows:
    totals: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    ports: dict[str, dict[str, int]] = field(default_factory=dict)


def _run_stage(
    stage: Stage,
    plan: ExecutionPlan,
    session: LocalSession,
    provider: ConnectorProvider,
    count_rows: bool,
    log: StatementLog,
) -> _StageRows:
    params = stage.target.params
    rows = _StageRows()
    started = time.perf_counter()
    if stage.placement == "pushdown":
        connector = provider.open(stage.connection)
        result = connector.write_query(
            params.table, stage.query, mode=WriteMode(params.mode), keys=list(params.keys)
        )
        rows.totals[stage.destination.id] = (result.rows, None)
        log.pushdown(stage, connector, time.perf_counter() - started)
        return rows
    local = plan.local_pipeline or plan.pipeline
    ids = {n.id for n in stage.nodes} & {n.id for n in local.nodes}
    session.register_sources(local, ids)
    query = stage.target.query
    if count_rows or stage.preview:
        query, counts = _materialize_each(session, query, stage)
        for cte, count in counts.items():
            node_id, port = stage.ctes[cte]
            rows.ports.setdefault(node_id, {})[port] = count
            if port == "out":
                rows.totals[node_id] = (None, count)
    if stage.preview:
        log.local(stage, session, ids, time.perf_counter() - started)
        return rows
    if stage.row_filter is not None:  # the suppression list's filter
        query = stage.row_filter.wrap(query)
    try:
        result = session.write(stage.destination, params, query)
    except (ConnectionError_, duckdb.Error, OSError, ValueError) as err:
        if not count_rows:  # a counted run materialised each node already: the write failed
            _blame(session, stage, local, ids, err)
        raise
    log.local(stage, session, ids, time.perf_counter() - started)
    rows.totals[stage.destination.id] = (result.rows, None)
    for nid in ids:
        if nid in session.streamed:
            rows.totals[nid] = (None, session.streamed[nid].rows)
    return rows


def _blame(
    session: LocalSession, stage: Stage, pipeline: Pipeline, ids: set[str], error: Exception
) -> None:
    """The fused query of a local stage failed: find the node whose part of it fails.

    Only on this failure path (a successful run pays nothing): the sources are read again
    and the stage's CTEs run one at a time as a counted run does, and the first that fails
    raises :class:`_NodeQueryFailed` naming its node. When every CTE runs, the write itself
    failed and the caller re-raises ``error``, blamed on the destination as before. The
    connectors wrap the engine's error while writing (``warehouse: writing 't' failed:
    Conversion Error…``), so any failure of the write is looked into.
    """
    if isinstance(error, duckdb.InterruptException | RunCancelled) or session.cancel.cancelled:
        return
    try:
        session.register_sources(pipeline, ids)
        _materialize_each(session, stage.target.query, stage)
    except _NodeQueryFailed:
        raise
    except Exception:  # noqa: BLE001 - the diagnosis failing keeps the original error
        return


def _materialize_each(
    session: LocalSession, query: exp.Select, stage: Stage
) -> tuple[exp.Select, dict[str, int]]:
    """:meth:`LocalSession.materialize`, one CTE at a time, so that a failure names its node.

    Each CTE reads the temp tables of the ones before it, so materialising them one by one
    runs exactly what materialising them together does.
    """
    counts: dict[str, int] = {}
    with_ = query.args.get("with_")
    for cte in with_.expressions if with_ else []:
        one = exp.select("*").from_(exp.to_identifier(cte.alias, quoted=True))
        one.set("with_", exp.With(expressions=[cte.copy()]))
        try:
            counts.update(session.materialize(one)[1])
        except duckdb.Error as err:
            done: dict[str, int | None] = {}
            for alias, count in counts.items():
                node_id, port = stage.ctes[alias]
                if port == "out" or node_id not in done:
                    done[node_id] = count if port == "out" else done.get(node_id)
            culprit = stage.ctes[cte.alias][0]
            done.pop(culprit, None)
            raise _NodeQueryFailed(culprit, err, done) from err
    final = query.copy()
    final.set("with_", None)
    return final, counts


def _one_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0] if len(text) > 500 else text
