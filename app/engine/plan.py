"""Where each part of a pipeline runs: one stage per destination, local or pushed down.

A destination whose sources all live in its own database (the same connection, or one of the
same type with the same settings), when that connector can run SQL
(``capabilities.pushdown``), runs there as one statement (ELT): nothing crosses the network.
Every other destination runs on the local DuckDB engine. The plan shows, per node, where it
runs and the SQL it will run.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlglot.errors import SqlglotError

from app.engine.compiler import (
    CompiledPipeline,
    CompileError,
    DestinationQuery,
    Problem,
    compile_pipeline,
    render,
)
from app.engine.compiler.dialect_fixes import apply_fixes
from app.engine.local import DEFAULT_MEMORY_LIMIT, CancelToken, LocalSession
from app.engine.partial import sub_pipeline
from app.engine.placement import LOCAL_ENGINE, Placement, place_nodes
from app.engine.provider import ConnectorProvider
from app.engine.pushdown import (
    Folded,
    Unpushable,
    compile_pushdown,
    fold_frontier,
    own_sql,
    with_upstream,
)
from app.i18n import _
from app.model.pipeline import Node, Pipeline
from app.nodes.registry import node_registry

__all__ = [
    "ExecutionPlan",
    "PlannedRun",
    "Stage",
    "local_only_problems",
    "plan_pipeline",
    "plan_run",
    "preview_stage",
]

#: a pipeline's tagged columns per output port: (node id, port) -> column -> tags
ColumnTags = dict[tuple[str, str], dict[str, frozenset[str]]]
#: node types only the local engine (DuckDB) can read: a database cannot open the user's files
LOCAL_ONLY = frozenset({"file_source"})


@dataclass(frozen=True)
class Stage:
    destination: Node
    placement: str  # "local" or "pushdown"
    connection: str  # the destination's connection
    dialect: str
    target: DestinationQuery
    nodes: tuple[Node, ...]
    #: CTE name -> (node id, port): which node each CTE of the query computes
    ctes: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: a partial run's node that is not a destination: its output is counted, not written
    preview: bool = False
    #: the suppression list's filter of what this destination writes (local stages only)
    row_filter: Any = None

    @functools.cached_property
    def query(self) -> exp.Query:
        """The stage's query with its dialect's fixes applied (what a pushdown connector
        renders itself: the same SQL as :attr:`sql`)."""
        fixed = apply_fixes(self.target.query, self.dialect)
        assert isinstance(fixed, exp.Query)  # the fixes rewrite inside the query, not its root
        return fixed

    @functools.cached_property
    def sql(self) -> str:
        """The stage's query in its dialect (rendered once: reports and runs share it)."""
        return render(self.target.query, self.dialect)

    def describe(self) -> dict[str, Any]:
        params = self.target.params
        return {
            "destination": self.destination.name,
            "connection": self.connection,
            "placement": "preview" if self.preview else self.placement,
            "runs_on": self.connection if self.placement == "pushdown" else LOCAL_ENGINE,
            "dialect": self.dialect,
            "table": None if self.preview else params.table,
            "mode": "preview" if self.preview else str(params.mode),
            "nodes": [n.name for n in self.nodes],
            "sql": self.sql,
        }


@dataclass
class ExecutionPlan:
    pipeline: Pipeline
    stages: list[Stage] = field(default_factory=list)
    compiled: list[CompiledPipeline] = field(default_factory=list)
    #: where each node runs (:func:`~app.engine.placement.place_nodes`)
    placement: Placement = field(default_factory=Placement)
    #: the pipeline the local engine runs: frontier nodes replaced by scans of their query
    local_pipeline: Pipeline | None = None
    #: node id -> the SQL of its own part, in the dialect of the place it runs in
    node_sql: dict[str, str] = field(default_factory=dict)
    #: frontier node id -> (connection, dialect, the source scan query it became)
    scans: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def placement_of(self, node_id: str) -> str:
        places = {s.placement for s in self.stages if any(n.id == node_id for n in s.nodes)}
        if not places:
            return "unused"
        return "pushdown" if self.placement.runs_on(node_id) else "+".join(sorted(places))

    def runs_on(self, node_id: str) -> str:
        """The connection ``node_id`` runs in, or :data:`LOCAL_ENGINE`."""
        return self.placement.runs_on(node_id) or LOCAL_ENGINE

    def sql_of(self, node_id: str) -> str | None:
        """The SQL ``node_id`` runs: its scan query when folded, else its own part."""
        scan = self.scans.get(node_id)
        return scan[2] if scan else self.node_sql.get(node_id)

    def describe(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline.name,
            "stages": [s.describe() for s in self.stages],
            "nodes": [
                {
                    "id": n.id,
                    "name": n.name,
                    "type": n.type,
                    "placement": self.placement_of(n.id),
                    "runs_on": self.runs_on(n.id),
                    "folded": n.id in self.scans,
                    "sql": self.sql_of(n.id),
                }
                for n in self.pipeline.topological_order()
            ],
        }


