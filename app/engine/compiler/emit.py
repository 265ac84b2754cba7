"""Pass 3 — emit: one query per destination, with a CTE per upstream node, in any dialect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlglot import ErrorLevel, exp
from sqlglot.errors import SqlglotError

from app.engine.compiler.dialect_fixes import apply_fixes
from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState, cte_ref
from app.i18n import _
from app.model.pipeline import Node
from app.nodes.base import Relation, select_star

__all__ = [
    "COMPILE_TARGETS",
    "DestinationQuery",
    "DIALECTS",
    "emit_destinations",
    "render",
    "query_for",
]

#: warehouses Cauce compiles pipelines for although no connector reaches them yet (sqlglot
#: names); the other dialects a pipeline compiles to are those the connectors speak
COMPILE_TARGETS = ("snowflake", "bigquery", "redshift")
#: dialects Cauce renders and tests (sqlglot names)
DIALECTS = ("duckdb", "postgres", "tsql", *COMPILE_TARGETS)


@dataclass(frozen=True)
class DestinationQuery:
    node: Node
    params: Any
    query: exp.Select
    schema: pa.Schema
    upstream: frozenset[str]

    def sql(self, dialect: str = "duckdb", *, pretty: bool = True) -> str:
        return render(self.query, dialect, pretty=pretty)


def render(query: exp.Expression, dialect: str, *, pretty: bool = True) -> str:
    """Render a tree in ``dialect``; raises on anything the dialect cannot express."""
    return apply_fixes(query, dialect).sql(
        dialect=dialect, pretty=pretty, unsupported_level=ErrorLevel.RAISE, identify=False
    )


def query_for(state: CompileState, node_id: str, port: str = "out") -> exp.Select:
    """``WITH <every upstream CTE> SELECT * FROM <node's port>``: the data at one port.

    The CTE bodies are shared with the compile state, not copied (copying them for every
    destination made compiling large graphs quadratic): treat the result as read-only and
    ``.copy()`` it before changing it. :func:`render` never changes it.
    """
    key = (node_id, port)
    output = state.outputs[key]
    needed = state.upstream_of(node_id) | {node_id}
    final = select_star(Relation(ref=cte_ref(state.cte_names[key]), schema=output.schema))
    ctes = [
        exp.CTE(
            this=state.outputs[k].query,
            alias=exp.TableAlias(this=exp.to_identifier(state.cte_names[k], quoted=True)),
        )
        for node in state.order
        if node.id in needed
        for k in state.ports_of.get(node.id, ())
    ]
    final.set("with_", exp.With(expressions=ctes))
    if output.order:
        final = final.order_by(*[term.copy() for term in output.order], copy=False)
    return final


def emit_destinations(state: CompileState) -> list[DestinationQuery]:
    result = []
    for node in state.order:
        comp = state.components.get(node.id)
        if comp is None or not comp.is_destination or node.id in state.failed:
            continue
        edges = state.incoming(node.id)
        if not edges:
            continue
        src = (edges[0].source.node, edges[0].source.port)
        if src not in state.outputs:
            continue
        try:
            query = query_for(state, *src)
        except SqlglotError as err:  # pragma: no cover - trees are built by us
            state.problem(
                Problem(_("cannot build SQL: {detail}").format(detail=err), node.id, node.name)
            )
            continue
        result.append(
            DestinationQuery(
                node=node,
                params=state.params[node.id],
                query=query,
                schema=state.outputs[src].schema,
                upstream=frozenset(state.upstream_of(node.id)),
            )
        )
    return result
