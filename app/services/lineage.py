"""Lineage of a project: which pipelines and syncs read and write each table, and, column by
column, where each written column comes from. The use cases behind ``cauce lineage`` and the
dictionary's lineage lists.

Column-level lineage is the compiler's (:func:`app.engine.lineage.trace_column`, sqlglot's
lineage over each node's query): a pipeline is compiled with its sources' columns taken from
the declared ``columns``, else the stored catalog, else (unless ``offline``) the connection
itself. A sync copies columns one to one (renamed where it says so).

>>> SourceColumn("chinook", "Invoice", "Total")
SourceColumn(connection='chinook', table='Invoice', column='Total')
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from app.engine.compiler import CompiledPipeline, compile_pipeline
from app.engine.compiler.binders import describe_file, file_scan, table_binder
from app.engine.lineage import LineageStep, column_tracer
from app.i18n import _
from app.model.pipeline import Node, Pipeline
from app.model.sync import SyncDefinition, SyncDefinitionError
from app.model.types import TypeMismatch, parse_type_name
from app.services.connections import project_provider
from app.services.dictionary_project import (
    ProjectSource,
    catalog_of,
    opened,
    qualified,
    same_table,
    workspace_for,
)
from app.services.lineage_records import (
    ColumnFlow,
    ColumnLineage,
    DestinationLineage,
    PipelineLineage,
    ProjectLineage,
    SourceColumn,
    TableUse,
)
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace
from app.storage.project_format import Project, ProjectError
from app.storage.sync_records import CatalogTable

__all__ = [
    "ColumnFlow",
    "ColumnLineage",
    "DestinationLineage",
    "LineageStep",
    "PipelineLineage",
    "ProjectLineage",
    "SourceColumn",
    "TableUse",
    "pipeline_lineage",
    "project_lineage",
]

SOURCE_TYPES = ("source", "file_source")
DESTINATION_TYPES = ("destination",)


# -- compiling with known columns ------------------------------------------------------------
def _catalog_schema(tables: list[CatalogTable], table: str) -> pa.Schema | None:
    found = [t for t in tables if same_table(qualified(t), table) and t.columns]
    exact = [t for t in found if qualified(t).casefold() == table.casefold()]
    chosen = (exact or found)[:1]
    if not chosen:
        return None
    try:
        return pa.schema([(c.name, parse_type_name(c.canonical_type)) for c in chosen[0].columns])
    except (TypeMismatch, ValueError):
        return None


def _compile(
    project: Project,
    pipeline: Pipeline,
    files_dir: Path,
    catalog: dict[str, list[CatalogTable]],
    *,
    offline: bool,
    workspace: Workspace,
) -> CompiledPipeline:
    """Compile with each source's columns from the catalog, else (unless ``offline``) from its
    connection or file. Never raises for what it cannot know: those are problems."""
    with project_provider(
        project.connections,
        project_dir=files_dir,
        secrets=secret_lookup(project.meta.name, workspace.secrets),
        variables=project.meta.variables,
    ) as provider:

        def schema_of(node: Node, params: Any) -> pa.Schema | None:
            table = getattr(params, "table", None)
            connection = getattr(params, "connection", None)
            if table and connection in catalog:
                known = _catalog_schema(catalog[connection], table)
                if known is not None:
                    return known
            if offline:
                return None
            if node.type == "file_source":
                return describe_file(
                    file_scan(params, str(provider.expand_path(params.path))), node
                )
            connector = provider.open(str(connection))
            if table:
                return connector.table_schema(table)
            return connector.query_schema(params.query)

        return compile_pipeline(
            pipeline, binder=table_binder(schema_of, expand_path=provider.expand_path)
        )


# -- reading the compiled pipeline -----------------------------------------------------------
def _uses(pipeline: Pipeline) -> list[TableUse]:
    out = []
    for node in sorted(pipeline.nodes, key=lambda n: n.name):
        params = node.params
        if node.type in SOURCE_TYPES:
            what = params.get("table") or params.get("query") or params.get("path") or ""
            out.append(
                TableUse(
                    "pipeline",
                    pipeline.name,
                    node.name,
                    "reads",
                    str(params.get("connection") or ""),
                    " ".join(str(what).split()),
                )
            )
        elif node.type in DESTINATION_TYPES and params.get("table"):
            out.append(
                TableUse(
                    "pipeline",
                    pipeline.name,
                    node.name,
                    "writes",
                    str(params.get("connection") or ""),
                    str(params["table"]),
                )
            )
    return out


def _sources(pipeline: Pipeline, step: LineageStep) -> tuple[SourceColumn, ...]:
    found: list[SourceColumn] = []
    for s in step.walk():
        if s.inputs or s.node_type not in SOURCE_TYPES:
            continue
        params = pipeline.node(s.node_id).params
        what = params.get("table") or s.origin
        column = SourceColumn(str(params.get("connection") or ""), str(what), s.column)
        if column not in found:
            found.append(column)
    return tuple(found)


def _chain(step: LineageStep) -> tuple[tuple[str, ...], bool]:
    lines: list[str] = []
    complete = True
    for s in step.walk():
        if not s.traced:
            complete = False
            lines.append(
                _("{node}: {column} (not traced)").format(node=s.node_name, column=s.column)
            )
        elif s.expression:
            lines.append(f"{s.node_name}: {s.column} = {s.expression}")
    return tuple(dict.fromkeys(lines)), complete


def _destinations(
    compiled: CompiledPipeline, only: Callable[[str], bool] = lambda _c: True
) -> list[DestinationLineage]:
    trace = column_tracer(compiled)
    out = []
    for dest in compiled.destinations:
        edge = compiled.state.incoming(dest.node.id)[0]
        key = (edge.source.node, edge.source.port)
        columns = []
        for name in dest.schema.names:
            if not only(name):
                continue
            step = trace(key, name)
            columns.append(ColumnLineage(name, step, _sources(compiled.pipeline, step)))
        params = dest.node.params
        out.append(
            DestinationLineage(
                dest.node.name,
                str(params.get("connection") or ""),
                str(params.get("table") or ""),
                tuple(columns),
            )
        )
    return sorted(out, key=lambda d: d.node)


def _problems(name: str, compiled: CompiledPipeline) -> list[str]:
    return [
        _("pipeline {pipeline!r}: {problem}").format(pipeline=name, problem=p)
        for p in compiled.problems
    ]


# -- syncs -----------------------------------------------------------------------------------
def _sync_lineage(
    sync: SyncDefinition, catalog: dict[str, list[CatalogTable]]
) -> tuple[list[TableUse], list[ColumnFlow], list[str]]:
    src = sync.source
    what = src.table or " ".join((src.query or "").split())
    uses = [TableUse("sync", sync.name, "", "reads", src.connection, what)]
    uses += [
        TableUse("sync", sync.name, "", "writes", d.connection, d.table) for d in sync.destinations
    ]
    available: list[str] | None = None
    if src.table:
        tables = [t for t in catalog.get(src.connection, []) if same_table(qualified(t), src.table)]
        if tables and tables[0].columns:
            available = [c.name for c in tables[0].columns]
    if available is None:
        available = list(sync.columns) if sync.columns is not None else None
    if available is None or not src.table:
        return uses, [], []
    try:
        chosen = sync.select_columns(available)
    except SyncDefinitionError as err:
        return uses, [], [str(err)]
    flows = []
    for d in sync.destinations:
        for c in chosen:
            target = sync.dest_name(c)
            steps = (
                (
                    _("{sync}: {column} renamed from {source}").format(
                        sync=sync.name, column=target, source=c
                    ),
                )
                if target != c
                else ()
            )
            flows.append(
                ColumnFlow(
                    "sync",
                    sync.name,
                    "",
                    d.connection,
                    d.table,
                    target,
                    (SourceColumn(src.connection, src.table, c),),
                    steps,
                )
            )
    return uses, flows, []


# -- use cases -------------------------------------------------------------------------------
def project_lineage(
    source: ProjectSource, *, offline: bool = True, workspace: Workspace | None = None
) -> ProjectLineage:
    """Every pipeline's and sync's table uses and column flows. ``offline`` (the default):
    sources' columns come from declared columns and the stored catalog only, nothing is
    contacted; a pipeline whose sources are unknown gives its table uses and a problem."""
    ws = workspace_for(source, workspace)
    out = ProjectLineage()
    with opened(source) as (project, files_dir):
        catalog = catalog_of(ws, project)
        for name in sorted(project.pipelines):
            pipeline = project.pipelines[name]
            out.uses += _uses(pipeline)
            compiled = _compile(
                project, pipeline, files_dir, catalog, offline=offline, workspace=ws
            )
            out.problems += _problems(name, compiled)
            for dest in _destinations(compiled):
                for col in dest.columns:
                    steps, complete = _chain(col.step)
                    out.flows.append(
                        ColumnFlow(
                            "pipeline",
                            name,
                            dest.node,
                            dest.connection,
                            dest.table,
                            col.column,
                            col.sources,
                            steps,
                            complete,
                        )
                    )
        for name in sorted(project.syncs):
            uses, flows, problems = _sync_lineage(project.syncs[name], catalog)
            out.uses += uses
            out.flows += flows
            out.problems += problems
    return out


def pipeline_lineage(
    path: Path,
    pipeline: str,
    *,
    column: str | None = None,
    offline: bool = False,
    trust: bool = False,
    workspace: Workspace | None = None,
) -> PipelineLineage:
    """``cauce lineage``: the tables a pipeline reads and the lineage of every column its
    destinations write. ``column``: only that column (``NODE.COLUMN``: that node's output
    column). Sources' columns come from declared columns, the stored catalog, then (unless
    ``offline``) the connections, which a project from a bundle may reach only once trusted.

    Raises:
        ProjectError: no such pipeline, or no such column (naming the ones there are).
        CompileError: the pipeline does not compile.
    """
    from app.services.projects import select_pipelines
    from app.services.trust import require_trust
    from app.storage.project import load_project

    ws = workspace_for(path, workspace)
    broken: dict[str, ProjectError] = {}
    with load_project(Path(path), broken=broken) as found:
        if not offline:
            require_trust(found, trust=trust)
        project = found.project
        [chosen] = select_pipelines(project, [pipeline], broken)
        catalog = catalog_of(ws, project)
        compiled = _compile(project, chosen, found.root, catalog, offline=offline, workspace=ws)
    compiled.raise_for_problems()
    node_name, _dot, node_column = (column or "").rpartition(".")
    if node_name and any(n.name == node_name for n in chosen.nodes):
        return _node_column(compiled, chosen, node_name, node_column)
    wanted = column.casefold() if column else None
    destinations = _destinations(compiled, lambda c: wanted is None or c.casefold() == wanted)
    if wanted is not None and not any(d.columns for d in destinations):
        written = sorted({n for d in compiled.destinations for n in d.schema.names})
        raise ProjectError(
            "--column",
            _(
                "no destination of pipeline {pipeline!r} writes a column {column!r} (they "
                "write {columns}; NODE.COLUMN traces a node's column)"
            ).format(pipeline=pipeline, column=column, columns=", ".join(written) or _("none")),
        )
    return PipelineLineage(
        chosen.name,
        tuple(u for u in _uses(chosen) if u.role == "reads"),
        tuple(d for d in destinations if d.columns or wanted is None),
    )


def _node_column(
    compiled: CompiledPipeline, pipeline: Pipeline, node_name: str, column: str
) -> PipelineLineage:
    node = pipeline.node_by_name(node_name)
    key = (node.id, "out")
    if key not in compiled.state.outputs:
        raise ProjectError(
            "--column",
            _("node {node!r} has no output to trace (a destination: name its column alone)").format(
                node=node_name
            ),
        )
    try:
        step = column_tracer(compiled)(key, column)
    except KeyError:
        names = compiled.state.outputs[key].schema.names
        raise ProjectError(
            "--column",
            _("node {node!r} has no column {column!r} (it has {columns})").format(
                node=node_name, column=column, columns=", ".join(names)
            ),
        ) from None
    traced = ColumnLineage(step.column, step, _sources(pipeline, step))
    reads = tuple(u for u in _uses(pipeline) if u.role == "reads")
    return PipelineLineage(pipeline.name, reads, (), traced, node_name)
