"""Checks declared on a pipeline's node that is not a destination (a join's or an
aggregate's output): run after the pipeline runs, or on demand (``cauce checks run``).

A pipeline run writes its destinations with one fused query per destination, in which the
other nodes are CTEs: their outputs are never kept. So the checked nodes' outputs are
computed again, after the run, each into a temporary table of a local DuckDB session over
the run's connections (as ``cauce profile --node`` computes a node's output: spilling to disk
past the memory limit, never into Python), and the checks run over that table before the
session closes. Only counts and bounded samples come back; sample values of the columns whose
personal-data tags reached the node (lineage of ``cauce tags``) are stored masked.

The results are stored per run like a table's (``quality_check_results``): the connection is
``pipeline.node``, as a stored profile of a node names it, and the table is the same
``pipeline.node``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from app.i18n import _
from app.model.events import CheckFinished, Event
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.engine.compiler import CompiledPipeline
    from app.engine.local import LocalSession
    from app.engine.provider import ConnectorProvider
    from app.engine.quality import CheckResult
    from app.model.cancel import CancelToken
    from app.model.pipeline import Pipeline
    from app.services.quality import CheckOutcome
    from app.services.workspace import Workspace

__all__ = ["CHECKED_NODE_TABLE", "check_pipeline_nodes", "node_checks"]

#: the temporary table a checked node's output is computed into on the local engine
CHECKED_NODE_TABLE = "cauce_checked_node"


def node_checks(checks: Iterable[CheckSpec], pipeline: str) -> list[CheckSpec]:
    """The checks of ``checks`` declared on nodes of ``pipeline``."""
    return [c for c in checks if c.node is not None and c.pipeline == pipeline]


def check_pipeline_nodes(
    project_name: str,
    checks: Iterable[CheckSpec],
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    workspace: Workspace,
    run_id: int | None = None,
    publish: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
) -> CheckOutcome:
    """Run the checks declared on nodes of ``pipeline`` over the nodes' outputs and store each
    result; publish a :class:`CheckFinished` for each one that did not pass. A check naming
    a node the pipeline does not have is an ``error`` result.

    Raises:
        RunCancelled: ``cancel`` was set while it ran (the results complete so far are stored).
    """
    from app.engine.compiler import compile_pipeline
    from app.engine.local import LocalSession
    from app.model.cancel import CancelToken
    from app.services.quality import CheckOutcome
    from app.storage.quality import QualityStore

    outcome = CheckOutcome()
    chosen = node_checks(checks, pipeline.name)
    if not chosen:
        return outcome
    cancel = cancel or CancelToken()
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project_name)
    by_node: dict[str, list[CheckSpec]] = {}
    for spec in chosen:
        by_node.setdefault(str(spec.node), []).append(spec)
    tags = _port_tags(workspace, project_name, pipeline, provider)
    with (
        workspace.open_store(QualityStore) as store,
        LocalSession(provider, cancel=cancel) as session,
    ):
        compiled = compile_pipeline(pipeline, binder=session.binder(), column_tags=tags or None)

        def keep(result: CheckResult) -> None:
            record = {**result.to_dict(), "description": result.check.describe()}
            record["check_spec"] = result.check.model_dump(mode="json")
            batch = batches.setdefault(result.check.target, str(uuid.uuid4()))
            store.store_check_result(project_id, batch, result.check.target, record, run_id=run_id)
            outcome.results.append(result)
            if result.status != "passed" and publish is not None:
                publish(
                    CheckFinished(
                        str(run_id or ""),
                        table=result.check.target,
                        check=result.check.name,
                        status=result.status,
                        failing=result.failing,
                        error=result.error,
                    )
                )

        batches: dict[str, str] = {}
        for node, specs in by_node.items():
            _check_node(pipeline, node, specs, session, compiled, tags, cancel, keep)
    return outcome


def _port_tags(
    workspace: Workspace, project: str, pipeline: Pipeline, provider: ConnectorProvider
) -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """The pipeline's tagged columns per port, followed in a session of their own, as a run
    follows them before it plans (:func:`app.services.run_steps.run_tags`)."""
    from app.services.run_steps import run_tags

    return run_tags(workspace, project, [pipeline], provider).get(pipeline.name, {})


def _check_node(
    pipeline: Pipeline,
    node: str,
    specs: list[CheckSpec],
    session: LocalSession,
    compiled: CompiledPipeline,
    tags: dict[tuple[str, str], dict[str, frozenset[str]]],
    cancel: CancelToken,
    keep: Callable[[CheckResult], None],
) -> None:
    """Compute ``node``'s output into :data:`CHECKED_NODE_TABLE` and run ``specs`` over it."""
    import duckdb
    import pyarrow as pa
    from sqlglot import exp

    from app.connectors.base import ConnectionError_
    from app.engine.compiler import render
    from app.engine.quality import CheckResult, run_checks
    from app.model.cancel import RunCancelled
    from app.model.pipeline import GraphError
    from app.services.pipelines import data_port

    try:
        target = pipeline.node_by_name(node)
        key = data_port(pipeline, target.id, None)
        if key not in compiled.state.outputs:
            raise GraphError(_("this node has no compiled output yet"), target.id)
    except GraphError as err:
        problems = "; ".join(str(p) for p in compiled.problems[:3])
        error = problems or str(err) or _("no node {node!r}").format(node=node)
        for spec in specs:
            keep(CheckResult(spec, "error", error=error))
        return
    create = exp.Create(
        this=exp.Table(this=exp.to_identifier(CHECKED_NODE_TABLE, quoted=True)),
        kind="TABLE",
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        expression=compiled.query(*key),
    )

    def run_sql(sql: str) -> pa.Table:
        cancel.check()
        try:
            return session.con.sql(sql).to_arrow_table()
        except duckdb.InterruptException:
            raise RunCancelled() from None

    try:
        cancel.check()
        session.register_sources(pipeline, pipeline.upstream(key[0]) | {key[0]})
        session.con.execute(render(create, "duckdb", pretty=False))
        columns = run_sql(f'SELECT * FROM "{CHECKED_NODE_TABLE}" LIMIT 0').schema.names
    except (duckdb.Error, RunCancelled, ConnectionError_) as err:
        if cancel.cancelled:
            raise RunCancelled() from None
        for spec in specs:
            keep(CheckResult(spec, "error", error=str(err).splitlines()[0]))
        return
    run_checks(
        run_sql,
        CHECKED_NODE_TABLE,
        "duckdb",
        specs,
        masked=set(tags.get(key, {})),
        on_result=keep,
        cancel=cancel,
        columns=columns,
    )
