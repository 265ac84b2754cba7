"""Where each part of a pipeline runs: one stage per destination, local or pushed down.

A destination whose sources all live in its own database (the same connection, or one of the
same type with the same settings), when that connector can run SQL
(``capabilities.pushdown``), runs there as one statement (ELT): nothing crosses the network.
Every other destination runs on the local DuckDB engine. The plan shows, per node, where it
runs and the SQL it will run.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from app.engine.compiler import (
    CompiledPipeline,
    CompileError,
    DestinationQuery,
    Problem,
    compile_pipeline,
    render,
)
from app.engine.compiler.binders import declared_schema, table_binder
from app.engine.compiler.dialect_fixes import apply_fixes
from app.engine.local import DEFAULT_MEMORY_LIMIT, CancelToken, LocalSession
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.model.connection import Connection
from app.model.pipeline import Node, Pipeline
from app.nodes.base import NodeError
from app.nodes.registry import node_registry

__all__ = [
    "ExecutionPlan",
    "PlannedRun",
    "Stage",
    "local_only_problems",
    "plan_pipeline",
    "plan_run",
    "preview_stage",
    "pushdown_connection",
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
            "runs_on": self.connection if self.placement == "pushdown" else "local DuckDB",
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

    def placement_of(self, node_id: str) -> str:
        places = {s.placement for s in self.stages if any(n.id == node_id for n in s.nodes)}
        return "+".join(sorted(places)) or "unused"

    def describe(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline.name,
            "stages": [s.describe() for s in self.stages],
            "nodes": [
                {"name": n.name, "type": n.type, "placement": self.placement_of(n.id)}
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


def pushdown_connection(pipeline: Pipeline, dest: Node, provider: ConnectorProvider) -> str | None:
    """The connection a destination's whole stage can run in, or ``None`` to run locally."""
    conn_name = dest.params.get("connection")
    if not conn_name:
        return None
    try:
        connection = provider.connection(conn_name)
        capabilities = _capabilities(connection.type)
    except KeyError:
        return None
    if capabilities is None or not capabilities.pushdown:
        return None
    for node_id in pipeline.upstream(dest.id):
        node = pipeline.node(node_id)
        if node.type in LOCAL_ONLY:
            return None
        if node.type == "mask" and not _mask_pushable(node, capabilities.dialect):
            return None  # a key the database has not, or SQL it cannot run: local engine
        if node.type == "source" and not _same_place(
            provider, node.params.get("connection"), connection
        ):
            return None
    return conn_name


def _mask_pushable(node: Node, dialect: str) -> bool:
    from app.engine.privacy.methods import rules_pushable

    return rules_pushable(node.params.get("rules") or (), dialect)


def _same_place(provider: ConnectorProvider, name: object, target: Connection) -> bool:
    """Two connections reach the same database: one name, or one type with equal settings."""
    if name == target.name:
        return True
    try:
        other = provider.connection(str(name))
    except KeyError:
        return False
    return other.type == target.type and other.params == target.params


def _capabilities(type_name: str):  # type: ignore[no-untyped-def]
    from app.connectors.registry import connector_registry

    return connector_registry().get(type_name).capabilities


def compile_pushdown(
    pipeline: Pipeline,
    connection: str,
    provider: ConnectorProvider,
    column_tags: ColumnTags | None = None,
) -> CompiledPipeline:
    """Compile with sources bound to their own tables in ``connection``'s dialect
    (``column_tags``: the ports' tagged columns, for ``mask`` rules by tag)."""
    connector = provider.open(connection)
    dialect = connector.capabilities.dialect

    def schema_of(node: Node, params: Any):  # type: ignore[no-untyped-def]
        declared = declared_schema(params)
        if declared is not None:
            return declared
        try:
            return (
                connector.table_schema(params.table)
                if params.table
                else connector.query_schema(params.query)
            )
        except Exception as err:  # noqa: BLE001 - becomes a problem naming the node
            raise NodeError(
                _("cannot read the source: {detail}").format(detail=err),
                node_id=node.id,
                node_name=node.name,
            ) from None

    return compile_pipeline(
        pipeline,
        binder=table_binder(schema_of, source_dialect=dialect),
        column_tags=column_tags,
    )


def local_only_problems(compiled: CompiledPipeline, dialect: str) -> list[Problem]:
    """Nodes of ``compiled``'s destinations that only the local engine can run, as problems,
    when the SQL is wanted in another ``dialect`` (``cauce compile --dialect postgres`` of a
    pipeline reading a file): such SQL would parse there and never run.

    A run places these stages on the local engine (:func:`pushdown_connection`).
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
    column_tags: ColumnTags | None = None,
) -> ExecutionPlan:
    """Compile ``pipeline`` for the places its destinations will run; raise on any problem.

    ``previews``: nodes (not destinations) whose output a partial run counts without writing.
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
    placement = {d.id: pushdown_connection(pipeline, d, provider) for d in destinations}
    local = None
    if counted or any(c is None for c in placement.values()):
        if session is None:
            raise ValueError(_("a local session is needed to plan local stages"))
        # destinations are attached read-write only when written: planning creates nothing
        local = compile_pipeline(
            pipeline, binder=session.binder(), column_tags=column_tags
        ).raise_for_problems()
        plan.compiled.append(local)
    pushed = {}
    for pushdown in sorted({c for c in placement.values() if c is not None}):
        pushed[pushdown] = compile_pushdown(
            pipeline, pushdown, provider, column_tags
        ).raise_for_problems()
        plan.compiled.append(pushed[pushdown])
    for dest in destinations:
        conn = placement[dest.id]
        compiled = local if conn is None else pushed[conn]
        assert compiled is not None
        target = next(d for d in compiled.destinations if d.node.id == dest.id)
        nodes = tuple(
            n for n in pipeline.topological_order() if n.id in target.upstream or n.id == dest.id
        )
        dialect = "duckdb" if conn is None else provider.open(conn).capabilities.dialect
        ctes = {name: key for key, name in compiled.state.cte_names.items()}
        plan.stages.append(
            Stage(
                dest,
                "local" if conn is None else "pushdown",
                dest.params["connection"],
                dialect,
                target,
                nodes,
                ctes,
            )
        )
    plan.stages.extend(preview_stage(node, local) for node in counted if local is not None)
    return plan


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
            session, plan_pipeline(pipeline, provider, session, previews, column_tags)
        )
    except BaseException:
        session.close()
        raise
