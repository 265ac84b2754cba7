"""What a schema change of a sync's destination table touches: the project's pipelines that
read that table (and, by column lineage, which of their destinations' columns come from the
changed column), and the syncs that read it.

A helper of :mod:`.schema_inbox` (its records carry the impact). Pipelines are compiled with
their sources described through their connections (the databases are asked for the tables'
columns); a pipeline that does not compile is still listed, as reading the table.

An added column is not in the table yet, so no lineage reaches it: a pipeline reading the
table is listed with ``uses = "table"``, and whether the column will reach it depends on its
source node (a node with declared columns takes only those).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from app.engine.compiler import compile_pipeline
from app.engine.lineage import column_tracer
from app.engine.local import LocalSession
from app.engine.provider import ConnectorProvider
from app.model.pipeline import Node, Pipeline
from app.storage.project_format import Project

__all__ = ["Impact", "table_impact"]


@dataclass(frozen=True)
class Impact:
    """One pipeline or sync reading the changed table.

    ``uses``: ``column`` (lineage reaches the column), ``table`` (it reads the table; the
    column is not in it yet, or lineage does not reach it), ``all columns`` (a sync copying
    every column: the change reaches its destinations).
    """

    kind: str  # "pipeline" or "sync"
    name: str
    #: the source nodes reading the table (pipelines)
    nodes: tuple[str, ...]
    uses: str
    #: destination columns computed from the column: ``node.column -> connection:table``;
    #: for a sync, its destination tables
    reaches: tuple[str, ...] = ()
    #: why lineage could not be followed (a compile problem), when it could not
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "nodes": list(self.nodes),
            "uses": self.uses,
            "reaches": list(self.reaches),
            "note": self.note,
        }


def _same_table(a: str, b: str) -> bool:
    """``public.orders`` and ``orders`` name one table (a schema is optional)."""
    x, y = a.casefold(), b.casefold()
    return x == y or x.endswith("." + y) or y.endswith("." + x)


def _readers(pipeline: Pipeline, connection: str, table: str) -> list[Node]:
    return [
        n
        for n in pipeline.nodes
        if n.type == "source"
        and n.params.get("connection") == connection
        and n.params.get("table")
        and _same_table(str(n.params["table"]), table)
    ]


def table_impact(
    project: Project,
    provider: ConnectorProvider,
    connection: str,
    table: str,
    columns: list[str],
    *,
    skip_sync: str | None = None,
) -> list[Impact]:
    """Who reads ``connection``'s ``table``, and what ``columns`` reach in each pipeline."""
    wanted = {c.casefold() for c in columns}
    out: list[Impact] = []
    for name in sorted(project.pipelines):
        pipeline = project.pipelines[name]
        readers = _readers(pipeline, connection, table)
        if readers:
            out.append(_pipeline_impact(pipeline, readers, provider, wanted))
    for name in sorted(project.syncs):
        sync = project.syncs[name]
        src = sync.source
        if name == skip_sync or src.connection != connection or not src.table:
            continue
        if not _same_table(src.table, table):
            continue
        selected = sync.columns is None or any(c.casefold() in wanted for c in sync.columns)
        if selected:
            out.append(
                Impact(
                    "sync",
                    name,
                    (),
                    "all columns" if sync.columns is None else "column",
                    tuple(d.key for d in sync.destinations),
                )
            )
    return out


def _pipeline_impact(
    pipeline: Pipeline, readers: list[Node], provider: ConnectorProvider, wanted: set[str]
) -> Impact:
    names = tuple(n.name for n in readers)
    try:
        with LocalSession(provider) as session:
            compiled = compile_pipeline(pipeline, binder=session.binder())
    except Exception as err:  # noqa: BLE001 - listed without lineage, saying why
        return Impact("pipeline", pipeline.name, names, "table", note=str(err).strip())
    ids = {n.id for n in readers}
    read = any(
        f.name.casefold() in wanted
        for n in readers
        for f in (compiled.schema(n.id) or pa.schema([]))
    )
    if not read:
        note = "; ".join(p.message for p in compiled.problems[:1])
        return Impact("pipeline", pipeline.name, names, "table", note=note)
    trace = column_tracer(compiled)
    reaches: list[str] = []
    for node in pipeline.nodes:
        if node.type != "destination":
            continue
        target = f"{node.params.get('connection')}:{node.params.get('table')}"
        for edge in pipeline.incoming(node.id):
            key = (edge.source.node, edge.source.port)
            schema = compiled.schema(*key)
            for f in schema or pa.schema([]):
                try:
                    step = trace(key, f.name)
                except KeyError:
                    continue
                if any(s.node_id in ids and s.column.casefold() in wanted for s in step.walk()):
                    reaches.append(f"{node.name}.{f.name} -> {target}")
    return Impact("pipeline", pipeline.name, names, "column", tuple(dict.fromkeys(reaches)))
