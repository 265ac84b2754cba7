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
from dataclasses import dataclass, field
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
    table_key,
    workspace_for,
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


@dataclass(frozen=True)
class TableUse:
    """A pipeline or sync reading or writing a table (a query or a file, for some sources)."""

    kind: str  # pipeline, sync
    name: str
    #: the node that reads or writes it ("" for a sync)
    node: str
    role: str  # reads, writes
    #: "" for a file
    connection: str
    table: str

    def to_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SourceColumn:
    """A column where values enter a pipeline or sync: a source's table (or query, or file)."""

    connection: str
    table: str
    column: str

    def __str__(self) -> str:
        return ".".join(p for p in (self.connection, self.table, self.column) if p)


@dataclass(frozen=True)
class ColumnFlow:
    """A written column and the source columns its values are computed from."""

    kind: str  # pipeline, sync
    name: str
    node: str
    connection: str
    table: str
    column: str
    sources: tuple[SourceColumn, ...]
    #: each computation on the way, outermost first: ``amounts: Amount = UnitPrice * Quantity``
    steps: tuple[str, ...] = ()
    #: False when a node on the way could not be followed (custom SQL sqlglot cannot trace)
    complete: bool = True

    @property
    def target(self) -> str:
        return f"{self.connection}.{self.table}.{self.column}"

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["sources"] = [str(s) for s in self.sources]
        out["steps"] = list(self.steps)
        return out


@dataclass
class ProjectLineage:
    """Every table use and column flow of a project's pipelines and syncs."""

    uses: list[TableUse] = field(default_factory=list)
    flows: list[ColumnFlow] = field(default_factory=list)
    #: what could not be followed, one sentence each (a pipeline whose sources are unknown)
    problems: list[str] = field(default_factory=list)
    _index: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _by(self, kind: str) -> dict[tuple[str, str], list[Any]]:
        """Uses, flows by target, flows by source: bucketed by (connection, the table's own
        name), built once (a dictionary export asks for every column)."""
        sizes = (len(self.uses), len(self.flows))
        if self._index.get("sizes") != sizes:
            index: dict[str, dict[tuple[str, str], list[Any]]] = {
                "uses": {},
                "into": {},
                "out_of": {},
            }
            for u in self.uses:
                index["uses"].setdefault((u.connection, table_key(u.table)), []).append(u)
            for f in self.flows:
                index["into"].setdefault((f.connection, table_key(f.table)), []).append(f)
                for key in {(src.connection, table_key(src.table)) for src in f.sources}:
                    index["out_of"].setdefault(key, []).append(f)
            self._index.clear()
            self._index.update(index, sizes=sizes)
        found: dict[tuple[str, str], list[Any]] = self._index[kind]
        return found

    def of_table(self, connection: str, table: str) -> list[TableUse]:
        """The pipelines and syncs reading or writing a table."""
        found = self._by("uses").get((connection, table_key(table)), [])
        return [u for u in found if same_table(u.table, table)]

    def into(self, connection: str, table: str, column: str) -> list[ColumnFlow]:
        """How a column is written: the flows ending in it."""
        wanted = column.casefold()
        found = self._by("into").get((connection, table_key(table)), [])
        return [f for f in found if same_table(f.table, table) and f.column.casefold() == wanted]

    def out_of(self, connection: str, table: str, column: str) -> list[ColumnFlow]:
        """Where a column goes: the flows it is a source of."""
        wanted = column.casefold()
        found = self._by("out_of").get((connection, table_key(table)), [])
        return [
            f
            for f in found
            if any(
                s.connection == connection
                and same_table(s.table, table)
                and s.column.casefold() == wanted
                for s in f.sources
            )
        ]


@dataclass(frozen=True)
class ColumnLineage:
    """One column a destination writes: its trace through the pipeline and its sources."""

    column: str
    step: LineageStep
    sources: tuple[SourceColumn, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "sources": [str(s) for s in self.sources],
            "trace": _step_dict(self.step),
        }


@dataclass(frozen=True)
class DestinationLineage:
    node: str
    connection: str
    table: str
    columns: tuple[ColumnLineage, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "connection": self.connection,
            "table": self.table,
            "columns": [c.to_dict() for c in self.columns],
        }


@dataclass(frozen=True)
class PipelineLineage:
    """``cauce lineage``: what a pipeline reads and, per written column, where it comes from
    (``traced``: one node's column asked for with ``--column NODE.COLUMN``)."""

    pipeline: str
    reads: tuple[TableUse, ...]
    destinations: tuple[DestinationLineage, ...]
    traced: ColumnLineage | None = None
    traced_node: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pipeline": self.pipeline,
            "reads": [u.to_dict() for u in self.reads],
            "destinations": [d.to_dict() for d in self.destinations],
        }
        if self.traced is not None:
            out["node"] = self.traced_node
            out["traced"] = self.traced.to_dict()
        return out


def _step_dict(step: LineageStep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "node": step.node_name,
        "type": step.node_type,
        "column": step.column,
    }
    if step.expression:
        out["expression"] = step.expression
    if step.origin:
        out["origin"] = step.origin
    if not step.traced:
        out["traced"] = False
    if step.inputs:
        out["inputs"] = [_step_dict(s) for s in step.inputs]
    return out


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
