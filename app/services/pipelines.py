"""Pipelines: compile to SQL, check, and explain (problems, schemas, column lineage).

:func:`compile_project` serves the CLI's ``compile`` (the SQL of each destination, in any
dialect); :func:`compile_for_editor` the editor's problems and schemas; :func:`node_sql` and
:func:`column_lineage` its SQL view and lineage dialog. Nothing here writes anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from app.engine.compiler import (
    COMPILE_TARGETS,
    CompiledPipeline,
    CompileError,
    Problem,
    compile_pipeline,
    render,
)
from app.engine.compiler.binders import declared_schema, describe_file, file_scan, table_binder
from app.engine.lineage import LineageStep, trace_column
from app.engine.local import LocalSession
from app.engine.placement import LOCAL_ENGINE, place_nodes
from app.engine.plan import ExecutionPlan, local_only_problems, plan_pipeline
from app.engine.provider import ConnectorProvider
from app.engine.pushdown import compile_pushdown
from app.engine.sql_policy import function_names
from app.i18n import _
from app.model.pipeline import GraphError, Pipeline
from app.nodes.registry import node_registry
from app.services.connections import project_provider
from app.services.projects import EditorDocument, document_connections, select_pipelines
from app.services.secrets import secret_lookup
from app.services.trust import require_trust
from app.storage.project import ProjectError, load_project

__all__ = [
    "column_lineage",
    "compile_dialects",
    "compile_for_editor",
    "compile_project",
    "EditorCompilation",
    "EditorPlan",
    "expression_functions",
    "LineageStep",
    "node_sql",
    "PlannedNode",
    "PlannedStage",
    "Problem",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedNode:
    """Where one node will run: ``runs_on`` is a connection's name or :data:`LOCAL_ENGINE`."""

    name: str
    runs_on: str
    #: the SQL dialect of that place (``duckdb`` on the local engine)
    dialect: str
    #: its query became a source's scan query, run in the source database (the split case)
    folded: bool = False
    #: the SQL it runs there (a folded node's whole scan query); ``None`` when not planned
    sql: str | None = None

    @property
    def local(self) -> bool:
        return self.runs_on == LOCAL_ENGINE


@dataclass(frozen=True)
class PlannedStage:
    """One statement of the run: a destination, the place it runs in and its full SQL."""

    destination_id: str
    destination: str
    #: the destination's connection (where the rows are written)
    connection: str
    #: where the statement runs: the connection (whole-graph pushdown) or the local engine
    runs_on: str
    dialect: str
    table: str | None
    mode: str
    sql: str


@dataclass
class EditorPlan:
    """Where each node of the pipeline will run, as a run would place it (before any run)."""

    pipeline_id: str
    execution: str
    nodes: dict[str, PlannedNode] = field(default_factory=dict)
    stages: list[PlannedStage] = field(default_factory=list)

    def runs_on(self, node_id: str) -> str | None:
        node = self.nodes.get(node_id)
        return node.runs_on if node else None

    @property
    def scans(self) -> list[tuple[str, PlannedNode]]:
        """The folded nodes (id, node): each one's query runs in its source database and only
        its result reaches the local engine (the split case)."""
        return [(nid, n) for nid, n in self.nodes.items() if n.folded]


@dataclass
class EditorCompilation:
    """What the editor shows after a compile: problems per node and schemas per port."""

    problems: list[Problem]
    schemas: dict[tuple[str, str], pa.Schema]
    inputs: dict[str, dict[str, pa.Schema]]
    #: where each node will run; ``None`` while the pipeline has errors or no destination
    plan: EditorPlan | None = None

    def problems_of(self, node_id: str) -> list[Problem]:
        return [p for p in self.problems if p.node_id == node_id]

    def input_columns(self, node_id: str, port: str | None = None) -> list[str]:
        """Column names reaching ``node_id`` (on ``port``, or on every input port)."""
        ports = self.inputs.get(node_id, {})
        names: list[str] = []
        for name, schema in ports.items():
            if port is None or name == port:
                names.extend(f.name for f in schema if f.name not in names)
        return names