def preview_stage(node: Node, compiled: CompiledPipeline) -> Stage:
    """A local stage that computes and counts ``node``'s first output, writing nothing (a
    partial run up to a node that is not a destination)."""
    port = next(p for (nid, p) in compiled.state.outputs if nid == node.id)
    upstream = frozenset(compiled.state.upstream_of(node.id))
    target = DestinationQuery(
        node=node,
        params=None,
        query=compiled.query(node.id, port),
        schema=compiled.state.outputs[(node.id, port)].schema,
        upstream=upstream,
    )
    nodes = tuple(
        n for n in compiled.pipeline.topological_order() if n.id in upstream or n.id == node.id
    )
    ctes = {name: key for key, name in compiled.state.cte_names.items()}
    return Stage(node, "local", "", "duckdb", target, nodes, ctes, preview=True)


def local_only_problems(compiled: CompiledPipeline, dialect: str) -> list[Problem]:
    """Nodes of ``compiled``'s destinations that only the local engine can run, as problems,
    when the SQL is wanted in another ``dialect`` (``cauce compile --dialect postgres`` of a
    pipeline reading a file): such SQL would parse there and never run.

    A run places these nodes on the local engine (:mod:`app.engine.placement`).
    """
    if dialect == "duckdb":
        return []
    problems = []
    seen: set[str] = set()
    for dest in compiled.destinations:
        for node_id in sorted(dest.upstream - seen):
            node = compiled.pipeline.node(node_id)
            if node.type in LOCAL_ONLY:
                seen.add(node_id)
                problems.append(
                    Problem(
                        _(
                            "files run on the local engine: {dialect} cannot read "
                            "this file, so the "
                            "SQL of destination {destination!r} exists only for "
                            "duckdb (compile with "
                            "--dialect duckdb)"
                        ).format(dialect=dialect, destination=dest.node.name),
                        node.id,
                        node.name,
                    )
                )
    return problems


# -- planning a run --------------------------------------------------------------------------
def _destinations(pipeline: Pipeline) -> list[Node]:
    registry = node_registry()
    return [
        n
        for n in pipeline.topological_order()
        if n.type in registry and registry.get(n.type).is_destination
    ]


def plan_pipeline(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    session: LocalSession | None,
    previews: Collection[str] = (),
    *,
    execution: str | None = None,
    column_tags: ColumnTags | None = None,
) -> ExecutionPlan:
    """Compile ``pipeline`` for the places its nodes will run; raise on any problem.

    ``previews``: nodes (not destinations) whose output a partial run counts without writing.
    ``execution``: ``"local"`` runs everything on the local engine; ``None`` follows the
    pipeline's own setting (:attr:`Pipeline.execution`).
    ``column_tags``: the ports' tagged columns (``app.services.masking.column_tags``).
    """
    plan = ExecutionPlan(pipeline)
    destinations = _destinations(pipeline)
    counted = [
        n for n in pipeline.topological_order() if n.id in previews and n not in destinations
    ]
    if not destinations and not counted:
        # still validate, so that a broken graph without destinations is reported
        compile_pipeline(
            pipeline, binder=session.binder() if session else None
        ).raise_for_problems()
        raise CompileError([_no_destination()])
    mode = execution or pipeline.execution
    filters = _row_filters(pipeline, destinations, column_tags)
    placement, pushed, folded = _settle(
        pipeline, provider, mode, {n.id for n in counted} | set(filters)
    )
    plan.placement, plan.local_pipeline = placement, folded.pipeline
    plan.node_sql.update(folded.node_sql)
    plan.scans.update(folded.scans)
    local = None
    if counted or any(d.id not in placement.pushed for d in destinations):
        if session is None:
            raise ValueError(_("a local session is needed to plan local stages"))
        # destinations are attached read-write only when written: planning creates nothing
        local = compile_pipeline(
            folded.pipeline, binder=session.binder(), column_tags=column_tags
        ).raise_for_problems()
        plan.compiled.append(local)
        for node_id, sql in own_sql(local, "duckdb").items():
            plan.node_sql.setdefault(node_id, sql)
    for group in sorted(pushed):
        plan.compiled.append(pushed[group][0])
        plan.node_sql.update(own_sql(*pushed[group]))
    for dest in destinations:
        conn = placement.pushed.get(dest.id)
        if conn is None:
            assert local is not None
            compiled, dialect = local, "duckdb"
        else:
            compiled, dialect = pushed[conn]
        target = next(d for d in compiled.destinations if d.node.id == dest.id)
        upstream = pipeline.upstream(dest.id)
        nodes = tuple(n for n in pipeline.topological_order() if n.id in upstream or n == dest)
        ctes = {name: key for key, name in compiled.state.cte_names.items()}
        stage = Stage(
            dest,
            "local" if conn is None else "pushdown",
            dest.params["connection"],
            dialect,
            target,
            nodes,
            ctes,
            row_filter=filters.get(dest.id),
        )
        plan.stages.append(stage)
        plan.node_sql[dest.id] = stage.sql
    plan.stages.extend(preview_stage(node, local) for node in counted if local is not None)
    return plan


