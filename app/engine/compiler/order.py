"""Row order through the build pass: a sort's order reaches every node that keeps it.

SQL keeps no order across a CTE, so a component that orders rows (sort) says so in
:attr:`Output.order`, and the final query of a destination or a preview applies it. A component
with an ``order_port`` (filter, derive, select, window, dedupe, lookup) keeps its input's row
order: its outputs inherit the order, rewritten to the names the sort columns have there
(``select`` may rename them). When such a component drops or changes a sort column, the order
cannot be applied any more: that is a problem on the sort node, never a silent loss. A component
that groups, joins or combines rows ends the order; that is a warning on the sort node unless
the sort keeps only the first N rows (top-N is exact wherever it is).
"""

from __future__ import annotations

import dataclasses

from sqlglot import exp

from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState, PortKey
from app.i18n import _
from app.model.pipeline import Node
from app.nodes.base import Component, Output, qcol

__all__ = ["carry_order"]


def carry_order(
    state: CompileState, node: Node, component: Component, outputs: dict[str, Output]
) -> dict[str, Output]:
    """``outputs`` with the order of the input they keep; records where each order began."""
    for port, output in outputs.items():
        if output.order:
            state.order_origin[(node.id, port)] = node.id
    upstream = [
        (edge.target.port, (edge.source.node, edge.source.port)) for edge in state.incoming(node.id)
    ]
    ordered = [(port, key) for port, key in upstream if key in state.order_origin]
    if not ordered or component.is_destination:
        return outputs
    if component.order_port is None:
        for _port, key in ordered:
            _lost(state, node, component, key)
        return outputs
    result = dict(outputs)
    for port, key in ordered:
        if port != component.order_port:
            continue
        source = state.outputs[key]
        for out_port, output in outputs.items():
            if output.order:
                continue  # an order of its own wins
            terms = _renamed(state, node, component, source, output, key)
            if terms:
                result[out_port] = dataclasses.replace(output, order=terms)
                state.order_origin[(node.id, out_port)] = state.order_origin[key]
    return result


def _renamed(
    state: CompileState,
    node: Node,
    component: Component,
    source: Output,
    output: Output,
    key: PortKey,
) -> tuple[exp.Ordered, ...]:
    carried = component.carried_columns(state.params[node.id], source.schema, output)
    terms = []
    for term in source.order:
        column = term.this
        name = column.name if isinstance(column, exp.Column) else None
        if name not in carried:
            sort = state.node(state.order_origin[key])
            state.problem(
                Problem(
                    _(
                        "the order cannot be kept: node {node!r} does not pass "
                        "column {column!r} on "
                        "unchanged (keep the column there, or sort after that node)"
                    ).format(node=node.name, column=name or column.sql()),
                    sort.id,
                    sort.name,
                )
            )
            return ()
        renamed = term.copy()
        renamed.set("this", qcol(carried[name]))
        terms.append(renamed)
    return tuple(terms)


def _lost(state: CompileState, node: Node, component: Component, key: PortKey) -> None:
    sort = state.node(state.order_origin[key])
    if state.outputs[key].query.args.get("limit") is not None:
        return  # top-N: the order chose the rows; the rows stay right
    state.warnings.append(
        Problem(
            _(
                "the order is lost at node {node!r} ({type} does not keep row order): sort after it"
            ).format(node=node.name, type=component.type_name),
            sort.id,
            sort.name,
            severity="warning",
        )
    )
