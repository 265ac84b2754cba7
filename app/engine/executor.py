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

import time
import uuid
from collections.abc import Callable, Collection

import duckdb
from sqlglot import exp

from app.connectors.base import ConnectionError_, WriteMode
from app.engine import plan_cache
from app.engine.local import BatchObserver, CancelToken, LocalSession, RunCancelled
from app.engine.plan import (
    ExecutionPlan,
    PlannedRun,
    Stage,
    plan_run,
)
from app.engine.provider import ConnectorProvider
from app.engine.replay import Replay
from app.engine.run_state import (
    RAN,
    NodeReport,
    NodeStatus,
    RunReport,
    RunState,
    StageRows,
    one_line,
)
from app.engine.statements import PlanWanted, StatementLog
from app.i18n import _
from app.model.events import (
    EventBus,
    RunFinished,
    RunStarted,
)
from app.model.pipeline import Pipeline

__all__ = [
    "NodeReport",
    "NodeStatus",
    "RunReport",
    "run_pipeline",
]


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
    keep: Callable[[Replay], None] | None = None,
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
    ``keep``: given what a successful run executed, when it can be replayed without planning
    (:mod:`app.engine.replay_build`).

    A pipeline is planned once per process: a run that could be replayed is kept in memory
    (:mod:`.plan_cache`), and the next run of the same pipeline with the same connections,
    options and environment, over unchanged input files, replays it instead of planning
    (``planned`` is run as given, and kept; nothing is with ``dry_run``, ``count_rows``,
    ``previews`` or ``observe``).
    """
    bus = bus or EventBus()
    run_id = run_id or str(uuid.uuid4())
    key = None
    if not (dry_run or count_rows or previews or observe) and plan_cache.could_keep(pipeline):
        key = plan_cache.plan_key(
            pipeline,
            provider,
            memory_limit=memory_limit,
            execution=execution,
            column_tags=column_tags,
        )
        replay = plan_cache.kept(key) if planned is None else None
        if replay is not None:
            return _replayed(replay, key, bus, cancel, run_id, plans, keep)
    run = RunState(pipeline, bus, run_id)
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
        started, began = time.perf_counter(), time.time()
        bus.publish(
            RunStarted(
                run.run_id, pipeline=pipeline.name, nodes=tuple(n.name for n in pipeline.nodes)
            )
        )
        log = StatementLog(plans)
        _execute(run, plan, session, provider, session.cancel, count_rows, log)
        run.report.seconds = round(time.perf_counter() - started, 4)
        log.explain()
        ran = {n.node_id for n in run.report.nodes if n.status in RAN}
        run.report.queries = log.reports(plan, ran)
        if (keep is not None or key is not None) and run.report.ok:
            from app.engine.replay_build import replay_of

            kept = replay_of(pipeline, plan, session, provider, run.report, started=began)
            if kept is not None and key is not None:
                plan_cache.keep(key, kept)
            if kept is not None and keep is not None:
                keep(kept)
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


def _replayed(
    replay: Replay,
    key: str,
    bus: EventBus,
    cancel: CancelToken | None,
    run_id: str,
    plans: PlanWanted,
    keep: Callable[[Replay], None] | None,
) -> RunReport:
    """A run of the plan kept under ``key`` (:mod:`.plan_cache`), without planning; a failed
    one is forgotten, so that the next run plans (and finds the failing node)."""
    from app.engine.replay import run_replay

    report = run_replay(replay, bus=bus, cancel=cancel, run_id=run_id, plans=plans)
    if not report.ok:
        plan_cache.forget(key)
    elif keep is not None:
        keep(replay)
    return report


def _execute(
    run: RunState,
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
            run.cancelled(current, _("the run was cancelled"))
            return
        node = run.pipeline.node(failed.node_id)
        message = f"{node.name}: {one_line(failed.error)}"
        run.report.status, run.report.error = NodeStatus.FAILED, message
        run.fail_at(failed.node_id, message, failed.counted)
    except RunCancelled as err:
        run.cancelled(current, str(err))
    except (ConnectionError_, duckdb.Error, OSError, ValueError) as err:
        if cancel.cancelled:
            run.cancelled(current, _("the run was cancelled"))
            return
        run.failed(current, err)


def _run_stage(
    stage: Stage,
    plan: ExecutionPlan,
    session: LocalSession,
    provider: ConnectorProvider,
    count_rows: bool,
    log: StatementLog,
) -> StageRows:
    params = stage.target.params
    rows = StageRows()
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
    # the plan rendered the stage's own query already (the report shows it): not again
    sql = stage.sql if query is stage.target.query and stage.dialect == "duckdb" else None
    try:
        result = session.write(stage.destination, params, query, sql)
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