def _row_filters(
    pipeline: Pipeline, destinations: list[Node], column_tags: ColumnTags | None
) -> dict[str, Any]:
    """Destination id -> the suppression list's filter of what it writes. Such destinations
    run on the local engine, which alone holds the key (:mod:`app.engine.privacy.suppress_stage`,
    loaded only by a run whose project suppresses someone)."""
    found = sys.modules.get("app.engine.privacy.suppress_stage")
    if found is None:
        return {}
    out = {}
    for dest in destinations:
        row_filter = found.stage_filter(dest, pipeline, column_tags)
        if row_filter is not None:
            out[dest.id] = row_filter
    return out


def _settle(
    pipeline: Pipeline, provider: ConnectorProvider, mode: str, counted: set[str]
) -> tuple[Placement, dict[str, tuple[CompiledPipeline, str]], Folded]:
    """Place the nodes, compile what the databases run, and move to the local engine every
    node whose SQL a dialect cannot express (then place again), until all of it renders."""
    demoted = frozenset(counted)
    while True:
        placement = place_nodes(pipeline, provider, execution=mode, demoted=demoted)
        try:
            pushed = _compile_pushed(pipeline, placement, provider)
            return placement, pushed, fold_frontier(pipeline, placement, provider)
        except Unpushable as err:
            demoted |= {err.node_id}


def _compile_pushed(
    pipeline: Pipeline, placement: Placement, provider: ConnectorProvider
) -> dict[str, tuple[CompiledPipeline, str]]:
    """Per connection, the pushed destinations' sub-pipeline compiled in its dialect."""
    result = {}
    for conn in sorted(set(placement.pushed.values())):
        dests = [d for d, c in placement.pushed.items() if c == conn]
        part = sub_pipeline(pipeline, with_upstream(pipeline, dests))
        compiled = compile_pushdown(part, conn, provider).raise_for_problems()
        dialect = placement.places[dests[0]].dialect
        for target in compiled.destinations:
            try:
                render(target.query, dialect)
            except SqlglotError as err:
                raise Unpushable(target.node.id, str(err)) from None
        result[conn] = (compiled, dialect)
    return result


def _no_destination() -> Problem:
    return Problem("the pipeline has no destination: add one to run it")


@dataclass
class PlannedRun:
    """A pipeline planned in the local session that will run it (see :func:`plan_run`).

    Closing it closes the session; :func:`run_pipeline` closes it when the run ends.
    """

    session: LocalSession
    plan: ExecutionPlan
    closed: bool = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.session.close()

    def __enter__(self) -> PlannedRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def plan_run(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    cancel: CancelToken | None = None,
    memory_limit: str | None = None,
    previews: Collection[str] = (),
    execution: str | None = None,
    column_tags: ColumnTags | None = None,
) -> PlannedRun:
    """Plan ``pipeline`` in a new local session, kept open to run that plan: a run planned
    ahead (to validate a project before running any of it) is not planned again. Raises
    :class:`CompileError` for an invalid pipeline (the session is closed then)."""
    session = LocalSession(
        provider, cancel=cancel or CancelToken(), memory_limit=memory_limit or DEFAULT_MEMORY_LIMIT
    )
    try:
        return PlannedRun(
            session,
            plan_pipeline(
                pipeline, provider, session, previews, execution=execution, column_tags=column_tags
            ),
        )
    except BaseException:
        session.close()
        raise
