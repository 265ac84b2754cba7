"""Pushdown compilation: the SQL a database runs for the nodes placed in it.

:mod:`app.engine.placement` decides where nodes run; this module compiles what the databases
run and checks that it can be rendered:

- :func:`compile_pushdown`: a (sub-)pipeline compiled with its sources bound to their own
  tables, in a connection's dialect — the query of a whole pushed stage;
- :func:`fold_frontier`: the split case — each frontier node's query rendered in its
  database's dialect becomes the scan query of a source standing in its place, in the
  pipeline the local engine runs (:class:`Folded`).

Rendering uses ``unsupported_level=RAISE`` (:func:`~app.engine.compiler.render`): a node whose
SQL the dialect cannot express is reported (:class:`Unpushable`) and the planner runs it on
the local engine instead.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlglot.errors import SqlglotError

from app.engine.compiler import CompiledPipeline, compile_pipeline, render
from app.engine.compiler.binders import declared_schema, table_binder
from app.engine.partial import sub_pipeline
from app.engine.placement import Placement
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.model.pipeline import Node, Pipeline
from app.nodes.base import NodeError

__all__ = ["Folded", "Unpushable", "compile_pushdown", "fold_frontier", "with_upstream"]


class Unpushable(Exception):
    """The SQL of ``node_id`` cannot be rendered in its database's dialect."""

    def __init__(self, node_id: str, detail: str) -> None:
        super().__init__(detail)
        self.node_id = node_id


def with_upstream(pipeline: Pipeline, node_ids: Collection[str]) -> set[str]:
    keep = set(node_ids)
    for node_id in node_ids:
        keep |= pipeline.upstream(node_id)
    return keep


def compile_pushdown(
    pipeline: Pipeline, connection: str, provider: ConnectorProvider
) -> CompiledPipeline:
    """Compile with sources bound to their own tables in ``connection``'s dialect."""
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

    return compile_pipeline(pipeline, binder=table_binder(schema_of, source_dialect=dialect))


@dataclass
class Folded:
    """The pipeline the local engine runs in the split case, and the scan queries."""

    #: the original pipeline, each frontier node replaced by a source reading its scan query,
    #: the nodes folded into those queries (and pushed stages) left out
    pipeline: Pipeline
    #: frontier node id -> (connection, dialect, scan SQL)
    scans: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: every pushed node id -> the SQL of its own part, in its dialect
    node_sql: dict[str, str] = field(default_factory=dict)


def fold_frontier(pipeline: Pipeline, placement: Placement, provider: ConnectorProvider) -> Folded:
    """Compile each frontier node in its database and put a scan of it in its place.

    Raises :class:`Unpushable` naming a node whose SQL its dialect cannot express, and
    :class:`~app.engine.compiler.CompileError` when the pushed part does not compile.
    """
    scans: dict[str, tuple[str, str, str]] = {}
    node_sql: dict[str, str] = {}
    by_connection: dict[str, list[str]] = {}
    for node_id in placement.frontier:
        place = placement.places[node_id]
        by_connection.setdefault(place.connection, []).append(node_id)
    for connection, frontier in sorted(by_connection.items()):
        dialect = placement.places[frontier[0]].dialect
        part = sub_pipeline(pipeline, with_upstream(pipeline, frontier))
        compiled = compile_pushdown(part, connection, provider).raise_for_problems()
        for node_id in frontier:
            scans[node_id] = (connection, dialect, _render(compiled, node_id, dialect))
        node_sql.update(own_sql(compiled, dialect))
    return Folded(_rewrite(pipeline, placement, scans), scans, node_sql)


def own_sql(compiled: CompiledPipeline, dialect: str) -> dict[str, str]:
    """Each compiled node's own part (its CTE, its main output) in ``dialect``."""
    result = {}
    for (node_id, port), output in compiled.state.outputs.items():
        if port == "out" or node_id not in result:
            try:
                result[node_id] = render(exp.Subquery(this=output.query).this, dialect)
            except SqlglotError as err:
                raise Unpushable(node_id, str(err)) from None
    return result


def _render(compiled: CompiledPipeline, node_id: str, dialect: str) -> str:
    try:
        return render(compiled.query(node_id, "out"), dialect)
    except SqlglotError as err:
        raise Unpushable(node_id, str(err)) from None


def _rewrite(
    pipeline: Pipeline, placement: Placement, scans: dict[str, tuple[str, str, str]]
) -> Pipeline:
    keep = {
        n.id
        for n in pipeline.nodes
        if n.id not in placement.places
        or n.id in scans
        or (
            n.type == "source"
            and any(e.target.node not in placement.places for e in pipeline.outgoing(n.id))
        )
    }
    data = sub_pipeline(pipeline, keep).model_dump()
    for node in data["nodes"]:
        if node["id"] in scans:
            connection, _dialect, sql = scans[node["id"]]
            node["type"] = "source"
            node["params"] = {"connection": connection, "query": sql}
    data["edges"] = [e for e in data["edges"] if e["target"]["node"] not in scans]
    return Pipeline.model_validate(data)