def compile_document(
    doc: EditorDocument, pipeline: Pipeline, session: LocalSession, provider: ConnectorProvider
) -> CompiledPipeline:
    """Sources described through their connections; an untrusted project's only by what it
    declares (nothing is contacted, nor read). The project's column tags follow lineage
    (:func:`app.services.masking.tagged_compile`): ``mask`` rules by tag find their columns,
    and ``compiled.state.column_tags`` says which columns a preview shows masked."""
    binder = (
        session.binder() if doc.trusted else table_binder(None, expand_path=provider.expand_path)
    )

    def compile_with(tags):  # type: ignore[no-untyped-def]
        return compile_pipeline(pipeline, binder=binder, column_tags=tags)

    tag_map = _tag_map(doc)
    if not tag_map:
        return compile_with(None)
    from app.services.masking import tagged_compile

    compiled, _tags = tagged_compile(compile_with, tag_map)
    return compiled


def _tag_map(doc: EditorDocument):  # type: ignore[no-untyped-def]
    """The document's column tags (none for a project never recorded in the metadata DB)."""
    from app.services.masking import project_tag_map

    return project_tag_map(doc.workspace, doc.name)


def compile_for_editor(doc: EditorDocument, pipeline: Pipeline) -> EditorCompilation:
    """Compile with the local engine's binder (sources described through their connections)."""
    with document_connections(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = compile_document(doc, pipeline, session, provider)
        problems = list(compiled.problems) + list(compiled.warnings)
        if not doc.trusted:  # why its sources' columns are unknown, first in the list
            problems.insert(
                0,
                Problem(
                    _(
                        "this project comes from elsewhere and is not trusted yet: its sources are "
                        "read once you trust it (Run or Preview asks)"
                    ),
                    severity="warning",
                ),
            )
        schemas = {key: out.schema for key, out in compiled.state.outputs.items()}
        inputs = {n.id: compiled.input_schemas(n.id) for n in pipeline.nodes}
        errors = any(p.severity == "error" for p in problems)
        plan = None if errors else _editor_plan(doc, pipeline, provider, session)
    return EditorCompilation(problems, schemas, inputs, plan)


def _editor_plan(
    doc: EditorDocument, pipeline: Pipeline, provider: ConnectorProvider, session: LocalSession
) -> EditorPlan | None:
    """The run's plan, as :func:`~app.engine.plan.plan_pipeline` makes it (no row is read); an
    untrusted project's placement only (planning describes the sources through their
    connections), without SQL."""
    if not doc.trusted:
        placement = place_nodes(pipeline, provider, execution=pipeline.execution)
        return EditorPlan(
            pipeline.id,
            pipeline.execution,
            {
                n.id: PlannedNode(
                    n.name,
                    placement.runs_on(n.id) or LOCAL_ENGINE,
                    place.dialect if (place := placement.places.get(n.id)) else "duckdb",
                )
                for n in pipeline.nodes
            },
        )
    try:
        plan = plan_pipeline(pipeline, provider, session)
    except CompileError:
        return None  # e.g. no destination yet: nothing will run
    except Exception:  # noqa: BLE001 - a plan that cannot be made must not fail the check
        log.info("no plan for %s", pipeline.name, exc_info=True)
        return None
    return _plan_for_editor(plan)


def _plan_for_editor(plan: ExecutionPlan) -> EditorPlan:
    nodes = {}
    for node in plan.pipeline.nodes:
        place = plan.placement.places.get(node.id)
        scan = plan.scans.get(node.id)
        nodes[node.id] = PlannedNode(
            node.name,
            plan.runs_on(node.id),
            scan[1] if scan else place.dialect if place else "duckdb",
            folded=scan is not None,
            sql=plan.sql_of(node.id),
        )
    stages = [
        PlannedStage(
            stage.destination.id,
            stage.destination.name,
            stage.connection,
            stage.connection if stage.placement == "pushdown" else LOCAL_ENGINE,
            stage.dialect,
            stage.target.params.table if stage.target.params else None,
            str(stage.target.params.mode) if stage.target.params else "preview",
            stage.sql,
        )
        for stage in plan.stages
    ]
    return EditorPlan(plan.pipeline.id, plan.pipeline.execution, nodes, stages)


def data_port(pipeline: Pipeline, node_id: str, port: str | None) -> tuple[str, str]:
    """The (node, output port) whose data a node shows; a destination shows its input."""
    node = pipeline.node(node_id)
    component = node_registry().get(node.type)
    if component.outputs:
        return node_id, port or component.outputs[0].name
    incoming = pipeline.incoming(node_id)
    if not incoming:
        raise GraphError(
            _("{node} has no output and nothing connected to it").format(node=node.name), node_id
        )
    return incoming[0].source.node, incoming[0].source.port


def node_sql(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    *,
    port: str | None = None,
    dialect: str = "duckdb",
) -> str:
    """The SQL (with every upstream CTE) for the data at one node, in ``dialect``."""
    with document_connections(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = compile_document(doc, pipeline, session, provider)
        key = data_port(pipeline, node_id, port)
        if key not in compiled.state.outputs:
            compiled.raise_for_problems()
            raise GraphError(_("this node has no compiled output yet"), node_id)
        return compiled.sql(key[0], key[1], dialect)


def column_lineage(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    column: str,
    *,
    port: str = "out",
    incoming: bool = False,
) -> LineageStep:
    """Where ``column`` of a node's output ``port`` comes from, node by node, down to the
    sources (``incoming``: of its input ``port``, i.e. the output linked to it). Compiles the
    pipeline with the sources described through their connections: call it off the GUI thread.

    Raises:
        GraphError: the input is not connected, or the node's output is not compiled.
        KeyError: no such column.
    """
    if incoming:
        edge = next((e for e in pipeline.incoming(node_id) if e.target.port == port), None)
        if edge is None:
            raise GraphError(_("input {port!r} is not connected").format(port=port), node_id)
        node_id, port = edge.source.node, edge.source.port
    with document_connections(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = compile_document(doc, pipeline, session, provider)
    if (node_id, port) not in compiled.state.outputs:
        compiled.raise_for_problems()
        raise GraphError(_("this node has no compiled output yet"), node_id)
    return trace_column(compiled, node_id, column, port)


def expression_functions() -> list[str]:
    """The SQL functions an expression may call, sorted (for completion in the editor).
    Asks DuckDB once per process: call it off the GUI thread."""
    return list(function_names())


def compile_project(
    path: Path,
    pipeline_name: str,
    *,
    dialect: str,
    offline: bool = False,
    trust: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """The SQL of each destination of a pipeline, rendered in ``dialect``.

    Sources are bound to their own table names (the shape of a pushdown query). Their columns
    come from the declared ``columns`` or, unless ``offline``, from the connection (a file
    source's from the file). SQL that could not run in ``dialect`` (a file scan outside
    DuckDB) is a problem naming the node, never printed. Warnings (a declared type narrower
    than its value, a sort whose order is lost) go to ``on_warning``.
    """
    broken: dict[str, ProjectError] = {}
    with load_project(path, broken=broken) as opened:
        if not offline:  # reaching the connections is running the project a little
            require_trust(opened, trust=trust)
        project = opened.project
        [pipeline] = select_pipelines(project, [pipeline_name], broken)
        with project_provider(
            project.connections,
            project_dir=opened.root,
            secrets=secret_lookup(project.meta.name),
            variables=project.meta.variables,
        ) as provider:
            if offline:
                compiled = compile_pipeline(
                    pipeline, binder=table_binder(None, expand_path=provider.expand_path)
                )
            else:
                compiled = _compile_with_connections(pipeline, provider)
        compiled.raise_for_problems()
        if not compiled.destinations:
            raise CompileError([Problem(_("the pipeline has no destination"))])
        if on_warning is not None:
            for warning in compiled.warnings:
                on_warning(str(warning))
        local_only = local_only_problems(compiled, dialect)
        if local_only:
            raise CompileError(local_only)
        return {d.node.name: render(d.query, dialect) for d in compiled.destinations}


def _compile_with_connections(pipeline: Pipeline, provider):  # type: ignore[no-untyped-def]
    def schema_of(node, params):  # type: ignore[no-untyped-def]
        declared = declared_schema(params)
        if declared is not None:
            return declared
        if node.type == "file_source":  # no connection: DuckDB reads the file's header
            return describe_file(file_scan(params, str(provider.expand_path(params.path))), node)
        connector = provider.open(params.connection)
        return (
            connector.table_schema(params.table)
            if params.table
            else connector.query_schema(params.query)
        )

    sources = {n.params.get("connection") for n in pipeline.nodes if n.type == "source"}
    files = any(n.type == "file_source" for n in pipeline.nodes)
    if len(sources) == 1 and not files:
        [only] = sources
        if isinstance(only, str):
            return compile_pushdown(pipeline, only, provider)
    return compile_pipeline(
        pipeline, binder=table_binder(schema_of, expand_path=provider.expand_path)
    )


def compile_dialects() -> list[str]:
    """Every SQL dialect a pipeline compiles to, sorted: those the connectors speak, plus the
    warehouses the compiler targets before a connector reaches them (imports every connector).

    >>> {"duckdb", "postgres", "tsql", "snowflake"} <= set(compile_dialects())
    True
    """
    from app.connectors.registry import connector_dialects

    return sorted({*connector_dialects(), *COMPILE_TARGETS})
